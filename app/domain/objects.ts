// Containers and objects as listings and HEAD show them, and what deleting one did.
import { z } from 'zod';

export const ContainerEntry = z.object({ name: z.string(), count: z.number(), bytes: z.number(), lastModified: z.string().optional() });
export type ContainerEntry = z.infer<typeof ContainerEntry>;

export const ObjectKind = z.enum(['slo', 'dlo', 'plain', 'unknown']);
export type ObjectKind = z.infer<typeof ObjectKind>;

export const ObjectEntry = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('object'),
    name: z.string(),
    bytes: z.number(),
    hash: z.string(),
    contentType: z.string(),
    lastModified: z.string(),
    /** From the listing's slo_etag / content_type swift_bytes hints when present, else 'unknown'. */
    kind: ObjectKind,
  }),
  z.object({ type: z.literal('folder'), name: z.string() }),
]);
export type ObjectEntry = z.infer<typeof ObjectEntry>;

export const ObjectStat = z.object({
  container: z.string(),
  object: z.string(),
  kind: ObjectKind,
  size: z.number(),
  etag: z.string(),
  contentType: z.string(),
  lastModified: z.string(),
  manifestEtag: z.string().optional(),
  dloPrefix: z.string().optional(),
  metadata: z.record(z.string(), z.string()),
  headers: z.record(z.string(), z.string()),
});
export type ObjectStat = z.infer<typeof ObjectStat>;

/** The first bytes of an object (a Range GET), for a text/hex preview. */
export const ObjectPeek = z.object({
  /** The bytes read, base64. */
  base64: z.string(),
  /** The object's full size, from Content-Range (or the length read when Swift sent it all). */
  total: z.number(),
  /** The bytes as text when they are UTF-8 without control characters (a cut multi-byte character at the end is dropped). */
  text: z.string().nullable(),
});
export type ObjectPeek = z.infer<typeof ObjectPeek>;

/** What a batch of deletes did: deleted, already gone, and the paths that failed with why. */
export const DeleteCounts = z.object({
  deleted: z.number(),
  notFound: z.number(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
});
export type DeleteCounts = z.infer<typeof DeleteCounts>;

export const DeleteResult = DeleteCounts.extend({
  kind: ObjectKind,
  summary: z.string(),
});
export type DeleteResult = z.infer<typeof DeleteResult>;
