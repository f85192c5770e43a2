// Folders down: a pseudo-folder (every object under a prefix) or a selection becomes files under one local
// directory, the tree recreated. Names are made safe first (local-name.ts) and every destination is checked, after
// its folders exist, to resolve inside the directory — a symbolic link already there cannot carry a write outside.
import { mkdir, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { LocalNameChange } from '../domain/batch.ts';
import type { SwiftClient } from '../swift/client.ts';
import { SwiftError, toSwiftError } from '../swift/errors.ts';
import { listObjects } from '../swift/listing.ts';
import { hasDotSegment } from '../swift/names.ts';
import { headObject } from '../swift/objects.ts';
import { planLocalPaths } from './local-name.ts';

export interface DownloadSelection {
  /** What the local tree is relative to: usually the prefix the user is looking at. */
  base: string;
  /** Pseudo-folders to take whole (every object whose name starts with one). */
  prefixes?: readonly string[];
  /** Single objects. */
  objects?: readonly string[];
}

export interface FolderItem {
  object: string;
  relPath: string;
  size: number;
  local: string;
}

function relativeTo(base: string, object: string): string {
  return object.startsWith(base) ? object.slice(base.length) : object;
}

/** The objects of a selection with their safe local paths; names that had to change or were refused are listed. */
export async function listSelection(client: SwiftClient, container: string, sel: DownloadSelection, signal?: AbortSignal): Promise<{ files: FolderItem[]; changed: LocalNameChange[] }> {
  const found = new Map<string, number>();
  for (const prefix of sel.prefixes ?? []) {
    for await (const e of listObjects(client, container, { prefix, ...(signal ? { signal } : {}) })) {
      // A zero-byte "dir/" object is a folder marker some tools write; the folder appears with its files.
      if (e.type !== 'object' || (e.name.endsWith('/') && e.bytes === 0)) continue;
      found.set(e.name, e.bytes);
    }
  }
  // Listings give a DLO manifest's own 0 bytes; its real size (for totals and archive headers) takes a HEAD.
  for (const [object, size] of found) if (size === 0 && !hasDotSegment(object)) found.set(object, (await headObject(client, container, object, signal ? { signal } : {})).size);
  for (const object of sel.objects ?? []) {
    if (found.has(object)) continue;
    const st = await headObject(client, container, object, signal ? { signal } : {});
    found.set(object, st.size);
  }
  if (found.size === 0) throw new SwiftError({ kind: 'not-found', message: `Nothing to download: no objects in ${container} under ${JSON.stringify(sel.base)}.` });
  const unreachable: LocalNameChange[] = [];
  const items = [];
  for (const [object, size] of found) {
    if (hasDotSegment(object)) {
      unreachable.push({ object, local: null, reason: 'Not downloaded: the name has a "." or ".." part, which Swift resolves to another path, so it cannot be fetched by this name.' });
    } else items.push({ object, size, relPath: relativeTo(sel.base, object) });
  }
  const planned = planLocalPaths(items);
  return { files: planned.files, changed: [...unreachable, ...planned.changed] };
}

/** `path` is `root` or below it (a name that merely starts with "..", like "..foo", is below it). */
function inside(root: string, path: string): boolean {
  const r = relative(root, path);
  return r !== '..' && !r.startsWith('..' + sep) && !isAbsolute(r);
}

/**
 * Creates the folders for `local` under `root` and returns the destination path — only once the real path of its
 * folder (symbolic links resolved) is inside the real path of `root`.
 */
export async function prepareLocalTarget(root: string, local: string): Promise<string> {
  const dest = join(root, ...local.split('/'));
  const realRoot = await realpath(root).catch((e: unknown) => {
    throw toSwiftError(e, `Cannot use the folder ${root}`);
  });
  if (!inside(root, dest)) throw new SwiftError({ kind: 'invalid', message: `${local} would be written outside ${root}; refused.` });
  try {
    await mkdir(dirname(dest), { recursive: true });
  } catch (e) {
    throw toSwiftError(e, `Cannot create the folder for ${local} in ${root}`);
  }
  const realParent = await realpath(dirname(dest));
  if (!inside(realRoot, realParent)) {
    throw new SwiftError({ kind: 'invalid', message: `${local} would be written outside ${root} (a symbolic link in the way leads elsewhere); refused.` });
  }
  return dest;
}
