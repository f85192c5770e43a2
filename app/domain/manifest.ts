// Manifests: PUT-format entries, the flattened segments and tree of a resolved SLO, and what inspect/verify report.
import { z } from 'zod';
import { ObjectKind } from './objects.ts';

/** A PUT-format manifest entry (what ?multipart-manifest=put accepts). */
export const ManifestEntry = z.union([
  z.object({ path: z.string(), etag: z.string().nullable().optional(), size_bytes: z.number().nullable().optional(), range: z.string().optional() }),
  z.object({ data: z.string() }),
]);
export type ManifestEntry = z.infer<typeof ManifestEntry>;

/** One leaf of a flattened manifest: a byte run of a real segment object, or inline data. */
export const FlatSegment = z.object({
  index: z.number(),
  /** "container/object" of the segment, or "" for inline data. */
  path: z.string(),
  /** Offset of this run in the assembled object. */
  offset: z.number(),
  /** Bytes this run contributes. */
  size: z.number(),
  /** Full size of the segment object as the manifest records it. */
  segmentSize: z.number(),
  etag: z.string().nullable(),
  range: z.string().optional(),
  /** Chain of sub-manifest paths this leaf came through ("" at the top). */
  via: z.array(z.string()),
  data: z.boolean().optional(),
});
export type FlatSegment = z.infer<typeof FlatSegment>;

export interface ManifestNode {
  path: string;
  size: number;
  etag: string | null;
  kind: 'segment' | 'sub-slo' | 'data';
  range?: string | undefined;
  children?: ManifestNode[] | undefined;
  /** Sub-manifests: leaves and nesting depth below this entry (known without expanding it). */
  leaves?: number | undefined;
  depth?: number | undefined;
}
export const ManifestNode: z.ZodType<ManifestNode> = z.lazy(() =>
  z.object({
    path: z.string(),
    size: z.number(),
    etag: z.string().nullable(),
    kind: z.enum(['segment', 'sub-slo', 'data']),
    range: z.string().optional(),
    children: z.array(ManifestNode).optional(),
    leaves: z.number().optional(),
    depth: z.number().optional(),
  }),
);

export const DeletePlan = z.object({
  /** Every container that loses objects when the object goes with its segments, and how many (manifest included). */
  containers: z.array(z.object({ container: z.string(), objects: z.number() })),
  /** Those beyond the object's own container and its default segment container: a user confirms these. */
  beyondOwn: z.array(z.string()),
});
export type DeletePlan = z.infer<typeof DeletePlan>;

export const InspectResult = z.object({
  container: z.string(),
  object: z.string(),
  kind: ObjectKind,
  size: z.number(),
  contentType: z.string(),
  lastModified: z.string(),
  /** ETag Swift reports for the whole object (unquoted). */
  etag: z.string(),
  /** SLO: ETag recomputed from the manifest; compare with `etag`. */
  computedEtag: z.string().optional(),
  etagMatches: z.boolean().optional(),
  manifestEtag: z.string().optional(),
  segmentCount: z.number(),
  depth: z.number(),
  segments: z.array(FlatSegment),
  tree: z.array(ManifestNode),
  /**
   * Set when segmentCount is over the listing limit: `segments` is then empty and `tree` holds only the top-level
   * entries (sub-manifests with their leaf counts), because listing every leaf would not fit in memory.
   */
  listLimit: z.number().optional(),
  /** The manifest as Swift returns it with format=raw (PUT format), for the raw JSON view. */
  raw: z.unknown().optional(),
  dlo: z.object({ container: z.string(), prefix: z.string() }).optional(),
  /** Things a user should know. */
  notes: z.array(z.string()),
  /** Set when a plain object's body is a manifest stored as ordinary data: the sentence that says so. */
  notAnSlo: z.string().optional(),
  /** What deleting it with its segments removes, by container. */
  deletePlan: DeletePlan.optional(),
});
export type InspectResult = z.infer<typeof InspectResult>;

export const SegmentCheck = z.object({
  index: z.number(),
  path: z.string(),
  status: z.enum(['ok', 'missing', 'size-mismatch', 'etag-mismatch', 'error']),
  expectedSize: z.number().nullable(),
  actualSize: z.number().nullable(),
  expectedEtag: z.string().nullable(),
  actualEtag: z.string().nullable(),
  message: z.string(),
});
export type SegmentCheck = z.infer<typeof SegmentCheck>;

export const VerifyResult = z.object({
  ok: z.boolean(),
  kind: ObjectKind,
  checked: z.number(),
  problems: z.number(),
  segments: z.array(SegmentCheck),
  summary: z.string(),
});
export type VerifyResult = z.infer<typeof VerifyResult>;
