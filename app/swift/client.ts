// The Swift client: one undici Agent per connection (keep-alive, bounded sockets), auth with one re-auth on 401,
// retries (app/swift/retry.ts) for replayable requests, typed errors, and a redacted transcript of every request.
import { Agent, type Dispatcher } from 'undici';
import type { AuthConfig } from '../domain/auth.ts';
import { checkCaPem, trustedCas } from './ca.ts';
import { authenticate, flatHeaders, requesterFor, type AuthResult } from './auth.ts';
import { SwiftError } from './errors.ts';
import { Attempts, DEFAULT_RETRY_POLICY, isRetryable, isRetryableStatus, retrying, type RetryPolicy } from './retry.ts';
import { errorFromResponse, networkError } from './status-errors.ts';
import { decodeName, encodeComponent, storagePath } from './names.ts';
import { MAX_TEXT_BODY, readText } from './text-body.ts';
import { Transcript } from './transcript.ts';

export type Body = string | Uint8Array | NodeJS.ReadableStream | AsyncIterable<Uint8Array>;

export interface ClientOptions {
  auth: AuthConfig;
  /** PEM text with CA certificates trusted in addition to the system roots. */
  caPem?: string;
  /** Skip TLS verification (the caller must warn the user). */
  insecure?: boolean;
  /** Sockets per origin. */
  concurrency?: number;
  transcript?: Transcript;
  retries?: number;
  /** Base delay for exponential backoff, ms. */
  backoffMs?: number;
  /** Cap for a single wait (backoff or Retry-After), ms. */
  maxWaitMs?: number;
}

export interface RequestOptions {
  method: Dispatcher.HttpMethod;
  container?: string;
  object?: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string | undefined>;
  /** A function makes the body replayable, so the request can be retried. */
  body?: Body | (() => Body);
  /** Statuses that are not errors (default: 2xx). */
  ok?: (status: number) => boolean;
  signal?: AbortSignal;
  /** Override retry policy for this request (e.g. 0 for non-idempotent work). */
  retries?: number;
  /** The retry budget of the operation this request is part of; retries of this request draw from it. */
  attempts?: Attempts;
  /** Called before each retry; lets a caller reset per-attempt state such as a running hash. */
  onRetry?: (attempt: number, error: SwiftError) => void;
}

export interface StreamResponse {
  status: number;
  headers: Record<string, string>;
  body: Dispatcher.ResponseData['body'];
}

export interface TextResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** Error bodies only feed a one-line detail. */
const MAX_ERROR_BODY = 64 * 1024;

export const INSECURE_TLS_WARNING =
  'TLS certificate verification is OFF for this connection: anyone on the network path can read and change your data and credentials.';

function describe(container?: string, object?: string): string {
  if (object !== undefined) return `object ${container}/${object}`;
  if (container !== undefined) return `container ${container}`;
  return 'the account';
}

/**
 * A token is renewed before it expires: a minute early, or a quarter of its lifetime early when it lives less than four
 * minutes (a 60 s margin would renew a 30 s token before every request).
 */
function expiresSoon(session: AuthResult & { obtainedAt: number }): boolean {
  if (!session.expiresAt) return false;
  const margin = Math.min(60_000, (session.expiresAt - session.obtainedAt) / 4);
  return session.expiresAt - Date.now() < margin;
}

export class SwiftClient {
  readonly agent: Agent;
  readonly transcript: Transcript;
  readonly warnings: string[] = [];
  private session: (AuthResult & { obtainedAt: number }) | undefined;
  private authInFlight: Promise<AuthResult> | undefined;
  readonly retryPolicy: RetryPolicy;

  constructor(readonly options: ClientOptions) {
    const connect: Record<string, unknown> = {};
    if (options.caPem) connect.ca = trustedCas(checkCaPem(options.caPem));
    if (options.insecure) {
      connect.rejectUnauthorized = false;
      this.warnings.push(INSECURE_TLS_WARNING);
    }
    this.agent = new Agent({
      connections: Math.max(1, options.concurrency ?? 8),
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 120_000,
      headersTimeout: 300_000,
      bodyTimeout: 300_000,
      connect,
    });
    this.transcript = options.transcript ?? new Transcript();
    this.retryPolicy = {
      retries: options.retries ?? DEFAULT_RETRY_POLICY.retries,
      backoffMs: options.backoffMs ?? DEFAULT_RETRY_POLICY.backoffMs,
      maxWaitMs: options.maxWaitMs ?? DEFAULT_RETRY_POLICY.maxWaitMs,
    };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /** Authenticates if needed; concurrent callers share one auth request. */
  async auth(force = false): Promise<AuthResult> {
    if (this.session && !force && !expiresSoon(this.session)) return this.session;
    if (!this.authInFlight) {
      const started = Date.now();
      const requester = requesterFor(this.agent);
      const url = this.options.auth.type === 'token' ? this.options.auth.storageUrl : this.options.auth.authUrl;
      this.authInFlight = authenticate(this.options.auth, async (u, init) => {
        try {
          const res = await requester(u, init);
          this.transcript.record({ time: started, method: init.method, url: u, status: res.status, durationMs: Date.now() - started, requestHeaders: init.headers, responseHeaders: res.headers, ...(res.headers['x-trans-id'] ? { transId: res.headers['x-trans-id'] } : {}) });
          return res;
        } catch (e) {
          this.transcript.record({ time: started, method: init.method, url: u, status: null, durationMs: Date.now() - started, requestHeaders: init.headers, responseHeaders: {}, error: (e as Error).message });
          throw e;
        }
      })
        .then((s) => {
          this.session = { ...s, obtainedAt: Date.now() };
          return s;
        })
        .finally(() => {
          this.authInFlight = undefined;
        });
      void url;
    }
    return this.authInFlight;
  }

  /** For tests and the "token expired" path: forget the token so the next request re-authenticates. */
  invalidateToken(replacement?: string): void {
    if (this.session) this.session = { ...this.session, token: replacement ?? 'expired-token' };
  }

  get storageUrl(): string | undefined {
    return this.session?.storageUrl;
  }

  /** The current token, for the explicit "copy as curl with token" action only. */
  get token(): string | undefined {
    return this.session?.token;
  }

  /** Account name from the storage URL (last path segment, e.g. AUTH_test). */
  get account(): string {
    const url = this.session?.storageUrl;
    if (!url) return '';
    return decodeName(new URL(url).pathname.split('/').filter(Boolean).pop() ?? '');
  }

  /** A fresh retry budget for one operation under this connection's policy (`retries` overrides the count). */
  attempts(retries?: number): Attempts {
    return new Attempts(retries === undefined ? this.retryPolicy : { ...this.retryPolicy, retries });
  }

  /** Sends a request and returns the streaming response. Non-ok statuses become typed errors (body drained). */
  stream(opts: RequestOptions): Promise<StreamResponse> {
    return this.read(opts, async (res) => res);
  }

  /** Sends a request and reads the whole (small) body as text. */
  request(opts: RequestOptions): Promise<TextResponse> {
    const what = describe(opts.container, opts.object);
    return this.read(opts, async (res) => ({ status: res.status, headers: res.headers, text: await readText(res.body, MAX_TEXT_BODY, what) }));
  }

  /**
   * Sends a request and hands the response to `consume`, retrying both in one loop: a connection cut while the body
   * arrives is retried like a failed request when the request can be replayed.
   */
  async read<T>(opts: RequestOptions, consume: (res: StreamResponse) => Promise<T>): Promise<T> {
    const replayable = opts.body === undefined || typeof opts.body === 'function' || typeof opts.body === 'string' || opts.body instanceof Uint8Array;
    const what = describe(opts.container, opts.object);
    const state = { reauthed: false, bodySent: false };
    return retrying(
      opts.attempts ?? this.attempts(opts.retries),
      async (attempt) => {
        const res = await this.send(opts, what, state, replayable, attempt);
        try {
          return await consume(res);
        } catch (e) {
          if (e instanceof SwiftError) throw e;
          if (opts.signal?.aborted) throw new SwiftError({ kind: 'cancelled', message: `Cancelled: ${opts.method} ${what}.`, cause: e });
          throw networkError(e, what);
        }
      },
      {
        signal: opts.signal,
        // A one-shot body stream cannot be sent twice; a failure before it was sent (e.g. auth) can still be retried.
        retryable: (e) => isRetryable(e) && (replayable || !state.bodySent),
        ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
      },
    );
  }

  /** One try: authenticate, send, classify the answer; a 401 re-authenticates once and sends again at no cost. */
  private async send(opts: RequestOptions, what: string, state: { reauthed: boolean; bodySent: boolean }, replayable: boolean, attempt: number): Promise<StreamResponse> {
    for (;;) {
      let session: AuthResult;
      try {
        session = await this.auth();
      } catch (e) {
        throw e instanceof SwiftError ? e : networkError(e, 'authentication');
      }
      const base = new URL(session.storageUrl);
      const path = storagePath(base.pathname, opts.container, opts.object) + queryString(opts.query);
      const headers: Record<string, string> = { 'x-auth-token': session.token };
      for (const [k, v] of Object.entries(opts.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
      const body = typeof opts.body === 'function' ? opts.body() : opts.body;
      state.bodySent ||= body !== undefined;
      const started = Date.now();
      let res: Dispatcher.ResponseData;
      try {
        res = await this.agent.request({ origin: base.origin, path, method: opts.method, headers, body: body as Dispatcher.DispatchOptions['body'], signal: opts.signal });
      } catch (e) {
        if (e instanceof SwiftError) throw e;
        if (opts.signal?.aborted || (e as Error)?.name === 'AbortError') {
          throw new SwiftError({ kind: 'cancelled', message: `Cancelled: ${opts.method} ${what}.`, cause: e });
        }
        this.transcript.record({ time: started, method: opts.method, url: base.origin + path, status: null, durationMs: Date.now() - started, requestHeaders: headers, responseHeaders: {}, error: (e as Error)?.message ?? String(e) });
        throw networkError(e, what);
      }
      const resHeaders = flatHeaders(res.headers);
      const transId = resHeaders['x-trans-id'];
      this.transcript.record({ time: started, method: opts.method, url: base.origin + path, status: res.statusCode, durationMs: Date.now() - started, requestHeaders: headers, responseHeaders: resHeaders, ...(transId ? { transId } : {}) });
      const ok = opts.ok ? opts.ok(res.statusCode) : res.statusCode >= 200 && res.statusCode < 300;
      if (ok) return { status: res.statusCode, headers: resHeaders, body: res.body };
      const text = await readText(res.body, MAX_ERROR_BODY, what, true).catch(() => '');
      const error = errorFromResponse({ method: opts.method, what, status: res.statusCode, headers: resHeaders, body: opts.method === 'HEAD' ? '' : text });
      if (res.statusCode === 401 && this.options.auth.type === 'token') {
        throw new SwiftError({ kind: 'auth', status: 401, transId, message: 'The token was rejected (expired or revoked); get a new token or use credentials that can re-authenticate.' });
      }
      if (res.statusCode === 401 && !state.reauthed) {
        state.reauthed = true;
        await this.auth(true);
        if (replayable) {
          opts.onRetry?.(attempt + 1, error); // the body is sent again: callers reset per-attempt state (hash, byte count)
          continue;
        }
      }
      throw error;
    }
  }

  async json<T>(opts: RequestOptions): Promise<{ status: number; headers: Record<string, string>; data: T }> {
    const res = await this.request({ ...opts, headers: { accept: 'application/json', ...opts.headers } });
    if (res.status === 204 || res.text === '') return { status: res.status, headers: res.headers, data: [] as unknown as T };
    try {
      return { status: res.status, headers: res.headers, data: JSON.parse(res.text) as T };
    } catch {
      // Also a JSON bomb nested past the parser's stack (RangeError) ends here, as a sentence.
      throw new SwiftError({ kind: 'server', message: `Swift answered ${describe(opts.container, opts.object)} with something that is not JSON.`, transId: res.headers['x-trans-id'] });
    }
  }

  /** GET of an absolute URL on the same endpoint without the token (e.g. /info, /healthcheck). */
  async getUnauthenticated(url: string): Promise<TextResponse> {
    const u = new URL(url);
    return retrying(this.attempts(), async () => {
      const started = Date.now();
      let res: Dispatcher.ResponseData;
      let text: string;
      try {
        res = await this.agent.request({ origin: u.origin, path: u.pathname + u.search, method: 'GET' });
        text = await readText(res.body, MAX_TEXT_BODY, url);
      } catch (e) {
        throw e instanceof SwiftError ? e : networkError(e, url);
      }
      const headers = flatHeaders(res.headers);
      this.transcript.record({ time: started, method: 'GET', url, status: res.statusCode, durationMs: Date.now() - started, requestHeaders: {}, responseHeaders: headers, ...(headers['x-trans-id'] ? { transId: headers['x-trans-id'] } : {}) });
      // Any answer but a retryable one is the caller's to judge (e.g. /info answers 404 when disabled).
      if (isRetryableStatus(res.statusCode)) throw errorFromResponse({ method: 'GET', what: url, status: res.statusCode, headers, body: text });
      return { status: res.statusCode, headers, text };
    });
  }
}

export function queryString(q?: RequestOptions['query']): string {
  if (!q) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === false) continue;
    parts.push(v === true || v === '' ? encodeComponent(k) : `${encodeComponent(k)}=${encodeComponent(String(v))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}
