// Wires host events and cross-store reactions once at startup.
import { onEvent, onLinkStatus } from '../rpc/client.ts';
import { installFilePull } from '../rpc/files.ts';
import { useBrowser } from './browser.ts';
import { useConnection } from './connection.ts';
import { useManifest } from './manifest.ts';
import type { TransferInfo } from '../../../app/rpc/contract.ts';
import { onTransferDone, useTransfers } from './transfers.ts';
import { useTranscript } from './transcript.ts';
import { toast } from './ui.ts';

function connectionKey(c: { profileId: string; storageUrl: string } | null): string {
  return c ? `${c.profileId} ${c.storageUrl}` : '';
}

let installed = false;

export function installSync(): void {
  if (installed) return;
  installed = true;

  onEvent('transfer.update', (t) => useTransfers.getState().upsert(t));
  onEvent('transcript.entry', (e) => useTranscript.getState().add(e));
  onEvent('connection.changed', (c) => useConnection.getState().setCurrent(c));
  installFilePull((message) => toast({ kind: 'error', title: 'Upload source problem', message }));

  // A new Swift connection means a new account: start the browser over.
  let lastKey = connectionKey(useConnection.getState().current);
  useConnection.subscribe((s) => {
    const key = connectionKey(s.current);
    if (key === lastKey) return;
    lastKey = key;
    useManifest.getState().close();
    useBrowser.getState().reset();
    if (s.current) void useBrowser.getState().loadContainers();
  });

  // After a reconnect to the host, pick up whatever changed while we were away. (Calls made before the
  // first successful open just wait for it, so only a real drop triggers a resync.)
  let hadOpen = false;
  let down = false;
  onLinkStatus((link) => {
    useConnection.getState().setLink(link);
    if (link.state === 'open') {
      if (hadOpen && down) {
        void useConnection.getState().init().then(() => {
          if (useConnection.getState().current) void useBrowser.getState().loadContainers();
        });
        void useTransfers.getState().load();
        void useTranscript.getState().load();
      }
      hadOpen = true;
      down = false;
    } else if (link.state === 'closed') {
      down = true;
    }
  });

  // A batch (folder) refreshes and tells once, when its members stop finishing for a moment — not once per file.
  const groupTimers = new Map<string, ReturnType<typeof setTimeout>>();
  onTransferDone((t) => {
    const group = t.group;
    if (!group) return afterDone(t);
    clearTimeout(groupTimers.get(group));
    groupTimers.set(
      group,
      setTimeout(() => {
        groupTimers.delete(group);
        const members = Object.values(useTransfers.getState().byId).filter((m) => m.group === group);
        afterDone(t, members.every((m) => m.state === 'done') ? `${t.direction === 'upload' ? 'Uploaded' : 'Downloaded'} ${t.groupLabel ?? group}` : null);
      }, 300),
    );
  });

  // Refresh listings when an upload into what we are looking at finishes.
  function afterDone(t: TransferInfo, groupTitle?: string | null): void {
    const b = useBrowser.getState();
    if (t.direction === 'upload') {
      if (t.container === b.container && t.object.startsWith(b.prefix)) {
        // Select the new row (or the folder it went into) so the next action applies to what was just uploaded.
        const rest = t.object.slice(b.prefix.length);
        const slash = rest.indexOf('/');
        void b.refresh(slash < 0 ? t.object : b.prefix + rest.slice(0, slash + 1));
      }
      void b.loadContainers();
      // Swift updates the account's per-container counts asynchronously (the container updater), so look again.
      setTimeout(() => void useBrowser.getState().loadContainers(), 4000);
    }
    if (groupTitle === undefined) toast({ kind: 'success', title: `${t.direction === 'upload' ? 'Uploaded' : 'Downloaded'} ${t.object}`, message: t.result?.message });
    else if (groupTitle) toast({ kind: 'success', title: groupTitle, message: 'Every file was checked against its MD5.' });
  }
}

export function start(): void {
  installSync();
  void useConnection.getState().init();
  void useTransfers.getState().load();
  void useTranscript.getState().load();
}
