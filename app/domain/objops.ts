// Temp URLs (keys and signed URLs) and server-side copies, as they cross the contract.
import { z } from 'zod';
import { ObjectKind } from './objects.ts';

/** A temp-URL key slot: whether it is set, and its value only when the user asked to reveal it. */
export const TempUrlKeySlot = z.object({ set: z.boolean(), value: z.string().optional() });
export type TempUrlKeySlot = z.infer<typeof TempUrlKeySlot>;

export const TempUrlKeys = z.object({
  account: z.object({ key: TempUrlKeySlot, key2: TempUrlKeySlot }),
  container: z.object({ name: z.string(), key: TempUrlKeySlot, key2: TempUrlKeySlot }).optional(),
  /** From /info: the digests the cluster accepts (empty: the cluster has no tempurl middleware) and the methods. */
  digests: z.array(z.string()),
  methods: z.array(z.string()),
});
export type TempUrlKeys = z.infer<typeof TempUrlKeys>;

export const TempUrlMethod = z.enum(['GET', 'HEAD', 'PUT']);
export type TempUrlMethod = z.infer<typeof TempUrlMethod>;

export const TempUrl = z.object({
  url: z.string(),
  method: TempUrlMethod,
  /** Seconds since the epoch. */
  expiresAt: z.number(),
  digest: z.string(),
  keyScope: z.enum(['account', 'container']),
  kind: ObjectKind,
  /** Sentences worth showing with the URL (what it serves, who can use it). */
  notes: z.array(z.string()),
});
export type TempUrl = z.infer<typeof TempUrl>;

/** manifest: a large object's manifest (segments shared); data: one plain object; segments: an SLO's segments copied too (a new SLO). */
export const CopyMode = z.enum(['manifest', 'data', 'segments']);
export type CopyMode = z.infer<typeof CopyMode>;

export const CopyResult = z.object({
  source: z.object({ container: z.string(), object: z.string() }),
  target: z.object({ container: z.string(), object: z.string() }),
  kind: ObjectKind,
  /** 'manifest': a large object's manifest was copied, the segments are shared; 'data': a new plain object; 'segments': a new SLO with its own segments. */
  mode: CopyMode,
  /** The source (only the manifest, for a large object) was deleted after the copy was checked. */
  moved: z.boolean(),
  size: z.number(),
  etag: z.string(),
  summary: z.string(),
});
export type CopyResult = z.infer<typeof CopyResult>;
