// User-level actions shared by several screens (upload pickers, downloads).
import type { ObjectKind } from '../../../app/rpc/contract.ts';
import { call } from '../rpc/client.ts';
import { electronBridge } from '../rpc/electron.ts';
import { localFilesFromPaths, type LocalFile } from '../rpc/files.ts';
import { basename } from '../lib/format.ts';
import { useConnection } from '../stores/connection.ts';
import { useTransfers } from '../stores/transfers.ts';
import { reportError } from '../stores/ui.ts';

/**
 * Until host info arrives, the Electron bridge decides: Electron always has native dialogs and never serves the
 * browser-file pulls a file input would need, so guessing "browser" there left such an upload waiting forever.
 */
export function nativeDialogs(): boolean {
  return useConnection.getState().host?.nativeDialogs ?? electronBridge() !== null;
}

/** Electron: the native open dialog. Returns null when the host has no native dialogs (use a file input). */
export async function pickFilesNative(): Promise<LocalFile[] | null> {
  if (!nativeDialogs()) return null;
  try {
    const { paths } = await call('dialog.openFiles', { multiple: true });
    return localFilesFromPaths(paths);
  } catch (e) {
    reportError('Could not open the file dialog', e);
    return [];
  }
}

/** Downloads one object: a save dialog in Electron, the browser's own download in browser mode. */
export async function downloadObject(container: string, object: string): Promise<void> {
  const transfers = useTransfers.getState();
  if (nativeDialogs()) {
    try {
      const { path } = await call('dialog.saveFile', { defaultName: basename(object) });
      if (!path) return;
      await transfers.download({ container, object, target: { kind: 'path', path } }, false);
    } catch (e) {
      reportError('Could not open the save dialog', e);
    }
  } else {
    await transfers.download({ container, object, target: { kind: 'browser' } }, true);
  }
}

export interface DeleteTarget {
  container: string;
  name: string;
  kind: ObjectKind;
  /** Known segment count (e.g. from an inspect result already on screen). */
  segments?: number;
  /** A pseudo-folder: everything under the prefix `name` goes. */
  folder?: boolean;
}
