// One request as the transcript records it (secrets already redacted by app/swift/transcript.ts).
import { z } from 'zod';

export const TranscriptEntry = z.object({
  id: z.number(),
  time: z.number(),
  method: z.string(),
  url: z.string(),
  status: z.number().nullable(),
  durationMs: z.number(),
  transId: z.string().optional(),
  requestHeaders: z.record(z.string(), z.string()),
  responseHeaders: z.record(z.string(), z.string()),
  error: z.string().optional(),
});
export type TranscriptEntry = z.infer<typeof TranscriptEntry>;
