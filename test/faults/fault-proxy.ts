// A loopback HTTP fault proxy between the app and a real Swift proxy. It forwards every request to `upstream` and,
// per request (rules matched on method / path / query) or at random from a seeded PRNG, injects a fault instead:
//
//   status          answer 503/500/507/413/429/498/401… itself, without forwarding (optionally with Retry-After)
//   reset-request   forward, but destroy both sockets after N bytes of the REQUEST body reached us
//   reset-response  forward, but destroy the client socket after N bytes of the RESPONSE body were sent
//   stall           forward, but send nothing for `ms` (before the response, or after N response body bytes)
//   slow            forward, throttling the request or response body to `bytesPerSec`
//   refuse          close the client's connection without an answer
//   corrupt         forward, flipping one byte of the request or response body
//
// Token expiry is modelled faithfully: with `tokenAliases` (default on) every auth response gets a fresh alias token
// of ours instead of Swift's, translated back on the way in. `expireTokens()` makes every alias issued so far answer
// 401 (without forwarding) for good — exactly what a client sees when its token expires — and a re-auth through the
// proxy yields a fresh alias that works. `down(ms)` refuses connections for a window (the listener is closed and
// reopened on the same port: the client sees ECONNREFUSED, like a restarted Swift proxy).
//
// X-Storage-Url in auth responses is rewritten to point at the fault proxy, so clients authenticated through it
// keep using it. Counters (`stats`) and a per-request log record what happened.
import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, Agent, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';

export type Fault =
  | { type: 'status'; status: number; retryAfter?: number | string; body?: string }
  | { type: 'reset-request'; afterBytes: number }
  | { type: 'reset-response'; afterBytes: number }
  | { type: 'stall'; ms: number; afterBytes?: number }
  | { type: 'slow'; bytesPerSec: number; direction?: 'request' | 'response' }
  | { type: 'refuse' }
  /** Forward, but flip one byte (XOR 0xff) at `atByte` of the request or response body: corruption on the way. */
  | { type: 'corrupt'; atByte: number; direction?: 'request' | 'response' };

export type FaultType = Fault['type'] | 'expired-token';

export interface Matcher {
  method?: string | string[];
  /** Matched against the decoded path without the query string. A string matches as a substring. */
  path?: string | RegExp;
  /** Matched against the raw query string (without '?'). A string matches as a substring. */
  query?: string | RegExp;
  /** Any extra condition. */
  when?: (req: { method: string; path: string; query: string; headers: IncomingMessage['headers'] }) => boolean;
}

export interface FaultRule {
  match?: Matcher;
  fault: Fault;
  /** How many times the rule fires (default: every time). */
  times?: number;
  /** Let the first `skip` matching requests through untouched. */
  skip?: number;
  /** Set by the proxy. */
  fired?: number;
  seen?: number;
}

export interface RandomFaults {
  /** Probability (0–1) that a request that matches gets a fault. */
  rate: number;
  seed: number;
  /** Which faults to draw from (default: 503, 500, reset-request, reset-response, stall, slow). */
  kinds?: Array<'503' | '500' | '429' | 'reset-request' | 'reset-response' | 'stall' | 'slow'>;
  /** Only requests that match are eligible (default: everything but auth requests). */
  match?: Matcher;
  /** Longest stall in ms (default 1500). */
  maxStallMs?: number;
}

export interface LogEntry {
  id: number;
  time: number;
  method: string;
  path: string;
  query: string;
  /** What the proxy did instead of (or to) a plain forward. */
  fault?: string;
  /** Status the client saw (null: connection destroyed before a response). */
  status: number | null;
  /** Request body bytes forwarded upstream. */
  bytesUp: number;
  /** Response body bytes sent to the client. */
  bytesDown: number;
  durationMs: number;
}

export interface FaultProxyOptions {
  /** Base URL of the real Swift proxy, e.g. http://127.0.0.1:8080 */
  upstream: string;
  port?: number;
  rules?: FaultRule[];
  random?: RandomFaults;
  tokenAliases?: boolean;
  /** Keep at most this many log entries (default 20 000). */
  keepLog?: number;
  /**
   * X-Auth-Key values the proxy translates before forwarding (alias → real key): lets a test use a distinctive,
   * greppable secret in front of a sandbox whose real key is a common word.
   */
  keyAliases?: Record<string, string>;
  /** Serve HTTPS with this key and certificate (PEM) instead of plain HTTP. */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export interface FaultStats {
  requests: number;
  forwarded: number;
  injected: Partial<Record<FaultType, number>>;
  injectedTotal: number;
  refusedConnections: number;
  bytesUp: number;
  bytesDown: number;
}

/** mulberry32: a tiny deterministic PRNG; the same seed gives the same sequence of decisions. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade']);
const AUTH_PATH = /^\/(auth|v1\.0|v2\.0|v3)(\/|$)/;

function matches(m: Matcher | undefined, req: { method: string; path: string; query: string; headers: IncomingMessage['headers'] }): boolean {
  if (!m) return true;
  if (m.method !== undefined) {
    const ms = Array.isArray(m.method) ? m.method : [m.method];
    if (!ms.map((x) => x.toUpperCase()).includes(req.method)) return false;
  }
  const test = (p: string | RegExp, s: string) => (typeof p === 'string' ? s.includes(p) : p.test(s));
  if (m.path !== undefined && !test(m.path, req.path)) return false;
  if (m.query !== undefined && !test(m.query, req.query)) return false;
  if (m.when && !m.when(req)) return false;
  return true;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Resolves on 'drain' or 'close', removing both listeners (no build-up over a long body). */
function drained(w: NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      w.off('drain', done);
      w.off('close', done);
      resolve();
    };
    w.on('drain', done);
    w.on('close', done);
  });
}

export class FaultProxy {
  readonly upstream: URL;
  rules: FaultRule[];
  random: RandomFaults | undefined;
  readonly log: LogEntry[] = [];
  stats: FaultStats = FaultProxy.emptyStats();
  port = 0;

  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly upstreamAgent = new Agent({ keepAlive: true, maxSockets: 32 });
  private rand: () => number;
  private nextId = 1;
  private downUntil = 0;
  private downTimer: NodeJS.Timeout | undefined;
  private readonly aliases = new Map<string, { real: string; expired: boolean }>();
  private readonly tokenAliases: boolean;
  private readonly keepLog: number;
  private closed = false;
  private readonly tls: FaultProxyOptions['tls'];
  private readonly keyAliases: Record<string, string>;

  constructor(opts: FaultProxyOptions) {
    this.tls = opts.tls;
    this.keyAliases = opts.keyAliases ?? {};
    this.upstream = new URL(opts.upstream);
    this.rules = opts.rules ?? [];
    this.random = opts.random;
    this.rand = prng(opts.random?.seed ?? 1);
    this.tokenAliases = opts.tokenAliases ?? true;
    this.keepLog = opts.keepLog ?? 20_000;
    this.port = opts.port ?? 0;
  }

  static emptyStats(): FaultStats {
    return { requests: 0, forwarded: 0, injected: {}, injectedTotal: 0, refusedConnections: 0, bytesUp: 0, bytesDown: 0 };
  }

  get url(): string {
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  /** The auth URL of the upstream, moved onto the proxy (same path). */
  rewrite(url: string): string {
    const u = new URL(url);
    if (u.host !== this.upstream.host) return url;
    return `${this.url}${u.pathname}${u.search}`;
  }

  async start(): Promise<this> {
    await this.listen();
    return this;
  }

  private listen(): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    const server: Server = this.tls ? createHttpsServer({ key: this.tls.key, cert: this.tls.cert, keepAlive: true }, handler) : createServer({ keepAlive: true }, handler);
    server.keepAliveTimeout = 30_000;
    server.on(this.tls ? 'secureConnection' : 'connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => undefined);
    });
    server.on('clientError', (_e: Error, socket: Socket) => socket.destroy());
    if (this.tls) server.on('tlsClientError', () => undefined);
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: this.port, host: '127.0.0.1' }, () => {
        server.off('error', reject);
        const addr = server.address();
        if (addr && typeof addr === 'object') this.port = addr.port;
        resolve();
      });
    });
  }

  private async closeListener(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await new Promise<void>((r) => server.close(() => r()));
  }

  async stop(): Promise<void> {
    this.closed = true;
    if (this.downTimer) clearTimeout(this.downTimer);
    await this.closeListener();
    this.upstreamAgent.destroy();
  }

  /** Refuses connections for `ms` (listener closed, open connections cut), then listens again on the same port. */
  async down(ms: number): Promise<void> {
    this.downUntil = Date.now() + ms;
    this.stats.refusedConnections++;
    await this.closeListener();
    this.downTimer = setTimeout(() => {
      this.downTimer = undefined;
      if (!this.closed) void this.reopen();
    }, ms);
  }

  private async reopen(): Promise<void> {
    // The port was ours a moment ago; retry briefly in case the kernel has not released it yet.
    for (let i = 0; i < 50 && !this.closed; i++) {
      try {
        await this.listen();
        return;
      } catch {
        await sleep(100);
      }
    }
  }

  get isDown(): boolean {
    return Date.now() < this.downUntil;
  }

  /** Every alias token handed out so far answers 401 from now on. */
  expireTokens(): number {
    let n = 0;
    for (const a of this.aliases.values()) if (!a.expired) {
      a.expired = true;
      n++;
    }
    return n;
  }

  /** Tokens the proxy has handed out (aliases), newest last. */
  get issuedTokens(): string[] {
    return [...this.aliases.keys()];
  }

  /** The real Swift tokens behind the aliases (for tests that check they never leak either). */
  get realTokens(): string[] {
    return [...new Set([...this.aliases.values()].map((a) => a.real))];
  }

  addRule(rule: FaultRule): FaultRule {
    this.rules.push(rule);
    return rule;
  }

  clearRules(): void {
    this.rules = [];
  }

  setRandom(random: RandomFaults | undefined): void {
    this.random = random;
    this.rand = prng(random?.seed ?? 1);
  }

  resetStats(): void {
    this.stats = FaultProxy.emptyStats();
    this.log.length = 0;
  }

  /** Log entries whose method/path/query match. */
  entries(m?: Matcher): LogEntry[] {
    return this.log.filter((e) => matches(m, { method: e.method, path: e.path, query: e.query, headers: {} }));
  }

  private count(type: FaultType): void {
    this.stats.injected[type] = (this.stats.injected[type] ?? 0) + 1;
    this.stats.injectedTotal++;
  }

  private pickFault(info: { method: string; path: string; query: string; headers: IncomingMessage['headers'] }, reqLength: number): Fault | undefined {
    for (const rule of this.rules) {
      if (!matches(rule.match, info)) continue;
      rule.seen = (rule.seen ?? 0) + 1;
      if (rule.seen <= (rule.skip ?? 0)) continue;
      if (rule.times !== undefined && (rule.fired ?? 0) >= rule.times) continue;
      rule.fired = (rule.fired ?? 0) + 1;
      return rule.fault;
    }
    const r = this.random;
    if (!r) return undefined;
    const eligible = r.match ? matches(r.match, info) : !AUTH_PATH.test(info.path);
    if (!eligible) return undefined;
    // Draw the same number of values for every eligible request, so decisions depend only on request order.
    const [p, k, x] = [this.rand(), this.rand(), this.rand()];
    if (p >= r.rate) return undefined;
    const kinds = r.kinds ?? ['503', '500', 'reset-request', 'reset-response', 'stall', 'slow'];
    let kind = kinds[Math.floor(k * kinds.length)]!;
    // A request without a body cannot be cut mid-body; cut its response instead.
    if (kind === 'reset-request' && reqLength <= 0) kind = 'reset-response';
    switch (kind) {
      case '503':
        return { type: 'status', status: 503 };
      case '500':
        return { type: 'status', status: 500 };
      case '429':
        return { type: 'status', status: 429, retryAfter: 1 };
      case 'reset-request':
        return { type: 'reset-request', afterBytes: Math.floor(x * reqLength) };
      case 'reset-response':
        // The upstream length is not known yet; a fraction is resolved against it when the response arrives.
        return { type: 'reset-response', afterBytes: -x };
      case 'stall':
        return { type: 'stall', ms: Math.floor(200 + x * ((r.maxStallMs ?? 1500) - 200)) };
      case 'slow':
        return { type: 'slow', bytesPerSec: 256 * 1024 + Math.floor(x * 4 * 1024 * 1024), direction: x < 0.5 ? 'request' : 'response' };
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      path = rawPath;
    }
    const info = { method: (req.method ?? 'GET').toUpperCase(), path, query: q < 0 ? '' : rawUrl.slice(q + 1), headers: req.headers };
    const entry: LogEntry = { id: this.nextId++, time: started, method: info.method, path, query: info.query, status: null, bytesUp: 0, bytesDown: 0, durationMs: 0 };
    this.log.push(entry);
    if (this.log.length > this.keepLog) this.log.splice(0, this.log.length - this.keepLog);
    this.stats.requests++;
    const done = (status: number | null) => {
      entry.status = status;
      entry.durationMs = Date.now() - started;
    };

    // Expired alias tokens: 401 without forwarding, like Swift does for an expired token.
    const token = req.headers['x-auth-token'];
    let realToken: string | undefined;
    if (typeof token === 'string' && this.tokenAliases) {
      const alias = this.aliases.get(token);
      if (alias?.expired) {
        entry.fault = 'expired-token';
        this.count('expired-token');
        req.resume();
        res.writeHead(401, { 'content-type': 'text/html; charset=UTF-8', 'x-trans-id': `txfault${entry.id}` });
        res.end('<html><h1>Unauthorized</h1><p>This server could not verify that you are authorized to access the document you requested.</p></html>');
        return done(401);
      }
      if (alias) realToken = alias.real;
    }

    const reqLength = Number(req.headers['content-length'] ?? (req.headers['transfer-encoding'] ? 1 << 20 : 0));
    const fault = this.pickFault(info, reqLength);
    if (fault) {
      entry.fault = fault.type === 'status' ? `status ${fault.status}` : fault.type;
      this.count(fault.type);
    }

    if (fault?.type === 'refuse') {
      req.socket.destroy();
      return done(null);
    }
    if (fault?.type === 'status') {
      req.resume();
      const headers: Record<string, string> = { 'content-type': 'text/plain; charset=UTF-8', 'x-trans-id': `txfault${entry.id}` };
      if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
      const body = fault.body ?? `Fault proxy: injected ${fault.status}.`;
      headers['content-length'] = String(Buffer.byteLength(body));
      res.writeHead(fault.status, headers);
      res.end(info.method === 'HEAD' ? undefined : body);
      return done(fault.status);
    }

    // ---- forward ----
    this.stats.forwarded++;
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined || HOP_BY_HOP.has(k)) continue;
      headers[k] = v;
    }
    headers.host = this.upstream.host;
    if (realToken) headers['x-auth-token'] = realToken;
    const key = req.headers['x-auth-key'];
    if (typeof key === 'string' && Object.prototype.hasOwnProperty.call(this.keyAliases, key)) headers['x-auth-key'] = this.keyAliases[key]!;

    const upstreamReq = httpRequest({
      host: this.upstream.hostname,
      port: this.upstream.port,
      method: info.method,
      path: rawUrl,
      headers,
      agent: this.upstreamAgent,
    });
    let finished = false;
    const kill = () => {
      if (finished) return;
      finished = true;
      upstreamReq.destroy();
      req.socket.destroy();
      res.destroy();
      done(entry.status);
    };
    upstreamReq.on('error', () => {
      if (!res.headersSent && !finished) {
        // Upstream unreachable: answer like a load balancer would.
        finished = true;
        res.writeHead(502, { 'content-type': 'text/plain', 'content-length': '24' });
        res.end('Fault proxy: bad gateway');
        done(502);
      } else kill();
    });
    req.on('aborted', kill);
    res.on('close', () => {
      if (!res.writableFinished) kill();
    });

    // Request body: count, maybe throttle, maybe cut.
    const cutReqAt = fault?.type === 'reset-request' ? fault.afterBytes : -1;
    const slowReq = fault?.type === 'slow' && fault.direction === 'request' ? fault.bytesPerSec : 0;
    const corruptReqAt = fault?.type === 'corrupt' && fault.direction !== 'response' ? fault.atByte : -1;
    void (async () => {
      try {
        for await (const chunk of req as AsyncIterable<Buffer>) {
          if (finished) return;
          let c = chunk;
          if (cutReqAt >= 0 && entry.bytesUp + c.length >= cutReqAt) {
            c = c.subarray(0, Math.max(0, cutReqAt - entry.bytesUp));
            if (c.length) upstreamReq.write(c);
            entry.bytesUp += c.length;
            this.stats.bytesUp += c.length;
            await sleep(20); // let the partial body leave before the cut
            kill();
            return;
          }
          if (slowReq) await sleep((c.length / slowReq) * 1000);
          if (corruptReqAt >= entry.bytesUp && corruptReqAt < entry.bytesUp + c.length) {
            c = Buffer.from(c);
            const i = corruptReqAt - entry.bytesUp;
            c[i] = c[i]! ^ 0xff;
          }
          entry.bytesUp += c.length;
          this.stats.bytesUp += c.length;
          if (!upstreamReq.write(c)) await drained(upstreamReq);
        }
        if (cutReqAt >= 0 && !finished) {
          // The body was shorter than the cut point (or empty): cut now, before the request completes.
          kill();
          return;
        }
        if (!finished) upstreamReq.end();
      } catch {
        kill();
      }
    })();

    upstreamReq.on('response', (up) => {
      void (async () => {
        if (finished) return up.resume();
        const upLength = Number(up.headers['content-length'] ?? NaN);
        const outHeaders: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(up.headers)) {
          if (v === undefined || HOP_BY_HOP.has(k)) continue;
          outHeaders[k] = v;
        }
        const storageUrl = up.headers['x-storage-url'];
        if (typeof storageUrl === 'string') outHeaders['x-storage-url'] = this.rewrite(storageUrl);
        const upToken = up.headers['x-auth-token'] ?? up.headers['x-storage-token'];
        if (this.tokenAliases && typeof upToken === 'string' && AUTH_PATH.test(path)) {
          const alias = `AUTH_tkfp${randomBytes(12).toString('hex')}`;
          this.aliases.set(alias, { real: upToken, expired: false });
          if (up.headers['x-auth-token']) outHeaders['x-auth-token'] = alias;
          if (up.headers['x-storage-token']) outHeaders['x-storage-token'] = alias;
        }
        let cutResAt = -1;
        if (fault?.type === 'reset-response') {
          cutResAt = fault.afterBytes >= 0 ? fault.afterBytes : Number.isFinite(upLength) ? Math.floor(-fault.afterBytes * upLength) : 0;
          // Always leave at least one byte missing, or the client would see a complete response.
          if (Number.isFinite(upLength) && cutResAt >= upLength) cutResAt = upLength - 1;
          if (cutResAt < 0 || info.method === 'HEAD') {
            // Nothing to cut (empty body): drop the connection before the response instead.
            up.destroy();
            return kill();
          }
        }
        const stallMs = fault?.type === 'stall' ? fault.ms : 0;
        const stallAt = fault?.type === 'stall' ? (fault.afterBytes ?? -1) : -1;
        const slowRes = fault?.type === 'slow' && fault.direction !== 'request' ? fault.bytesPerSec : 0;
        const corruptResAt = fault?.type === 'corrupt' && fault.direction === 'response' ? fault.atByte : -1;

        if (stallMs && stallAt < 0) await sleep(stallMs);
        if (finished) return up.destroy();
        entry.status = up.statusCode ?? 502;
        res.writeHead(up.statusCode ?? 502, up.statusMessage, outHeaders);
        if (cutResAt === 0) {
          res.flushHeaders();
          await sleep(20);
          up.destroy();
          return kill();
        }
        let stalled = false;
        try {
          for await (const chunk of up as AsyncIterable<Buffer>) {
            if (finished) return;
            let c = chunk;
            if (stallMs && stallAt >= 0 && !stalled && entry.bytesDown + c.length >= stallAt) {
              stalled = true;
              const head = c.subarray(0, Math.max(0, stallAt - entry.bytesDown));
              if (head.length) res.write(head);
              entry.bytesDown += head.length;
              this.stats.bytesDown += head.length;
              c = c.subarray(head.length);
              await sleep(stallMs);
              if (finished) return;
            }
            if (cutResAt >= 0 && entry.bytesDown + c.length >= cutResAt) {
              const head = c.subarray(0, Math.max(0, cutResAt - entry.bytesDown));
              if (head.length) res.write(head);
              entry.bytesDown += head.length;
              this.stats.bytesDown += head.length;
              await sleep(20);
              up.destroy();
              return kill();
            }
            if (slowRes) await sleep((c.length / slowRes) * 1000);
            if (corruptResAt >= entry.bytesDown && corruptResAt < entry.bytesDown + c.length) {
              c = Buffer.from(c);
              const i = corruptResAt - entry.bytesDown;
              c[i] = c[i]! ^ 0xff;
            }
            entry.bytesDown += c.length;
            this.stats.bytesDown += c.length;
            if (!res.write(c)) await drained(res);
          }
          if (cutResAt >= 0 && !finished) {
            // Body shorter than the cut point: cut before the end anyway, so the fault is real.
            return kill();
          }
          if (!finished) {
            finished = true;
            res.end();
            done(entry.status);
          }
        } catch {
          kill();
        }
      })();
    });
  }
}

export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  return new FaultProxy(opts).start();
}
