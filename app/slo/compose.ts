// The manifest composer: builds an SLO from objects that already exist — whole objects, byte ranges of them, inline
// data, existing SLOs (nested), everything under a prefix — validated live against the cluster's /info limits
// before anything is written, with the total size and the SLO ETag predicted. `createComposed` PUTs it (heartbeat,
// with the predicted ETag so Swift refuses it if a segment changed in between); `loadForEdit` turns an existing
// SLO's manifest back into entries to edit and save in place or under a new name.
import type { ComposeEntry, ComposePreview, ComposeResult, Finding } from '../domain/findings.ts';
import type { SwiftClient } from '../swift/client.ts';
import { SwiftError } from '../swift/errors.ts';
import { capabilities } from '../swift/info.ts';
import { headObject } from '../swift/objects.ts';
import { decodeBase64Strict, limitsFrom, parseManifestPath, parseRangeSpec, versionBelow } from './doctor-checks.ts';
import { SwiftLookup } from './doctor-live.ts';
import { md5Hex, sloEtag, type EtagPart } from './etag.ts';
import { keptHeaders } from './kept-headers.ts';
import { putManifest } from './manifest-put.ts';
import { resolveRange, type PutEntry } from './manifest.ts';
import { readManifest } from './resolve.ts';

export type { ComposeEntry, ComposePreview, ComposeResult } from '../domain/findings.ts';

export interface ComposeOptions {
  /** Where the SLO will be written: an entry pointing at it is an error, and a prefix listing skips it. */
  target?: { container: string; object: string };
  /** Adds every object under "container/prefix" after the entries (same as a trailing { prefix } entry). */
  prefix?: string;
  signal?: AbortSignal;
  /** HEADs in flight at once (default 8). */
  concurrency?: number;
}

type Item =
  | { kind: 'segment'; container: string; object: string; range?: string; label: string }
  | { kind: 'data'; bytes: Buffer }
  | { kind: 'invalid'; label: string };

const err = (code: string, index: number | null, message: string, suggestion?: string): Finding => ({ severity: 'error', code, index, message, ...(suggestion ? { suggestion } : {}) });
const warn = (code: string, index: number | null, message: string, suggestion?: string): Finding => ({ severity: 'warning', code, index, message, ...(suggestion ? { suggestion } : {}) });
const info = (code: string, index: number | null, message: string, suggestion?: string): Finding => ({ severity: 'info', code, index, message, ...(suggestion ? { suggestion } : {}) });

/** "container/object:0-99" → path and range (the range only when the suffix is a valid byte range). */
export function parseSegmentSpec(spec: string): { path: string; range?: string } {
  const m = /^(.*):(\d*-\d*)$/.exec(spec);
  if (m && m[1] && parseRangeSpec(m[2]!)) return { path: m[1], range: m[2]! };
  return { path: spec };
}

function splitPrefix(spec: string): { container: string; prefix: string } | null {
  const s = spec.replace(/^\/+/, '');
  const i = s.indexOf('/');
  if (i === 0 || !s) return null;
  return i < 0 ? { container: s, prefix: '' } : { container: s.slice(0, i), prefix: s.slice(i + 1) };
}

/**
 * Validates a composition against the cluster and predicts the result. Writes nothing. Finding indexes are
 * positions in the composed manifest (`entries` of the result).
 */
export async function composeManifest(client: SwiftClient, input: readonly ComposeEntry[], opts: ComposeOptions = {}): Promise<ComposePreview> {
  const caps = await capabilities(client);
  const limits = limitsFrom(caps);
  const look = new SwiftLookup(client, { ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.concurrency ? { concurrency: opts.concurrency } : {}) });
  const problems: Finding[] = [];
  const items: Item[] = [];
  const target = opts.target;
  const all: ComposeEntry[] = [...input, ...(opts.prefix ? [{ prefix: opts.prefix }] : [])];
  const maxSegs = limits.maxManifestSegments;
  const overLimit = (count: string): ComposePreview => ({
    entries: [],
    size: 0,
    etag: '',
    depth: 0,
    problems: [
      ...problems,
      err('too-many-segments', null, `This composition has ${count} segments; this cluster allows at most ${maxSegs} in one manifest (slo.max_manifest_segments). Nothing was written.`, `Compose sub-SLOs of at most ${maxSegs} segments each, then compose those (Swift allows ${limits.maxNestingDepth} levels of nesting).`),
    ],
    ok: false,
  });
  // Count before any request: a composition over the limit is refused at once.
  const named = all.filter((e) => 'path' in e).length;
  if (named > maxSegs) return overLimit(String(named));
  let segmentCount = named;

  for (const e of all) {
    if ('prefix' in e) {
      const p = splitPrefix(e.prefix);
      if (!p) {
        items.push({ kind: 'invalid', label: e.prefix });
        problems.push(err('path-format', items.length - 1, `"${e.prefix}" is not "container/prefix".`));
        continue;
      }
      if (!(await look.containerExists(p.container))) {
        const c = (await look.suggestContainers(p.container)).map((x) => x.name);
        items.push({ kind: 'invalid', label: e.prefix });
        problems.push(err('container-missing', items.length - 1, `Container "${p.container}" (of prefix ${e.prefix}) does not exist.`, c.length ? `Did you mean ${c.slice(0, 3).map((x) => `"${x}"`).join(' or ')}?` : undefined));
        continue;
      }
      const listed = (await look.listing(p.container, p.prefix)).filter((o) => !(target && p.container === target.container && o.name === target.object));
      const nonEmpty = listed.filter((o) => o.bytes > 0);
      const skipped = listed.length - nonEmpty.length;
      if (segmentCount + nonEmpty.length > maxSegs) {
        return overLimit(listed.length >= look.listLimit ? `more than ${segmentCount + nonEmpty.length}` : String(segmentCount + nonEmpty.length));
      }
      segmentCount += nonEmpty.length;
      for (const o of nonEmpty) items.push({ kind: 'segment', container: p.container, object: o.name, label: `${p.container}/${o.name}` });
      if (skipped) problems.push(info('empty-object-skipped', null, `Skipped ${skipped} empty object${skipped === 1 ? '' : 's'} under ${e.prefix} (a 0-byte segment is not allowed).`));
      if (!nonEmpty.length) problems.push(err('prefix-empty', null, `No objects (with content) start with "${p.prefix}" in ${p.container}.`, 'Check the prefix; it is matched from the start of object names.'));
      continue;
    }
    if ('data' in e) {
      const bytes = e.encoding === 'base64' ? decodeBase64Strict(e.data) : Buffer.from(e.data, 'utf8');
      if (!bytes) {
        items.push({ kind: 'invalid', label: '(inline data)' });
        problems.push(err('data-invalid', items.length - 1, `Entry ${items.length - 1}: inline data is not valid base64.`));
      } else if (!bytes.length) {
        items.push({ kind: 'invalid', label: '(inline data)' });
        problems.push(err('segment-too-small', items.length - 1, `Entry ${items.length - 1}: inline data is empty; every entry must contribute at least 1 byte.`));
      } else items.push({ kind: 'data', bytes });
      continue;
    }
    const p = parseManifestPath(e.path);
    if (!p) {
      items.push({ kind: 'invalid', label: e.path });
      problems.push(err('path-format', items.length - 1, `Entry ${items.length - 1}: "${e.path}" is not "container/object".`));
      continue;
    }
    if (e.range !== undefined && e.range !== '' && !parseRangeSpec(e.range)) {
      items.push({ kind: 'invalid', label: e.path });
      problems.push(err('range-invalid', items.length - 1, `Entry ${items.length - 1}: the range "${e.range}" of ${e.path} is not "first-last", "first-" or "-count".`, 'Write one byte range such as 0-1023, 1024- or -100.'));
      continue;
    }
    items.push({ kind: 'segment', ...p, ...(e.range ? { range: e.range.trim() } : {}), label: `${p.container}/${p.object}` });
  }

  if (target) {
    if (!(await look.containerExists(target.container))) {
      problems.push(err('container-missing', null, `The target container "${target.container}" does not exist.`, 'Create it first (or pick an existing container).'));
    } else {
      const t = await look.head(target.container, target.object);
      if (t.status === 'found') problems.push(warn('target-exists', null, `${target.container}/${target.object} already exists (${t.kind === 'slo' ? 'an SLO' : t.kind === 'dlo' ? 'a DLO' : 'a plain object'}, ${t.size} bytes); it will be replaced${t.kind === 'slo' ? ' (its segments stay)' : ''}.`));
    }
  }

  // HEAD every distinct segment (cached, bounded).
  await Promise.all(items.map((it) => (it.kind === 'segment' ? look.head(it.container, it.object) : null)));
  const entries: PutEntry[] = [];
  const parts: EtagPart[] = [];
  const contributions: number[] = [];
  let size = 0;
  let depth = 1;
  const seen = new Map<string, number>();
  const last = items.length - 1;
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    if (it.kind === 'invalid') {
      contributions.push(0);
      continue;
    }
    if (it.kind === 'data') {
      entries.push({ data: it.bytes.toString('base64') });
      parts.push({ etag: md5Hex(it.bytes) });
      contributions.push(it.bytes.length);
      size += it.bytes.length;
      continue;
    }
    const key = `${it.container}/${it.object}`;
    if (target && it.container === target.container && it.object === target.object) {
      problems.push(err('self-reference', i, `Entry ${i} is the object being written (${key}); a manifest cannot contain itself.`, 'Remove it, or write the SLO under another name.'));
      contributions.push(0);
      continue;
    }
    const h = await look.head(it.container, it.object);
    if (h.status === 'missing') {
      if (!(await look.containerExists(it.container))) {
        const c = (await look.suggestContainers(it.container)).map((x) => x.name);
        problems.push(err('container-missing', i, `Entry ${i}: container "${it.container}" does not exist (${key}).`, c.length ? `Did you mean ${c.slice(0, 3).map((x) => `"${x}"`).join(' or ')}?` : undefined));
      } else {
        const o = (await look.suggestObjects(it.container, it.object)).map((x) => x.name);
        problems.push(err('segment-missing', i, `Entry ${i}: ${key} does not exist.`, o.length ? `Did you mean ${o.slice(0, 3).map((x) => `"${it.container}/${x}"`).join(' or ')}?` : undefined));
      }
      contributions.push(0);
      continue;
    }
    if (h.status !== 'found') {
      problems.push(err(h.status === 'forbidden' ? 'segment-forbidden' : 'segment-unavailable', i, `Entry ${i}: could not read ${key}: ${h.message ?? h.status}.`));
      contributions.push(0);
      continue;
    }
    const segSize = h.size ?? 0;
    let bytes = segSize;
    let range: string | undefined;
    if (it.range) {
      const r = resolveRange(it.range, segSize);
      if (!r) {
        problems.push(err('range-unsatisfiable', i, `Entry ${i}: the range "${it.range}" lies outside ${key}, which has ${segSize} bytes.`, segSize ? `Use a range within 0-${segSize - 1}.` : undefined));
        contributions.push(0);
        continue;
      }
      if (!(r.start === 0 && r.end === segSize - 1)) {
        range = `${r.start}-${r.end}`;
        bytes = r.end - r.start + 1;
      }
    }
    if (h.kind === 'slo') {
      const d = await look.sloDepth(it.container, it.object, limits.maxNestingDepth);
      depth = Math.max(depth, 1 + d);
      if (1 + d > limits.maxNestingDepth) {
        problems.push(err('too-deep', i, `Entry ${i}: ${key} is an SLO nested ${d} levels deep; inside this one that makes ${1 + d}, and Swift serves at most ${limits.maxNestingDepth}.`, 'Compose its segments directly instead of nesting it.'));
      } else {
        problems.push(info('sub-slo', i, `Entry ${i}: ${key} is an existing SLO (${segSize} bytes, SLO ETag ${h.etag}); it is nested as a whole.`));
      }
    } else if (h.kind === 'dlo') {
      problems.push(warn('segment-is-dlo', i, `Entry ${i}: ${key} is a Dynamic Large Object; its content follows a listing and can change under this SLO.`, 'Compose the DLO\'s segments instead (--prefix).'));
    }
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else problems.push(info('duplicate-segment', i, `Entry ${i} repeats ${key} (also entry ${first}); its bytes appear twice.`));
    entries.push({ path: `/${key}`, etag: h.etag ?? null, size_bytes: segSize, ...(range ? { range } : {}) });
    parts.push({ etag: h.etag ?? '', range });
    contributions.push(bytes);
    size += bytes;
  }

  for (let i = 0; i < contributions.length; i++) {
    const it = items[i]!;
    if (it.kind === 'invalid' || i === last) continue;
    const b = contributions[i]!;
    if (b === 0 && it.kind === 'segment' && problems.some((p) => p.index === i && p.severity === 'error')) continue;
    if (b < 1) problems.push(err('segment-too-small', i, `Entry ${i} (${it.kind === 'segment' ? it.label : 'inline data'}) is empty; every entry but the last must contribute at least 1 byte.`, 'Leave it out.'));
    else if (b < limits.minSegmentSize) problems.push(err('segment-too-small', i, `Entry ${i} (${it.kind === 'segment' ? it.label : 'inline data'}) contributes ${b} bytes; this cluster requires at least ${limits.minSegmentSize} (slo.min_segment_size) for every entry but the last.`, 'Merge small pieces, or put this one last.'));
  }
  if (items.length && items.every((it) => it.kind === 'data')) {
    problems.push(err('data-only', null, 'A composition of inline data only is not allowed: Swift needs at least one segment object.', 'Add at least one object.'));
  }
  if (!items.length) problems.push(err('empty-manifest', null, 'Nothing to compose: give at least one object.'));
  if (items.some((it) => it.kind === 'data') && limits.swiftVersion && versionBelow(limits.swiftVersion, [2, 17])) {
    problems.push(err('data-unsupported', null, `This cluster runs Swift ${limits.swiftVersion}; inline data entries need Swift 2.17 or later.`, 'Upload the data as a small object and compose that instead.'));
  }
  const bytesJson = Buffer.byteLength(JSON.stringify(entries));
  if (bytesJson > limits.maxManifestSize) {
    problems.push(err('manifest-too-large', null, `The manifest would be ${bytesJson} bytes; this cluster accepts at most ${limits.maxManifestSize} (slo.max_manifest_size).`, 'Compose sub-SLOs and then compose those.'));
  }
  const sorted = problems.map((f, n) => ({ f, n })).sort((a, b) => (a.f.index ?? -1) - (b.f.index ?? -1) || a.n - b.n).map(({ f }) => f);
  return { entries, size, etag: entries.length ? sloEtag(parts) : '', depth, problems: sorted, ok: !sorted.some((p) => p.severity === 'error') };
}

export interface CreateOptions extends ComposeOptions {
  /** Extra headers for the manifest PUT (Content-Type, X-Object-Meta-*). */
  headers?: Record<string, string>;
}

/**
 * Composes and writes container/object. Refuses (nothing written) when validation finds an error; sends the
 * predicted SLO ETag so Swift refuses the PUT if any segment changed since it was checked; confirms Swift's ETag.
 */
export async function createComposed(client: SwiftClient, container: string, object: string, input: readonly ComposeEntry[], opts: CreateOptions = {}): Promise<ComposeResult> {
  const preview = await composeManifest(client, input, { ...opts, target: { container, object } });
  if (!preview.ok) {
    const errors = preview.problems.filter((p) => p.severity === 'error');
    const limitCodes = new Set(['too-many-segments', 'manifest-too-large', 'too-deep']);
    throw new SwiftError({
      kind: errors.some((e) => limitCodes.has(e.code)) ? 'limit' : 'invalid',
      message: `Nothing was written to ${container}/${object}: ${errors.slice(0, 3).map((e) => e.message).join(' ')}${errors.length > 3 ? ` (and ${errors.length - 3} more problems)` : ''}`,
      detail: errors.map((e) => `${e.message}${e.suggestion ? ` → ${e.suggestion}` : ''}`).join('\n'),
    });
  }
  let etag: string;
  try {
    ({ etag } = await putManifest(client, container, object, preview.entries, { headers: { ...opts.headers, etag: preview.etag }, ...(opts.signal ? { signal: opts.signal } : {}) }));
  } catch (e) {
    if (e instanceof SwiftError && e.status === 422) {
      throw new SwiftError({ kind: 'integrity', status: 422, message: `A segment changed while ${container}/${object} was being composed: Swift computed a different SLO ETag than predicted, so it wrote nothing. Try again.`, ...(e.transId ? { transId: e.transId } : {}) });
    }
    throw e;
  }
  if (etag !== preview.etag) {
    throw new SwiftError({ kind: 'integrity', message: `Swift stored ${container}/${object} with SLO ETag ${etag}, but ${preview.etag} was predicted.` });
  }
  return { ...preview, container, object, created: true };
}

/** An existing SLO's manifest as entries to edit: its segments ("container/object", with ranges) and inline data. */
export async function loadForEdit(client: SwiftClient, container: string, object: string, opts: { signal?: AbortSignal } = {}): Promise<ComposeEntry[]> {
  const raw = await readManifest(client, container, object, { raw: true, ...(opts.signal ? { signal: opts.signal } : {}) });
  return raw.map((e): ComposeEntry => ('data' in e ? { data: e.data, encoding: 'base64' } : { path: e.path.replace(/^\/+/, ''), ...(e.range ? { range: e.range } : {}) }));
}

/**
 * Saves edited entries of container/object: in place (the default; its content type and metadata are kept) or as
 * a new object with `saveAs`.
 */
export async function saveEdited(client: SwiftClient, container: string, object: string, entries: readonly ComposeEntry[], opts: CreateOptions & { saveAs?: { container: string; object: string } } = {}): Promise<ComposeResult> {
  const to = opts.saveAs ?? { container, object };
  const stat = await headObject(client, container, object, opts.signal ? { signal: opts.signal } : {});
  return createComposed(client, to.container, to.object, entries, { ...opts, headers: { ...keptHeaders(stat.headers), ...opts.headers } });
}
