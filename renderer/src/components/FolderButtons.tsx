// Toolbar actions for folders: "Upload folder…" (a native folder dialog in Electron, <input webkitdirectory> in the
// browser) and "Download … into a folder" for the selected pseudo-folders and objects (or the folder on screen):
// a directory chosen in Electron, one verified tar in the browser.
import { useRef } from 'react';
import type { ObjectEntry } from '../../../app/rpc/contract.ts';
import { call } from '../rpc/client.ts';
import { triggerBrowserDownload } from '../rpc/files.ts';
import { batchFromInput, batchFromPaths } from '../rpc/folder-files.ts';
import { plural } from '../lib/format.ts';
import { useBrowser } from '../stores/browser.ts';
import { useFolders } from '../stores/folders.ts';
import { useTransfers } from '../stores/transfers.ts';
import { reportError, toast, useUi } from '../stores/ui.ts';
import { nativeDialogs } from './actions.ts';
import { FolderUploadSheet } from './FolderUploadSheet.tsx';
import { Icon } from './Icon.tsx';

export async function downloadInto(container: string, base: string, prefixes: string[], objects: string[]): Promise<void> {
  try {
    let target: { kind: 'path'; path: string } | { kind: 'browser' } = { kind: 'browser' };
    if (nativeDialogs()) {
      const { path } = await call('dialog.pickFolder', { purpose: 'download' });
      if (!path) return;
      target = { kind: 'path', path };
    }
    const r = await call('batch.download', { container, base, prefixes, objects, target });
    const store = useTransfers.getState();
    for (const t of r.transfers) store.upsert(t);
    const archive = r.transfers.length === 1 && r.transfers[0]!.downloadUrl;
    if (target.kind === 'browser' && archive) triggerBrowserDownload(archive, r.transfers[0]!.local);
    useUi.getState().showDock('transfers');
    if (r.changed.length) {
      const refused = r.changed.filter((c) => c.local === null).length;
      toast({
        kind: 'warning',
        title: `${plural(r.changed.length, 'name')} could not be used as ${r.changed.length === 1 ? 'it is' : 'they are'}`,
        message: `${refused ? `${refused} refused, ` : ''}${r.changed.length - refused} renamed so nothing is written outside the folder: ${r.changed
          .slice(0, 4)
          .map((c) => `${c.object} → ${c.local ?? 'not downloaded'}`)
          .join('; ')}${r.changed.length > 4 ? '; …' : ''}`,
      });
    }
  } catch (e) {
    reportError('Could not download the folder', e);
  }
}

export function FolderButtons() {
  const container = useBrowser((s) => s.container)!;
  const prefix = useBrowser((s) => s.prefix);
  const selection = useBrowser((s) => s.selection);
  const entries = useBrowser((s) => s.entries);
  const sheet = useFolders((s) => s.sheet);
  const input = useRef<HTMLInputElement>(null);

  const chosen = entries.filter((e: ObjectEntry) => selection.has(e.name));
  const folders = chosen.filter((e) => e.type === 'folder').map((e) => e.name);
  const objects = chosen.filter((e) => e.type === 'object').map((e) => e.name);
  const label = chosen.length > 0 ? `Download ${plural(chosen.length, 'selected item')} into a folder` : `Download ${prefix ? `folder ${prefix}` : `all of ${container}`} into a folder`;
  const parent = prefix.replace(/[^/]*\/$/, '');

  const pick = async () => {
    if (!nativeDialogs()) return input.current?.click();
    try {
      const { path } = await call('dialog.pickFolder', { purpose: 'upload' });
      if (path) useFolders.getState().open(prefix, batchFromPaths([path]));
    } catch (e) {
      reportError('Could not open the folder dialog', e);
    }
  };

  return (
    <>
      {/* Compact (icons, the words in the tooltip and the accessible name): the toolbar is full. */}
      <button
        type="button"
        className="button folder-button"
        aria-label={label}
        title={`${label}: recreates the tree — in a folder you choose (desktop app), as one verified .tar (browser)`}
        onClick={() => void (chosen.length > 0 ? downloadInto(container, prefix, folders, objects) : downloadInto(container, parent, [prefix], []))}
      >
        <Icon name="folder" />
        <Icon name="download" size={12} />
      </button>
      <button type="button" className="button folder-button" aria-label="Upload folder…" title="Upload a folder: its tree becomes objects here" onClick={() => void pick()}>
        <Icon name="folder" />
        <Icon name="upload" size={12} />
      </button>
      <input
        ref={input}
        type="file"
        hidden
        multiple
        aria-label="Choose a folder to upload"
        {...{ webkitdirectory: '' }}
        onChange={(e) => {
          if (e.target.files && e.target.files.length > 0) useFolders.getState().open(prefix, Promise.resolve(batchFromInput(e.target.files)));
          e.target.value = '';
        }}
      />
      {sheet && <FolderUploadSheet container={container} prefix={sheet.prefix} batch={sheet.batch} onClose={() => useFolders.getState().close()} />}
    </>
  );
}
