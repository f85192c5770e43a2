// What the manifest rulebook (app/slo/rules.ts) reports, as data: findings about a manifest, and the steps of the fix
// the doctor proposes. Both carry a human sentence (the CLI prints it, the GUI shows it) next to the structured fields
// a front end renders from — no front end ever parses the sentence. No Node or DOM imports: the renderer bundles this.
import { z } from 'zod';

export const Severity = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

/** A JSON value as it appears in a manifest entry (what the user wrote, or what a fix writes). */
export const JsonValue = z.json();
export type JsonValue = z.infer<typeof JsonValue>;

/**
 * Something a front end can offer to do about a finding: `doctor-fix` rebuilds the manifest from the segments that
 * exist (the CLI says `slo doctor … --fix`, the GUI has "Fix it…"); `doctor-fix-drop-missing` does so leaving out
 * entries whose segment cannot be found; `compose-prefix` makes an SLO of a DLO's segments.
 */
export const FindingAction = z.enum(['doctor-fix', 'doctor-fix-drop-missing', 'compose-prefix']);
export type FindingAction = z.infer<typeof FindingAction>;

/** One thing the rulebook found. `index` is the 0-based manifest entry, as Swift counts; null for the whole object. */
export const Finding = z.object({
  severity: Severity,
  /** Stable machine-readable code, e.g. "not-an-slo", "misspelled-key", "container-missing" (see docs/doctor.md). */
  code: z.string(),
  index: z.number().nullable(),
  /** The manifest key concerned, by meaning ("path", "etag", "size_bytes", "range", "data"). */
  field: z.string().optional(),
  /** What was written (a value, or the key as spelled for key findings), when it matters. */
  old: JsonValue.optional(),
  /** What it should be, when the rulebook knows. */
  new: JsonValue.optional(),
  message: z.string(),
  suggestion: z.string().optional(),
  action: FindingAction.optional(),
});
export type Finding = z.infer<typeof Finding>;

/**
 * One change the doctor's fix makes to the manifest as written, entry by entry:
 * - `rename-key`: the key written as `key` becomes `field` (its value is covered by a `set-value` step if it changes);
 * - `remove-key`: the key `key` (value `old`) goes;
 * - `set-value`: `field` goes from `old` (absent when the entry did not have it) to `new`;
 * - `drop-entry`: the whole entry is left out.
 */
export const FixStep = z.object({
  action: z.enum(['rename-key', 'remove-key', 'set-value', 'drop-entry']),
  index: z.number(),
  field: z.string().optional(),
  key: z.string().optional(),
  old: JsonValue.optional(),
  new: JsonValue.optional(),
  message: z.string(),
});
export type FixStep = z.infer<typeof FixStep>;

/** What writing the proposed manifest gives: the SLO's size and ETag, every change, the entries left out. */
export const FixPlan = z.object({
  etag: z.string(),
  size: z.number(),
  steps: z.array(FixStep),
  /** Entry numbers (as written) left out of the proposed manifest. */
  dropped: z.array(z.number()),
});
export type FixPlan = z.infer<typeof FixPlan>;

/** Why the doctor proposes no manifest, when the object needs one. */
export const FixBlock = z.object({
  message: z.string(),
  /** Entries (as written) that block the fix. */
  entries: z.array(z.number()),
  /** Leaving out entries whose segment cannot be found would unblock it. */
  dropMissingHelps: z.boolean(),
});
export type FixBlock = z.infer<typeof FixBlock>;
