// The shape every transport provides to the typed client. Wire envelopes come from the contract.
import type { RpcEvent, RpcResponse } from '../../../app/rpc/contract.ts';

export type LinkState = 'connecting' | 'open' | 'closed';

export interface LinkStatus {
  state: LinkState;
  /** Reconnect attempts since the link was last open. */
  attempt: number;
  /** When the next reconnect attempt happens (ms since epoch), while closed. */
  retryAt: number | null;
  /** Why the link is down, for the banner. */
  reason: string | null;
}

export interface Transport {
  readonly kind: 'electron' | 'browser';
  request(method: string, params: unknown): Promise<RpcResponse>;
  subscribe(cb: (ev: RpcEvent) => void): () => void;
  /** Link status changes (the WebSocket transport reconnects; Electron IPC is always open). */
  onStatus(cb: (s: LinkStatus) => void): () => void;
  status(): LinkStatus;
  /** Retry now instead of waiting for the backoff timer. */
  reconnectNow(): void;
}
