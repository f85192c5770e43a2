// Reading and changing the metadata of an object or a container with POST.
// An object POST replaces every user header at once (Swift's fast-POST): what is not sent is gone. So the full set is
// sent each time — the user's metadata, the headers Swift keeps beside it (Content-Disposition, Content-Encoding,
// Cache-Control, X-Delete-At…) and, for a DLO, X-Object-Manifest, without which the DLO would become an empty object.
// A container POST merges: only the changes are sent (X-Remove-Container-Meta-* removes).
import { DEFAULT_META_LIMITS, applyMetadataChange, metadataProblems, type MetaLimits, type MetadataChange, type MetadataView } from '../domain/metadata.ts';
import type { SwiftClient } from './client.ts';
import { SwiftError } from './errors.ts';
import { clusterInfo } from './info.ts';
import { headContainer, headObject, kindFromHeaders } from './objects.ts';
import { redactHeaders } from './transcript.ts';

/** Object headers the object server keeps across a POST only when they are sent again (besides X-Object-Meta-*). */
const KEPT_ON_POST = ['content-disposition', 'content-encoding', 'cache-control', 'content-language', 'expires', 'x-robots-tag', 'x-delete-at', 'x-object-manifest'];

type SwiftMetaInfo = { swift?: { max_meta_name_length?: number; max_meta_value_length?: number; max_meta_count?: number; max_meta_overall_size?: number } };

export async function metaLimits(client: SwiftClient): Promise<MetaLimits> {
  const s = ((await clusterInfo(client)) as SwiftMetaInfo | null)?.swift ?? {};
  const d = DEFAULT_META_LIMITS;
  return {
    maxNameLength: s.max_meta_name_length ?? d.maxNameLength,
    maxValueLength: s.max_meta_value_length ?? d.maxValueLength,
    maxCount: s.max_meta_count ?? d.maxCount,
    maxOverallSize: s.max_meta_overall_size ?? d.maxOverallSize,
  };
}

function metaOf(headers: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

/**
 * Header values arrive one character per byte (latin1); other tools store UTF-8 metadata, so a value that is valid
 * UTF-8 is shown as such (and its size counted in bytes). The POST resends the raw values, byte for byte.
 */
export function readableValue(v: string): string {
  if (!/[\x80-\xff]/.test(v) || /[\u0100-\uffff]/.test(v)) return v;
  const bytes = Buffer.from(v, 'latin1');
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : v;
}

function readable(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, readableValue(v)]));
}

export const SLO_POST_NOTE = "This is an SLO: a POST changes the manifest's metadata (what a GET of the whole object returns), not its segments' metadata.";

export async function readMetadata(client: SwiftClient, container: string, object?: string): Promise<MetadataView> {
  const limits = await metaLimits(client);
  if (object === undefined) {
    const { headers } = await headContainer(client, container);
    const shown = readable(redactHeaders(headers));
    return { scope: 'container', container, headers: shown, metadata: metaOf(shown, 'x-container-meta-'), limits };
  }
  const { headers } = await headObject(client, container, object);
  const kind = kindFromHeaders(headers);
  const deleteAt = Number(headers['x-delete-at']);
  return {
    scope: 'object',
    container,
    object,
    kind,
    headers: readable(redactHeaders(headers)),
    metadata: readable(metaOf(headers, 'x-object-meta-')),
    ...(headers['content-type'] !== undefined ? { contentType: headers['content-type'] } : {}),
    ...(headers['content-disposition'] !== undefined ? { contentDisposition: headers['content-disposition'] } : {}),
    ...(Number.isFinite(deleteAt) && headers['x-delete-at'] !== undefined ? { deleteAt } : {}),
    limits,
    ...(kind === 'slo'
      ? { note: SLO_POST_NOTE }
      : kind === 'dlo'
        ? { note: 'This is a DLO: a POST changes the manifest object\'s metadata; X-Object-Manifest is sent again so it stays a DLO.' }
        : {}),
  };
}

function refuse(problems: string[]): never {
  throw new SwiftError({ kind: 'invalid', message: problems.length === 1 ? problems[0]! : `${problems.length} problems: ${problems.join(' ')}` });
}

/** Checks the change against the cluster's limits, sends one POST, and reads the result back. */
export async function writeMetadata(client: SwiftClient, container: string, object: string | undefined, change: MetadataChange): Promise<MetadataView> {
  const limits = await metaLimits(client);
  const now = Math.floor(Date.now() / 1000);
  if (object === undefined) {
    const { headers } = await headContainer(client, container);
    const problems = metadataProblems('container', readable(metaOf(headers, 'x-container-meta-')), change, limits, now);
    if (problems.length) refuse(problems);
    const h: Record<string, string> = {};
    for (const k of change.remove) h[`x-remove-container-meta-${k}`] = '1';
    for (const [k, v] of Object.entries(change.set)) h[`x-container-meta-${k}`] = v;
    await client.request({ method: 'POST', container, headers: h });
    return readMetadata(client, container);
  }
  const { headers } = await headObject(client, container, object);
  const problems = metadataProblems('object', readable(metaOf(headers, 'x-object-meta-')), change, limits, now);
  if (problems.length) refuse(problems);
  await client.request({ method: 'POST', container, object, headers: objectPostHeaders(headers, change) });
  return readMetadata(client, container, object);
}

/** The complete header set of an object POST: what is kept, with the change applied. */
export function objectPostHeaders(current: Record<string, string>, change: MetadataChange): Record<string, string> {
  const h: Record<string, string> = {};
  for (const k of KEPT_ON_POST) if (current[k] !== undefined) h[k] = current[k];
  for (const [k, v] of Object.entries(applyMetadataChange(metaOf(current, 'x-object-meta-'), change))) h[`x-object-meta-${k}`] = v;
  if (change.contentDisposition !== undefined) {
    if (change.contentDisposition) h['content-disposition'] = change.contentDisposition;
    else delete h['content-disposition'];
  }
  if (change.deleteAt !== undefined) {
    if (change.deleteAt === null) delete h['x-delete-at'];
    else h['x-delete-at'] = String(change.deleteAt);
  }
  // Not sending Content-Type keeps it. An SLO's stored type carries swift_bytes=<total> (the listing's size); a new
  // type gets it again, or listings would show the manifest's few bytes as the object's size.
  if (change.contentType !== undefined && change.contentType !== current['content-type']) {
    h['content-type'] = kindFromHeaders(current) === 'slo' ? `${change.contentType};swift_bytes=${current['content-length'] ?? 0}` : change.contentType;
  }
  return h;
}
