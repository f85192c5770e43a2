// Resolves an object to what it is made of. SLO: its manifest, recursing into sub-SLOs and honouring ranges at every
// level; DLO: the listing of its prefix; plain: nothing. The flattened leaves say which bytes of which segment object
// land where in the assembled object — downloads, verify, delete and orphans all work from them.
import { limiter } from '../pool.ts';
import type { FlatSegment, ManifestNode, ObjectKind } from '../rpc/contract.ts';
import type { SwiftClient } from '../swift/client.ts';
import { MAX_TEXT_BODY, readText } from '../swift/text-body.ts';
import { SwiftError } from '../swift/errors.ts';
import { listObjects } from '../swift/listing.ts';
import { getObject, headObject } from '../swift/objects.ts';
import { dataEntryEtag } from './etag.ts';
import { parseManifestJson, resolveRange, type PutEntry, type StoredEntry } from './manifest.ts';

export interface ResolvedObject {
  container: string;
  object: string;
  kind: ObjectKind;
  /** Size of the assembled object (a DLO: the sum of its segments, never the manifest's 0 bytes). */
  size: number;
  /** ETag Swift reports, unquoted. */
  etag: string;
  contentType: string;
  lastModified: string;
  manifestEtag?: string;
  /** Flattened leaves in order; offsets are positions in the assembled object. */
  segments: FlatSegment[];
  tree: ManifestNode[];
  /** 0 plain, 1 an SLO of plain segments or a DLO, 2+ with sub-SLOs. */
  depth: number;
  dlo?: { container: string; prefix: string };
  /** SLO: the top-level manifest entries as Swift stores them (GET format). */
  entries?: StoredEntry[];
  /** With `tolerant`: sentences about sub-manifests that could not be read (their bytes have no leaves). */
  problems?: string[];
  headers: Record<string, string>;
}

export interface ResolveOptions {
  signal?: AbortSignal;
  /** Deepest nesting accepted (Swift's limit is 10). */
  maxDepth?: number;
  /** Sub-manifests fetched at once. */
  concurrency?: number;
  /** Carry on past unreadable sub-manifests and list them in `problems` (inspect); downloads must not set this. */
  tolerant?: boolean;
}

export const DEFAULT_MAX_DEPTH = 10;

// ---------- reading manifests ----------

/** "/c/o" or "c/o" → "c/o", the form FlatSegment and ManifestNode use. */
export function bareSegmentPath(name: string): string {
  return name.replace(/^\//, '');
}

/** Python's unquote as Swift applies it to X-Object-Manifest: decode valid %XX runs, leave anything else. */
export function unquoteLenient(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

/** X-Object-Manifest "container/prefix" → parts; null when it has no '/'. */
export function parseDloHeader(value: string): { container: string; prefix: string } | null {
  const i = value.indexOf('/');
  if (i <= 0) return null;
  return { container: unquoteLenient(value.slice(0, i)), prefix: unquoteLenient(value.slice(i + 1)) };
}

export interface ReadManifestOptions {
  /** format=raw: PUT-format entries that can be PUT back. */
  raw?: boolean;
  signal?: AbortSignal;
}

/**
 * GET ?multipart-manifest=get of an SLO. On a plain object Swift ignores the parameter and would send the object's
 * own bytes, so the answer's X-Static-Large-Object decides; a non-SLO is an 'invalid' error and its body is not read.
 */
export function readManifest(client: SwiftClient, container: string, object: string, opts: ReadManifestOptions & { raw: true }): Promise<PutEntry[]>;
export function readManifest(client: SwiftClient, container: string, object: string, opts?: ReadManifestOptions & { raw?: false }): Promise<StoredEntry[]>;
export async function readManifest(client: SwiftClient, container: string, object: string, opts: ReadManifestOptions = {}): Promise<StoredEntry[] | PutEntry[]> {
  const res = await getObject(client, container, object, {
    query: { 'multipart-manifest': 'get', format: opts.raw ? 'raw' : undefined },
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if ((res.headers['x-static-large-object'] ?? '').toLowerCase() !== 'true') {
    await res.body.dump();
    throw new SwiftError({ kind: 'invalid', message: `${container}/${object} is not a Static Large Object, so it has no manifest.` });
  }
  const text = await readText(res.body, MAX_TEXT_BODY, `the manifest of ${container}/${object}`);
  let data: unknown[];
  try {
    data = parseManifestJson(text);
  } catch (e) {
    throw new SwiftError({ kind: 'server', message: `Swift returned an unreadable manifest for ${container}/${object}: ${(e as Error).message}`, cause: e });
  }
  if (!data.every((e) => typeof e === 'object' && e !== null)) {
    throw new SwiftError({ kind: 'server', message: `Swift returned a manifest for ${container}/${object} with entries that are not objects.` });
  }
  return data as StoredEntry[] | PutEntry[];
}

// ---------- flattening (pure, given a way to fetch sub-manifests) ----------

export interface Expanded {
  leaves: FlatSegment[];
  tree: ManifestNode[];
  /** Bytes of the assembled object. */
  size: number;
  depth: number;
}

export interface ExpandOptions {
  /** Fetches a sub-manifest by its "c/o" path (GET format). */
  fetch: (path: string) => Promise<StoredEntry[]>;
  /** "c/o" of the manifest being expanded and its ancestors, top first; guards against cycles. */
  chain: string[];
  maxDepth?: number;
  /**
   * When given, a sub-manifest that is missing or no longer an SLO is recorded here (one sentence each) and laid out
   * as an empty placeholder of its recorded size, instead of failing the whole expansion. For showing broken SLOs.
   */
  problems?: string[];
}

const BROKEN = Symbol('unreadable sub-manifest');

function rangeStart(range: string | undefined): number {
  return range ? Number(range.split('-')[0]) : 0;
}

/**
 * Keeps the part of `leaves` (offsets relative to a sub-object) that falls in [start, end] of that sub-object:
 * leaves outside vanish, leaves across an edge get a narrower range of their segment. Offsets become relative to `start`.
 */
export function clipLeaves(leaves: readonly FlatSegment[], start: number, end: number): FlatSegment[] {
  const out: FlatSegment[] = [];
  for (const leaf of leaves) {
    const lo = Math.max(leaf.offset, start);
    const hi = Math.min(leaf.offset + leaf.size - 1, end);
    if (lo > hi) continue;
    const a = rangeStart(leaf.range) + (lo - leaf.offset);
    const b = a + (hi - lo);
    const whole = a === 0 && b === leaf.segmentSize - 1;
    const { range: _old, ...rest } = leaf;
    out.push({ ...rest, offset: lo - start, size: hi - lo + 1, ...(whole ? {} : { range: `${a}-${b}` }) });
  }
  return out;
}

function entrySize(e: StoredEntry, what: string): number {
  if (typeof e.bytes !== 'number' || !Number.isFinite(e.bytes) || e.bytes < 0) {
    throw new SwiftError({ kind: 'server', message: `The manifest entry for ${what} has no valid byte count.` });
  }
  return e.bytes;
}

/** Byte run an entry selects from its segment (inclusive), honouring `range` as Swift does. */
function entryRun(e: StoredEntry, bytes: number, what: string, manifest: string): { start: number; end: number } {
  if (!e.range) return { start: 0, end: bytes - 1 };
  const r = resolveRange(e.range, bytes);
  if (!r) throw new SwiftError({ kind: 'invalid', message: `The range "${e.range}" of ${what} in the manifest of ${manifest} does not fit its ${bytes} bytes.` });
  return r;
}

/** Flattens GET-format entries into leaves (offsets relative to this manifest's object) and a tree. */
export async function expandManifest(entries: readonly StoredEntry[], opts: ExpandOptions): Promise<Expanded> {
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  const here = opts.chain[opts.chain.length - 1] ?? '';
  if (opts.chain.length > maxDepth) {
    throw new SwiftError({ kind: 'limit', message: `${here} is nested more than ${maxDepth} manifests deep; Swift does not serve SLOs nested that deep.` });
  }
  // Sub-manifests are fetched concurrently (the caller's fetch bounds how many at once), then laid out in order.
  const subs = await Promise.all(
    entries.map(async (e) => {
      if (!e.sub_slo || e.data !== undefined) return null;
      const path = bareSegmentPath(e.name ?? '');
      if (opts.chain.includes(path)) {
        throw new SwiftError({ kind: 'invalid', message: `The manifest of ${here} refers back to ${path}, which contains it: the SLO is a cycle and cannot be read.` });
      }
      let sub: StoredEntry[];
      try {
        sub = await opts.fetch(path);
      } catch (err) {
        const se = err as SwiftError;
        if (!(se instanceof SwiftError) || (se.kind !== 'not-found' && se.kind !== 'invalid')) throw err;
        const message = `The sub-manifest ${path} used by ${here} cannot be read: ${se.message}`;
        if (!opts.problems) throw new SwiftError({ kind: se.kind, message, ...(se.status ? { status: se.status } : {}), ...(se.transId ? { transId: se.transId } : {}), cause: err });
        opts.problems.push(message);
        return BROKEN;
      }
      return expandManifest(sub, { ...opts, chain: [...opts.chain, path] });
    }),
  );
  const leaves: FlatSegment[] = [];
  const tree: ManifestNode[] = [];
  let offset = 0;
  let depth = 1;
  entries.forEach((e, i) => {
    if (e.data !== undefined) {
      const size = Buffer.from(e.data, 'base64').length;
      const etag = dataEntryEtag(e.data);
      if (size > 0) leaves.push({ index: 0, path: '', offset, size, segmentSize: size, etag, via: [], data: true });
      tree.push({ path: '', size, etag, kind: 'data' });
      offset += size;
      return;
    }
    const path = bareSegmentPath(e.name ?? '');
    if (!path) throw new SwiftError({ kind: 'server', message: `Entry ${i} of the manifest of ${here} has no segment name.` });
    const bytes = entrySize(e, path);
    const etag = e.hash ?? null;
    const sub = subs[i];
    if (sub === BROKEN) {
      // Its contents are unknown: keep the place it takes (Swift recorded its size) but no leaves.
      const run = bytes === 0 ? { start: 0, end: -1 } : entryRun(e, bytes, path, here);
      const size = run.end - run.start + 1;
      tree.push({ path, size, etag, kind: 'sub-slo', ...(e.range ? { range: e.range } : {}), children: [] });
      offset += size;
      return;
    }
    if (sub) {
      const run = e.range ? entryRun(e, bytes, path, here) : { start: 0, end: sub.size - 1 };
      const size = run.end - run.start + 1;
      for (const leaf of clipLeaves(sub.leaves, run.start, run.end)) {
        leaves.push({ ...leaf, offset: offset + leaf.offset, via: [path, ...leaf.via] });
      }
      tree.push({ path, size, etag, kind: 'sub-slo', ...(e.range ? { range: e.range } : {}), children: sub.tree });
      depth = Math.max(depth, 1 + sub.depth);
      offset += size;
      return;
    }
    const run = bytes === 0 ? { start: 0, end: -1 } : entryRun(e, bytes, path, here);
    const size = run.end - run.start + 1;
    const whole = run.start === 0 && run.end === bytes - 1;
    if (size > 0) {
      leaves.push({ index: 0, path, offset, size, segmentSize: bytes, etag, via: [], ...(whole ? {} : { range: `${run.start}-${run.end}` }) });
    }
    tree.push({ path, size, etag, kind: 'segment', ...(e.range ? { range: e.range } : {}) });
    offset += size;
  });
  return { leaves, tree, size: offset, depth };
}

// ---------- resolving an object ----------

/** HEADs the object and works out its segments, whatever kind it is. */
export async function resolveObject(client: SwiftClient, container: string, object: string, opts: ResolveOptions = {}): Promise<ResolvedObject> {
  const signal = opts.signal;
  const stat = await headObject(client, container, object, signal ? { signal } : {});
  const h = stat.headers;
  const base: ResolvedObject = {
    container,
    object,
    kind: stat.kind,
    size: stat.size,
    etag: stat.etag,
    contentType: stat.contentType,
    lastModified: stat.lastModified,
    ...(stat.manifestEtag ? { manifestEtag: stat.manifestEtag } : {}),
    segments: [],
    tree: [],
    depth: 0,
    headers: h,
  };

  if (stat.kind === 'slo') {
    const gate = limiter(opts.concurrency ?? 8);
    // The same sub-manifest may appear many times; fetch it once per resolve.
    const cache = new Map<string, Promise<StoredEntry[]>>();
    const fetch = (path: string): Promise<StoredEntry[]> => {
      let p = cache.get(path);
      if (!p) {
        const slash = path.indexOf('/');
        p = gate(() => readManifest(client, path.slice(0, slash), path.slice(slash + 1), signal ? { signal } : {}));
        cache.set(path, p);
      }
      return p;
    };
    const entries = await readManifest(client, container, object, signal ? { signal } : {});
    const problems: string[] = [];
    const x = await expandManifest(entries, { fetch, chain: [`${container}/${object}`], maxDepth: opts.maxDepth ?? DEFAULT_MAX_DEPTH, ...(opts.tolerant ? { problems } : {}) });
    x.leaves.forEach((l, i) => (l.index = i));
    return { ...base, segments: x.leaves, tree: x.tree, depth: x.depth, entries, ...(problems.length ? { problems } : {}) };
  }

  if (stat.kind === 'dlo') {
    const dlo = parseDloHeader(h['x-object-manifest'] ?? '');
    if (!dlo) {
      throw new SwiftError({ kind: 'invalid', message: `${container}/${object} has an X-Object-Manifest header without a "container/prefix" value.` });
    }
    const { segments, tree, size } = await listDloSegments(client, dlo.container, dlo.prefix, signal);
    return { ...base, size, segments, tree, depth: 1, dlo };
  }

  return base;
}

/** A DLO's segments: every object under container/prefix, in listing order (which is the byte order Swift serves). */
export async function listDloSegments(client: SwiftClient, container: string, prefix: string, signal?: AbortSignal): Promise<{ segments: FlatSegment[]; tree: ManifestNode[]; size: number }> {
  const segments: FlatSegment[] = [];
  const tree: ManifestNode[] = [];
  let offset = 0;
  for await (const e of listObjects(client, container, { prefix, ...(signal ? { signal } : {}) })) {
    if (e.type !== 'object') continue;
    const path = `${container}/${e.name}`;
    if (e.bytes > 0) segments.push({ index: segments.length, path, offset, size: e.bytes, segmentSize: e.bytes, etag: e.hash, via: [] });
    tree.push({ path, size: e.bytes, etag: e.hash, kind: 'segment' });
    offset += e.bytes;
  }
  return { segments, tree, size: offset };
}

// ---------- what a manifest references (tolerant) ----------

export interface ManifestReferences {
  /** "c/o" of every segment object, in first-seen order. */
  segments: string[];
  /** "c/o" of every sub-manifest, deepest first (safe deletion order). */
  subManifests: string[];
  /** Sub-manifests that could not be read (missing, or no longer an SLO): their segments are unknown. */
  unreadable: string[];
}

/**
 * Every object an SLO references, following sub-SLOs, without range math. Unlike resolveObject it carries on past a
 * missing or replaced sub-manifest (a broken SLO is exactly what people want to delete). `visited` lets a caller
 * share sub-manifest work across many manifests (orphan scans): a sub-manifest already visited is listed but not
 * walked again, so its segments appear only in the result of the call that walked it.
 */
export async function manifestReferences(
  client: SwiftClient,
  container: string,
  object: string,
  opts: { signal?: AbortSignal; concurrency?: number; visited?: Set<string>; maxDepth?: number } = {},
): Promise<ManifestReferences> {
  const signal = opts.signal;
  const gate = limiter(opts.concurrency ?? 8);
  const visited = opts.visited ?? new Set<string>();
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  const segments = new Set<string>();
  const subs: { path: string; depth: number }[] = [];
  const unreadable: string[] = [];
  const walk = async (entries: readonly StoredEntry[], depth: number): Promise<void> => {
    await Promise.all(
      entries.map(async (e) => {
        if (e.data !== undefined || !e.name) return;
        const path = bareSegmentPath(e.name);
        if (!e.sub_slo) return void segments.add(path);
        if (!subs.some((s) => s.path === path)) subs.push({ path, depth });
        if (visited.has(path)) return;
        visited.add(path);
        if (depth >= maxDepth) return;
        const slash = path.indexOf('/');
        try {
          const sub = await gate(() => readManifest(client, path.slice(0, slash), path.slice(slash + 1), signal ? { signal } : {}));
          await walk(sub, depth + 1);
        } catch (err) {
          const kind = (err as SwiftError).kind;
          if (kind !== 'not-found' && kind !== 'invalid') throw err;
          unreadable.push(path);
        }
      }),
    );
  };
  visited.add(`${container}/${object}`);
  await walk(await readManifest(client, container, object, signal ? { signal } : {}), 1);
  subs.sort((a, b) => b.depth - a.depth);
  return { segments: [...segments], subManifests: subs.map((s) => s.path), unreadable };
}
