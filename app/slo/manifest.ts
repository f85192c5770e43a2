// The SLO manifest in its two shapes. PUT format (what a client sends with ?multipart-manifest=put, and what
// ?multipart-manifest=get&format=raw returns) and GET format (what ?multipart-manifest=get returns by default).
import { SwiftError } from '../swift/errors.ts';

/** A PUT-format entry: a segment object (optionally a byte range of it) or inline data. */
export type PutEntry =
  | { path: string; etag?: string | null; size_bytes?: number | null; range?: string }
  | { data: string };

/** A GET-format entry as Swift stores it. */
export interface StoredEntry {
  name?: string; // "/container/object"
  bytes?: number;
  hash?: string;
  content_type?: string;
  last_modified?: string;
  range?: string;
  sub_slo?: boolean;
  data?: string; // base64
}

export const PUT_KEYS = ['path', 'etag', 'size_bytes', 'range'] as const;

export function isDataEntry(e: PutEntry): e is { data: string } {
  return 'data' in e;
}

/** "/container/object" → parts; the object keeps any further slashes. */
export function splitSegmentPath(path: string): { container: string; object: string } | null {
  const m = /^\/?([^/]+)\/(.+)$/.exec(path);
  return m ? { container: m[1]!, object: m[2]! } : null;
}

export function segmentPath(container: string, object: string): string {
  return `/${container}/${object}`;
}

export interface ByteRange {
  /** Inclusive first byte. */
  start: number;
  /** Inclusive last byte. */
  end: number;
}

/** Swift's range syntax for a manifest entry: one "first-last", "first-" or "-suffix"; null when it is not one. */
export function parseRangeSpec(spec: string): { start: number | null; end: number | null } | null {
  const m = /^\s*(\d*)-(\d*)\s*$/.exec(spec);
  if (!m || (m[1] === '' && m[2] === '')) return null;
  const start = m[1] === '' ? null : Number(m[1]);
  const end = m[2] === '' ? null : Number(m[2]);
  if (start !== null && end !== null && start > end) return null;
  return { start, end };
}

/**
 * Resolves a Swift range spec ("0-9", "5-", "-10") against a segment of `size` bytes, the way Swift does.
 * Returns null when the range does not fit in the segment.
 */
export function resolveRange(spec: string, size: number): ByteRange | null {
  const r = parseRangeSpec(spec);
  if (!r) return null;
  if (r.start === null) return r.end === 0 ? null : { start: Math.max(0, size - r.end!), end: size - 1 };
  const end = r.end === null ? size - 1 : Math.min(r.end, size - 1);
  if (r.start > end || r.start >= size) return null;
  return { start: r.start, end };
}

/** Parses a manifest body as JSON and checks it is an array of objects; throws 'invalid' with a sentence. */
export function parseManifestJson(text: string): unknown[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new SwiftError({ kind: 'invalid', message: `The manifest is not valid JSON: ${(e as Error).message}.` });
  }
  if (!Array.isArray(data)) throw new SwiftError({ kind: 'invalid', message: 'A manifest must be a JSON array of segment entries.' });
  return data;
}

/**
 * The PUT format of stored entries — what `?multipart-manifest=get&format=raw` answers (keys in Swift's sorted order),
 * derived locally so showing the raw manifest costs no second request.
 */
export function toPutFormat(entries: readonly StoredEntry[]): PutEntry[] {
  return entries.map((e) =>
    e.data !== undefined
      ? { data: e.data }
      : { etag: e.hash ?? null, path: e.name ?? '', ...(e.range ? { range: e.range } : {}), size_bytes: e.bytes ?? null },
  );
}
