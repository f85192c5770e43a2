// Transfers by id, kept current by 'transfer.update' events. Browser-mode downloads are handed to the
// browser (hidden <a download>) as soon as the host offers a downloadUrl.
import { create } from 'zustand';
import type { CallInput, TransferInfo } from '../../../app/rpc/contract.ts';
import { call } from '../rpc/client.ts';
import { triggerBrowserDownload } from '../rpc/files.ts';
import { basename } from '../lib/format.ts';
import { reportError, toast, useUi } from './ui.ts';

export const ACTIVE_STATES: ReadonlySet<TransferInfo['state']> = new Set(['queued', 'running', 'paused', 'finishing']);
export const FINISHED_STATES: ReadonlySet<TransferInfo['state']> = new Set(['done', 'failed', 'cancelled']);

interface TransfersStore {
  byId: Record<string, TransferInfo>;
  /** Newest first. */
  order: string[];
  /** Browser-mode downloads waiting for their downloadUrl. */
  pendingBrowserDownloads: ReadonlySet<string>;
  load(): Promise<void>;
  upsert(t: TransferInfo): void;
  upload(input: CallInput<'transfers.upload'>): Promise<TransferInfo | null>;
  download(input: CallInput<'transfers.download'>, browser: boolean): Promise<TransferInfo | null>;
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  cancel(id: string): Promise<void>;
  dismiss(id: string): Promise<void>;
  dismissFinished(): Promise<void>;
}

/** Listeners for transfers reaching 'done' (e.g. the browser refreshes its listing). */
const doneListeners = new Set<(t: TransferInfo) => void>();
export function onTransferDone(cb: (t: TransferInfo) => void): () => void {
  doneListeners.add(cb);
  return () => doneListeners.delete(cb);
}

export const useTransfers = create<TransfersStore>()((set, get) => ({
  byId: {},
  order: [],
  pendingBrowserDownloads: new Set(),

  async load() {
    try {
      const { transfers } = await call('transfers.list', {});
      const byId: Record<string, TransferInfo> = {};
      for (const t of transfers) byId[t.id] = t;
      const order = [...transfers].sort((a, b) => b.startedAt - a.startedAt).map((t) => t.id);
      set({ byId, order });
      const interrupted = transfers.filter((t) => t.state === 'interrupted').length;
      if (interrupted > 0) {
        useUi.getState().showDock('transfers');
        toast({
          kind: 'info',
          title: `${interrupted} unfinished transfer${interrupted === 1 ? '' : 's'} can be resumed`,
          message: 'See the Transfers panel.',
        });
      }
    } catch (e) {
      reportError('Could not load transfers', e);
    }
  },

  upsert(t) {
    const prev = get().byId[t.id];
    if (prev && prev.updatedAt > t.updatedAt) return;
    set((s) => ({
      byId: { ...s.byId, [t.id]: t },
      order: s.byId[t.id] ? s.order : [t.id, ...s.order],
    }));
    if (t.downloadUrl && get().pendingBrowserDownloads.has(t.id)) {
      const next = new Set(get().pendingBrowserDownloads);
      next.delete(t.id);
      set({ pendingBrowserDownloads: next });
      triggerBrowserDownload(t.downloadUrl, basename(t.object));
    }
    if (t.state === 'done' && prev && prev.state !== 'done') {
      for (const cb of doneListeners) cb(t);
    }
    if (t.state === 'failed' && prev && prev.state !== 'failed') {
      reportError(`${t.direction === 'upload' ? 'Upload' : 'Download'} of ${t.object} failed`, t.error ?? new Error('unknown error'));
    }
  },

  async upload(input) {
    try {
      const t = await call('transfers.upload', input);
      get().upsert(t);
      useUi.getState().showDock('transfers');
      return t;
    } catch (e) {
      reportError(`Could not start uploading ${input.object}`, e);
      return null;
    }
  },

  async download(input, browser) {
    try {
      const t = await call('transfers.download', input);
      if (browser) {
        if (t.downloadUrl) triggerBrowserDownload(t.downloadUrl, basename(t.object));
        else set((s) => ({ pendingBrowserDownloads: new Set(s.pendingBrowserDownloads).add(t.id) }));
      }
      get().upsert(t);
      useUi.getState().showDock('transfers');
      return t;
    } catch (e) {
      reportError(`Could not start downloading ${input.object}`, e);
      return null;
    }
  },

  async pause(id) {
    try {
      get().upsert(await call('transfers.pause', { id }));
    } catch (e) {
      reportError('Could not pause the transfer', e);
    }
  },
  async resume(id) {
    try {
      get().upsert(await call('transfers.resume', { id }));
    } catch (e) {
      reportError('Could not resume the transfer', e);
    }
  },
  async cancel(id) {
    try {
      get().upsert(await call('transfers.cancel', { id }));
    } catch (e) {
      reportError('Could not cancel the transfer', e);
    }
  },
  async dismiss(id) {
    try {
      await call('transfers.dismiss', { id });
      set((s) => {
        const byId = { ...s.byId };
        delete byId[id];
        return { byId, order: s.order.filter((x) => x !== id) };
      });
    } catch (e) {
      reportError('Could not dismiss the transfer', e);
    }
  },
  async dismissFinished() {
    const ids = get().order.filter((id) => {
      const t = get().byId[id];
      return t && FINISHED_STATES.has(t.state);
    });
    for (const id of ids) await get().dismiss(id);
  },
}));
