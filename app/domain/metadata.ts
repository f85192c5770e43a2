// Metadata of an object or a container as the editor shows it, the change a user asks for, and the checks Swift's
// constraints apply (names, values, count, overall size from /info). The checks are pure so the renderer runs them as
// the user types and the service runs the same ones before it sends the POST.
import { z } from 'zod';
import { ObjectKind } from './objects.ts';

export const MetaLimits = z.object({
  maxNameLength: z.number(),
  maxValueLength: z.number(),
  maxCount: z.number(),
  maxOverallSize: z.number(),
});
export type MetaLimits = z.infer<typeof MetaLimits>;

/** Swift's defaults (swift/common/constraints.py), for clusters that hide /info. */
export const DEFAULT_META_LIMITS: MetaLimits = { maxNameLength: 128, maxValueLength: 256, maxCount: 90, maxOverallSize: 4096 };

export const MetadataView = z.object({
  scope: z.enum(['object', 'container']),
  container: z.string(),
  object: z.string().optional(),
  kind: ObjectKind.optional(),
  /** Every header of the HEAD, lower-case, secrets (temp-URL keys) redacted. */
  headers: z.record(z.string(), z.string()),
  /** X-Object-Meta-* / X-Container-Meta-* without the prefix, lower-case names (secrets redacted). */
  metadata: z.record(z.string(), z.string()),
  contentType: z.string().optional(),
  contentDisposition: z.string().optional(),
  /** X-Delete-At, seconds since the epoch. */
  deleteAt: z.number().optional(),
  limits: MetaLimits,
  /** What a POST changes here, in one sentence (e.g. an SLO's manifest, not its segments). */
  note: z.string().optional(),
});
export type MetadataView = z.infer<typeof MetadataView>;

export const MetadataChange = z.object({
  /** Names without the X-…-Meta- prefix. */
  set: z.record(z.string(), z.string()).default({}),
  remove: z.array(z.string()).default([]),
  /** Objects only. */
  contentType: z.string().optional(),
  /** Objects only; null or '' removes it. */
  contentDisposition: z.string().nullable().optional(),
  /** Objects only; seconds since the epoch, null removes the expiry. */
  deleteAt: z.number().int().nullable().optional(),
});
export type MetadataChange = z.infer<typeof MetadataChange>;
export type MetadataChangeInput = z.input<typeof MetadataChange>;

/** Header values travel as ASCII here: no control characters (a CR/LF would split the header). */
const PRINTABLE = /^[\x20-\x7e]*$/;
/** An HTTP token without "_" (eventlet's server drops header names with underscores). */
const NAME = /^[A-Za-z0-9!#$%&'*+.^`|~-]+$/;

const byteLength = (s: string) => new TextEncoder().encode(s).length;

/** The metadata after `change` is applied to `current` (names lower-case). An empty value removes, as in Swift. */
export function applyMetadataChange(current: Record<string, string>, change: Pick<MetadataChange, 'set' | 'remove'>): Record<string, string> {
  const out: Record<string, string> = {};
  const removed = new Set(change.remove.map((k) => k.toLowerCase()));
  for (const [k, v] of Object.entries(current)) if (!removed.has(k.toLowerCase())) out[k.toLowerCase()] = v;
  for (const [k, v] of Object.entries(change.set)) {
    if (v === '') delete out[k.toLowerCase()];
    else out[k.toLowerCase()] = v;
  }
  return out;
}

/**
 * Every reason Swift would refuse the change, as sentences; empty when it can be sent. `nowSeconds` is passed in so
 * the check stays pure (and testable).
 */
export function metadataProblems(scope: 'object' | 'container', current: Record<string, string>, change: MetadataChangeInput, limits: MetaLimits, nowSeconds: number): string[] {
  const c = MetadataChange.parse(change);
  const prefix = scope === 'object' ? 'X-Object-Meta-' : 'X-Container-Meta-';
  const problems: string[] = [];
  for (const [name, value] of Object.entries(c.set)) {
    if (name === '') problems.push('A metadata name cannot be empty.');
    else if (name.includes('_')) problems.push(`The name "${name}" has an underscore; Swift's server drops such headers, so use "-" instead.`);
    else if (!NAME.test(name)) problems.push(`The name "${name}" can only use letters, digits and "-" (no spaces or other signs).`);
    else if (byteLength(name) > limits.maxNameLength) problems.push(`The name "${name}" is ${byteLength(name)} bytes; this cluster allows at most ${limits.maxNameLength} after "${prefix}".`);
    if (!PRINTABLE.test(value)) problems.push(`The value of "${name}" has characters other than printable ASCII; percent-encode them (e.g. %C3%A9 for é).`);
    else if (byteLength(value) > limits.maxValueLength) problems.push(`The value of "${name}" is ${byteLength(value)} bytes; this cluster allows at most ${limits.maxValueLength}.`);
  }
  const after = applyMetadataChange(current, c);
  const count = Object.keys(after).length;
  if (count > limits.maxCount) problems.push(`That makes ${count} metadata items; this cluster allows at most ${limits.maxCount}.`);
  const size = Object.entries(after).reduce((n, [k, v]) => n + byteLength(k) + byteLength(v), 0);
  if (size > limits.maxOverallSize) problems.push(`Names and values add up to ${size} bytes; this cluster allows at most ${limits.maxOverallSize} in all.`);
  if (scope === 'container' && (c.contentType !== undefined || c.contentDisposition !== undefined || c.deleteAt !== undefined)) {
    problems.push('Content-Type, Content-Disposition and an expiry date belong to objects, not containers.');
  }
  if (c.contentType !== undefined && !/^[^\s/;]+\/[^\s;]+(\s*;.*)?$/.test(c.contentType)) problems.push(`"${c.contentType}" is not a content type (like text/plain or application/octet-stream).`);
  if (c.contentType !== undefined && /swift_bytes=/i.test(c.contentType)) problems.push('The content type cannot carry swift_bytes: Swift keeps that parameter for SLO sizes itself.');
  if (c.contentDisposition && !PRINTABLE.test(c.contentDisposition)) problems.push('Content-Disposition has characters other than printable ASCII; use filename*=UTF-8\'\'… with percent-encoding.');
  if (c.deleteAt !== undefined && c.deleteAt !== null && c.deleteAt <= nowSeconds) problems.push('The expiry date is in the past; Swift refuses it (choose a later date, or remove the expiry).');
  return problems;
}
