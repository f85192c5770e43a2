// Folders up: a tree of files becomes objects under a prefix. Planning (each file on its own through planUpload, one
// summary for the batch), the names the tree gives, which of them exist already and what "keep both" would call
// the new file, and the decision per name. Running the uploads is the TransferManager's (GUI) or the CLI's.
import { lstat, opendir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BatchFileSize, BatchPlan, FolderFile, IfExists, NameConflict } from '../domain/batch.ts';
import type { Capabilities } from '../domain/cluster.ts';
import type { SwiftClient } from '../swift/client.ts';
import { SwiftError, toSwiftError } from '../swift/errors.ts';
import { listObjects } from '../swift/listing.ts';
import { headObject } from '../swift/objects.ts';
import { mapLimit } from '../pool.ts';
import { keepBothName } from './keep-both.ts';
import { DEFAULT_SEGMENT_SIZE, defaultSegmentContainer, planUpload } from './plan.ts';

export interface BatchOptions {
  segmentSize?: number | undefined;
  concurrency?: number | undefined;
  segmentContainer?: string | undefined;
}

/** The object a file of the tree becomes: the prefix plus its relative path, '/'-separated, empty and "." parts dropped. */
export function objectNameFor(prefix: string, relPath: string): string {
  const parts = relPath.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.includes('..')) {
    throw new SwiftError({ kind: 'invalid', message: `The relative path ${JSON.stringify(relPath)} does not name a file inside the folder.` });
  }
  return prefix + parts.join('/');
}

/** Object names for a batch, refusing two files that would land on one name. */
export function batchNames(prefix: string, files: readonly { relPath: string }[]): string[] {
  const names = files.map((f) => objectNameFor(prefix, f.relPath));
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new SwiftError({ kind: 'invalid', message: `Two files of the batch would both become ${n}; rename one of them.` });
    seen.add(n);
  }
  return names;
}

/** Up to this many names are checked with one HEAD each (exact even while listings lag); more with listings. */
const HEAD_AT_MOST = 20;

async function exists(client: SwiftClient, container: string, object: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await headObject(client, container, object, signal ? { signal } : {});
    return true;
  } catch (e) {
    if (toSwiftError(e).kind === 'not-found') return false;
    throw e;
  }
}

/**
 * Which of `names` exist in the container: a HEAD each for a few names, otherwise one prefix listing per distinct
 * first path part below `prefix` (a dropped folder costs one listing, not one HEAD per file). A missing container
 * means nothing exists yet.
 */
export async function existingNames(client: SwiftClient, container: string, prefix: string, names: readonly string[], signal?: AbortSignal): Promise<Set<string>> {
  const found = new Set<string>();
  if (names.length <= HEAD_AT_MOST) {
    await mapLimit(names, 8, async (n) => (await exists(client, container, n, signal)) && found.add(n));
    return found;
  }
  const wanted = new Set(names);
  const tops = new Set(names.map((n) => prefix + n.slice(prefix.length).split('/')[0]!));
  try {
    for (const top of tops) {
      for await (const e of listObjects(client, container, { prefix: top, ...(signal ? { signal } : {}) })) {
        if (e.type === 'object' && wanted.has(e.name)) found.add(e.name);
      }
    }
  } catch (e) {
    if (toSwiftError(e).kind === 'not-found') return new Set();
    throw e;
  }
  return found;
}

/**
 * Each existing target with the name "keep both" would give the new file: free in the batch and, checked with a
 * HEAD, in the container (a listing of the batch's own names does not show "name (2).ext").
 */
export async function conflictsOf(client: SwiftClient, container: string, names: readonly string[], existing: ReadonlySet<string>, signal?: AbortSignal): Promise<NameConflict[]> {
  const claimed = new Set([...existing, ...names]);
  const out: NameConflict[] = [];
  for (const object of names) {
    if (!existing.has(object)) continue;
    let keepBoth = object;
    for (;;) {
      keepBoth = keepBothName(keepBoth, (c) => claimed.has(c));
      claimed.add(keepBoth);
      if (!(await exists(client, container, keepBoth, signal))) break;
    }
    out.push({ object, keepBoth });
  }
  return out;
}

/** The batch's plan sheet: every file planned on its own with the same settings, summed up. */
export function planBatch(container: string, prefix: string, files: readonly BatchFileSize[], opts: BatchOptions, caps: Capabilities, conflicts: NameConflict[]): BatchPlan {
  const names = batchNames(prefix, files);
  const warnings = new Set<string>();
  let sloCount = 0;
  let totalBytes = 0;
  let concurrency = 0;
  const items = files.map((f, i) => {
    const object = names[i]!;
    let p;
    try {
      p = planUpload({ size: f.size, container, object, segmentSize: opts.segmentSize, concurrency: opts.concurrency, segmentContainer: opts.segmentContainer }, caps);
    } catch (e) {
      const err = toSwiftError(e);
      throw new SwiftError({ kind: err.kind, message: `${f.relPath}: ${err.message}` });
    }
    for (const w of p.warnings) warnings.add(w);
    if (!p.single) sloCount++;
    totalBytes += f.size;
    concurrency = p.concurrency;
    return { relPath: f.relPath, object, size: f.size, single: p.single, segmentCount: p.segmentCount };
  });
  return {
    count: files.length,
    totalBytes,
    sloCount,
    segmentSize: opts.segmentSize ?? DEFAULT_SEGMENT_SIZE,
    concurrency: concurrency || (opts.concurrency ?? 4),
    segmentContainer: opts.segmentContainer ?? defaultSegmentContainer(container),
    items,
    conflicts,
    warnings: [...warnings],
  };
}

export interface Decided {
  /** Index into the batch's files, and the object it goes to. */
  uploads: { index: number; object: string }[];
  skipped: string[];
  renamed: { from: string; to: string }[];
}

/**
 * Applies the overwrite answers: per-name `decisions` first, then `ifExists` for the rest. Names that do not exist
 * simply upload.
 */
export function decideTargets(names: readonly string[], conflicts: readonly NameConflict[], ifExists: IfExists, decisions: Readonly<Record<string, IfExists>> = {}): Decided {
  const byName = new Map(conflicts.map((c) => [c.object, c]));
  const out: Decided = { uploads: [], skipped: [], renamed: [] };
  names.forEach((object, index) => {
    const c = byName.get(object);
    const choice = c ? (decisions[object] ?? ifExists) : 'replace';
    if (choice === 'skip') out.skipped.push(object);
    else if (choice === 'keep-both' && c) {
      out.renamed.push({ from: object, to: c.keepBoth });
      out.uploads.push({ index, object: c.keepBoth });
    } else out.uploads.push({ index, object });
  });
  return out;
}

/**
 * Every regular file under `dir`, with '/'-separated paths relative to it, in name order. Symbolic links are not
 * followed (one could lead anywhere on the machine); they and other non-files are reported in `skipped`.
 */
export async function walkFolder(dir: string, signal?: AbortSignal): Promise<{ files: FolderFile[]; skipped: string[] }> {
  const files: FolderFile[] = [];
  const skipped: string[] = [];
  const visit = async (abs: string, rel: string): Promise<void> => {
    let d;
    try {
      d = await opendir(abs);
    } catch (e) {
      throw toSwiftError(e, `Cannot read the folder ${abs}`);
    }
    const entries: string[] = [];
    for await (const e of d) entries.push(e.name);
    entries.sort();
    for (const name of entries) {
      if (signal?.aborted) throw new SwiftError({ kind: 'cancelled', message: `Reading ${dir} was cancelled.` });
      const path = join(abs, name);
      const relPath = rel ? `${rel}/${name}` : name;
      const st = await lstat(path);
      if (st.isDirectory()) await visit(path, relPath);
      else if (st.isFile()) files.push({ path, relPath, size: st.size });
      else skipped.push(relPath);
    }
  };
  await visit(dir, '');
  return { files, skipped };
}
