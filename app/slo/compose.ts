// The manifest composer: builds an SLO from objects that already exist — whole objects, byte ranges of them, inline
// data, existing SLOs (nested), everything under a prefix, or manifest entries as someone wrote them — checked by the
// same rules as the doctor (rules.ts; the static half in doctor-checks.ts, the live half in live-checks.ts) against the
// cluster's /info limits before anything is written, with the total size and the SLO ETag predicted.
// `createComposed` PUTs it (heartbeat, with the predicted ETag so Swift refuses it if a segment changed in between);
// `loadForEdit` turns an existing SLO's manifest back into entries to edit and save in place or under a new name.
import type { ComposeEntry, ComposePreview, ComposeResult, EditEntry, Finding } from '../domain/findings.ts';
import type { SwiftClient } from '../swift/client.ts';
import { asText } from '../swift/peek.ts';
import { SwiftError } from '../swift/errors.ts';
import { capabilities } from '../swift/info.ts';
import { headObject } from '../swift/objects.ts';
import { checkWhole, limitsFrom, parseRangeSpec, readEntry, type Limits, type ReadEntry } from './doctor-checks.ts';
import { SwiftLookup } from './doctor-live.ts';
import { md5Hex, sloEtag, type EtagPart } from './etag.ts';
import { keptHeaders } from './kept-headers.ts';
import { checkLive, effective, type EntryLive } from './live-checks.ts';
import { putManifest } from './manifest-put.ts';
import type { PutEntry } from './manifest.ts';
import { readManifest } from './resolve.ts';
import { checkManifestSize, finding, LIMIT_CODES } from './rules.ts';

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

const isPrefix = (e: ComposeEntry): e is { prefix: string } => typeof (e as { prefix?: unknown }).prefix === 'string';
/** Inline data of a composition: {data, encoding?} and nothing else (with other keys it is a manifest entry as written). */
const isText = (e: ComposeEntry): e is { data: string; encoding?: 'utf8' | 'base64' } => typeof (e as { data?: unknown }).data === 'string' && Object.keys(e).every((k) => k === 'data' || k === 'encoding');

/** A composed piece as a manifest entry as written: paths get their leading "/", text becomes base64. */
function asWritten(e: ComposeEntry): unknown {
  if (isText(e)) return { data: e.encoding === 'base64' ? e.data : Buffer.from(e.data, 'utf8').toString('base64') };
  const path = (e as { path?: unknown }).path;
  return typeof path === 'string' ? { ...e, path: `/${path.replace(/^\/+/, '')}` } : e;
}

interface Expansion {
  /** The pieces as manifest entries as written; undefined where a prefix could not be read. */
  pieces: unknown[];
  findings: Finding[];
  /** Set when the pieces are more than one manifest may hold ("1001", or "more than 1001" for a cut listing). */
  overLimit?: string;
}

/** Expands prefixes into their objects (skipping empty ones and the target), counting against the segment limit. */
async function expand(look: SwiftLookup, all: readonly ComposeEntry[], limits: Limits, target?: { container: string; object: string }): Promise<Expansion> {
  const out: Expansion = { pieces: [], findings: [] };
  const max = limits.maxManifestSegments;
  // Count before any request: a composition over the limit is refused at once.
  let count = all.filter((e) => !isPrefix(e) && !isText(e)).length;
  if (count > max) return { ...out, overLimit: String(count) };
  for (const e of all) {
    if (!isPrefix(e)) {
      out.pieces.push(asWritten(e));
      continue;
    }
    const p = splitPrefix(e.prefix);
    const at = out.pieces.length;
    if (!p) {
      out.pieces.push(undefined);
      out.findings.push(finding('path-format', at, { kind: 'prefix', spec: e.prefix }));
      continue;
    }
    if (!(await look.containerExists(p.container))) {
      out.pieces.push(undefined);
      out.findings.push(finding('container-missing', at, { where: 'prefix', container: p.container, spec: e.prefix, containers: (await look.suggestContainers(p.container)).map((x) => x.name) }));
      continue;
    }
    const listed = (await look.listing(p.container, p.prefix)).filter((o) => !(target && p.container === target.container && o.name === target.object));
    const nonEmpty = listed.filter((o) => o.bytes > 0);
    if (count + nonEmpty.length > max) return { ...out, overLimit: listed.length >= look.listLimit ? `more than ${count + nonEmpty.length}` : String(count + nonEmpty.length) };
    count += nonEmpty.length;
    for (const o of nonEmpty) out.pieces.push({ path: `/${p.container}/${o.name}` });
    const skipped = listed.length - nonEmpty.length;
    if (skipped) out.findings.push(finding('empty-object-skipped', null, { count: skipped, spec: e.prefix }));
    if (!nonEmpty.length) out.findings.push(finding('prefix-empty', null, p));
  }
  return out;
}

/** The target's own findings: its container must exist; an existing object will be replaced. */
async function checkTarget(look: SwiftLookup, target: { container: string; object: string }): Promise<Finding[]> {
  if (!(await look.containerExists(target.container))) {
    return [finding('container-missing', null, { where: 'target', container: target.container, containers: (await look.suggestContainers(target.container)).map((x) => x.name) })];
  }
  const t = await look.head(target.container, target.object);
  if (t.status !== 'found') return [];
  return [finding('target-exists', null, { name: `${target.container}/${target.object}`, kind: t.kind === 'slo' ? 'an SLO' : t.kind === 'dlo' ? 'a DLO' : 'a plain object', size: t.size ?? 0, slo: t.kind === 'slo' })];
}

/** The manifest the composition makes, with each piece's bytes and entry (none for a piece in error). */
function build(live: readonly EntryLive[], target?: { container: string; object: string }): Omit<ComposePreview, 'problems' | 'ok'> {
  const entries: PutEntry[] = [];
  const parts: EtagPart[] = [];
  const items: ComposePreview['items'] = [];
  let size = 0;
  let depth = 1;
  for (const { entry, resolution, subDepth } of live) {
    if (entry.kind === 'data') {
      entries.push({ data: entry.data! });
      parts.push({ etag: md5Hex(Buffer.from(entry.data!, 'base64')) });
      items.push({ bytes: entry.dataBytes!, entry: entries.length - 1 });
      size += entry.dataBytes!;
      continue;
    }
    const seg = resolution?.info;
    const self = target && entry.container === target.container && entry.object === target.object;
    const eff = entry.kind === 'segment' && seg?.status === 'found' && !entry.rangeInvalid && !self ? effective(entry.range, seg.size ?? 0) : null;
    if (!seg || !eff) {
      items.push({ bytes: null, entry: null });
      continue;
    }
    if (subDepth !== undefined) depth = Math.max(depth, 1 + subDepth);
    entries.push({ path: `/${seg.container}/${seg.object}`, etag: seg.etag ?? null, size_bytes: seg.size ?? 0, ...(eff.range ? { range: eff.range } : {}) });
    parts.push({ etag: seg.etag ?? '', range: eff.range });
    items.push({ bytes: eff.bytes, entry: entries.length - 1 });
    size += eff.bytes;
  }
  return { entries, size, etag: entries.length ? sloEtag(parts) : '', depth, items };
}

/**
 * Validates a composition against the cluster and predicts the result. Writes nothing. Finding indexes are
 * positions of the composed pieces (prefixes expanded), which `items` describes one by one.
 */
export async function composeManifest(client: SwiftClient, input: readonly ComposeEntry[], opts: ComposeOptions = {}): Promise<ComposePreview> {
  const limits = limitsFrom(await capabilities(client));
  const look = new SwiftLookup(client, { ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.concurrency ? { concurrency: opts.concurrency } : {}) });
  const target = opts.target;
  const all: ComposeEntry[] = [...input, ...(opts.prefix ? [{ prefix: opts.prefix }] : [])];
  const ex = await expand(look, all, limits, target);
  if (ex.overLimit) {
    const problems = [...ex.findings, finding('too-many-segments', null, { count: ex.overLimit, max: limits.maxManifestSegments, depth: limits.maxNestingDepth })];
    return { entries: [], size: 0, etag: '', depth: 0, items: [], problems, ok: false };
  }
  const problems = [...ex.findings];
  const last = ex.pieces.length - 1;
  const entries: ReadEntry[] = ex.pieces.map((raw, i) => {
    if (raw === undefined) return { index: i, kind: 'invalid', keyProblems: false, written: {}, keySteps: [] };
    const r = readEntry(raw, i, i === last, target ?? { container: '', object: '' });
    problems.push(...r.findings);
    return r.entry;
  });
  if (target) problems.push(...(await checkTarget(look, target)));
  const live = await checkLive(look, entries, limits, 'compose', problems);
  problems.push(...checkWhole(ex.pieces.filter((p) => p !== undefined), entries, limits));
  const result = build(live, target);
  const tooLarge = checkManifestSize(JSON.stringify(result.entries), limits.maxManifestSize);
  if (tooLarge) problems.push(tooLarge);
  const sorted = problems.map((f, n) => ({ f, n })).sort((a, b) => (a.f.index ?? -1) - (b.f.index ?? -1) || a.n - b.n).map(({ f }) => f);
  return { ...result, problems: sorted, ok: !sorted.some((p) => p.severity === 'error') };
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
    throw new SwiftError({
      kind: errors.some((e) => LIMIT_CODES.has(e.code)) ? 'limit' : 'invalid',
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

/** Inline data as UTF-8 text when it reads as such (the preview's rule: no control characters but whitespace), else null. */
const inlineText = (b64: string): string | null => asText(Buffer.from(b64, 'base64'), false);

/**
 * An existing SLO's manifest as entries to edit: its segments ("container/object", with ranges) and inline data
 * (base64, or with `text` as UTF-8 text when it reads as such).
 */
export async function loadForEdit(client: SwiftClient, container: string, object: string, opts: { signal?: AbortSignal; text?: boolean } = {}): Promise<EditEntry[]> {
  const raw = await readManifest(client, container, object, { raw: true, ...(opts.signal ? { signal: opts.signal } : {}) });
  return raw.map((e): EditEntry => {
    if (!('data' in e)) return { path: e.path.replace(/^\/+/, ''), ...(e.range ? { range: e.range } : {}) };
    const text = opts.text ? inlineText(e.data) : null;
    return text === null ? { data: e.data, encoding: 'base64' } : { data: text, encoding: 'utf8' };
  });
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
