// Object, container and account operations on top of SwiftClient.
import type { ObjectKind, ObjectStat } from '../domain/objects.ts';
import type { Body, StreamResponse, SwiftClient } from './client.ts';
import { checkContainerName, checkObjectName, decodeName } from './names.ts';
import type { Attempts } from './retry.ts';

export function unquote(etag: string | undefined): string {
  return (etag ?? '').replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

export function kindFromHeaders(h: Record<string, string>): ObjectKind {
  if ((h['x-static-large-object'] ?? '').toLowerCase() === 'true') return 'slo';
  if (h['x-object-manifest'] !== undefined) return 'dlo';
  return 'plain';
}

export function statFromHeaders(container: string, object: string, h: Record<string, string>): ObjectStat {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (k.startsWith('x-object-meta-')) metadata[k.slice('x-object-meta-'.length)] = v;
  const kind = kindFromHeaders(h);
  return {
    container,
    object,
    kind,
    size: Number(h['content-length'] ?? 0),
    etag: unquote(h['etag']),
    contentType: h['content-type'] ?? '',
    lastModified: h['last-modified'] ?? '',
    ...(h['x-manifest-etag'] ? { manifestEtag: unquote(h['x-manifest-etag']) } : {}),
    ...(kind === 'dlo' ? { dloPrefix: decodeName(h['x-object-manifest'] ?? '') } : {}),
    metadata,
    headers: h,
  };
}

export async function headObject(client: SwiftClient, container: string, object: string, opts: { query?: Record<string, string>; signal?: AbortSignal } = {}): Promise<ObjectStat> {
  const res = await client.request({ method: 'HEAD', container, object, ...opts });
  return statFromHeaders(container, object, res.headers);
}

export interface GetOptions {
  query?: Record<string, string | undefined>;
  headers?: Record<string, string | undefined>;
  signal?: AbortSignal;
  ok?: (status: number) => boolean;
  retries?: number;
  /** The retry budget of the operation this GET belongs to. */
  attempts?: Attempts;
}

/** Streamed GET; the caller consumes (or dumps) `body`. A body cut short is the caller's to handle. */
export function getObject(client: SwiftClient, container: string, object: string, opts: GetOptions = {}): Promise<StreamResponse> {
  return client.stream({ method: 'GET', container, object, ...opts });
}

/** GET whose body `consume` reads inside the client's retry loop: a body cut short is retried like a failed request. */
export function readObject<T>(client: SwiftClient, container: string, object: string, opts: GetOptions, consume: (res: StreamResponse) => Promise<T>): Promise<T> {
  return client.read({ method: 'GET', container, object, ...opts }, consume);
}

export interface PutOptions {
  /** A function makes the body replayable (retries); a stream can be sent once. */
  body: Body | (() => Body);
  contentLength?: number;
  /** MD5 hex; Swift rejects the PUT with 422 when the bytes it received differ. */
  etag?: string;
  contentType?: string;
  headers?: Record<string, string | undefined>;
  query?: Record<string, string | undefined>;
  signal?: AbortSignal;
  retries?: number;
  onRetry?: (attempt: number) => void;
}

export async function putObject(client: SwiftClient, container: string, object: string, opts: PutOptions): Promise<{ etag: string; headers: Record<string, string> }> {
  checkObjectName(object);
  const headers: Record<string, string | undefined> = { ...opts.headers };
  if (opts.contentLength !== undefined) headers['content-length'] = String(opts.contentLength);
  if (opts.etag) headers['etag'] = opts.etag;
  if (opts.contentType) headers['content-type'] = opts.contentType;
  const res = await client.request({
    method: 'PUT',
    container,
    object,
    headers,
    body: opts.body,
    ...(opts.query ? { query: opts.query } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.retries !== undefined ? { retries: opts.retries } : {}),
    ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
  });
  return { etag: unquote(res.headers['etag']), headers: res.headers };
}

export async function postObject(client: SwiftClient, container: string, object: string, headers: Record<string, string>): Promise<void> {
  await client.request({ method: 'POST', container, object, headers });
}

/** Plain DELETE. `missingOk` treats 404 as done (useful when a retried DELETE already succeeded). */
export async function deleteObject(client: SwiftClient, container: string, object: string, opts: { missingOk?: boolean; signal?: AbortSignal } = {}): Promise<boolean> {
  const res = await client.request({
    method: 'DELETE',
    container,
    object,
    ok: (s) => (s >= 200 && s < 300) || (opts.missingOk === true && s === 404),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  return res.status !== 404;
}

export async function headContainer(client: SwiftClient, container: string): Promise<{ count: number; bytes: number; headers: Record<string, string> }> {
  const res = await client.request({ method: 'HEAD', container });
  return { count: Number(res.headers['x-container-object-count'] ?? 0), bytes: Number(res.headers['x-container-bytes-used'] ?? 0), headers: res.headers };
}

export async function containerExists(client: SwiftClient, container: string): Promise<boolean> {
  const res = await client.request({ method: 'HEAD', container, ok: (s) => s === 404 || (s >= 200 && s < 300) });
  return res.status !== 404;
}

/** Creates a container; true when it was new (201), false when it already existed (202). */
export async function createContainer(client: SwiftClient, container: string, headers: Record<string, string> = {}): Promise<boolean> {
  checkContainerName(container);
  const res = await client.request({ method: 'PUT', container, headers });
  return res.status === 201;
}

export async function deleteContainer(client: SwiftClient, container: string): Promise<void> {
  await client.request({ method: 'DELETE', container });
}

export async function headAccount(client: SwiftClient): Promise<{ containers: number; objects: number; bytes: number; headers: Record<string, string> }> {
  const res = await client.request({ method: 'HEAD' });
  const h = res.headers;
  return { containers: Number(h['x-account-container-count'] ?? 0), objects: Number(h['x-account-object-count'] ?? 0), bytes: Number(h['x-account-bytes-used'] ?? 0), headers: h };
}
