// The manifest doctor: examines any object and explains, entry by entry and in plain language, what keeps it from
// being (or would break) a Static Large Object — a manifest stored as ordinary data because the query was misspelled,
// misspelled keys, mistyped containers and segments, made-up etags and sizes, bad ranges, limits — and proposes a
// correct manifest built from the segments that really exist. `fixObject` writes it (validated, with heartbeat) and
// only then is the original replaced: a refused manifest PUT leaves the old object untouched.
import type { DoctorFixResult, DoctorReport, Finding } from '../domain/findings.ts';
import type { ObjectKind } from '../domain/objects.ts';
import type { SwiftClient } from '../swift/client.ts';
import { SwiftError } from '../swift/errors.ts';
import { capabilities } from '../swift/info.ts';
import { checkContainerName, checkObjectName } from '../swift/names.ts';
import { headObject, readObject } from '../swift/objects.ts';
import { checkEntries, limitsFrom, type Limits, type ReadEntry } from './doctor-checks.ts';
import { adviseKey } from './doctor-keys.ts';
import { resolvePath, SwiftLookup, type PathResolution, type SegmentInfo } from './doctor-live.ts';
import { dataEntryEtag, sloEtag, type EtagPart } from './etag.ts';
import { storedSloEtag } from './etag.ts';
import { keptHeaders } from './kept-headers.ts';
import { putManifest } from './manifest-put.ts';
import { resolveRange, type PutEntry, type StoredEntry } from './manifest.ts';
import { listDloSegments, parseDloHeader, readManifest } from './resolve.ts';

export { explainSwiftError } from './doctor-swift.ts';
export type { Finding } from '../domain/findings.ts';

export interface DiagnoseOptions {
  signal?: AbortSignal;
  /** Leave entries whose segment cannot be found out of the proposed manifest (instead of refusing to propose one). */
  dropMissing?: boolean;
  /** HEADs in flight at once (default 8). */
  concurrency?: number;
}

const err = (code: string, index: number | null, message: string, suggestion?: string): Finding => ({ severity: 'error', code, index, message, ...(suggestion ? { suggestion } : {}) });
const warn = (code: string, index: number | null, message: string, suggestion?: string): Finding => ({ severity: 'warning', code, index, message, ...(suggestion ? { suggestion } : {}) });
const info = (code: string, index: number | null, message: string, suggestion?: string): Finding => ({ severity: 'info', code, index, message, ...(suggestion ? { suggestion } : {}) });

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function countEntries(n: number): string {
  return `${n} ${n === 1 ? 'entry' : 'entries'}`;
}

// ---------- does a body look like a manifest? ----------

function looksLikeEntry(e: unknown): boolean {
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return false;
  const keys = Object.keys(e);
  if (!keys.length) return false;
  const advice = keys.map(adviseKey);
  const names = advice.some((a) => a.target === 'path' || a.target === 'data') || Object.values(e).some((v) => typeof v === 'string' && /^\/?[^/\s]+\/[^\s]+$/.test(v));
  const known = advice.filter((a) => a.kind !== 'unknown').length;
  return names && known * 2 >= keys.length;
}

/**
 * Finds the manifest in parsed JSON: an array whose entries mostly look like manifest entries (PUT or GET format,
 * misspelled keys included), a lone entry object, or an object wrapping such an array. null when it is not one.
 */
export function findManifestInJson(data: unknown): { entries: unknown[]; shape: 'list' | 'single' | 'wrapped'; wrapperKey?: string } | null {
  if (Array.isArray(data)) {
    if (!data.length) return null;
    const good = data.filter(looksLikeEntry).length;
    return good * 2 >= data.length && good > 0 ? { entries: data, shape: 'list' } : null;
  }
  if (typeof data === 'object' && data !== null) {
    if (looksLikeEntry(data)) return { entries: [data], shape: 'single' };
    for (const [k, v] of Object.entries(data)) {
      if (Array.isArray(v)) {
        const inner = findManifestInJson(v);
        if (inner) return { entries: inner.entries, shape: 'wrapped', wrapperKey: k };
      }
    }
  }
  return null;
}

/** Parses JSON, and failing that the same text with trailing commas removed (a common hand-editing slip). */
function parseJsonLenient(text: string): { data: unknown; relaxed: boolean; error?: string } | null {
  try {
    return { data: JSON.parse(text), relaxed: false };
  } catch (e) {
    const error = (e as Error).message;
    try {
      return { data: JSON.parse(text.replace(/,(\s*[\]}])/g, '$1')), relaxed: true, error };
    } catch {
      return null;
    }
  }
}

type BodyRead = { kind: 'text'; text: string } | { kind: 'not-json' } | { kind: 'too-big'; head: string };

/** Reads at most `max` bytes of a plain object; stops at once when the first character cannot start JSON. */
async function readSmallBody(client: SwiftClient, container: string, object: string, size: number, max: number, signal?: AbortSignal): Promise<BodyRead> {
  const tooBig = size > max;
  const want = tooBig ? Math.min(size, 64 * 1024) : size;
  const opts = { headers: { range: `bytes=0-${Math.max(0, want - 1)}` }, ok: (s: number) => s === 200 || s === 206 || s === 416, ...(signal ? { signal } : {}) };
  return readObject(client, container, object, opts, async (res): Promise<BodyRead> => {
    if (res.status === 416) {
      await res.body.dump();
      return { kind: 'not-json' };
    }
    const chunks: Buffer[] = [];
    let total = 0;
    let checked = false;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      total += chunk.length;
      if (!checked) {
        const head = Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '').trimStart();
        if (head.length) {
          checked = true;
          if (head[0] !== '[' && head[0] !== '{') {
            await res.body.dump().catch(() => {});
            return { kind: 'not-json' };
          }
        }
      }
      if (total >= want) break;
    }
    await res.body.dump().catch(() => {});
    const text = Buffer.concat(chunks).subarray(0, want).toString('utf8').replace(/^\uFEFF/, '');
    return tooBig ? { kind: 'too-big', head: text } : { kind: 'text', text };
  });
}

// ---------- live checks of entries ----------

interface EntryLive {
  entry: ReadEntry;
  resolution?: PathResolution;
  /** Nesting depth of the segment when it is itself an SLO. */
  subDepth?: number;
}

interface Proposal {
  manifest?: PutEntry[];
  blocked?: string;
  etag?: string;
  size?: number;
  notes: string[];
  dropped: number[];
}

/** Bytes an entry contributes given the segment's real size, and its normalised range (undefined when whole). */
function effective(range: string | undefined, size: number): { bytes: number; range?: string } | null {
  if (!range) return { bytes: size };
  const r = resolveRange(range, size);
  if (!r) return null;
  if (r.start === 0 && r.end === size - 1) return { bytes: size };
  return { bytes: r.end - r.start + 1, range: `${r.start}-${r.end}` };
}

/**
 * Live checks of read entries: containers, segments, etags, sizes, ranges, nesting. `mode` 'written' is a manifest
 * someone wrote by hand (paths may be mistyped: suggest and correct), 'stored' is a real SLO's manifest (Swift
 * validated it when it was written, so a missing segment was deleted and a different etag means it changed).
 */
async function checkLive(look: SwiftLookup, entries: ReadEntry[], limits: Limits, mode: 'written' | 'stored', findings: Finding[], target: string): Promise<EntryLive[]> {
  const used = new Set(entries.filter((e) => e.kind === 'segment').map((e) => `${e.container}/${e.object}`));
  const last = entries.length - 1;
  const live = await Promise.all(
    entries.map(async (entry): Promise<EntryLive> => {
      if (entry.kind !== 'segment') return { entry };
      const resolution = await resolvePath(look, entry.container!, entry.object!, { correct: mode === 'written', exclude: used });
      return { entry, resolution };
    }),
  );

  // Depths of sub-SLOs, once each.
  const depthOf = new Map<string, number>();
  await Promise.all(
    live.map(async ({ resolution: r }) => {
      const i = r?.info;
      if (i?.status === 'found' && i.kind === 'slo') depthOf.set(`${i.container}/${i.object}`, await look.sloDepth(i.container, i.object, limits.maxNestingDepth));
    }),
  );

  for (const item of live) {
    const { entry, resolution: r } = item;
    if (!r) continue;
    const i = entry.index;
    if (r.info?.status === 'found' && r.info.kind === 'slo') item.subDepth = depthOf.get(`${r.info.container}/${r.info.object}`) ?? 1;
    const written = `/${entry.container}/${entry.object}`;
    const fixed = r.resolved && (r.resolved.container !== entry.container || r.resolved.object !== entry.object) ? `/${r.resolved.container}/${r.resolved.object}` : undefined;
    const close = r.candidates.slice(0, 3).map((c) => `"/${c}"`).join(' or ');
    if (!r.containerExists) {
      const suggestion = fixed
        ? `Did you mean "${r.resolved!.container}"? ${fixed} exists.`
        : r.candidates.length
          ? `Did you mean ${close}?`
          : r.containerCandidates.length
            ? `Did you mean ${r.containerCandidates.slice(0, 3).map((c) => `"${c}"`).join(' or ')}?`
            : 'Check the container name; no existing container is close to it.';
      findings.push(err('container-missing', i, `Entry ${i}: container "${entry.container}" does not exist (path ${written}).`, suggestion));
    } else if (!r.resolved || fixed) {
      const suggestion = fixed
        ? `Did you mean "${fixed}"? It exists.`
        : r.candidates.length
          ? `Did you mean ${close}?`
          : mode === 'stored'
            ? `Upload the segment again (the same bytes), or rebuild the SLO without it (\`slo doctor ${target} --fix --drop-missing\`).`
            : 'Upload the segment, correct the path, or remove the entry.';
      const message = mode === 'stored'
        ? `Entry ${i}: segment ${written} is missing — it was deleted after the manifest was written, so downloads of this SLO fail at this point.`
        : `Entry ${i}: segment ${written} does not exist.`;
      findings.push(err('segment-missing', i, message, suggestion));
    }
    const seg: SegmentInfo | undefined = r.info;
    if (!seg) continue;
    const shown = `/${seg.container}/${seg.object}`;
    if (seg.status === 'forbidden') {
      findings.push(err('segment-forbidden', i, `Entry ${i}: you may not read segment ${shown} (${seg.message ?? '403'}).`, 'Check the container ACLs, or use segments in a container you can read.'));
      continue;
    }
    if (seg.status === 'error') {
      findings.push(warn('segment-unavailable', i, `Entry ${i}: could not check segment ${shown}: ${seg.message ?? 'unknown error'}.`, 'Run the doctor again.'));
      continue;
    }
    if (seg.status !== 'found') continue;
    const realSize = seg.size ?? 0;
    const realEtag = seg.etag ?? '';
    const corrected = shown !== written;
    const subject = corrected ? `${shown} (corrected from ${written})` : shown;
    if (typeof entry.etag === 'string' && entry.etag !== realEtag) {
      if (mode === 'stored') {
        findings.push(err('etag-mismatch', i, `Entry ${i}: segment ${shown} changed after the manifest was written: the manifest records ETag ${entry.etag}, the segment now has ${realEtag}. Downloads of this SLO fail at this point.`, `Restore the original segment, or rebuild the manifest from the current segments (\`slo doctor ${target} --fix\`).`));
      } else {
        findings.push(err('etag-mismatch', i, `Entry ${i}: the manifest says etag "${entry.etag}", but segment ${subject} has ETag "${realEtag}". Swift would refuse the manifest ("Etag Mismatch").`, `Use "${realEtag}" (or null to skip the check).`));
      }
    }
    if (typeof entry.size === 'number' && entry.size !== realSize) {
      if (mode === 'stored') {
        findings.push(err('size-mismatch', i, `Entry ${i}: segment ${shown} changed after the manifest was written: the manifest records ${entry.size} bytes, the segment now has ${realSize}.`, `Restore the original segment, or rebuild the manifest from the current segments (\`slo doctor ${target} --fix\`).`));
      } else {
        findings.push(err('size-mismatch', i, `Entry ${i}: the manifest says size_bytes ${entry.size}, but segment ${subject} is ${realSize} bytes. Swift would refuse the manifest ("Size Mismatch").`, `Use ${realSize} (or null to skip the check).`));
      }
    }
    let bytes = realSize;
    if (entry.range) {
      const eff = effective(entry.range, realSize);
      if (!eff) {
        findings.push(err('range-unsatisfiable', i, `Entry ${i}: the range "${entry.range}" lies outside segment ${shown}, which has ${realSize} bytes (valid bytes are 0-${Math.max(0, realSize - 1)}).`, `Use a range within 0-${Math.max(0, realSize - 1)}.`));
        continue;
      }
      bytes = eff.bytes;
      if (!eff.range) findings.push(info('range-whole', i, `Entry ${i}: the range "${entry.range}" covers all of ${shown}; Swift drops it and uses the whole segment.`));
    }
    if (bytes < 1 && entry.index !== last) {
      findings.push(err('segment-too-small', i, `Entry ${i}: segment ${shown} contributes 0 bytes; every segment except the last must contribute at least 1 byte.`, 'Remove the entry.'));
    } else if (bytes < limits.minSegmentSize && entry.index !== last) {
      findings.push(err('segment-too-small', i, `Entry ${i}: segment ${shown} contributes ${bytes} bytes; this cluster requires at least ${limits.minSegmentSize} (slo.min_segment_size) for every segment but the last.`, 'Merge small segments into bigger ones.'));
    }
    if (seg.kind === 'slo') {
      const d = depthOf.get(`${seg.container}/${seg.object}`) ?? 1;
      if (1 + d > limits.maxNestingDepth) {
        findings.push(err('too-deep', i, `Entry ${i}: ${shown} is an SLO nested ${d} levels deep; inside this manifest that makes ${1 + d} levels, and Swift serves at most ${limits.maxNestingDepth}.`, 'Flatten some levels (compose the leaf segments directly).'));
      } else if (mode === 'written') {
        findings.push(info('sub-slo', i, `Entry ${i}: ${shown} is itself an SLO (${realSize} bytes); its etag in a manifest is its SLO ETag ${realEtag}.`));
      }
    } else if (seg.kind === 'dlo') {
      findings.push(warn('segment-is-dlo', i, `Entry ${i}: ${shown} is a Dynamic Large Object; its content follows whatever objects match its prefix, so this SLO can change or break silently.`, 'Use the DLO\'s segments (or an SLO of them) instead.'));
    }
  }
  return live;
}

/** Builds the manifest a fix would PUT: real etags and sizes, corrected paths, original order. */
function buildProposal(live: EntryLive[], limits: Limits, dropMissing: boolean): Proposal {
  const notes: string[] = [];
  const dropped: number[] = [];
  const manifest: PutEntry[] = [];
  const parts: EtagPart[] = [];
  const unfixable: string[] = [];
  const missing: number[] = [];
  let size = 0;
  for (const { entry, resolution: r, subDepth } of live) {
    const i = entry.index;
    if (subDepth !== undefined && 1 + subDepth > limits.maxNestingDepth) {
      unfixable.push(`entry ${i} is an SLO nested ${subDepth} levels deep, which makes this one too deep (flatten it first)`);
      continue;
    }
    if (entry.kind === 'data') {
      manifest.push({ data: entry.data! });
      parts.push({ etag: dataEntryEtag(entry.data!) });
      size += entry.dataBytes!;
      continue;
    }
    const seg = r?.info;
    if (entry.kind === 'invalid' || !seg || seg.status !== 'found') {
      if (seg?.status === 'error') {
        unfixable.push(`entry ${i} could not be checked (${seg.message ?? 'error'})`);
        continue;
      }
      missing.push(i);
      if (dropMissing) {
        dropped.push(i);
        notes.push(`entry ${i}: left out (${entry.kind === 'invalid' ? 'it names no usable segment' : `segment /${entry.container}/${entry.object} not found`})`);
      }
      continue;
    }
    if (entry.rangeInvalid) {
      unfixable.push(`entry ${i} has an invalid range`);
      continue;
    }
    const eff = effective(entry.range, seg.size!);
    if (!eff) {
      unfixable.push(`entry ${i}: the range "${entry.range}" lies outside its ${seg.size}-byte segment`);
      continue;
    }
    const path = `/${seg.container}/${seg.object}`;
    const written = `/${entry.container}/${entry.object}`;
    if (path !== written) notes.push(`entry ${i}: path ${written} → ${path}`);
    if (typeof entry.etag === 'string' && entry.etag !== seg.etag) notes.push(`entry ${i}: etag ${entry.etag} → ${seg.etag}`);
    else if (entry.etag === undefined || entry.etag === null) notes.push(`entry ${i}: etag set to ${seg.etag}`);
    if (typeof entry.size === 'number' && entry.size !== seg.size) notes.push(`entry ${i}: size_bytes ${entry.size} → ${seg.size}`);
    manifest.push({ path, etag: seg.etag!, size_bytes: seg.size!, ...(eff.range ? { range: eff.range } : {}) });
    parts.push({ etag: seg.etag!, range: eff.range });
    size += eff.bytes;
  }
  const p: Proposal = { notes, dropped };
  if (unfixable.length) {
    p.blocked = `${unfixable.join('; ')}; correct ${unfixable.length === 1 ? 'it' : 'them'} by hand.`;
    return p;
  }
  if (missing.length && !dropMissing) {
    p.blocked = `${countEntries(missing.length)} (${missing.map((m) => `#${m}`).join(', ')}) name${missing.length === 1 ? 's' : ''} a segment that cannot be found; correct ${missing.length === 1 ? 'it' : 'them'} by hand, or leave ${missing.length === 1 ? 'it' : 'them'} out with --drop-missing.`;
    return p;
  }
  const objectBacked = manifest.filter((e) => 'path' in e);
  if (!objectBacked.length) {
    p.blocked = 'No segment of this manifest exists, so there is nothing to build an SLO from.';
    return p;
  }
  if (objectBacked.length > limits.maxManifestSegments) {
    p.blocked = `The manifest would have ${objectBacked.length} segments; this cluster allows ${limits.maxManifestSegments}. Compose it from sub-manifests instead (slo compose).`;
    return p;
  }
  // Every contribution but the last must be at least min_segment_size bytes.
  for (let k = 0; k < manifest.length - 1; k++) {
    const e = manifest[k]!;
    const bytes = 'data' in e ? Buffer.from(e.data, 'base64').length : e.range ? Number(e.range.split('-')[1]) - Number(e.range.split('-')[0]) + 1 : e.size_bytes!;
    if (bytes < Math.max(1, limits.minSegmentSize)) {
      p.blocked = `Segment ${'path' in e ? e.path : '(inline data)'} contributes ${bytes} bytes, below this cluster's minimum of ${Math.max(1, limits.minSegmentSize)} for all but the last segment.`;
      return p;
    }
  }
  const json = JSON.stringify(manifest);
  if (Buffer.byteLength(json) > limits.maxManifestSize) {
    p.blocked = `The corrected manifest is ${Buffer.byteLength(json)} bytes; this cluster accepts at most ${limits.maxManifestSize}.`;
    return p;
  }
  p.manifest = manifest;
  p.etag = sloEtag(parts);
  p.size = size;
  return p;
}

// ---------- the report ----------

function summarise(r: { container: string; object: string; kind: ObjectKind; isSlo: boolean; size: number | null; findings: Finding[] }, extra: { manifestLike?: boolean; segments?: number; proposal?: Proposal }): string {
  const errors = r.findings.filter((f) => f.severity === 'error').length;
  const warnings = r.findings.filter((f) => f.severity === 'warning').length;
  const name = `${r.container}/${r.object}`;
  const counts = `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
  if (r.size === null) return `${name} does not exist (${counts}).`;
  const fixHint = extra.proposal
    ? extra.proposal.manifest
      ? ` \`slo doctor ${name} --fix\` can rewrite it as a valid SLO of ${countEntries(extra.proposal.manifest.length)} (${extra.proposal.size} bytes).`
      : extra.proposal.blocked
        ? ` No automatic fix: ${extra.proposal.blocked}`
        : ''
    : '';
  if (r.isSlo) {
    if (!errors) return `${name} is a healthy SLO: ${countEntries(extra.segments ?? 0)}, ${r.size} bytes${warnings ? ` (${plural(warnings, 'warning')})` : ''}.`;
    return `${name} is a broken SLO (${counts}).${fixHint}`;
  }
  if (extra.manifestLike) return `${name} is NOT an SLO: it is a manifest stored as ordinary data (${counts}).${fixHint}`;
  if (r.kind === 'dlo') return `${name} is a Dynamic Large Object (${counts}).`;
  return errors ? `${name}: ${counts}.` : `${name} is an ordinary object (${r.size} bytes); there is no manifest to check.`;
}

function sortFindings(findings: Finding[]): Finding[] {
  const rank = { error: 0, warning: 1, info: 2 } as const;
  return findings
    .map((f, n) => ({ f, n }))
    .sort((a, b) => (a.f.index ?? -1) - (b.f.index ?? -1) || rank[a.f.severity] - rank[b.f.severity] || a.n - b.n)
    .map(({ f }) => f);
}

/** GET-format entries of a real SLO → the PUT-format view the checks read (hash → etag, bytes → size_bytes). */
function storedToPut(entries: readonly StoredEntry[]): unknown[] {
  return entries.map((e) => (e.data !== undefined ? { data: e.data } : { path: e.name ?? '', etag: e.hash ?? null, size_bytes: e.bytes ?? null, ...(e.range ? { range: e.range } : {}) }));
}

/**
 * Examines container/object and explains what is wrong with it as an SLO, entry by entry. Never writes anything.
 * The report's `manifest` is the correct manifest `fixObject` would write, when there is something to fix.
 */
export async function diagnose(client: SwiftClient, container: string, object: string, opts: DiagnoseOptions = {}): Promise<DoctorReport> {
  checkContainerName(container);
  checkObjectName(object);
  const limits = limitsFrom(await capabilities(client));
  const look = new SwiftLookup(client, { ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.concurrency ? { concurrency: opts.concurrency } : {}) });
  const findings: Finding[] = [];
  const target = { container, object };
  const so = opts.signal ? { signal: opts.signal } : {};

  const head = await look.head(container, object);
  if (head.status !== 'found') {
    if (head.status === 'missing') {
      if (!(await look.containerExists(container))) {
        const c = (await look.suggestContainers(container)).map((x) => x.name);
        findings.push(err('container-missing', null, `Container "${container}" does not exist.`, c.length ? `Did you mean ${c.slice(0, 3).map((x) => `"${x}"`).join(' or ')}?` : undefined));
      } else {
        const o = (await look.suggestObjects(container, object)).map((x) => x.name);
        findings.push(err('object-missing', null, `${container}/${object} does not exist.`, o.length ? `Did you mean ${o.slice(0, 3).map((x) => `"${x}"`).join(' or ')}?` : undefined));
      }
    } else {
      findings.push(err(head.status === 'forbidden' ? 'object-forbidden' : 'object-unavailable', null, `Could not read ${container}/${object}: ${head.message ?? head.status}.`));
    }
    const base = { container, object, kind: 'unknown' as const, isSlo: false, size: null, findings };
    return { ...base, summary: summarise(base, {}) };
  }

  const kind = head.kind ?? 'plain';
  const size = head.size ?? 0;

  if (kind === 'slo') {
    const stored = await readManifest(client, container, object, so);
    const raw = storedToPut(stored);
    const st = checkEntries(raw, limits, target);
    // Swift wrote this manifest itself: only findings about content matter (no key/format advice).
    findings.push(...st.findings.filter((f) => !['etag-null', 'size-null', 'path-no-leading-slash', 'duplicate-segment', 'empty-manifest'].includes(f.code)));
    const live = await checkLive(look, st.entries, limits, 'stored', findings, `${container}/${object}`);
    const computed = storedSloEtag(stored);
    if (computed !== undefined && computed !== head.etag) {
      findings.push(err('slo-etag-mismatch', null, `The SLO ETag recomputed from the manifest (${computed}) differs from the one Swift reports (${head.etag}); the manifest was probably rewritten by a tool that does not follow Swift's rules.`, `Rewrite the manifest from its segments (\`slo doctor ${container}/${object} --fix\`).`));
    }
    const total = stored.reduce((n, e) => {
      if (e.data !== undefined) return n + Buffer.from(e.data, 'base64').length;
      const eff = typeof e.bytes === 'number' ? effective(e.range, e.bytes) : null;
      return n + (eff ? eff.bytes : 0);
    }, 0);
    if (total !== size && !findings.some((f) => f.severity === 'error')) {
      findings.push(warn('size-total-mismatch', null, `The manifest's entries add up to ${total} bytes but Swift reports ${size}.`));
    }
    const depths = await Promise.all(stored.filter((e) => e.sub_slo && e.name).map((e) => {
      const s = e.name!.replace(/^\/+/, '');
      const i = s.indexOf('/');
      return look.sloDepth(s.slice(0, i), s.slice(i + 1), limits.maxNestingDepth);
    }));
    const depth = 1 + Math.max(0, ...depths);
    if (depth > 1 && depth <= limits.maxNestingDepth) findings.push(info('nested', null, `This SLO is nested ${depth} levels deep (sub-manifests inside the manifest); Swift serves up to ${limits.maxNestingDepth}.`));
    const hasErrors = findings.some((f) => f.severity === 'error');
    if (!hasErrors) {
      findings.push(info('slo-ok', null, `A Static Large Object of ${countEntries(stored.length)} and ${size} bytes; every segment exists with the size and ETag the manifest records, and the SLO ETag ${head.etag} checks out.`));
    }
    const proposal = hasErrors ? buildProposal(live, limits, opts.dropMissing === true) : undefined;
    const base = { container, object, kind, isSlo: true, size, findings: sortFindings(findings) };
    return {
      ...base,
      ...(proposal?.manifest ? { manifest: proposal.manifest, fixPlan: { etag: proposal.etag!, size: proposal.size!, notes: proposal.notes, dropped: proposal.dropped } } : {}),
      ...(proposal?.blocked ? { fixBlocked: proposal.blocked } : {}),
      summary: summarise(base, { segments: stored.length, ...(proposal ? { proposal } : {}) }),
    };
  }

  if (kind === 'dlo') {
    const dlo = parseDloHeader((await headObject(client, container, object, so)).headers['x-object-manifest'] ?? '');
    if (!dlo) {
      findings.push(err('dlo-invalid', null, 'This object has an X-Object-Manifest header without a "container/prefix" value, so it reads as empty.'));
    } else {
      findings.push(info('dlo', null, `This is a Dynamic Large Object, not an SLO: its content is whatever objects start with "${dlo.prefix}" in container ${dlo.container}, in listing order. Listings are eventually consistent, so its content can lag or change.`, `To pin its segments and checksums, make an SLO of them: slo compose <container>/<object> --prefix ${dlo.container}/${dlo.prefix}`));
      if (!(await look.containerExists(dlo.container))) {
        findings.push(err('container-missing', null, `The DLO's segment container "${dlo.container}" does not exist, so the object reads as empty.`));
      } else {
        const segs = await listDloSegments(client, dlo.container, dlo.prefix, opts.signal);
        if (!segs.tree.length) findings.push(warn('dlo-empty', null, `No objects start with "${dlo.prefix}" in ${dlo.container}, so this object reads as empty.`));
      }
    }
    const base = { container, object, kind, isSlo: false, size, findings };
    return { ...base, summary: summarise(base, {}) };
  }

  // A plain object: is its body a manifest that was stored as ordinary data?
  const notSlo = (detail: string) =>
    err(
      'not-an-slo',
      null,
      `This is not a Static Large Object — it was stored as ordinary data. ${detail} Downloading it returns that JSON, not the segments. Swift makes an SLO only when the PUT URL carries exactly ?multipart-manifest=put; a misspelled query (such as ?multiaprt-manifest=put or ?multipart_manifest=put) is ignored without any error, and the body is stored as-is.`,
      `Run \`slo doctor ${container}/${object} --fix\` to write a correct manifest from the segments that exist, or PUT the corrected JSON to ${container}/${object}?multipart-manifest=put.`,
    );
  let manifestLike = false;
  let proposal: Proposal | undefined;
  if (size === 0) {
    findings.push(info('plain-object', null, 'An empty ordinary object.'));
  } else {
    const body = await readSmallBody(client, container, object, size, limits.maxManifestSize, opts.signal);
    if (body.kind === 'not-json') {
      findings.push(info('plain-object', null, `An ordinary object of ${size} bytes whose content is not a manifest.`));
    } else if (body.kind === 'too-big') {
      if (/"(path|size_bytes|etag)"\s*:/.test(body.head)) {
        manifestLike = true;
        findings.push(notSlo(`Its ${size} bytes start like a JSON manifest.`));
        findings.push(err('manifest-too-large', null, `At ${size} bytes it is bigger than the largest manifest this cluster accepts (${limits.maxManifestSize} bytes, slo.max_manifest_size).`, 'Split it into sub-manifests and compose those (slo compose).'));
      } else {
        findings.push(info('plain-object', null, `An ordinary object of ${size} bytes.`));
      }
    } else {
      const parsed = parseJsonLenient(body.text);
      const found = parsed ? findManifestInJson(parsed.data) : null;
      if (!parsed) {
        if (/"(path|size_bytes|etag|name|hash)"\s*:/.test(body.text)) {
          manifestLike = true;
          findings.push(notSlo(`Its ${size} bytes look like a JSON manifest.`));
          let why = '';
          try {
            JSON.parse(body.text);
          } catch (e) {
            why = (e as Error).message;
          }
          findings.push(err('invalid-json', null, `The JSON is not valid (${why}); Swift would also answer a manifest PUT of it with "Manifest must be valid JSON."`, 'Check commas, quotes and brackets (a JSON validator shows the exact spot).'));
          proposal = { notes: [], dropped: [], blocked: 'The JSON cannot be read, so the intended segments are unknown.' };
        } else {
          findings.push(info('plain-object', null, `An ordinary object of ${size} bytes whose content is not a manifest.`));
        }
      } else if (!found) {
        findings.push(info('plain-object', null, `An ordinary object of ${size} bytes of JSON that is not a manifest.`));
      } else {
        manifestLike = true;
        const n = found.entries.length;
        findings.push(notSlo(`Swift keeps its ${size} bytes — a JSON manifest of ${countEntries(n)} — as the object's content.`));
        if (parsed.relaxed) findings.push(err('invalid-json', null, `The JSON is not valid (${parsed.error}): it has a trailing comma. Swift would answer a manifest PUT of it with "Manifest must be valid JSON."`, 'Remove the comma before the closing bracket.'));
        if (found.shape === 'single') findings.push(err('not-a-list', null, 'The manifest is a single JSON object; Swift requires a JSON array of entries ("Manifest must be a list.").', 'Wrap it in [ … ].'));
        if (found.shape === 'wrapped') findings.push(err('not-a-list', null, `The manifest is wrapped in an object (under "${found.wrapperKey}"); Swift requires the JSON array itself ("Manifest must be a list.").`, `PUT only the array under "${found.wrapperKey}".`));
        if (size > limits.maxManifestSize) findings.push(err('manifest-too-large', null, `At ${size} bytes it is bigger than the largest manifest this cluster accepts (${limits.maxManifestSize}).`));
        const st = checkEntries(found.entries, limits, target);
        findings.push(...st.findings);
        const live = await checkLive(look, st.entries, limits, 'written', findings, `${container}/${object}`);
        proposal = buildProposal(live, limits, opts.dropMissing === true);
        if (st.findings.some((f) => f.severity === 'error') || findings.filter((f) => f.severity === 'error').length > 1) {
          findings[0] = { ...findings[0]!, message: findings[0]!.message + ' Even with the right query Swift would have refused this JSON, for the reasons below.' };
        }
      }
    }
  }
  const base = { container, object, kind, isSlo: false, size, findings: sortFindings(findings) };
  return {
    ...base,
    ...(proposal?.manifest ? { manifest: proposal.manifest, fixPlan: { etag: proposal.etag!, size: proposal.size!, notes: proposal.notes, dropped: proposal.dropped } } : {}),
    ...(proposal?.blocked ? { fixBlocked: proposal.blocked } : {}),
    summary: summarise(base, { manifestLike, ...(proposal ? { proposal } : {}) }),
  };
}

// ---------- the fix ----------

export interface FixOptions extends DiagnoseOptions {
  /** Write the proposed manifest (replacing the object) — false only proposes. */
  confirm?: boolean;
  /** Called with the report before anything is written (e.g. to show it and ask). Return false to stop. */
  approve?: (report: DoctorReport) => Promise<boolean> | boolean;
}

/**
 * Diagnoses, then (with confirm) PUTs the proposed manifest with ?multipart-manifest=put&heartbeat=on and the
 * predicted SLO ETag as its Etag, so Swift itself refuses it if anything changed in between. Swift replaces the
 * object only when that PUT succeeds; a refusal leaves the original untouched.
 */
export async function fixObject(client: SwiftClient, container: string, object: string, opts: FixOptions = {}): Promise<DoctorFixResult> {
  const report = await diagnose(client, container, object, opts);
  const errors = report.findings.filter((f) => f.severity === 'error');
  if (!errors.length) return { report, manifest: [], replaced: false, message: `Nothing to fix: ${report.summary}` };
  if (!report.manifest) {
    return { report, manifest: [], replaced: false, message: report.fixBlocked ? `No automatic fix: ${report.fixBlocked}` : `No automatic fix for ${container}/${object}: it is not a manifest the doctor can rebuild.` };
  }
  const manifest = report.manifest;
  if (!opts.confirm || (opts.approve && !(await opts.approve(report)))) {
    return { report, manifest, replaced: false, message: `Proposed a manifest of ${manifest.length} entries (${report.fixPlan?.size ?? 0} bytes, SLO ETag ${report.fixPlan?.etag ?? '?'}); nothing was written.` };
  }
  // Validate the proposal exactly as a fresh manifest: static checks must be clean before it goes out.
  const limits = limitsFrom(await capabilities(client));
  const recheck = checkEntries(manifest, limits, { container, object }).findings.filter((f) => f.severity === 'error');
  if (recheck.length) throw new SwiftError({ kind: 'invalid', message: `The proposed manifest is not valid: ${recheck.map((f) => f.message).join(' ')}` });

  const stat = await headObject(client, container, object, opts.signal ? { signal: opts.signal } : {});
  const headers: Record<string, string> = { ...keptHeaders(stat.headers, { contentType: report.isSlo }) };
  if (report.fixPlan?.etag) headers['etag'] = report.fixPlan.etag;
  let etag: string;
  try {
    ({ etag } = await putManifest(client, container, object, manifest, { headers, ...(opts.signal ? { signal: opts.signal } : {}) }));
  } catch (e) {
    if (e instanceof SwiftError) {
      throw new SwiftError({ kind: e.kind, message: `${e.message} ${container}/${object} was left as it was.`, ...(e.status !== undefined ? { status: e.status } : {}), ...(e.transId ? { transId: e.transId } : {}), ...(e.detail ? { detail: e.detail } : {}) });
    }
    throw e;
  }
  const after = await headObject(client, container, object, opts.signal ? { signal: opts.signal } : {});
  if (after.kind !== 'slo') throw new SwiftError({ kind: 'integrity', message: `Swift accepted the manifest for ${container}/${object} but the object does not report X-Static-Large-Object.` });
  return {
    report,
    manifest,
    etag,
    replaced: true,
    message: `Replaced ${container}/${object} with a valid SLO of ${manifest.length} entries: ${after.size} bytes, SLO ETag ${etag}${report.fixPlan?.etag ? (report.fixPlan.etag === etag ? ' (as predicted)' : ` (predicted ${report.fixPlan.etag})`) : ''}.`,
  };
}
