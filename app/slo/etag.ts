// SLO ETag math, as Swift computes it: md5 over the concatenation, in manifest order, of each entry's etag;
// a ranged entry contributes `etag:range;`, an inline data entry md5(decoded data). Nested sub-SLOs contribute
// their own SLO etag (which Swift records as the entry's hash).
import { createHash } from 'node:crypto';

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

export function isMd5(s: string | null | undefined): s is string {
  return typeof s === 'string' && /^[0-9a-f]{32}$/.test(s);
}
