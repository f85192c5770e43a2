// The single IPC entry point of Electron main. Every message is checked against the one window we created before it
// reaches dispatch (which decodes its params): it must come from that window's top frame, showing our app:// page.
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent } from 'electron';
import type { RpcEvent, RpcRequest, RpcResponse } from '../../app/rpc/contract.ts';
import { dispatch } from '../../app/rpc/dispatch.ts';
import type { CallContext, Handlers } from '../../app/rpc/handlers.ts';
import { isAppUrl } from './app-url.ts';
import { EVENT_CHANNEL, RPC_CHANNEL, TRUST_PATHS_CHANNEL } from './channels.ts';

/** The parts of Electron's WebFrameMain / WebContents / BrowserWindow the check needs (fakes satisfy it in tests). */
export interface FrameLike {
  readonly url: string;
  readonly parent: unknown;
  readonly frameToken: string;
  readonly detached?: boolean;
}
export interface WebContentsLike {
  readonly mainFrame: FrameLike;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}
export interface WindowLike {
  readonly webContents: WebContentsLike;
  isDestroyed(): boolean;
}
export interface SenderLike {
  readonly senderFrame: FrameLike | null;
  readonly sender: unknown;
}

export function isTrustedSender(event: SenderLike, window: WindowLike | null): boolean {
  if (!window || window.isDestroyed() || window.webContents.isDestroyed()) return false;
  const frame = event.senderFrame;
  if (!frame || frame.detached) return false;
  if (event.sender !== window.webContents) return false;
  const top = window.webContents.mainFrame;
  return frame.parent === null && frame.frameToken === top.frameToken && isAppUrl(frame.url);
}

export interface RpcBridge {
  /** Sends an event to the window (the CallContext of every call uses this). */
  emit: CallContext['emit'];
  dispose(): void;
}

export function registerRpc(options: {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler' | 'on' | 'removeListener'>;
  getWindow: () => WindowLike | null;
  handlers: Handlers;
  /** Paths the preload saw dropped on the window. */
  onTrustPaths: (paths: unknown) => void;
}): RpcBridge {
  const { ipcMain, getWindow, handlers } = options;
  const emit: CallContext['emit'] = (event, payload) => {
    const window = getWindow();
    if (!window || window.isDestroyed() || window.webContents.isDestroyed()) return;
    window.webContents.send(EVENT_CHANNEL, { event, payload } satisfies RpcEvent);
  };
  const ctx: CallContext = { emit };

  ipcMain.handle(RPC_CHANNEL, async (event: IpcMainInvokeEvent, request: unknown): Promise<RpcResponse> => {
    // An untrusted sender gets a rejected invoke, and nothing runs.
    if (!isTrustedSender(event, getWindow())) throw new Error('Refused: this IPC sender is not the SLO Studio window.');
    const { id, method, params } = (request ?? {}) as Partial<RpcRequest>;
    const safeId = typeof id === 'number' && Number.isFinite(id) ? id : 0;
    const result = await dispatch(handlers, typeof method === 'string' ? method : String(method), params, ctx);
    return { id: safeId, ...result };
  });

  const onTrust = (event: IpcMainEvent, paths: unknown) => {
    if (isTrustedSender(event, getWindow())) options.onTrustPaths(paths);
  };
  ipcMain.on(TRUST_PATHS_CHANNEL, onTrust);

  return {
    emit,
    dispose: () => {
      ipcMain.removeHandler(RPC_CHANNEL);
      ipcMain.removeListener(TRUST_PATHS_CHANNEL, onTrust);
    },
  };
}
