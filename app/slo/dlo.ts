// Dynamic Large Objects: a 0-byte manifest whose X-Object-Manifest names a container/prefix; its content is whatever
// the listing of that prefix says right now. Converting one to an SLO pins the segments with their sizes and etags.
import type { FlatSegment } from '../domain/manifest.ts';
import type { DloConversion } from '../domain/orphans.ts';
import type { SwiftClient } from '../swift/client.ts';
import { SwiftError } from '../swift/errors.ts';
import { capabilities } from '../swift/info.ts';
import { headObject } from '../swift/objects.ts';
import type { PutEntry } from './manifest.ts';
import { keptHeaders } from './kept-headers.ts';
import { putManifest } from './manifest-put.ts';
import { listDloSegments, parseDloHeader } from './resolve.ts';

export interface DloInfo {
  container: string;
  object: string;
  /** Where the segments live. */
  segmentContainer: string;
  prefix: string;
  /** Non-empty segment objects in the order Swift concatenates them. */
  segments: FlatSegment[];
  size: number;
  /** ETag Swift reports for the DLO (md5 of the segment etags), unquoted. */
  etag: string;
  headers: Record<string, string>;
}

export async function readDlo(client: SwiftClient, container: string, object: string, opts: { signal?: AbortSignal } = {}): Promise<DloInfo> {
  const stat = await headObject(client, container, object, opts.signal ? { signal: opts.signal } : {});
  if (stat.kind !== 'dlo') {
    throw new SwiftError({ kind: 'invalid', message: `${container}/${object} is not a Dynamic Large Object (it has no X-Object-Manifest header).` });
  }
  const dlo = parseDloHeader(stat.headers['x-object-manifest'] ?? '');
  if (!dlo) throw new SwiftError({ kind: 'invalid', message: `${container}/${object} has an X-Object-Manifest header without a "container/prefix" value.` });
  const self = `${container}/${object}`;
  const listed = await listDloSegments(client, dlo.container, dlo.prefix, opts.signal);
  const segments = listed.segments.filter((s) => s.path !== self).map((s, index) => ({ ...s, index }));
  return { container, object, segmentContainer: dlo.container, prefix: dlo.prefix, segments, size: listed.size, etag: stat.etag, headers: stat.headers };
}

/** The PUT-format manifest that pins a DLO's current segments. */
export function dloToManifest(segments: readonly FlatSegment[]): PutEntry[] {
  return segments.map((s) => ({ path: `/${s.path}`, etag: s.etag, size_bytes: s.segmentSize }));
}

/**
 * Writes an SLO manifest listing the DLO's current segments (real sizes and etags, so Swift checks each one) to
 * `target` (default: the DLO's own name). The DLO is only replaced when Swift accepts the manifest — a refused
 * manifest PUT writes nothing. Content-Type and user metadata are carried over.
 */
export async function convertDloToSlo(
  client: SwiftClient,
  container: string,
  object: string,
  opts: { target?: { container: string; object: string }; signal?: AbortSignal } = {},
): Promise<DloConversion> {
  const dlo = await readDlo(client, container, object, opts);
  const name = `${container}/${object}`;
  if (dlo.segments.length === 0) {
    throw new SwiftError({ kind: 'invalid', message: `The DLO ${name} has no segments under ${dlo.segmentContainer}/${dlo.prefix}, so there is nothing to pin in an SLO.` });
  }
  const caps = await capabilities(client);
  if (!caps.slo) throw new SwiftError({ kind: 'limit', message: `This cluster does not offer Static Large Objects, so ${name} cannot be converted.` });
  if (dlo.segments.length > caps.slo.maxManifestSegments) {
    throw new SwiftError({ kind: 'limit', message: `The DLO ${name} has ${dlo.segments.length} segments; this cluster allows at most ${caps.slo.maxManifestSegments} in one SLO manifest.` });
  }
  const small = dlo.segments.slice(0, -1).find((s) => s.segmentSize < caps.slo!.minSegmentSize);
  if (small) {
    throw new SwiftError({ kind: 'limit', message: `Segment ${small.path} of the DLO ${name} is ${small.segmentSize} bytes; this cluster requires every SLO segment but the last to be at least ${caps.slo.minSegmentSize} bytes.` });
  }
  const target = opts.target ?? { container, object };
  const headers = keptHeaders(dlo.headers);
  const manifest = dloToManifest(dlo.segments);
  const { etag } = await putManifest(client, target.container, target.object, manifest, { headers, ...(opts.signal ? { signal: opts.signal } : {}) });
  const replaced = target.container === container && target.object === object;
  const where = replaced ? `${name} is now a Static Large Object` : `Wrote the Static Large Object ${target.container}/${target.object} from the DLO ${name} (the DLO is unchanged)`;
  return {
    container: target.container,
    object: target.object,
    etag,
    size: dlo.size,
    segments: dlo.segments.length,
    replaced,
    summary: `${where}: ${dlo.segments.length} segment${dlo.segments.length === 1 ? '' : 's'}, ${dlo.size} bytes, each pinned by size and etag.`,
  };
}
