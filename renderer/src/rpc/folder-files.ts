// Folders as upload batches: the files of a dropped or picked folder with their paths relative to the drop. Browser
// mode reads them from the page (DataTransfer entries, <input webkitdirectory>); Electron hands the host the dropped
// or picked paths and the host walks them (files.expand).
import type { UploadSource } from '../../../app/rpc/contract.ts';
import { call } from './client.ts';
import { electronBridge } from './electron.ts';
import { holdBrowserFile } from './files.ts';

export interface BatchEntry {
  key: string;
  /** '/'-separated, starting with the dropped folder's own name ("photos/2024/a.jpg"). */
  relPath: string;
  size: number;
  source: UploadSource;
}

export interface FolderBatch {
  entries: BatchEntry[];
  /** What the transfer group is called: "photos/" for one folder, "3 items" for a mix. */
  label: string;
  /** Paths that are not regular files (links, devices) and were left out. */
  skipped: string[];
}

function entryOf(item: DataTransferItem): FileSystemEntry | null {
  return item.kind === 'file' ? item.webkitGetAsEntry() : null;
}

/** Did the drop bring at least one folder? (Must be asked during the drop event.) */
export function dropHasFolder(dt: DataTransfer): boolean {
  return Array.from(dt.items).some((i) => entryOf(i)?.isDirectory === true);
}

/** In name order, as the plan sheet lists them and the overwrite prompt asks. */
function byPath(entries: BatchEntry[]): BatchEntry[] {
  return entries.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
}

function labelOf(tops: string[]): string {
  return tops.length === 1 ? `${tops[0]}/` : `${tops.length} items`;
}

const readEntries = (reader: FileSystemDirectoryReader) => new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
const fileOf = (entry: FileSystemFileEntry) => new Promise<File>((res, rej) => entry.file(res, rej));

async function walk(entry: FileSystemEntry, path: string, out: BatchEntry[]): Promise<void> {
  if (entry.isFile) {
    const f = holdBrowserFile(await fileOf(entry as FileSystemFileEntry));
    out.push({ key: f.key, relPath: path, size: f.size ?? 0, source: f.source });
  } else if (entry.isDirectory) {
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // readEntries hands out at most 100 at a time; an empty batch means the end.
    for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader)) {
      for (const child of batch) await walk(child, `${path}/${child.name}`, out);
    }
  }
}

/** The files of a drop that holds folders (files beside them come along). Entries are taken during the event. */
export function batchFromDrop(dt: DataTransfer): Promise<FolderBatch> {
  const bridge = electronBridge();
  if (bridge) return batchFromPaths(bridge.droppedPaths());
  const entries = Array.from(dt.items)
    .map(entryOf)
    .filter((e): e is FileSystemEntry => e !== null);
  return (async () => {
    const out: BatchEntry[] = [];
    for (const e of entries) await walk(e, e.name, out);
    return { entries: byPath(out), label: labelOf(entries.map((e) => e.name)), skipped: [] };
  })();
}

/** The files of <input webkitdirectory>: each File knows its path below the picked folder's parent. */
export function batchFromInput(list: FileList): FolderBatch {
  const entries = Array.from(list).map((file) => {
    const f = holdBrowserFile(file);
    return { key: f.key, relPath: file.webkitRelativePath || file.name, size: file.size, source: f.source };
  });
  const tops = [...new Set(entries.map((e) => e.relPath.split('/')[0]!))];
  return { entries: byPath(entries), label: labelOf(tops), skipped: [] };
}

/** Electron: dropped or picked paths (files and folders), walked by the host. */
export async function batchFromPaths(paths: string[]): Promise<FolderBatch> {
  const { files, skipped } = await call('files.expand', { paths });
  const tops = paths.map((p) => p.split(/[\\/]/).filter(Boolean).pop() ?? p);
  return {
    entries: files.map((f) => ({ key: f.path, relPath: f.relPath, size: f.size, source: { kind: 'path', path: f.path } })),
    label: labelOf(tops),
    skipped,
  };
}
