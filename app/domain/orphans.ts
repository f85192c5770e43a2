// Orphaned segments (objects in segment containers that no manifest references) and DLO→SLO conversion: the
// account maintenance the CLI and both hosts offer through the same service (app/studio/maintenance.ts).
import { z } from 'zod';
import { DeleteCounts } from './objects.ts';

export const Orphan = z.object({
  container: z.string(),
  object: z.string(),
  bytes: z.number(),
  /** The object whose segmented upload wrote this segment, read from its name; null when the name is not ours. */
  upload: z.string().nullable(),
});
export type Orphan = z.infer<typeof Orphan>;

export const OrphanReport = z.object({
  /** Containers searched for orphans ("name", or "name/prefix" when limited to a prefix). */
  segmentContainers: z.array(z.string()),
  orphans: z.array(Orphan),
  /** Distinct objects referenced by manifests anywhere in the account. */
  referenced: z.number(),
  /** Objects looked at in the segment containers. */
  scanned: z.number(),
  /** Bytes held by the orphans. */
  bytes: z.number(),
  /** Unreferenced objects left out because they are newer than the minimum age (maybe an upload in progress). */
  recent: z.number(),
  /** Things worth telling the user (e.g. manifests whose sub-manifests could not be read). */
  notes: z.array(z.string()),
});
export type OrphanReport = z.infer<typeof OrphanReport>;

export const OrphanDeletion = DeleteCounts.extend({ summary: z.string() });
export type OrphanDeletion = z.infer<typeof OrphanDeletion>;

/** Where to look for orphans of `container`'s manifests. */
export const OrphanSearch = z.object({
  container: z.string().min(1),
  /** "name" or "name/prefix"; default: `<container>_segments` plus the containers its manifests use. */
  segmentContainers: z.array(z.string().min(1)).optional(),
  /** Unreferenced objects younger than this are left alone: their manifest may not be written yet (default 60). */
  minAgeMinutes: z.number().min(0).optional(),
});
export type OrphanSearch = z.infer<typeof OrphanSearch>;

export const DloConversion = z.object({
  container: z.string(),
  object: z.string(),
  /** The new SLO's ETag (unquoted). */
  etag: z.string(),
  size: z.number(),
  segments: z.number(),
  /** True when the DLO itself was replaced (the target was the DLO's own name). */
  replaced: z.boolean(),
  summary: z.string(),
});
export type DloConversion = z.infer<typeof DloConversion>;
