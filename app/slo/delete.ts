// Deleting a large object means deleting what it is made of. SLO: one `DELETE ?multipart-manifest=delete` (Swift
// answers 200 even on partial failure, so the JSON body is the truth); without the bulk middleware, segment by
// segment. DLO: every object under its prefix, then the manifest. Plain: one DELETE.
import { mapLimit } from '../pool.ts';
import type { ManifestNode } from '../domain/manifest.ts';
import type { DeleteCounts, DeleteResult, ObjectKind } from '../domain/objects.ts';

export type { DeleteCounts } from '../domain/objects.ts';
import type { SwiftClient } from '../swift/client.ts';
import { SwiftError, toSwiftError } from '../swift/errors.ts';
import { isRetryableStatus } from '../swift/retry.ts';
import { capabilities, clusterInfo } from '../swift/info.ts';
import { decodeName, encodeName } from '../swift/names.ts';
import { deleteObject, headObject } from '../swift/objects.ts';
import { bareSegmentPath, LEAF_LIMITS, loadGraph, manifestReferences, resolveObject, type ResolvedObject } from './resolve.ts';


/** The JSON Swift's bulk middleware answers to multipart-manifest=delete and ?bulk-delete. */
export interface BulkDeleteBody {
  status: number;
  statusText: string;
  deleted: number;
  notFound: number;
  errors: { path: string; message: string }[];
  responseBody: string;
}

/** Parses a bulk-delete JSON body (whitespace may precede it); null when it is not one. */
export function parseBulkDeleteBody(text: string): BulkDeleteBody | null {
  let data: unknown;
  try {
    data = JSON.parse(text.trim());
  } catch {
    return null;
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return null;
  const d = data as Record<string, unknown>;
  const status = d['Response Status'];
  if (typeof status !== 'string') return null;
  const m = /^(\d{3})\s*(.*)$/.exec(status.trim());
  const errors = Array.isArray(d['Errors'])
    ? (d['Errors'] as unknown[]).map((e) => (Array.isArray(e) ? { path: String(e[0] ?? ''), message: String(e[1] ?? '') } : { path: '', message: String(e) }))
    : [];
  return {
    status: m ? Number(m[1]) : 0,
    statusText: m ? m[2]! : status,
    deleted: Number(d['Number Deleted'] ?? 0) || 0,
    notFound: Number(d['Number Not Found'] ?? 0) || 0,
    errors,
    responseBody: typeof d['Response Body'] === 'string' ? d['Response Body'] : '',
  };
}

/** A bulk answer's error path as a plain "container/object": Swift quotes it (safe '/'), and may lead with '/'. */
function bulkErrorPath(quoted: string): string {
  return bareSegmentPath(decodeName(quoted));
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function errorTail(errors: DeleteCounts['errors']): string {
  if (!errors.length) return '';
  const shown = errors.slice(0, 3).map((e) => `${e.path ? `${e.path}: ` : ''}${e.message}`).join('; ');
  return ` ${plural(errors.length, 'item')} could not be deleted (${shown}${errors.length > 3 ? `; and ${errors.length - 3} more` : ''}).`;
}

function goneTail(notFound: number): string {
  return notFound ? ` ${plural(notFound, 'segment was', 'segments were')} already gone.` : '';
}

// ---------- deleting many paths ----------

/** Paths per ?bulk-delete request: the cluster's max_deletes_per_request, kept to 1000 so each request stays small. */
async function bulkBatchSize(client: SwiftClient): Promise<number> {
  // Unreadable /info: Swift's default (10000), which the cap makes 1000 anyway.
  const v = (await clusterInfo(client).catch(() => null))?.bulk_delete?.max_deletes_per_request;
  return Math.min(typeof v === 'number' && v > 0 ? v : 10000, 1000);
}

function splitPath(path: string): { container: string; object: string } {
  const bare = bareSegmentPath(path);
  const i = bare.indexOf('/');
  return { container: bare.slice(0, i), object: bare.slice(i + 1) };
}

/** Deletes objects one DELETE each (bounded parallelism); 404 counts as not found, other failures are collected. */
async function deleteOneByOne(client: SwiftClient, paths: readonly string[], signal?: AbortSignal, concurrency = 8): Promise<DeleteCounts> {
  const out: DeleteCounts = { deleted: 0, notFound: 0, errors: [] };
  await mapLimit(paths, concurrency, async (path) => {
    const { container, object } = splitPath(path);
    try {
      if (await deleteObject(client, container, object, { missingOk: true, ...(signal ? { signal } : {}) })) out.deleted++;
      else out.notFound++;
    } catch (e) {
      const err = toSwiftError(e);
      if (err.kind === 'cancelled') throw err;
      out.errors.push({ path: `${container}/${object}`, message: err.message });
    }
  }, signal);
  return out;
}

/**
 * Deletes objects given as "container/object" (a leading '/' is fine): `POST ?bulk-delete` in batches when the
 * cluster has the bulk middleware, else one by one. Never throws for individual objects; see `errors`.
 */
export interface DeleteOptions {
  signal?: AbortSignal;
  /** Use the bulk middleware (default: when /info advertises bulk_delete). false forces one DELETE per object. */
  bulk?: boolean;
  /** An SLO with more leaves is deleted object by object from its graph, not by Swift (default LEAF_LIMITS.delete). */
  maxLeaves?: number;
  /** Such an SLO made of more distinct objects is refused before deleting anything (default LEAF_LIMITS.delete). */
  maxObjects?: number;
}

export async function deletePaths(client: SwiftClient, paths: readonly string[], opts: DeleteOptions & { onProgress?: (done: number, total: number) => void } = {}): Promise<DeleteCounts> {
  const total: DeleteCounts = { deleted: 0, notFound: 0, errors: [] };
  if (paths.length === 0) return total;
  const bulk = opts.bulk ?? (await capabilities(client)).bulkDelete;
  const batch = bulk ? await bulkBatchSize(client) : 100;
  if (bulk) {
    // Swift's bulk middleware refuses the WHOLE request ("Invalid File Name") when one URL-encoded line is longer than
    // twice its maximum path length; names near the 1024-byte limit in non-ASCII scripts get there. Those go one by one.
    const long = paths.filter((p) => bulkLine(p).length > BULK_LINE_LIMIT);
    if (long.length) {
      const r = await deleteOneByOne(client, long, opts.signal);
      total.deleted += r.deleted;
      total.notFound += r.notFound;
      total.errors.push(...r.errors);
      const set = new Set(long);
      paths = paths.filter((p) => !set.has(p));
    }
  }
  for (let i = 0; i < paths.length; i += batch) {
    const chunk = paths.slice(i, i + batch);
    let r: DeleteCounts | null = null;
    if (bulk) r = await bulkDelete(client, chunk, opts.signal);
    if (r?.errors.some(passing)) r = await retryPassing(client, r, opts.signal);
    r ??= await deleteOneByOne(client, chunk, opts.signal);
    total.deleted += r.deleted;
    total.notFound += r.notFound;
    total.errors.push(...r.errors);
    opts.onProgress?.(Math.min(i + batch, paths.length), paths.length);
  }
  return total;
}

/** A path the bulk middleware could not delete for a passing reason (a 5xx such as a node down, 429, 498). */
function passing(e: DeleteCounts['errors'][number]): boolean {
  const status = /^(\d{3})\b/.exec(e.message.trim());
  return e.path.includes('/') && status !== null && isRetryableStatus(Number(status[1]));
}

/** Those paths once more, each a DELETE of its own with the client's retries and backoff. */
async function retryPassing(client: SwiftClient, r: DeleteCounts, signal?: AbortSignal): Promise<DeleteCounts> {
  const again = await deleteOneByOne(client, r.errors.filter(passing).map((e) => e.path), signal);
  return { deleted: r.deleted + again.deleted, notFound: r.notFound + again.notFound, errors: [...r.errors.filter((e) => !passing(e)), ...again.errors] };
}

/** Swift's default max path (1024 + 2 + 256) doubled: longer encoded lines make bulk delete refuse the request. */
const BULK_LINE_LIMIT = 2 * (1024 + 2 + 256);

function bulkLine(path: string): string {
  const { container, object } = splitPath(path);
  return `/${encodeName(container)}/${encodeName(object)}`;
}

/** One ?bulk-delete request; null when the answer is not the bulk middleware's JSON (then the caller falls back). */
async function bulkDelete(client: SwiftClient, paths: readonly string[], signal?: AbortSignal): Promise<DeleteCounts | null> {
  const body = paths.map(bulkLine).join('\n');
  const res = await client.request({
    method: 'POST',
    query: { 'bulk-delete': true },
    headers: { accept: 'application/json', 'content-type': 'text/plain' },
    body,
    ok: (status) => !isRetryableStatus(status), // 5xx/429/498 go through the client's retries
    ...(signal ? { signal } : {}),
  });
  const parsed = parseBulkDeleteBody(res.text);
  if (!parsed) return null;
  const errors = [...parsed.errors.map((e) => ({ path: bulkErrorPath(e.path), message: e.message }))];
  if (parsed.status >= 300 && errors.length === 0) {
    errors.push({ path: '', message: `Swift refused the bulk delete (${parsed.status} ${parsed.statusText})${parsed.responseBody ? `: ${parsed.responseBody.trim()}` : ''}.` });
  }
  return { deleted: parsed.deleted, notFound: parsed.notFound, errors };
}

// ---------- large objects ----------

/** What a resolved SLO or DLO is made of: segment objects, and sub-manifests in a safe deletion order (children first). */
export function partsOf(resolved: ResolvedObject): { segments: string[]; subManifests: string[] } {
  if (resolved.kind === 'dlo') {
    const self = `${resolved.container}/${resolved.object}`;
    return { segments: [...new Set(resolved.tree.map((n) => n.path))].filter((p) => p !== self), subManifests: [] };
  }
  // A lazily resolved SLO: its tree holds only the top level, but the graph knows every distinct object.
  if (resolved.graph) {
    const o = resolved.graph.deletionOrder();
    return { segments: o.segments, subManifests: o.subManifests };
  }
  const leaves = new Set<string>();
  const subs = new Set<string>();
  const walk = (nodes: readonly ManifestNode[]) => {
    for (const n of nodes) {
      if (n.kind === 'data') continue;
      if (n.kind === 'sub-slo') {
        walk(n.children ?? []);
        subs.add(n.path); // after its children: post-order
      } else leaves.add(n.path);
    }
  };
  walk(resolved.tree);
  return { segments: [...leaves], subManifests: [...subs].filter((p) => !leaves.has(p)) };
}

/** Every object a resolved SLO or DLO depends on: segments first, then sub-manifests (deepest first). */
export function segmentPathsOf(resolved: ResolvedObject): string[] {
  const { segments, subManifests } = partsOf(resolved);
  return [...segments, ...subManifests];
}

/**
 * Segments first (in parallel or bulk), then sub-manifests one at a time, children before parents — and only when
 * every segment went, so a failure never leaves segments that no remaining manifest lists.
 */
async function deleteInOrder(client: SwiftClient, segments: readonly string[], subManifests: readonly string[], opts: DeleteOptions): Promise<DeleteCounts> {
  const counts = await deletePaths(client, segments, opts);
  if (counts.errors.length) return counts;
  for (const sub of subManifests) {
    const r = await deletePaths(client, [sub], { ...opts, bulk: false });
    counts.deleted += r.deleted;
    counts.notFound += r.notFound;
    counts.errors.push(...r.errors);
    if (r.errors.length) break;
  }
  return counts;
}

/**
 * Deletes the segments (and sub-manifests) of a resolved SLO or DLO, but not the manifest itself. `except` keeps
 * paths ("container/object") still in use — e.g. segments the new manifest of an overwritten object shares.
 */
export async function deleteSegmentsOf(client: SwiftClient, resolved: ResolvedObject, opts: DeleteOptions & { except?: Set<string> } = {}): Promise<DeleteCounts> {
  const { except, ...rest } = opts;
  const keep = new Set([...(except ?? [])].map(bareSegmentPath));
  const { segments, subManifests } = partsOf(resolved);
  return deleteInOrder(client, segments.filter((p) => !keep.has(p)), subManifests.filter((p) => !keep.has(p)), rest);
}

function result(kind: ObjectKind, counts: DeleteCounts, summary: string): DeleteResult {
  return { kind, deleted: counts.deleted, notFound: counts.notFound, errors: counts.errors, summary };
}

/**
 * Swift's multipart-manifest=delete expands sub-manifests once per reference (and gives up, part-way, past 10,000
 * buffered entries), so an SLO with more leaves than `maxLeaves` is deleted here instead, from its measured graph:
 * each distinct object once, segments in bulk-delete batches, then sub-manifests children first, then the manifest.
 * Past `maxObjects` distinct objects it is refused before anything is deleted. Null: small enough for Swift (or a
 * graph that cannot be measured — a cycle, too deep — which is left to Swift's delete as before).
 */
async function deleteHugeSlo(client: SwiftClient, container: string, object: string, opts: DeleteOptions): Promise<DeleteResult | null> {
  const signal = opts.signal;
  const name = `${container}/${object}`;
  const limit = opts.maxLeaves ?? LEAF_LIMITS.delete;
  const measured = await loadGraph(client, container, object, { tolerant: true, ...(signal ? { signal } : {}) }).catch((e: unknown) => {
    const err = toSwiftError(e);
    if (err.kind === 'invalid' || err.kind === 'limit' || err.kind === 'not-found') return null;
    throw err;
  });
  if (!measured || measured.graph.summary.leaves <= limit) return null;
  const order = measured.graph.deletionOrder();
  const objects = order.segments.length + order.subManifests.length;
  const maxObjects = opts.maxObjects ?? LEAF_LIMITS.delete;
  if (objects > maxObjects) {
    const n = (x: number) => x.toLocaleString('en-US');
    throw new SwiftError({ kind: 'limit', message: `${name} is assembled from ${n(measured.graph.summary.leaves)} segment pieces of ${n(objects)} distinct objects, more than the limit of ${n(maxObjects)} objects for deleting it with its segments; it was not attempted. Delete the manifest alone (keep the segments) instead.` });
  }
  const counts = await deleteInOrder(client, order.segments, order.subManifests, { ...(signal ? { signal } : {}), ...(opts.bulk !== undefined ? { bulk: opts.bulk } : {}) });
  const segs = counts.deleted;
  if (counts.errors.length) {
    return result('slo', counts, `Deleted ${plural(segs, 'object')} of ${name} but kept the manifest because some could not be deleted.${errorTail(counts.errors)}`);
  }
  const gone = await deleteObject(client, container, object, { missingOk: true, ...(signal ? { signal } : {}) });
  if (gone) counts.deleted++;
  const pieces = measured.graph.summary.leaves.toLocaleString('en-US');
  const unknown = order.unreadable.length ? ` The sub-manifests ${order.unreadable.join(', ')} could not be read, so their segments may remain.` : '';
  return result('slo', counts, `Deleted ${name} and the ${plural(segs, 'distinct object')} its ${pieces} segment pieces come from.${goneTail(counts.notFound)}${unknown}`);
}

/** Deletes an object and, for SLOs and DLOs, everything it is made of (unless `leaveSegments`). */
export async function deleteObjectAndSegments(client: SwiftClient, container: string, object: string, opts: DeleteOptions & { leaveSegments?: boolean } = {}): Promise<DeleteResult> {
  const signal = opts.signal;
  const name = `${container}/${object}`;
  const stat = await headObject(client, container, object, signal ? { signal } : {});

  if (stat.kind === 'plain' || opts.leaveSegments) {
    // A plain DELETE on a manifest removes only the manifest.
    const gone = await deleteObject(client, container, object, { missingOk: true, ...(signal ? { signal } : {}) });
    const counts = { deleted: gone ? 1 : 0, notFound: gone ? 0 : 1, errors: [] };
    const what = stat.kind === 'slo' ? 'the SLO manifest ' : stat.kind === 'dlo' ? 'the DLO manifest ' : '';
    const kept = stat.kind === 'plain' ? '' : '; its segments were left in place';
    return result(stat.kind, counts, gone ? `Deleted ${what}${name}${kept}.` : `${name} was already gone.`);
  }

  if (stat.kind === 'dlo') {
    const resolved = await resolveObject(client, container, object, signal ? { signal } : {});
    const counts = await deleteSegmentsOf(client, resolved, { ...(signal ? { signal } : {}), ...(opts.bulk !== undefined ? { bulk: opts.bulk } : {}) });
    const segs = counts.deleted;
    if (counts.errors.length) {
      return result('dlo', counts, `Deleted ${plural(segs, 'segment')} of the DLO ${name} but kept the manifest because some segments could not be deleted.${errorTail(counts.errors)}`);
    }
    const gone = await deleteObject(client, container, object, { missingOk: true, ...(signal ? { signal } : {}) });
    if (gone) counts.deleted++;
    return result('dlo', counts, `Deleted the DLO ${name} and ${plural(segs, 'object')} under ${resolved.dlo!.container}/${resolved.dlo!.prefix}.${goneTail(counts.notFound)}`);
  }

  // SLO
  const huge = await deleteHugeSlo(client, container, object, opts);
  if (huge) return huge;
  const bulk = opts.bulk ?? (await capabilities(client)).bulkDelete;
  if (bulk) {
    const res = await client.request({
      method: 'DELETE',
      container,
      object,
      query: { 'multipart-manifest': 'delete' },
      headers: { accept: 'application/json' },
      ok: (status) => !isRetryableStatus(status), // 5xx/429/498 go through the client's retries
      ...(signal ? { signal } : {}),
    });
    const parsed = res.status < 300 ? parseBulkDeleteBody(res.text) : null;
    if (parsed) {
      if (parsed.status === 404) throw new SwiftError({ kind: 'not-found', message: `${name} does not exist (404 Not Found).`, status: 404 });
      const errors = parsed.errors.map((e) => ({ path: bulkErrorPath(e.path), message: e.message }));
      if (parsed.status >= 300 && errors.length === 0) {
        errors.push({ path: name, message: `Swift refused to delete it (${parsed.status} ${parsed.statusText})${parsed.responseBody ? `: ${parsed.responseBody.trim()}` : ''}` });
      }
      const counts = { deleted: parsed.deleted, notFound: parsed.notFound, errors };
      // Number Deleted includes the manifest itself when it went.
      const segs = Math.max(0, parsed.deleted - (parsed.status < 300 ? 1 : 0));
      const summary = parsed.status < 300 && errors.length === 0
        ? `Deleted ${name} and its ${plural(segs, 'segment')}.${goneTail(parsed.notFound)}`
        : `Deleting ${name} was incomplete: ${plural(parsed.deleted, 'object')} deleted.${errorTail(errors)}`;
      return result('slo', counts, summary);
    }
    const transId = res.headers['x-trans-id'];
    if (res.status >= 300 && res.status !== 400 && res.status !== 405 && res.status !== 501) {
      throw new SwiftError({ kind: res.status === 404 ? 'not-found' : 'server', message: `Swift answered ${res.status} when deleting ${name}.`, status: res.status, ...(transId ? { transId } : {}) });
    }
    // Not the bulk middleware's JSON. If the manifest went anyway, its segments can no longer be found from it.
    const still = await headObject(client, container, object, signal ? { signal } : {}).then(() => true, (e: SwiftError) => (e.kind === 'not-found' ? false : Promise.reject(e)));
    if (!still) {
      return result('slo', { deleted: 1, notFound: 0, errors: [{ path: name, message: 'Swift deleted only the manifest and did not report its segments' }] },
        `Deleted the manifest ${name}, but Swift did not delete its segments; find them with the orphan finder.`);
    }
  }
  // By hand: every segment and sub-manifest, then the manifest (so a failure leaves a manifest that still lists them).
  const refs = await manifestReferences(client, container, object, signal ? { signal } : {});
  const counts = await deleteInOrder(client, refs.segments, refs.subManifests, { ...(signal ? { signal } : {}), bulk });
  const segs = counts.deleted;
  if (counts.errors.length) {
    return result('slo', counts, `Deleted ${plural(segs, 'segment')} of ${name} but kept the manifest because some segments could not be deleted.${errorTail(counts.errors)}`);
  }
  const gone = await deleteObject(client, container, object, { missingOk: true, ...(signal ? { signal } : {}) });
  if (gone) counts.deleted++;
  const unknown = refs.unreadable.length ? ` The sub-manifests ${refs.unreadable.join(', ')} could not be read, so their segments may remain.` : '';
  return result('slo', counts, `Deleted ${name} and its ${plural(segs, 'segment')}.${goneTail(counts.notFound)}${unknown}`);
}
