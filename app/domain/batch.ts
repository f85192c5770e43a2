// Folders and batches: many files up under one prefix, a pseudo-folder (or a selection) down into one directory,
// and what to do when an upload meets a name that already exists.
import { z } from 'zod';
import { TransferInfo, UploadSource } from './transfer.ts';

/** An upload onto an existing name: replace it, keep both (the new one gets "name (2).ext"), or skip the file. */
export const IfExists = z.enum(['replace', 'keep-both', 'skip']);
export type IfExists = z.infer<typeof IfExists>;

/** A relative path inside a dropped or picked folder, '/'-separated ("photos/2024/a.jpg"). */
export const RelPath = z.string().min(1).max(4096);

/** One file of a batch as the planner sees it: where it goes (relative to the prefix) and how big it is. */
export const BatchFileSize = z.object({ relPath: RelPath, size: z.number().int().min(0) });
export type BatchFileSize = z.infer<typeof BatchFileSize>;

/** One file of a batch as the uploader sees it: also where its bytes come from. */
export const BatchFile = BatchFileSize.extend({ source: UploadSource });
export type BatchFile = z.infer<typeof BatchFile>;

/** A file found by walking a local folder (Electron, CLI). */
export const FolderFile = z.object({ path: z.string(), relPath: RelPath, size: z.number().int().min(0) });
export type FolderFile = z.infer<typeof FolderFile>;

/** An upload target that already exists, and the name "keep both" would give the new file. */
export const NameConflict = z.object({ object: z.string(), keepBoth: z.string() });
export type NameConflict = z.infer<typeof NameConflict>;

export const BatchPlanItem = z.object({
  relPath: z.string(),
  object: z.string(),
  size: z.number(),
  /** One ordinary PUT (at or under the segment size) rather than an SLO. */
  single: z.boolean(),
  segmentCount: z.number(),
});
export type BatchPlanItem = z.infer<typeof BatchPlanItem>;

export const BatchPlan = z.object({
  count: z.number(),
  totalBytes: z.number(),
  /** Files that become SLOs (larger than the segment size). */
  sloCount: z.number(),
  segmentSize: z.number(),
  concurrency: z.number(),
  segmentContainer: z.string(),
  items: z.array(BatchPlanItem),
  /** Targets that exist already: the overwrite prompt asks about these. */
  conflicts: z.array(NameConflict),
  warnings: z.array(z.string()),
});
export type BatchPlan = z.infer<typeof BatchPlan>;

export const BatchUploadResult = z.object({
  group: z.string(),
  transfers: z.array(TransferInfo),
  /** Existing names left alone ("skip"). */
  skipped: z.array(z.string()),
  /** "Keep both": the new file went up under another name. */
  renamed: z.array(z.object({ from: z.string(), to: z.string() })),
});
export type BatchUploadResult = z.infer<typeof BatchUploadResult>;

/** An object whose name cannot be a file inside the chosen directory as it is: made safe (local set) or refused. */
export const LocalNameChange = z.object({ object: z.string(), local: z.string().nullable(), reason: z.string() });
export type LocalNameChange = z.infer<typeof LocalNameChange>;

export const BatchDownloadResult = z.object({
  group: z.string(),
  transfers: z.array(TransferInfo),
  /** Files in the batch (after refusals) and their total size as listed. */
  count: z.number(),
  totalBytes: z.number(),
  changed: z.array(LocalNameChange),
});
export type BatchDownloadResult = z.infer<typeof BatchDownloadResult>;

export const GroupAction = z.enum(['pause', 'resume', 'cancel', 'dismiss']);
export type GroupAction = z.infer<typeof GroupAction>;
