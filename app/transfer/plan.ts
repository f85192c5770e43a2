// Upload planning: segment size, count and nesting from the file size and the cluster's /info limits.
//
// Defaults and why:
// - 64 MiB segments: big enough that per-request overhead is noise (and far above the 1 MiB under which Swift
//   throttles SLO reads), small enough that 4 parallel PUTs keep a 256 MiB file busy and a resume re-sends little.
// - Files at or under the segment size go up as one ordinary object (that includes 0-byte files), unless the caller
//   asks for an SLO anyway (asSlo): then a file at or under the segment size is an SLO of one segment.
// - By default the segment size grows (in whole MiB) so one manifest holds every segment: no nesting unless even the
//   largest allowed segment would need more entries than max_manifest_segments.
// - An explicit segment size is honoured (clamped into Swift's limits, with a warning); too many segments then
//   means sub-manifests, one level deep (count ≤ entriesPerManifest²).
import type { Capabilities } from '../domain/cluster.ts';
import type { UploadPlan } from '../domain/transfer.ts';
import { SwiftError } from '../swift/errors.ts';

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;
export const DEFAULT_SEGMENT_SIZE = 64 * MiB;
export const DEFAULT_CONCURRENCY = 4;
/** Swift's proxy slows SLO GETs after this many segments when segments are smaller than RATE_LIMIT_UNDER_SIZE. */
const RATE_LIMIT_AFTER_SEGMENT = 10;
const RATE_LIMIT_UNDER_SIZE = MiB;
const MANY_SEGMENTS = 10_000;

export interface PlanInput {
  size: number;
  segmentSize?: number | undefined;
  concurrency?: number | undefined;
  /** Adaptive concurrency's ceiling (see adaptive.ts); default: the concurrency, i.e. fixed. */
  maxConcurrency?: number | undefined;
  container: string;
  /** Used to estimate manifest JSON size against max_manifest_size. */
  object?: string | undefined;
  segmentContainer?: string | undefined;
  /** Segment even a file at or under the segment size (an SLO of one segment, or of several with a smaller size). */
  asSlo?: boolean | undefined;
}

/** Largest single object (and so segment) this cluster accepts. */
export function maxSegmentSize(caps: Capabilities): number {
  return Math.min(5 * GiB, caps.maxFileSize);
}

/** Bytes one manifest entry takes in the PUT JSON, generously estimated for swiftclient-style segment names. */
export function entryBytes(segmentContainer: string, object: string): number {
  // {"path": "/<c>/<o>/slo/<mtime>/<size>/<segsize>/<8 digits>", "etag": "<32 hex>", "size_bytes": <n>},
  // JSON escaping can at most ~6× a character (\uXXXX); names are usually plain, so count UTF-8 bytes × 2 as margin.
  const pathBytes = Buffer.byteLength(`/${segmentContainer}/${object}/slo/0000000000.000000/${'9'.repeat(16)}/${'9'.repeat(11)}/00000000`);
  return 2 * pathBytes + 100;
}

/** Entries one manifest can hold: max_manifest_segments, and fewer when long names would break max_manifest_size. */
export function entriesPerManifest(caps: Capabilities, segmentContainer: string, object: string): number {
  const slo = caps.slo;
  if (!slo) return 0;
  const bySize = Math.floor(slo.maxManifestSize / entryBytes(segmentContainer, object));
  return Math.max(1, Math.min(slo.maxManifestSegments, bySize));
}

export function defaultSegmentContainer(container: string): string {
  return `${container}_segments`;
}

function roundUpMiB(n: number): number {
  return Math.ceil(n / MiB) * MiB;
}

function human(n: number): string {
  if (n >= GiB && n % GiB === 0) return `${n / GiB} GiB`;
  if (n >= MiB && n % MiB === 0) return `${n / MiB} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

export function planUpload(input: PlanInput, caps: Capabilities): UploadPlan {
  const { size } = input;
  if (!Number.isSafeInteger(size) || size < 0) throw new SwiftError({ kind: 'invalid', message: `The file size ${size} is not a valid byte count.` });
  const warnings: string[] = [];
  const concurrency = Math.max(1, Math.min(32, Math.floor(input.concurrency ?? DEFAULT_CONCURRENCY)));
  const maxConcurrency = Math.max(concurrency, Math.min(32, Math.floor(input.maxConcurrency ?? concurrency)));
  const segmentContainer = input.segmentContainer ?? defaultSegmentContainer(input.container);
  const object = input.object ?? 'x'.repeat(64);
  const maxSeg = maxSegmentSize(caps);
  const slo = caps.slo;

  let segmentSize: number;
  if (input.segmentSize !== undefined) {
    if (!Number.isSafeInteger(input.segmentSize) || input.segmentSize < 1) {
      throw new SwiftError({ kind: 'invalid', message: `The segment size ${input.segmentSize} is not a positive whole number of bytes.` });
    }
    segmentSize = input.segmentSize;
    if (segmentSize > maxSeg) {
      warnings.push(`The segment size was lowered from ${human(segmentSize)} to ${human(maxSeg)}, the largest object this cluster accepts.`);
      segmentSize = maxSeg;
    }
    const min = slo?.minSegmentSize ?? 1;
    if (segmentSize < min && size > segmentSize) {
      warnings.push(`The segment size was raised from ${human(segmentSize)} to ${human(min)}, this cluster's min_segment_size.`);
      segmentSize = min;
    }
  } else {
    segmentSize = DEFAULT_SEGMENT_SIZE;
    const perManifest = slo ? entriesPerManifest(caps, segmentContainer, object) : 0;
    if (perManifest > 0 && Math.ceil(size / segmentSize) > perManifest) {
      segmentSize = Math.min(maxSeg, roundUpMiB(Math.ceil(size / perManifest)));
    }
    segmentSize = Math.min(segmentSize, maxSeg);
  }

  // An empty file has nothing to segment: it is one ordinary object even when an SLO was asked for.
  const single = size === 0 || (size <= segmentSize && !input.asSlo);
  // An SLO asked for a file at or under the segment size: one segment, as large as the file.
  if (!single && size <= segmentSize) segmentSize = size;
  if (single) {
    if (size > caps.maxFileSize) {
      throw new SwiftError({ kind: 'limit', message: `The file is ${human(size)}, more than this cluster's largest object (${human(caps.maxFileSize)}).` });
    }
    return { size, segmentSize, segmentCount: size === 0 ? 0 : 1, concurrency, maxConcurrency, single: true, subManifests: 0, segmentContainer, warnings };
  }

  if (!slo) {
    throw new SwiftError({
      kind: 'limit',
      message: `This cluster does not offer Static Large Objects (no "slo" in /info), so a ${human(size)} file cannot be uploaded in segments.`,
    });
  }
  const segmentCount = Math.ceil(size / segmentSize);
  const perManifest = entriesPerManifest(caps, segmentContainer, object);
  let subManifests = 0;
  if (segmentCount > perManifest) {
    subManifests = Math.ceil(segmentCount / perManifest);
    if (subManifests > perManifest) {
      const need = Math.ceil(size / (perManifest * perManifest));
      if (need > maxSeg) {
        throw new SwiftError({
          kind: 'limit',
          message: `A ${human(size)} file cannot be uploaded to this cluster: even segments of ${human(maxSeg)} (its largest object) make ${Math.ceil(size / maxSeg)} segments, more than the ${perManifest * perManifest} that two levels of manifests of at most ${perManifest} entries hold.`,
        });
      }
      throw new SwiftError({
        kind: 'limit',
        message: `${segmentCount} segments of ${human(segmentSize)} need more than two levels of manifests (at most ${perManifest} entries each); use segments of at least ${need} bytes.`,
      });
    }
    warnings.push(`${segmentCount} segments exceed the ${perManifest} entries one manifest may hold on this cluster; the upload uses ${subManifests} sub-manifests.`);
  }
  if (segmentSize < RATE_LIMIT_UNDER_SIZE && segmentCount > RATE_LIMIT_AFTER_SEGMENT) {
    warnings.push(
      `Segments under 1 MiB are slow to download: by default Swift serves them at 1 segment per second after the ${RATE_LIMIT_AFTER_SEGMENT}th (rate_limit_under_size).`,
    );
  }
  if (segmentCount > MANY_SEGMENTS) {
    warnings.push(`${segmentCount} segments mean ${segmentCount} requests; a larger segment size would be faster.`);
  }
  return { size, segmentSize, segmentCount, concurrency, maxConcurrency, single: false, subManifests, segmentContainer, warnings };
}
