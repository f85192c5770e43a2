// SLO ETag math, as Swift computes it: md5 over the concatenation, in manifest order, of each entry's etag;
// a ranged entry contributes `etag:range;`, an inline data entry md5(decoded data). Nested sub-SLOs contribute
// their own SLO etag (which Swift records as the entry's hash).
import { createHash } from 'node:crypto';
import type { ManifestNode } from '../domain/manifest.ts';
import type { ObjectKind } from '../domain/objects.ts';
import type { StoredEntry } from './manifest.ts';

export interface EtagPart {
  etag: string;
  range?: string | undefined;
}

export function etagContribution(p: EtagPart): string {
  return p.range ? `${p.etag}:${p.range};` : p.etag;
}

export function sloEtag(parts: Iterable<EtagPart>): string {
  const h = createHash('md5');
  for (const p of parts) h.update(etagContribution(p));
  return h.digest('hex');
}

export function md5Hex(data: Uint8Array | string): string {
  return createHash('md5').update(data).digest('hex');
}

export function dataEntryEtag(base64: string): string {
  return md5Hex(Buffer.from(base64, 'base64'));
}

/**
 * The SLO ETag of top-level GET-format entries (sub-SLOs count with the hash Swift recorded for them); undefined when
 * an entry has no hash to go on.
 */
export function storedSloEtag(entries: readonly StoredEntry[]): string | undefined {
  const parts: EtagPart[] = [];
  for (const e of entries) {
    if (e.data !== undefined) parts.push({ etag: dataEntryEtag(e.data) });
    else if (e.hash) parts.push({ etag: e.hash, range: e.range });
    else return undefined;
  }
  return sloEtag(parts);
}

/** A DLO's ETag as Swift serves it: md5 of its segments' etags in listing order, zero-byte segments included. */
export function dloEtag(etags: Iterable<string | null>): string {
  const h = createHash('md5');
  for (const e of etags) h.update(e ?? '');
  return h.digest('hex');
}

/** The ETag Swift should report for a resolved SLO or DLO, recomputed; undefined for anything else or when it cannot be. */
export function recomputeEtag(r: { kind: ObjectKind; entries?: readonly StoredEntry[] | undefined; tree: readonly ManifestNode[] }): string | undefined {
  if (r.kind === 'slo' && r.entries) return storedSloEtag(r.entries);
  if (r.kind === 'dlo') return dloEtag(r.tree.map((n) => n.etag)); // the tree lists every object, even 0-byte ones
  return undefined;
}

export function isMd5(s: string | null | undefined): s is string {
  return typeof s === 'string' && /^[0-9a-f]{32}$/.test(s);
}
