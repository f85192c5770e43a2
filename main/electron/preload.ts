// Sandboxed preload (bundled to CJS; only the `electron` module exists here). Exposes window.sloStudio and resolves
// the real paths of dropped files with webUtils.getPathForFile, which exists only here (File.path is gone since
// Electron 32). Electron documents exposing it through contextBridge for the page to call with a File; we resolve on
// the drop event instead so that only files the user really dropped (isTrusted) become trusted paths in main.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { RpcEvent, RpcRequest, RpcResponse } from '../../app/rpc/contract.ts';

// Must equal main/electron/channels.ts (the lint lets the preload import nothing but 'electron'; a unit test compares).
const RPC_CHANNEL = 'rpc';
const EVENT_CHANNEL = 'rpc-event';
const TRUST_PATHS_CHANNEL = 'trust-paths';

/** Same shape as the renderer's SloStudioBridge (renderer/src/rpc/electron.ts). */
interface SloStudioBridge {
  call(method: string, params: unknown): Promise<RpcResponse>;
  onEvent(cb: (ev: RpcEvent) => void): () => void;
  droppedPaths(): string[];
}

type DroppedFile = Parameters<typeof webUtils.getPathForFile>[0];
interface DropEventLike {
  readonly isTrusted: boolean;
  readonly dataTransfer: { readonly files: ArrayLike<DroppedFile> } | null;
}
// No DOM lib in this tsconfig: the one window API the preload needs, typed by hand.
const page = globalThis as unknown as {
  addEventListener(type: 'drop', listener: (event: DropEventLike) => void, capture: boolean): void;
};

let dropped: string[] = [];

page.addEventListener(
  'drop',
  (event) => {
    // A script cannot forge a trusted drop, and a File it builds itself has no path.
    if (!event.isTrusted || !event.dataTransfer) return;
    const paths = Array.from(event.dataTransfer.files, (file) => {
      try {
        return webUtils.getPathForFile(file);
      } catch {
        return '';
      }
    }).filter((p) => p !== '');
    dropped = paths;
    if (paths.length > 0) ipcRenderer.send(TRUST_PATHS_CHANNEL, paths);
  },
  true,
);

let nextId = 1;

const bridge: SloStudioBridge = {
  call: (method, params) => {
    const request: RpcRequest = { id: nextId++, method: String(method), params };
    return ipcRenderer.invoke(RPC_CHANNEL, request) as Promise<RpcResponse>;
  },
  onEvent: (cb) => {
    const listener = (_event: IpcRendererEvent, message: RpcEvent) => cb(message);
    ipcRenderer.on(EVENT_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, listener);
    };
  },
  droppedPaths: () => [...dropped],
};

contextBridge.exposeInMainWorld('sloStudio', bridge);
