// Electron transport: the preload exposes `window.sloStudio` (contextBridge); calls go over IPC.
import type { RpcEvent, RpcResponse } from '../../../app/rpc/contract.ts';
import type { LinkStatus, Transport } from './types.ts';

export interface SloStudioBridge {
  call(method: string, params: unknown): Promise<RpcResponse>;
  onEvent(cb: (ev: RpcEvent) => void): () => void;
  /** Host paths of the files in the most recent drop event, resolved by the preload. */
  droppedPaths(): string[];
}

declare global {
  interface Window {
    sloStudio?: SloStudioBridge;
  }
}

export function electronBridge(): SloStudioBridge | null {
  return typeof window !== 'undefined' && window.sloStudio ? window.sloStudio : null;
}

export function createElectronTransport(bridge: SloStudioBridge): Transport {
  const open: LinkStatus = { state: 'open', attempt: 0, retryAt: null, reason: null };
  return {
    kind: 'electron',
    request: (method, params) => bridge.call(method, params),
    subscribe: (cb) => bridge.onEvent(cb),
    onStatus: () => () => {},
    status: () => open,
    reconnectNow: () => {},
  };
}
