// Any page of an object's leaves by index, for the viewer's segment table: an SLO's manifest graph is measured once
// and kept (per object and ETag) in a small cache, then leaf N is reached by skipping whole subtrees by their counts,
// so leaf 731,000,000 of a 10⁹-leaf SLO costs a few steps down the graph, not 731,000,000.
import type { FlatSegment } from '../domain/manifest.ts';
import type { SwiftClient } from '../swift/client.ts';
import { headObject } from '../swift/objects.ts';
import type { ManifestGraph } from './manifest-graph.ts';
import { loadGraph, resolveObject } from './resolve.ts';

export interface LeafPage {
  /** Leaves in the whole object. */
  total: number;
  /** Index of the first leaf returned. */
  from: number;
  leaves: FlatSegment[];
}

/** Most leaves one page holds. */
export const MAX_PAGE = 1000;

/** Measured graphs of the last few objects paged through, keyed by account, path, ETag and date (a new ETag is a new object). */
export class GraphCache {
  private readonly graphs = new Map<string, Promise<ManifestGraph>>();
  constructor(private readonly size = 4) {}

  get(key: string, load: () => Promise<ManifestGraph>): Promise<ManifestGraph> {
    let g = this.graphs.get(key);
    if (g) this.graphs.delete(key); // re-inserted below: most recently used last
    else g = load();
    this.graphs.set(key, g);
    g.catch(() => this.graphs.delete(key));
    while (this.graphs.size > this.size) this.graphs.delete(this.graphs.keys().next().value!);
    return g;
  }
}

function take(leaves: Iterable<FlatSegment>, count: number): FlatSegment[] {
  const out: FlatSegment[] = [];
  if (count <= 0) return out;
  for (const leaf of leaves) {
    out.push(leaf);
    if (out.length >= count) break;
  }
  return out;
}

/** Leaves `from`..`from + count - 1` of an SLO or DLO (a plain object has none). */
export async function leafPage(client: SwiftClient, container: string, object: string, from: number, count: number, cache = new GraphCache(1), signal?: AbortSignal): Promise<LeafPage> {
  const n = Math.min(MAX_PAGE, Math.max(0, Math.trunc(count)));
  const start = Math.max(0, Math.trunc(from));
  const stat = await headObject(client, container, object, signal ? { signal } : {});
  if (stat.kind === 'slo') {
    const key = `${client.storageUrl ?? ''}\0${container}/${object}\0${stat.etag}\0${stat.lastModified}`;
    const graph = await cache.get(key, async () => (await loadGraph(client, container, object, { tolerant: true, ...(signal ? { signal } : {}) })).graph);
    return { total: graph.summary.leaves, from: start, leaves: take(graph.leaves(start), n) };
  }
  if (stat.kind === 'dlo') {
    const r = await resolveObject(client, container, object, { stat, ...(signal ? { signal } : {}) });
    return { total: r.segments.length, from: start, leaves: r.segments.slice(start, start + n) };
  }
  return { total: 0, from: start, leaves: [] };
}
