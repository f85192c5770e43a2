// Browser-mode transport: one WebSocket to `<page base>/rpc` (the page is served at /<token>/), JSON
// RpcRequest → RpcResponse, events as {event, payload}. Reconnects with capped exponential backoff.
// Calls made while disconnected wait for the link; calls in flight when it drops fail with a
// 'network' error (the host may or may not have run them, so they are never silently resent).
import type { RpcEvent, RpcRequest, RpcResponse } from '../../../app/rpc/contract.ts';
import type { LinkStatus, Transport } from './types.ts';

/** The directory URL the app is served from, always ending in '/', e.g. http://127.0.0.1:4321/<token>/ */
export function pageBase(): URL {
  const u = new URL(location.href);
  u.hash = '';
  u.search = '';
  if (!u.pathname.endsWith('/')) {
    const last = u.pathname.slice(u.pathname.lastIndexOf('/') + 1);
    // "/<token>" (no slash) is a directory; "/<token>/index.html" is a file in it.
    u.pathname = last.includes('.') ? u.pathname.slice(0, u.pathname.lastIndexOf('/') + 1) : u.pathname + '/';
  }
  return u;
}

export function rpcSocketUrl(): string {
  const u = new URL('rpc', pageBase());
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return u.href;
}

interface Pending {
  resolve: (r: RpcResponse) => void;
  method: string;
  /** The serialized request, kept until it is actually sent. */
  wire: string | null;
}

const MIN_DELAY = 400;
const MAX_DELAY = 15_000;

export function createWebSocketTransport(url = rpcSocketUrl()): Transport {
  let ws: WebSocket | null = null;
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const pending = new Map<number, Pending>();
  const eventSubs = new Set<(ev: RpcEvent) => void>();
  const statusSubs = new Set<(s: LinkStatus) => void>();
  let status: LinkStatus = { state: 'connecting', attempt: 0, retryAt: null, reason: null };

  function setStatus(s: LinkStatus) {
    status = s;
    for (const cb of statusSubs) cb(s);
  }

  function flush() {
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    for (const p of pending.values()) {
      if (p.wire !== null) {
        ws.send(p.wire);
        p.wire = null;
      }
    }
  }

  function failInFlight(reason: string) {
    for (const [id, p] of pending) {
      if (p.wire === null) {
        pending.delete(id);
        p.resolve({
          id,
          ok: false,
          error: { kind: 'network', message: `Lost the connection to the SLO Studio host during ${p.method}: ${reason}` },
        });
      }
    }
  }

  function connect() {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    setStatus({ ...status, state: 'connecting', retryAt: null });
    let sock: WebSocket;
    try {
      sock = new WebSocket(url);
    } catch (e) {
      scheduleReconnect(e instanceof Error ? e.message : String(e));
      return;
    }
    ws = sock;
    let opened = false;
    sock.onopen = () => {
      opened = true;
      setStatus({ state: 'open', attempt: 0, retryAt: null, reason: null });
      flush();
    };
    sock.onmessage = (m) => {
      let msg: unknown;
      try {
        msg = JSON.parse(typeof m.data === 'string' ? m.data : '');
      } catch {
        console.error('SLO Studio: unparseable message from host', m.data);
        return;
      }
      if (msg && typeof msg === 'object' && 'id' in msg && typeof (msg as { id: unknown }).id === 'number') {
        const r = msg as RpcResponse;
        const p = pending.get(r.id);
        if (p) {
          pending.delete(r.id);
          p.resolve(r);
        }
      } else if (msg && typeof msg === 'object' && 'event' in msg) {
        for (const cb of eventSubs) {
          try {
            cb(msg as RpcEvent);
          } catch (e) {
            console.error('SLO Studio: event handler failed', e);
          }
        }
      }
    };
    sock.onclose = (ev) => {
      if (ws !== sock) return;
      ws = null;
      const reason = ev.reason || (opened ? 'the host closed the connection' : 'the host is not reachable');
      failInFlight(reason);
      scheduleReconnect(reason);
    };
    sock.onerror = () => {
      // onclose follows and does the work.
    };
  }

  function scheduleReconnect(reason: string) {
    const attempt = status.attempt + 1;
    const delay = Math.min(MAX_DELAY, MIN_DELAY * 2 ** Math.min(attempt - 1, 8)) * (0.8 + Math.random() * 0.4);
    setStatus({ state: 'closed', attempt, retryAt: Date.now() + delay, reason });
    timer = setTimeout(connect, delay);
  }

  connect();

  return {
    kind: 'browser',
    request(method, params) {
      const id = ++seq;
      const req: RpcRequest = { id, method, params };
      return new Promise<RpcResponse>((resolve) => {
        pending.set(id, { resolve, method, wire: JSON.stringify(req) });
        flush();
      });
    },
    subscribe(cb) {
      eventSubs.add(cb);
      return () => eventSubs.delete(cb);
    },
    onStatus(cb) {
      statusSubs.add(cb);
      return () => statusSubs.delete(cb);
    },
    status: () => status,
    reconnectNow() {
      if (status.state === 'closed') connect();
    },
  };
}
