// What the manifest doctor and the composer report: findings, fix plans, compositions.
import { z } from 'zod';
import { ManifestEntry } from './manifest.ts';
import { ObjectKind } from './objects.ts';

/** One thing the manifest doctor (or the composer) found. `index` is the 0-based manifest entry, as Swift counts. */
export const Finding = z.object({
  severity: z.enum(['error', 'warning', 'info']),
  /** Stable machine-readable code, e.g. "not-an-slo", "misspelled-key", "container-missing" (see docs/doctor.md). */
  code: z.string(),
  index: z.number().nullable(),
  message: z.string(),
  suggestion: z.string().optional(),
});
export type Finding = z.infer<typeof Finding>;

export const DoctorReport = z.object({
  container: z.string(),
  object: z.string(),
  kind: ObjectKind,
  isSlo: z.boolean(),
  /** Bytes Swift reports for the object (a plain object: its own bytes; an SLO: the total). Null when missing. */
  size: z.number().nullable(),
  findings: z.array(Finding),
  /** Proposed correct manifest built from the segments that really exist (when one can be built). */
  manifest: z.array(ManifestEntry).optional(),
  /** What writing `manifest` would give: the SLO's size and ETag, what changes, which entries are left out. */
  fixPlan: z.object({ etag: z.string(), size: z.number(), notes: z.array(z.string()), dropped: z.array(z.number()) }).optional(),
  /** Why no manifest could be proposed, when the object needs one. */
  fixBlocked: z.string().optional(),
  /** One-line verdict. */
  summary: z.string(),
});
export type DoctorReport = z.infer<typeof DoctorReport>;

export const DoctorFixResult = z.object({
  report: DoctorReport,
  manifest: z.array(ManifestEntry),
  /** SLO ETag Swift returned after the manifest PUT (only when replaced). */
  etag: z.string().optional(),
  replaced: z.boolean(),
  message: z.string(),
});
export type DoctorFixResult = z.infer<typeof DoctorFixResult>;

/** One piece of a composed SLO: an object (or byte range of one, or an existing SLO), inline data, or a prefix. */
export const ComposeEntry = z.union([
  z.object({ path: z.string().min(1), range: z.string().optional() }),
  z.object({ data: z.string(), encoding: z.enum(['utf8', 'base64']).optional() }),
  z.object({ prefix: z.string().min(1) }),
]);
export type ComposeEntry = z.infer<typeof ComposeEntry>;

export const ComposePreview = z.object({
  entries: z.array(ManifestEntry),
  /** Size of the resulting object. */
  size: z.number(),
  /** The SLO ETag Swift will report. */
  etag: z.string(),
  /** Deepest nesting of the result (1: plain segments only). */
  depth: z.number(),
  problems: z.array(Finding),
  ok: z.boolean(),
});
export type ComposePreview = z.infer<typeof ComposePreview>;

export const ComposeResult = ComposePreview.extend({ container: z.string(), object: z.string(), created: z.boolean() });
export type ComposeResult = z.infer<typeof ComposeResult>;
