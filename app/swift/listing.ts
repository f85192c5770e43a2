// Account and container listings with marker pagination through any size.
import type { ContainerEntry, ObjectEntry, ObjectKind } from '../domain/objects.ts';
import type { SwiftClient } from './client.ts';
import { SwiftError } from './errors.ts';

export interface ObjectListOptions {
  prefix?: string;
  delimiter?: string;
  marker?: string;
  endMarker?: string;
  /** Page size (Swift caps it at container_listing_limit). */
  limit?: number;
  /** Descending by name: `marker` bounds from above, so a marker just after a name lists the rows before it. */
  reverse?: boolean;
  signal?: AbortSignal;
}

type RawObject = { name: string; bytes: number; hash: string; content_type: string; last_modified: string; slo_etag?: string; symlink_path?: string } | { subdir: string };
type RawContainer = { name: string; count: number; bytes: number; last_modified?: string };

/** SLO manifests carry slo_etag in listings; 0-byte objects may be DLO manifests, which only a HEAD can tell. */
export function kindFromListing(o: { bytes: number; slo_etag?: string }): ObjectKind {
  if (o.slo_etag) return 'slo';
  return o.bytes === 0 ? 'unknown' : 'plain';
}

export function toObjectEntry(o: RawObject): ObjectEntry {
  if ('subdir' in o) return { type: 'folder', name: o.subdir };
  return { type: 'object', name: o.name, bytes: o.bytes, hash: o.hash, contentType: o.content_type, lastModified: o.last_modified, kind: kindFromListing(o) };
}

/** A row Swift could have sent: an object with a string name, or a subdir. */
function isListingRow(o: unknown): o is RawObject {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return false;
  const r = o as Record<string, unknown>;
  return typeof r.name === 'string' || typeof r.subdir === 'string';
}

/** One page of a container listing; nextMarker is null on the last page. */
export async function listObjectsPage(client: SwiftClient, container: string, opts: ObjectListOptions = {}): Promise<{ entries: ObjectEntry[]; nextMarker: string | null }> {
  const limit = opts.limit ?? 10000;
  const { data } = await client.json<RawObject[]>({
    method: 'GET',
    container,
    query: { format: 'json', limit, prefix: opts.prefix || undefined, delimiter: opts.delimiter || undefined, marker: opts.marker || undefined, end_marker: opts.endMarker || undefined, reverse: opts.reverse ? 'true' : undefined },
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if (!Array.isArray(data) || !data.every(isListingRow)) {
    throw new SwiftError({ kind: 'server', message: `The listing of container ${container} is not a list of objects with names; the server is not behaving like Swift.` });
  }
  const entries = data.map(toObjectEntry);
  const last = data[data.length - 1];
  const nextMarker = data.length >= limit && last ? ('subdir' in last ? last.subdir : last.name) : null;
  return { entries, nextMarker };
}

/** Every entry of a container, page by page, without holding more than one page. */
export async function* listObjects(client: SwiftClient, container: string, opts: ObjectListOptions = {}): AsyncGenerator<ObjectEntry> {
  let marker = opts.marker;
  const seen = markerGuard(`container ${container}`);
  for (;;) {
    const page = await listObjectsPage(client, container, { ...opts, ...(marker !== undefined ? { marker } : {}) });
    yield* page.entries;
    if (!page.nextMarker) return;
    marker = seen(page.nextMarker);
  }
}

/**
 * Swift's pages advance by name; a server that hands back a marker it already gave would page forever. One string
 * per page is kept to tell.
 */
function markerGuard(what: string): (marker: string) => string {
  const seen = new Set<string>();
  return (marker) => {
    if (seen.has(marker)) {
      throw new SwiftError({ kind: 'server', message: `The listing of ${what} does not advance: it repeated the page that ends at "${marker}". The server is not behaving like Swift.` });
    }
    seen.add(marker);
    return marker;
  };
}

/** One page of the account listing (the container list's window fetches these); `more`: the page was full. */
export async function listContainersPage(
  client: SwiftClient,
  opts: { prefix?: string; marker?: string; reverse?: boolean; limit?: number } = {},
): Promise<{ containers: ContainerEntry[]; more: boolean }> {
  const limit = opts.limit ?? 1000;
  const { data } = await client.json<RawContainer[]>({
    method: 'GET',
    query: { format: 'json', limit, prefix: opts.prefix || undefined, marker: opts.marker || undefined, reverse: opts.reverse ? 'true' : undefined },
  });
  if (!Array.isArray(data) || !data.every((c: unknown) => isListingRow(c) && typeof (c as { name?: unknown }).name === 'string')) {
    throw new SwiftError({ kind: 'server', message: 'The account listing is not a list of containers with names; the server is not behaving like Swift.' });
  }
  const containers = data.map((c) => ({ name: c.name, count: c.count, bytes: c.bytes, ...(c.last_modified ? { lastModified: c.last_modified } : {}) }));
  return { containers, more: data.length >= limit };
}

export async function* listContainers(client: SwiftClient, opts: { prefix?: string; limit?: number } = {}): AsyncGenerator<ContainerEntry> {
  let marker: string | undefined;
  const limit = opts.limit ?? 10000;
  const seen = markerGuard('the account');
  for (;;) {
    const { data } = await client.json<RawContainer[]>({ method: 'GET', query: { format: 'json', limit, prefix: opts.prefix || undefined, marker } });
    if (!Array.isArray(data) || !data.every((c: unknown) => isListingRow(c) && typeof (c as { name?: unknown }).name === 'string')) {
      throw new SwiftError({ kind: 'server', message: 'The account listing is not a list of containers with names; the server is not behaving like Swift.' });
    }
    for (const c of data) yield { name: c.name, count: c.count, bytes: c.bytes, ...(c.last_modified ? { lastModified: c.last_modified } : {}) };
    const last = data[data.length - 1];
    if (data.length < limit || !last) return;
    marker = seen(last.name);
  }
}
