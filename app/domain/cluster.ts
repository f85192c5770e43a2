// What a connected cluster allows (from /info) and the state of the current connection.
import { z } from 'zod';

export const Capabilities = z.object({
  slo: z
    .object({
      maxManifestSegments: z.number(),
      maxManifestSize: z.number(),
      minSegmentSize: z.number(),
      yieldFrequency: z.number().optional(),
      allowAsyncDelete: z.boolean().optional(),
    })
    .nullable(),
  maxFileSize: z.number(),
  maxObjectNameLength: z.number(),
  maxContainerNameLength: z.number(),
  containerListingLimit: z.number(),
  bulkDelete: z.boolean(),
  dlo: z.boolean(),
  swiftVersion: z.string().optional(),
  /** Max nesting depth of SLOs; Swift's fixed limit is 10. */
  maxNestingDepth: z.number(),
});
export type Capabilities = z.infer<typeof Capabilities>;

export const ConnectionState = z.object({
  profileId: z.string(),
  profileName: z.string(),
  storageUrl: z.string(),
  account: z.string(),
  capabilities: Capabilities,
  /** Warnings to show the user (e.g. TLS verification disabled). */
  warnings: z.array(z.string()),
});
export type ConnectionState = z.infer<typeof ConnectionState>;
