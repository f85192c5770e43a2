// What a host must provide to serve the contract, and the shape of the implementation it serves.
import type { ByteSource } from '../domain/transfer.ts';
import type { CallArgs, CallName, CallOutput, EventName, EventPayload, HostInfo } from './contract.ts';

export interface CallContext {
  /** Sends an event to the renderer that made the call (and any other attached renderer). */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

export type Handlers = {
  [K in CallName]: (args: CallArgs<K>, ctx: CallContext) => Promise<CallOutput<K>>;
};

/** Stores secrets (passwords, app-credential secrets, tokens) by key. Electron: safeStorage; browser mode: a 0600 file. */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** What differs between hosts; the shared implementation of `Handlers` takes one of these. */
export interface HostPlatform {
  info: HostInfo;
  /** Directory for profiles.json, journals and partial downloads. */
  dataDir: string;
  secrets: SecretStore;
  /**
   * May calls name files on the host by path (upload sources, download targets)? Electron: yes, and its host allows
   * only paths the user dropped or picked. Browser mode: never — a page holding the token must not read or write
   * arbitrary local files.
   */
  hostPaths: boolean;
  /** Sends an event to every attached renderer (transfer progress, transcript entries) — not tied to one call. */
  broadcast<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** Browser mode only: a ByteSource that pulls ranges of a dropped file from the renderer. */
  browserFile?(fileId: string, name: string, size: number, lastModified: number): ByteSource;
  /**
   * Browser mode only: serves a download at the returned URL path (it carries the session token). When the browser
   * fetches it, `write` streams the bytes into `sink` (honouring backpressure); if `write` throws, the response is
   * aborted so the browser marks the download failed instead of saving a truncated file. `size` < 0 means unknown.
   * Registering the same transferId again replaces the writer (e.g. after a resume).
   */
  serveDownload?(
    transferId: string,
    meta: { name: string; size: number },
    write: (sink: NodeJS.WritableStream, signal: AbortSignal) => Promise<void>,
  ): string;
}
