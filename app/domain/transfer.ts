// Segmented uploads and downloads: the plan, a transfer's state, where bytes come from and go.
import { z } from 'zod';
import { ErrorValue } from './errors.ts';

export const UploadPlan = z.object({
  size: z.number(),
  segmentSize: z.number(),
  segmentCount: z.number(),
  concurrency: z.number(),
  /** Adaptive concurrency: the transfer may grow up to this many while throughput grows (= concurrency: fixed). */
  maxConcurrency: z.number(),
  /** True when the file goes up as one ordinary object (at or under the segment size). */
  single: z.boolean(),
  /** Sub-manifests needed because segmentCount exceeds max_manifest_segments. */
  subManifests: z.number(),
  segmentContainer: z.string(),
  warnings: z.array(z.string()),
});
export type UploadPlan = z.infer<typeof UploadPlan>;

/** Segment states packed one character each: p pending, s sending, v verified, f failed. */
export const SegmentStates = z.string().regex(/^[psvf]*$/);

export const TransferInfo = z.object({
  id: z.string(),
  direction: z.enum(['upload', 'download']),
  state: z.enum(['queued', 'running', 'paused', 'finishing', 'done', 'failed', 'cancelled', 'interrupted']),
  container: z.string(),
  object: z.string(),
  /** File name on the local side (path in Electron/CLI, file name in the browser). */
  local: z.string(),
  totalBytes: z.number(),
  doneBytes: z.number(),
  rateBps: z.number(),
  etaSeconds: z.number().nullable(),
  segmentSize: z.number(),
  segments: SegmentStates,
  /** Bytes re-sent because a segment had to be retried or resumed. */
  resentBytes: z.number(),
  error: ErrorValue.optional(),
  /** Set when done: the object's ETag and whether every byte was checked. */
  result: z.object({ etag: z.string(), verified: z.boolean(), message: z.string() }).optional(),
  startedAt: z.number(),
  updatedAt: z.number(),
  /** Browser mode: where the finished download can be fetched. */
  downloadUrl: z.string().optional(),
  /** The batch (folder up or down) this transfer belongs to; its rows show and act together. */
  group: z.string().optional(),
  /** For a batch: a short label of the whole group, e.g. "photos/ (120 files)". */
  groupLabel: z.string().optional(),
  /** Segments in all, when `segments` folds runs of them into one character (more than 10,000). */
  segmentCount: z.number().optional(),
  /** Segments in flight allowed now; adaptive concurrency may raise it while the transfer runs. */
  concurrency: z.number().optional(),
});
export type TransferInfo = z.infer<typeof TransferInfo>;

/** Where upload bytes come from: a host path (Electron, CLI) or a File held by the browser. */
export const UploadSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('path'), path: z.string().min(1) }),
  z.object({
    kind: z.literal('browser-file'),
    fileId: z.string().min(1),
    name: z.string(),
    size: z.number().int().min(0),
    lastModified: z.number(),
  }),
]);
export type UploadSource = z.infer<typeof UploadSource>;

export const DownloadTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('path'), path: z.string().min(1) }),
  /** Browser mode: the host streams a verified download at `downloadUrl`. */
  z.object({ kind: z.literal('browser') }),
]);
export type DownloadTarget = z.infer<typeof DownloadTarget>;

/** Bytes that can be read again from any offset: a local file, or a file the browser still holds. */
export interface ByteSource {
  readonly size: number;
  /** Identifies the content for resume journals (path + size + mtime, or browser name + size + lastModified). */
  readonly identity: string;
  /** Display name (file name). */
  readonly name: string;
  /**
   * Streams bytes [start, end). Must honour backpressure and the signal. A chunk may be a pooled buffer: it stays
   * intact while the consumer asks for the next two, then may be reused — hash or copy it, never keep it.
   */
  read(start: number, end: number, signal?: AbortSignal): AsyncIterable<Uint8Array>;
  /** Optional fast path: reads up to `length` bytes at `position` into `into` (a pooled buffer); resolves the count. */
  readInto?(into: Uint8Array, position: number, length: number, signal?: AbortSignal): Promise<number>;
  /** Throws an 'io' SwiftError when the source changed since it was opened (size or mtime differ). */
  checkUnchanged(): Promise<void>;
}
