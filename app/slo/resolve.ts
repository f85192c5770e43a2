// Resolves an object to what it is made of. SLO: its manifest, recursing into sub-SLOs and honouring ranges at every
// level; DLO: the listing of its prefix; plain: nothing. The flattened leaves say which bytes of which segment object
// land where in the assembled object — downloads, verify, delete and orphans all work from them.
import { limiter } from '../pool.ts';
import type { FlatSegment, ManifestNode } from '../domain/manifest.ts';
import type { ObjectKind, ObjectStat } from '../domain/objects.ts';
import type { SwiftClient } from '../swift/client.ts';
import { MAX_TEXT_BODY, readText } from '../swift/text-body.ts';
import { SwiftError } from '../swift/errors.ts';
import { listObjects } from '../swift/listing.ts';
import { decodeName } from '../swift/names.ts';
import { headObject, readObject } from '../swift/objects.ts';
import { bareSegmentPath, DEFAULT_MAX_DEPTH, listable, ManifestGraph, type ManifestSummary } from './manifest-graph.ts';
import { parseManifestJson, type PutEntry, type StoredEntry } from './manifest.ts';

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
  /** Flattened leaves in order; offsets are positions in the assembled object. Empty for a `lazy` SLO: see `graph`. */
  segments: FlatSegment[];
  /** A `lazy` SLO: the measured manifest graph, which yields the leaves one at a time (see leavesOf). */
  graph?: ManifestGraph;
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
  /** Most leaves to list (default LEAF_LIMITS.list); more is a 'limit' error, raised before anything is listed. */
  maxLeaves?: number;
  /** What the leaves are for, in the limit's sentence ("a download"). */
  doing?: string;
  /**
   * SLO: keep the measured graph instead of listing the leaves (memory follows the distinct manifests, not the leaves);
   * `tree` holds the top-level entries only. `maxLeaves` still bounds how many leaves are taken on.
   */
  lazy?: boolean;
  /** The object's HEAD, when the caller already has it. */
  stat?: ObjectStat;
  /** The top manifest's entries, when the caller already asked for them (e.g. alongside the HEAD). */
  entries?: Promise<StoredEntry[]>;
}

/**
 * How many leaves an operation takes on before refusing with a sentence. A listed leaf costs ~150 bytes, so `list`
 * (downloads, overwrites: everything that holds the leaf list) keeps that under ~150 MB; `preview` bounds what
 * inspect sends to a window; `delete` bounds what Swift itself is asked to walk.
 */
export const LEAF_LIMITS = { list: 1_000_000, preview: 100_000, delete: 10_000_000, download: 100_000_000, verify: 10_000_000 };

/** The leaves of a resolved object in order from leaf `from` (a lazy SLO: streamed from its graph, skipping by counts). */
export function* leavesOf(r: ResolvedObject, from = 0): Generator<FlatSegment> {
  if (r.graph) yield* r.graph.leaves(from);
  else for (let i = Math.max(0, from); i < r.segments.length; i++) yield r.segments[i]!;
}

/** How many leaves a resolved object has. */
export function leafCountOf(r: ResolvedObject): number {
  return r.graph ? r.graph.summary.leaves : r.segments.length;
}

/** Bytes the leaves of a resolved object add up to. */
export function leafBytesOf(r: ResolvedObject): number {
  return r.graph ? r.graph.summary.size : r.segments.reduce((s, l) => s + l.size, 0);
}

/** Where leaf `i` starts in the assembled object (`i` = the leaf count: the object's end). */
export function leafOffsetOf(r: ResolvedObject, i: number): number {
  const leaf = leavesOf(r, i).next();
  return leaf.done ? leafBytesOf(r) : leaf.value.offset;
}

// ---------- reading manifests ----------

export { bareSegmentPath, DEFAULT_MAX_DEPTH };

/** X-Object-Manifest "container/prefix" → parts; null when it has no '/'. */
export function parseDloHeader(value: string): { container: string; prefix: string } | null {
  const i = value.indexOf('/');
  if (i <= 0) return null;
  return { container: decodeName(value.slice(0, i)), prefix: decodeName(value.slice(i + 1)) };
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
  const query = { 'multipart-manifest': 'get', format: opts.raw ? 'raw' : undefined };
  const text = await readObject(client, container, object, { query, ...(opts.signal ? { signal: opts.signal } : {}) }, async (res) => {
    if ((res.headers['x-static-large-object'] ?? '').toLowerCase() !== 'true') {
      await res.body.dump();
      throw new SwiftError({ kind: 'invalid', message: `${container}/${object} is not a Static Large Object, so it has no manifest.` });
    }
    return readText(res.body, MAX_TEXT_BODY, `the manifest of ${container}/${object}`);
  });
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
  /** "c/o" of the manifest being expanded (its last element; cycles and depth count from there). */
  chain: string[];
  maxDepth?: number;
  /**
   * When given, a sub-manifest that is missing or no longer an SLO is recorded here (one sentence each) and laid out
   * as an empty placeholder of its recorded size, instead of failing the whole expansion. For showing broken SLOs.
   */
  problems?: string[];
}

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

/** Flattens GET-format entries into leaves (offsets relative to this manifest's object) and a tree. Small SLOs only. */
export async function expandManifest(entries: StoredEntry[], opts: ExpandOptions): Promise<Expanded> {
  const top = opts.chain[opts.chain.length - 1] ?? '';
  const g = await ManifestGraph.load(top, entries, { fetch: opts.fetch, ...(opts.maxDepth ? { maxDepth: opts.maxDepth } : {}), ...(opts.problems ? { problems: opts.problems } : {}) });
  return { leaves: [...g.leaves()], tree: g.tree(), size: g.summary.size, depth: g.summary.depth };
}

/** The 'limit' error for an SLO with more leaves than `limit` allows `doing` (e.g. "download"). */
export function tooManyLeaves(name: string, summary: ManifestSummary, limit: number, doing: string): SwiftError {
  const n = (x: number) => x.toLocaleString('en-US');
  return new SwiftError({
    kind: 'limit',
    message: `${name} is assembled from ${n(summary.leaves)} segment pieces through ${summary.depth} levels of manifests, more than the limit of ${n(limit)} for ${doing}; it was not attempted.`,
  });
}

// ---------- resolving an object ----------

/** Reads an SLO's manifest and every distinct sub-manifest once (bounded parallelism), measured but not expanded. */
export async function loadGraph(client: SwiftClient, container: string, object: string, opts: ResolveOptions = {}): Promise<{ graph: ManifestGraph; entries: StoredEntry[]; problems: string[] }> {
  const signal = opts.signal;
  const gate = limiter(opts.concurrency ?? 8);
  const fetch = (path: string): Promise<StoredEntry[]> => {
    const slash = path.indexOf('/');
    return gate(() => readManifest(client, path.slice(0, slash), path.slice(slash + 1), signal ? { signal } : {}));
  };
  const entries = await (opts.entries ?? readManifest(client, container, object, signal ? { signal } : {}));
  const problems: string[] = [];
  const graph = await ManifestGraph.load(`${container}/${object}`, entries, { fetch, maxDepth: opts.maxDepth ?? DEFAULT_MAX_DEPTH, ...(opts.tolerant ? { problems } : {}) });
  return { graph, entries, problems };
}

/** HEADs the object and works out its segments, whatever kind it is. */
export async function resolveObject(client: SwiftClient, container: string, object: string, opts: ResolveOptions = {}): Promise<ResolvedObject> {
  const signal = opts.signal;
  const stat = opts.stat ?? (await headObject(client, container, object, signal ? { signal } : {}));
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
    const g = await loadGraph(client, container, object, opts);
    const limit = opts.maxLeaves ?? (opts.lazy ? LEAF_LIMITS.download : LEAF_LIMITS.list);
    const fits = opts.lazy ? g.graph.summary.leaves <= limit : listable(g.graph.summary, limit);
    if (!fits) throw tooManyLeaves(`${container}/${object}`, g.graph.summary, limit, opts.doing ?? 'listing its segments');
    const x = g.graph;
    if (opts.lazy) return { ...base, graph: x, tree: x.tree(false), depth: x.summary.depth, entries: g.entries, ...(g.problems.length ? { problems: g.problems } : {}) };
    return { ...base, segments: [...x.leaves()], tree: x.tree(), depth: x.summary.depth, entries: g.entries, ...(g.problems.length ? { problems: g.problems } : {}) };
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
