// What an object really is: kind, real size, segments with offsets, the manifest tree, the raw manifest, and the
// SLO ETag recomputed from the manifest so a user can see it matches what Swift reports.
import type { FlatSegment, InspectResult } from '../domain/manifest.ts';
import type { SwiftClient } from '../swift/client.ts';
import { headObject, readObject } from '../swift/objects.ts';
import { deletePlanOf } from './delete-plan.ts';
import { recomputeEtag } from './etag.ts';
import { toPutFormat } from './manifest.ts';
import { listable, type ManifestGraph } from './manifest-graph.ts';
import { LEAF_LIMITS, loadGraph, readManifest, resolveObject, type ResolvedObject } from './resolve.ts';

/** Plain objects at most this big are read to check whether they are a manifest stored by mistake. */
const SNIFF_LIMIT = 1024 * 1024;

export const NOT_AN_SLO_NOTE =
  'This is not a Static Large Object — it was stored as ordinary data. The PUT probably lacked a correct ?multipart-manifest=put (for example a misspelling such as multiaprt-manifest).';

const MANIFEST_KEY = /^(path|name|etag|hash|size_?bytes|bytes|range|data|size)$/i;

/**
 * Does parsed JSON look like a manifest (PUT or GET format, possibly with misspelled keys)? An array of objects,
 * each naming a segment or carrying inline data with mostly manifest-like keys.
 */
export function looksLikeManifest(data: unknown): boolean {
  if (!Array.isArray(data) || data.length === 0) return false;
  return data.every((e) => {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) return false;
    const keys = Object.keys(e);
    const known = keys.filter((k) => MANIFEST_KEY.test(k.replace(/[-\s]/g, '_')));
    const named = keys.some((k) => /path|name|data/i.test(k));
    return named && known.length >= Math.ceil(keys.length / 2);
  });
}

async function sniffManifestBody(client: SwiftClient, r: ResolvedObject): Promise<boolean> {
  if (r.size === 0 || r.size > SNIFF_LIMIT) return false;
  // The range caps what we read even if the object grew since the HEAD; 416 means it is empty now.
  const range = { range: `bytes=0-${SNIFF_LIMIT - 1}` };
  const { status, text } = await readObject(client, r.container, r.object, { headers: range, ok: (s) => s === 200 || s === 206 || s === 416 }, async (res) => ({ status: res.status, text: await res.body.text() }));
  if (status === 416) return false;
  if (!/^\s*\[/.test(text)) return false;
  try {
    return looksLikeManifest(JSON.parse(text));
  } catch {
    return false;
  }
}

/** Headers and, for an SLO, the measured manifest graph (no leaves yet); DLOs and plain objects resolve as before. */
async function resolveForInspect(client: SwiftClient, container: string, object: string, signal?: AbortSignal): Promise<{ r: ResolvedObject; graph?: ManifestGraph }> {
  // The manifest GET goes out beside the HEAD (one round trip instead of two); on a non-SLO it is refused unread.
  const manifest = readManifest(client, container, object, signal ? { signal } : {});
  manifest.catch(() => undefined);
  const stat = await headObject(client, container, object, signal ? { signal } : {});
  if (stat.kind !== 'slo') return { r: await resolveObject(client, container, object, { stat, tolerant: true, ...(signal ? { signal } : {}) }) };
  // Tolerant: a broken SLO is exactly what someone inspects; show what can be read and say what cannot.
  const { graph, entries, problems } = await loadGraph(client, container, object, { tolerant: true, entries: manifest, ...(signal ? { signal } : {}) });
  const r: ResolvedObject = {
    container, object, kind: 'slo', size: stat.size, etag: stat.etag, contentType: stat.contentType, lastModified: stat.lastModified,
    ...(stat.manifestEtag ? { manifestEtag: stat.manifestEtag } : {}),
    segments: [], tree: [], depth: graph.summary.depth, entries, headers: stat.headers, ...(problems.length ? { problems } : {}),
  };
  return { r, graph };
}

export interface InspectOptions {
  signal?: AbortSignal;
  /** Most leaves listed in full (default LEAF_LIMITS.preview). */
  listLimit?: number;
  /** SLO: list only the leaves numbered from..from+count-1, reached by counts (any index of any SLO is cheap). */
  page?: { from: number; count: number };
}

function leafPage(graph: ManifestGraph, from: number, count: number): FlatSegment[] {
  const out: FlatSegment[] = [];
  for (const leaf of graph.leaves(Math.max(0, Math.trunc(from)))) {
    if (out.length >= count) break;
    out.push(leaf);
  }
  return out;
}

/**
 * What an object is. An SLO with at most `listLimit` leaves (default LEAF_LIMITS.preview) comes with every leaf and
 * the full tree; a bigger one with its counts and top-level entries only — measured, never expanded.
 */
export async function inspectObject(client: SwiftClient, container: string, object: string, opts: InspectOptions = {}): Promise<InspectResult> {
  const { r, graph } = await resolveForInspect(client, container, object, opts.signal);
  const listLimit = opts.listLimit ?? LEAF_LIMITS.preview;
  const summary = graph?.summary;
  const listed = !summary || listable(summary, listLimit);
  if (graph) {
    r.segments = opts.page ? leafPage(graph, opts.page.from, opts.page.count) : listed ? [...graph.leaves()] : [];
    r.tree = graph.tree(listed);
  }
  const notes: string[] = [];
  const result: InspectResult = {
    container,
    object,
    kind: r.kind,
    size: r.size,
    contentType: r.contentType,
    lastModified: r.lastModified,
    etag: r.etag,
    ...(r.manifestEtag ? { manifestEtag: r.manifestEtag } : {}),
    segmentCount: summary ? summary.leaves : r.segments.length,
    depth: r.depth,
    segments: r.segments,
    tree: r.tree,
    ...(listed ? {} : { listLimit }),
    ...(r.dlo ? { dlo: r.dlo } : {}),
    notes,
    // From the graph's distinct paths: the tree of a big SLO holds only its top-level entries.
    deletePlan: deletePlanOf(container, object, graph ? graph.referencedPaths() : r),
  };

  const computed = recomputeEtag(r);
  if (computed !== undefined) result.computedEtag = computed;
  if (r.kind === 'slo') {
    if (computed !== undefined) result.etagMatches = computed === r.etag;
    result.raw = toPutFormat(r.entries ?? []);
    if (result.etagMatches === false) {
      notes.push(`The ETag recomputed from the manifest (${computed}) differs from the one Swift reports (${r.etag}); the manifest may have been rewritten by a tool that does not follow Swift's rules.`);
    }
    for (const p of r.problems ?? []) notes.push(`${p} Reading this object will fail; run verify for details.`);
    if (!listed) notes.push(`This SLO assembles ${summary!.leaves.toLocaleString('en-US')} segment pieces, too many to list in full (the limit is ${listLimit.toLocaleString('en-US')}).`);
    const leafBytes = summary!.size;
    if (leafBytes !== r.size && !r.problems) notes.push(`The segments add up to ${leafBytes} bytes but Swift reports ${r.size}; a sub-manifest probably changed after this manifest was written.`);
    if (r.depth > 1) notes.push(`This SLO is nested ${r.depth} levels deep (sub-manifests inside the manifest).`);
  } else if (r.kind === 'dlo') {
    if (r.etag) result.etagMatches = computed === r.etag;
    notes.push(`This is a Dynamic Large Object: its content is whatever objects currently start with "${r.dlo!.prefix}" in container ${r.dlo!.container}, and listings are eventually consistent. Converting it to an SLO pins the segments and their checksums.`);
    if (r.tree.length === 0) notes.push(`No objects match the prefix "${r.dlo!.prefix}" in container ${r.dlo!.container}, so this object reads as empty.`);
  } else if (r.kind === 'plain' && (await sniffManifestBody(client, r))) {
    result.notAnSlo = NOT_AN_SLO_NOTE;
  }
  return result;
}
