// Local files as upload sources. Browser mode keeps each dropped File in memory under an id and answers
// the host's 'file.pull' events by POSTing the requested byte range; Electron hands the host real paths.
import { encodeComponent, type UploadSource } from '../../../app/rpc/contract.ts';
import { onEvent } from './client.ts';
import { electronBridge } from './electron.ts';
import { pageBase } from './websocket.ts';

export interface LocalFile {
  /** Stable key for React lists. */
  key: string;
  name: string;
  /** Null when only a path is known (Electron's native open dialog gives no sizes). */
  size: number | null;
  source: UploadSource;
}

const files = new Map<string, File>();
let seq = 0;

function newId(): string {
  try {
    return crypto.randomUUID();
  } catch {
    return `f${Date.now().toString(36)}${(++seq).toString(36)}${Math.random().toString(36).slice(2)}`;
  }
}

function basename(p: string): string {
  const parts = p.split(/[\\/]/);
  return parts[parts.length - 1] || p;
}

/** Files from a drop or a file input. In Electron, paths come from the preload; in the browser, the Files themselves. */
export function localFilesFromList(list: FileList | File[], fromDrop: boolean): LocalFile[] {
  const arr = Array.from(list);
  const bridge = electronBridge();
  if (bridge && fromDrop) {
    const paths = bridge.droppedPaths();
    const out: LocalFile[] = [];
    arr.forEach((f, i) => {
      const path = paths[i] && basename(paths[i]) === f.name ? paths[i] : paths.find((p) => basename(p) === f.name) ?? paths[i] ?? '';
      if (path) out.push({ key: newId(), name: f.name, size: f.size, source: { kind: 'path', path } });
    });
    return out;
  }
  return arr.map(holdBrowserFile);
}

/** Keeps a File for the host's pulls and describes it as an upload source. */
export function holdBrowserFile(f: File): LocalFile {
  const fileId = newId();
  files.set(fileId, f);
  return {
    key: fileId,
    name: f.name,
    size: f.size,
    source: { kind: 'browser-file', fileId, name: f.name, size: f.size, lastModified: f.lastModified },
  };
}

export function localFilesFromPaths(paths: string[]): LocalFile[] {
  return paths.map((p) => ({ key: newId(), name: basename(p), size: null, source: { kind: 'path', path: p } }));
}

export function hasBrowserFile(fileId: string): boolean {
  return files.has(fileId);
}

let installed = false;

/** Answers the host's byte-range pulls for browser-held files. `report` surfaces failures to the user. */
export function installFilePull(report: (message: string) => void): void {
  if (installed || electronBridge()) return;
  installed = true;
  onEvent('file.pull', ({ pullId, fileId, start, end }) => {
    const file = files.get(fileId);
    const url = new URL('pull/' + encodeComponent(pullId), pageBase());
    if (!file) {
      report('The host asked for bytes of a file this window no longer holds. Drop the file again to resume its upload.');
      // Tell the host so it fails the segment instead of waiting.
      void fetch(url, { method: 'POST', headers: { 'X-Slo-Studio-Error': 'file-gone' }, body: new Blob([]) }).catch(() => {});
      return;
    }
    fetch(url, { method: 'POST', body: file.slice(start, end), headers: { 'Content-Type': 'application/octet-stream' } })
      .then((res) => {
        if (!res.ok && res.status !== 410) report(`Sending bytes of ${file.name} to the host failed (HTTP ${res.status}).`);
      })
      .catch((e: unknown) => report(`Sending bytes of ${file.name} to the host failed: ${e instanceof Error ? e.message : String(e)}`));
  });
}

/** Starts a browser download of a host URL (a path relative to the origin) via a hidden link. */
export function triggerBrowserDownload(downloadUrl: string, name: string): void {
  const a = document.createElement('a');
  a.href = new URL(downloadUrl, location.origin).href;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  setTimeout(() => a.remove(), 1000);
}
