// The one typed client the UI uses. It picks a transport once: Electron IPC when the preload exposed
// `window.sloStudio`, otherwise the browser-mode WebSocket next to the page.
import type {
  CallInput,
  CallName,
  CallOutput,
  ErrorValue,
  EventName,
  EventPayload,
  RpcEvent,
} from '../../../app/rpc/contract.ts';
import { createElectronTransport, electronBridge } from './electron.ts';
import type { LinkStatus, Transport } from './types.ts';
import { createWebSocketTransport } from './websocket.ts';

export type { LinkStatus } from './types.ts';

/** A failed call. `error` is the contract's ErrorValue (kind, message, status, transId, detail). */
export class RpcError extends Error {
  readonly error: ErrorValue;
  readonly kind: ErrorValue['kind'];
  readonly transId: string | undefined;
  readonly method: string;
  constructor(method: string, error: ErrorValue) {
    super(error.message);
    this.name = 'RpcError';
    this.error = error;
    this.kind = error.kind;
    this.transId = error.transId;
    this.method = method;
  }
}

/** Normalizes anything thrown into an ErrorValue for display. */
export function toErrorValue(e: unknown): ErrorValue {
  if (e instanceof RpcError) return e.error;
  if (e instanceof Error) return { kind: 'io', message: e.message };
  // Already an ErrorValue (e.g. a failed transfer's TransferInfo.error): keep it, not "[object Object]".
  if (isErrorValue(e)) return e;
  return { kind: 'io', message: String(e) };
}

function isErrorValue(e: unknown): e is ErrorValue {
  return typeof e === 'object' && e !== null && typeof (e as ErrorValue).kind === 'string' && typeof (e as ErrorValue).message === 'string';
}

let transport: Transport | null = null;

function getTransport(): Transport {
  if (!transport) {
    const bridge = electronBridge();
    transport = bridge ? createElectronTransport(bridge) : createWebSocketTransport();
    transport.subscribe(dispatch);
  }
  return transport;
}

export function transportKind(): 'electron' | 'browser' {
  return getTransport().kind;
}

export async function call<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>> {
  let res;
  try {
    res = await getTransport().request(name, input);
  } catch (e) {
    throw new RpcError(name, { kind: 'network', message: `${name} failed: ${e instanceof Error ? e.message : String(e)}` });
  }
  if (!res || typeof res !== 'object') {
    throw new RpcError(name, { kind: 'server', message: `${name}: the host sent a malformed response` });
  }
  if (res.ok) return res.result as CallOutput<K>;
  const err = res.error && typeof res.error === 'object' ? res.error : { kind: 'server' as const, message: `${name} failed` };
  throw new RpcError(name, err);
}

type AnyCb = (payload: unknown) => void;
const subs = new Map<string, Set<AnyCb>>();

function dispatch(ev: RpcEvent) {
  const set = subs.get(ev.event);
  if (!set) return;
  for (const cb of set) {
    try {
      cb(ev.payload);
    } catch (e) {
      console.error(`SLO Studio: handler for ${ev.event} failed`, e);
    }
  }
}

export function onEvent<E extends EventName>(name: E, cb: (payload: EventPayload<E>) => void): () => void {
  getTransport();
  let set = subs.get(name);
  if (!set) {
    set = new Set();
    subs.set(name, set);
  }
  const anyCb = cb as AnyCb;
  set.add(anyCb);
  return () => {
    set.delete(anyCb);
  };
}

export function linkStatus(): LinkStatus {
  return getTransport().status();
}

export function onLinkStatus(cb: (s: LinkStatus) => void): () => void {
  return getTransport().onStatus(cb);
}

export function reconnectNow(): void {
  getTransport().reconnectNow();
}
