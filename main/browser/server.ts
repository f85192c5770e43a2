// Browser mode: serves the built renderer and the RPC WebSocket on 127.0.0.1 only. Anything on this machine (and any
// web page the user visits) can reach a loopback port, so every request must prove it belongs to this session:
//   - the path starts with /<token>/ (32 random bytes, printed once to the terminal), or is a one-time
//     /launch/<code> that redirects there (what other processes get in their argv);
//   - the Host header is 127.0.0.1:<port> or localhost:<port> (defeats DNS rebinding);
//   - a WebSocket upgrade also carries Origin http://127.0.0.1:<port> or http://localhost:<port> (defeats
//     cross-site WebSocket hijacking; browsers always send Origin on upgrades).
// Failures get a bare 403 that says nothing about which check failed.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import type { RpcEvent, RpcResponse } from '../../app/rpc/contract.ts';
import { dispatch } from '../../app/rpc/dispatch.ts';
import type { CallContext, Handlers } from '../../app/rpc/handlers.ts';
import { SwiftError } from '../../app/swift/errors.ts';
import { contentTypeOf, resolveStaticPath } from '../static-files.ts';
import { createBrowserHub, type BrowserHub } from './hub.ts';

export interface BrowserHostOptions {
  handlers: Handlers;
  /** Shared with the browser platform (token, events, pulls, downloads). A fresh one is made when omitted. */
  hub?: BrowserHub;
  /** 0 or omitted: a random free port. */
  port?: number;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** Only '127.0.0.1' is accepted; anything else throws. */
  host?: string;
  /** Largest WebSocket message accepted from the renderer. */
  maxMessageBytes?: number;
}

export interface BrowserHost {
  /** http://127.0.0.1:<port>/<token>/ */
  url: string;
  /**
   * A URL for handing to another process (xdg-open, the browser): its argv is readable by every local user, so it
   * carries a one-time code instead of the token. The first GET redirects to `url`; it expires after a minute.
   */
  launchUrl(): string;
  port: number;
  token: string;
  hub: BrowserHub;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
/** A tab that stops reading its socket is dropped rather than allowed to grow our send buffer without bound. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "img-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    "script-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const COMMON_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') {
    throw new SwiftError({
      kind: 'invalid',
      message: `Browser mode only listens on 127.0.0.1, never on ${host}: other machines must not reach your Swift credentials.`,
    });
  }
  const requestedPort = options.port ?? 0;
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new SwiftError({ kind: 'invalid', message: `${requestedPort} is not a TCP port (0–65535).` });
  }
  const hub = options.hub ?? createBrowserHub();
  const { handlers, staticDir } = options;
  const tokenBytes = Buffer.from(hub.token);
  let port = 0;

  const hostAllowed = (value: string | undefined) => value === `127.0.0.1:${port}` || value === `localhost:${port}`;
  const originAllowed = (value: string | undefined) => value === `http://127.0.0.1:${port}` || value === `http://localhost:${port}`;
  const tokenMatches = (candidate: string) => {
    const bytes = Buffer.from(candidate);
    return bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes);
  };
  /** The part of the path after /<token>, or null when the token is missing or wrong. */
  const afterToken = (rawUrl: string | undefined): string | null => {
    if (!rawUrl?.startsWith('/')) return null;
    const path = rawUrl.split(/[?#]/, 1)[0] ?? '';
    const slash = path.indexOf('/', 1);
    const candidate = slash === -1 ? path.slice(1) : path.slice(1, slash);
    if (!tokenMatches(candidate)) return null;
    return slash === -1 ? '' : path.slice(slash);
  };

  const ctx: CallContext = { emit: (event, payload) => hub.events.emit(event, payload) };
  const launchCodes = new Set<string>();
  /** Answers GET /launch/<one-time code> with the redirect to the token URL; false when the path is not a launch. */
  const launch = (req: IncomingMessage, res: ServerResponse): boolean => {
    const m = /^\/launch\/([0-9a-f]{64})$/.exec(req.url ?? '');
    if (!m || req.method !== 'GET') return false;
    if (!launchCodes.delete(m[1]!)) forbid(res);
    else res.writeHead(302, { ...COMMON_HEADERS, Location: `/${hub.token}/` }).end();
    return true;
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!hostAllowed(req.headers.host)) return forbid(res);
    if (launch(req, res)) return;
    const rest = afterToken(req.url);
    if (rest === null) return forbid(res);
    const method = req.method ?? 'GET';
    if (rest === '') {
      if (method !== 'GET' && method !== 'HEAD') return forbid(res);
      // Relative asset URLs (vite base './') need the trailing slash.
      res.writeHead(302, { ...COMMON_HEADERS, Location: `/${hub.token}/` }).end();
      return;
    }
    const pull = /^\/pull\/([0-9a-f]{32})$/.exec(rest);
    if (pull && method === 'POST') {
      // 410: the pull timed out, was cancelled or already answered; the renderer drops such answers silently.
      if (!hub.pulls.accept(pull[1] ?? '', req, res)) gone(res);
      return;
    }
    const download = /^\/download\/([^/]+)$/.exec(rest);
    if (download && method === 'GET') {
      const id = safeDecode(download[1] ?? '');
      if (id === null || !(await hub.downloads.serve(id, req, res))) notFound(res);
      return;
    }
    if ((method === 'GET' || method === 'HEAD') && rest !== '/rpc') {
      return serveStatic(staticDir, rest.slice(1), method === 'HEAD', port, res);
    }
    forbid(res);
  };

  const server = createServer({ requestTimeout: 0 }, (req, res) => {
    // Pull bodies can take as long as the Swift upload they feed: no whole-request timeout (requestTimeout: 0).
    req.on('error', () => undefined);
    route(req, res).catch(() => res.destroy());
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? MAX_MESSAGE_BYTES, perMessageDeflate: false });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const ok = hostAllowed(req.headers.host) && originAllowed(req.headers.origin) && afterToken(req.url) === '/rpc';
    if (!ok) {
      socket.once('finish', () => socket.destroy());
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  const attach = (ws: WebSocket) => {
    const send = (message: RpcResponse | RpcEvent) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        ws.terminate();
        return;
      }
      ws.send(encode(message));
    };
    const unsubscribe = hub.events.subscribe(send);
    ws.on('close', unsubscribe);
    ws.on('error', () => undefined);
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) {
        ws.close(1003, 'text frames only');
        return;
      }
      let request: unknown;
      try {
        request = JSON.parse(rawText(data));
      } catch {
        ws.close(1007, 'messages must be JSON');
        return;
      }
      const id = (request as { id?: unknown } | null)?.id;
      if (typeof id !== 'number' || !Number.isFinite(id)) {
        ws.close(1007, 'requests need a numeric id');
        return;
      }
      const { method, params } = request as { method?: unknown; params?: unknown };
      void dispatch(handlers, typeof method === 'string' ? method : String(method), params, ctx).then((result) =>
        send({ id, ...result }),
      );
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new SwiftError({ kind: 'io', message: `Port ${requestedPort} on 127.0.0.1 is already in use; pick another one with --port.`, cause: e })
          : e,
      ),
    );
    server.listen(requestedPort, host, () => resolve());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : requestedPort;

  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/${hub.token}/`,
    launchUrl: () => {
      const code = randomBytes(32).toString('hex');
      launchCodes.add(code);
      setTimeout(() => launchCodes.delete(code), 60_000).unref();
      return `http://127.0.0.1:${port}/launch/${code}`;
    },
    port,
    token: hub.token,
    hub,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

async function serveStatic(root: string, relative: string, headOnly: boolean, port: number, res: ServerResponse): Promise<void> {
  const file = resolveStaticPath(root, relative);
  const info = file ? await stat(file).catch(() => null) : null;
  if (!file || !info?.isFile()) return notFound(res);
  const type = contentTypeOf(file);
  res.writeHead(200, {
    ...COMMON_HEADERS,
    'Content-Type': type,
    'Content-Length': String(info.size),
    ...(type.startsWith('text/html')
      ? { 'Content-Security-Policy': contentSecurityPolicy(port), 'X-Frame-Options': 'DENY', 'Cross-Origin-Opener-Policy': 'same-origin' }
      : {}),
  });
  if (headOnly) {
    res.end();
    return;
  }
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

function forbid(res: ServerResponse): void {
  res.writeHead(403, { ...COMMON_HEADERS, 'Content-Length': '0' }).end();
}

function gone(res: ServerResponse): void {
  res.writeHead(410, { ...COMMON_HEADERS, 'Content-Length': '0', Connection: 'close' }).end();
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { ...COMMON_HEADERS, 'Content-Length': '0' }).end();
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

function encode(message: RpcResponse | RpcEvent): string {
  try {
    return JSON.stringify(message);
  } catch {
    // A result that cannot be serialised is a bug in a handler; the renderer still gets an answer.
    if ('id' in message) {
      return JSON.stringify({
        id: message.id,
        ok: false,
        error: { kind: 'invalid', message: 'The host could not encode its answer to this request.' },
      } satisfies RpcResponse);
    }
    return JSON.stringify({ event: message.event, payload: null });
  }
}
