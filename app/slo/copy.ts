// Server-side copy, rename and move (PUT with X-Copy-From: the bytes never leave the cluster).
// A large object is copied as its manifest by default (`?multipart-manifest=get`: Swift's copy middleware reads the
// SLO manifest in raw form and PUTs it with multipart-manifest=put, or re-creates a DLO's X-Object-Manifest), so the
// copy shares the segments. Copying the data instead makes one plain object, which Swift limits to max_file_size;
// copying an SLO's segments too (app/slo/copy-segments.ts) makes a new SLO of any size that shares nothing.
// A move copies the manifest, checks the copy, then deletes only the old manifest — never the segments the copy uses.
// Metadata travels with the copy (the copy middleware carries the source's headers).
import type { CopyMode, CopyResult } from '../domain/objops.ts';
import type { ObjectStat } from '../domain/objects.ts';
import type { SwiftClient } from '../swift/client.ts';
import { uploadOfSegment } from '../transfer/segment-names.ts';
import { copySloSegments } from './copy-segments.ts';
import { SwiftError } from '../swift/errors.ts';
import { capabilities } from '../swift/info.ts';
import { encodeName } from '../swift/names.ts';
import { containerExists, deleteObject, headObject } from '../swift/objects.ts';

type Target = { container: string; object: string };

export interface CopyOptions {
  mode?: CopyMode;
  /** Replace an existing object at the target (otherwise a conflict). */
  overwrite?: boolean;
  /** Delete the source (only its manifest) once the copy is checked: rename or move. */
  move?: boolean;
  signal?: AbortSignal;
}

const label = (t: Target) => `${t.container}/${t.object}`;

async function statOrNull(client: SwiftClient, t: Target): Promise<ObjectStat | null> {
  try {
    return await headObject(client, t.container, t.object);
  } catch (e) {
    if (e instanceof SwiftError && e.kind === 'not-found') return null;
    throw e;
  }
}

/** Refusals that need no request to the target: same name, data copy over the size limit, data move. */
async function checkCopy(client: SwiftClient, src: ObjectStat, to: Target, mode: CopyMode, move: boolean): Promise<void> {
  if (src.container === to.container && src.object === to.object) {
    throw new SwiftError({ kind: 'invalid', message: `${label(to)} is the object itself; choose another name or container.` });
  }
  const large = src.kind === 'slo' || src.kind === 'dlo';
  if (move && mode !== 'manifest' && large) {
    throw new SwiftError({ kind: 'invalid', message: `Moving ${label(src)} copies its manifest; moving the data would leave the old segments behind, so copy the data and then delete the original with its segments instead.` });
  }
  const upload = move ? uploadOfSegment(src.object) : null;
  if (upload !== null) {
    throw new SwiftError({
      kind: 'invalid',
      message: `${label(src)} is named like a segment of an upload of ${upload}; a manifest may list it, and moving it would break that SLO. Copy it instead (the original stays).`,
    });
  }
  if (mode === 'segments' && src.kind === 'dlo') {
    throw new SwiftError({ kind: 'invalid', message: `${label(src)} is a DLO; copying its segments is for SLOs. Copy the manifest, or the data into one object.` });
  }
  const { maxFileSize } = await capabilities(client);
  if (mode === 'data' && large && src.size > maxFileSize) {
    throw new SwiftError({
      kind: 'limit',
      message: `${label(src)} is ${src.size} bytes; one object can hold at most ${maxFileSize} on this cluster, so its data cannot be copied into a single object. Copy the manifest (the copy shares the segments)${src.kind === 'slo' ? ', or copy the segments too (a new SLO of any size)' : ''}.`,
    });
  }
}

export async function copyObject(client: SwiftClient, from: Target, to: Target, o: CopyOptions = {}): Promise<CopyResult> {
  const mode = o.mode ?? 'manifest';
  const move = o.move === true;
  const src = await headObject(client, from.container, from.object, o.signal ? { signal: o.signal } : {});
  await checkCopy(client, src, to, mode, move);
  if (to.container !== from.container && !(await containerExists(client, to.container))) {
    throw new SwiftError({ kind: 'not-found', message: `Container ${to.container} does not exist; create it first, or choose another.` });
  }
  const existing = await statOrNull(client, to);
  if (existing && !o.overwrite) {
    throw new SwiftError({ kind: 'conflict', message: `${label(to)} already exists; choose another name, or replace it.` });
  }
  if (mode === 'segments' && src.kind === 'slo') return deepCopy(client, src, to, existing, o.signal);
  const large = src.kind === 'slo' || src.kind === 'dlo';
  const asManifest = large && mode === 'manifest';
  await client.request({
    method: 'PUT',
    container: to.container,
    object: to.object,
    headers: { 'x-copy-from': `/${encodeName(from.container)}/${encodeName(from.object)}`, 'content-length': '0' },
    ...(asManifest ? { query: { 'multipart-manifest': 'get' } } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
  const copy = await headObject(client, to.container, to.object);
  checkCopied(src, copy, asManifest);
  if (move) await deleteObject(client, from.container, from.object, { missingOk: true, ...(o.signal ? { signal: o.signal } : {}) });
  return {
    source: from,
    target: to,
    kind: src.kind,
    mode: asManifest ? 'manifest' : 'data',
    moved: move,
    size: copy.size,
    etag: copy.etag,
    summary: summarize(src, to, asManifest, move, existing),
  };
}

async function deepCopy(client: SwiftClient, src: ObjectStat, to: Target, replaced: ObjectStat | null, signal?: AbortSignal): Promise<CopyResult> {
  const r = await copySloSegments(client, src, to, signal);
  const copy = await headObject(client, to.container, to.object);
  checkCopied(src, copy, true);
  const orphaned = replaced && replaced.kind !== 'plain' ? ` The ${replaced.kind.toUpperCase()} it replaced kept its segments; look for orphans to remove them.` : '';
  return {
    source: { container: src.container, object: src.object },
    target: to,
    kind: 'slo',
    mode: 'segments',
    moved: false,
    size: copy.size,
    etag: copy.etag,
    summary: `Copied the SLO ${label(src)} to ${label(to)} with its data: ${r.segments} segments copied into ${r.segmentContainer}, so the copy shares nothing with the original.${orphaned}`,
  };
}

/** The copy must be what was asked for: same size, and for a manifest copy the same kind and (SLO) ETag. */
function checkCopied(src: ObjectStat, copy: ObjectStat, asManifest: boolean): void {
  const same = copy.size === src.size && (!asManifest || (copy.kind === src.kind && (src.kind !== 'slo' || copy.etag === src.etag)));
  if (!same) {
    throw new SwiftError({
      kind: 'integrity',
      message: `The copy at ${copy.container}/${copy.object} is not what was copied (${copy.kind}, ${copy.size} bytes, ETag ${copy.etag}; expected ${asManifest ? src.kind : 'plain'}, ${src.size} bytes); the original was left as it is.`,
    });
  }
}

function summarize(src: ObjectStat, to: Target, asManifest: boolean, move: boolean, replaced: ObjectStat | null): string {
  const verb = move ? 'Moved' : 'Copied';
  const what = asManifest ? `the ${src.kind.toUpperCase()} manifest of ${src.container}/${src.object}` : `${src.container}/${src.object}`;
  const shared = asManifest ? ' The segments are shared, not copied.' : src.kind === 'slo' || src.kind === 'dlo' ? ' The copy is one plain object with all the data.' : '';
  const gone = move && asManifest ? ' Only the old manifest was deleted; the segments stay, used by the new one.' : '';
  const orphaned = replaced && replaced.kind !== 'plain' ? ` The ${replaced.kind.toUpperCase()} it replaced kept its segments; look for orphans to remove them.` : '';
  return `${verb} ${what} to ${label(to)}.${shared}${gone}${orphaned}`;
}
