// The manifest doctor: examines any object and explains, entry by entry and in plain language, what keeps it from
// being (or would break) a Static Large Object — a manifest stored as ordinary data because the query was misspelled,
// misspelled keys, mistyped containers and segments, made-up etags and sizes, bad ranges, limits — and proposes a
// correct manifest built from the segments that really exist. `fixObject` writes it (validated, with heartbeat) and
// only then is the original replaced: a refused manifest PUT leaves the old object untouched.
import type { Finding } from '../domain/findings.ts';
import type { DoctorFixResult, DoctorReport, ObjectKind } from '../rpc/contract.ts';
import type { SwiftClient } from '../swift/client.ts';
import { SwiftError } from '../swift/errors.ts';
import { capabilities } from '../swift/info.ts';
import { checkContainerName, checkObjectName } from '../swift/names.ts';
import { getObject, headObject } from '../swift/objects.ts';
import { checkEntries, limitsFrom, type Limits } from './doctor-checks.ts';
import { adviseKey } from './doctor-keys.ts';
import { SwiftLookup, type SegmentInfo } from './doctor-live.ts';
import { buildProposal, type Proposal } from './fix-plan.ts';
import { computeSloEtag } from './inspect.ts';
import { checkLive, effective } from './live-checks.ts';
import { putManifest } from './manifest-put.ts';
import type { StoredEntry } from './manifest.ts';
import { listDloSegments, parseDloHeader, readManifest } from './resolve.ts';
import { finding, sortFindings } from './rules.ts';

export { explainSwiftError } from './doctor-swift.ts';
export type { Finding } from '../domain/findings.ts';

export interface DiagnoseOptions {
  signal?: AbortSignal;
  /** Leave entries whose segment cannot be found out of the proposed manifest (instead of refusing to propose one). */
  dropMissing?: boolean;
  /** HEADs in flight at once (default 8). */
  concurrency?: number;
}

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
  const res = await getObject(client, container, object, {
    headers: { range: `bytes=0-${Math.max(0, want - 1)}` },
    ok: (s) => s === 200 || s === 206 || s === 416,
    ...(signal ? { signal } : {}),
  });
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
}

// ---------- the report ----------

function summarise(r: { container: string; object: string; kind: ObjectKind; isSlo: boolean; size: number | null; findings: Finding[] }, extra: { manifestLike?: boolean; segments?: number; proposal?: Proposal | undefined }): string {
  const errors = r.findings.filter((f) => f.severity === 'error').length;
  const warnings = r.findings.filter((f) => f.severity === 'warning').length;
  const name = `${r.container}/${r.object}`;
  const counts = `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
  if (r.size === null) return `${name} does not exist (${counts}).`;
  const p = extra.proposal;
  const fixHint = p?.manifest ? ` A fix can rewrite it as a valid SLO of ${countEntries(p.manifest.length)} (${p.size} bytes).` : p?.blocked ? ` No automatic fix: ${p.blocked.message}` : '';
  if (r.isSlo) {
    if (!errors) return `${name} is a healthy SLO: ${countEntries(extra.segments ?? 0)}, ${r.size} bytes${warnings ? ` (${plural(warnings, 'warning')})` : ''}.`;
    return `${name} is a broken SLO (${counts}).${fixHint}`;
  }
  if (extra.manifestLike) return `${name} is NOT an SLO: it is a manifest stored as ordinary data (${counts}).${fixHint}`;
  if (r.kind === 'dlo') return `${name} is a Dynamic Large Object (${counts}).`;
  return errors ? `${name}: ${counts}.` : `${name} is an ordinary object (${r.size} bytes); there is no manifest to check.`;
}

/** GET-format entries of a real SLO → the PUT-format view the checks read (hash → etag, bytes → size_bytes). */
function storedToPut(entries: readonly StoredEntry[]): unknown[] {
  return entries.map((e) => (e.data !== undefined ? { data: e.data } : { path: e.name ?? '', etag: e.hash ?? null, size_bytes: e.bytes ?? null, ...(e.range ? { range: e.range } : {}) }));
}

interface Ctx {
  client: SwiftClient;
  container: string;
  object: string;
  limits: Limits;
  look: SwiftLookup;
  findings: Finding[];
  opts: DiagnoseOptions;
}

/** The report, with the proposal (when there is one) as manifest, fix plan and block. */
function report(c: Ctx, kind: ObjectKind, size: number | null, proposal: Proposal | undefined, extra: { manifestLike?: boolean; segments?: number }): DoctorReport {
  const base = { container: c.container, object: c.object, kind, isSlo: kind === 'slo', size, findings: sortFindings(c.findings) };
  return {
    ...base,
    ...(proposal?.manifest ? { manifest: proposal.manifest, fixPlan: { etag: proposal.etag!, size: proposal.size!, steps: proposal.steps, dropped: proposal.dropped } } : {}),
    ...(proposal?.blocked ? { fixBlocked: proposal.blocked } : {}),
    summary: summarise(base, { ...extra, proposal }),
  };
}

async function diagnoseMissing(c: Ctx, head: SegmentInfo): Promise<DoctorReport> {
  const name = `${c.container}/${c.object}`;
  if (head.status === 'missing') {
    if (!(await c.look.containerExists(c.container))) {
      c.findings.push(finding('container-missing', null, { where: 'object', container: c.container, containers: (await c.look.suggestContainers(c.container)).map((x) => x.name) }));
    } else {
      c.findings.push(finding('object-missing', null, { name, candidates: (await c.look.suggestObjects(c.container, c.object)).map((x) => x.name) }));
    }
  } else {
    c.findings.push(finding(head.status === 'forbidden' ? 'object-forbidden' : 'object-unavailable', null, { name, detail: head.message ?? head.status }));
  }
  return report(c, 'unknown', null, undefined, {});
}

async function diagnoseSlo(c: Ctx, head: SegmentInfo): Promise<DoctorReport> {
  const { limits, look, findings } = c;
  const size = head.size ?? 0;
  const stored = await readManifest(c.client, c.container, c.object, c.opts.signal ? { signal: c.opts.signal } : {});
  const st = checkEntries(storedToPut(stored), limits, c);
  // Swift wrote this manifest itself: only findings about content matter (no key/format advice).
  findings.push(...st.findings.filter((f) => !['etag-null', 'size-null', 'path-no-leading-slash', 'duplicate-segment', 'empty-manifest'].includes(f.code)));
  const live = await checkLive(look, st.entries, limits, 'stored', findings);
  const computed = computeSloEtag(stored);
  if (computed !== head.etag) findings.push(finding('slo-etag-mismatch', null, { computed, reported: head.etag ?? '' }));
  const total = stored.reduce((n, e) => {
    if (e.data !== undefined) return n + Buffer.from(e.data, 'base64').length;
    const eff = typeof e.bytes === 'number' ? effective(e.range, e.bytes) : null;
    return n + (eff ? eff.bytes : 0);
  }, 0);
  if (total !== size && !findings.some((f) => f.severity === 'error')) findings.push(finding('size-total-mismatch', null, { total, size }));
  const depths = await Promise.all(stored.filter((e) => e.sub_slo && e.name).map((e) => {
    const s = e.name!.replace(/^\/+/, '');
    const i = s.indexOf('/');
    return look.sloDepth(s.slice(0, i), s.slice(i + 1), limits.maxNestingDepth);
  }));
  const depth = 1 + Math.max(0, ...depths);
  if (depth > 1 && depth <= limits.maxNestingDepth) findings.push(finding('nested', null, { depth, max: limits.maxNestingDepth }));
  const hasErrors = findings.some((f) => f.severity === 'error');
  if (!hasErrors) findings.push(finding('slo-ok', null, { entries: countEntries(stored.length), size, etag: head.etag ?? '' }));
  const proposal = hasErrors ? buildProposal(live, limits, c.opts.dropMissing === true) : undefined;
  return report(c, 'slo', size, proposal, { segments: stored.length });
}

async function diagnoseDlo(c: Ctx, size: number): Promise<DoctorReport> {
  const so = c.opts.signal ? { signal: c.opts.signal } : {};
  const dlo = parseDloHeader((await headObject(c.client, c.container, c.object, so)).headers['x-object-manifest'] ?? '');
  if (!dlo) {
    c.findings.push(finding('dlo-invalid', null, {}));
  } else {
    c.findings.push(finding('dlo', null, dlo));
    if (!(await c.look.containerExists(dlo.container))) {
      c.findings.push(finding('container-missing', null, { where: 'dlo', container: dlo.container, containers: [] }));
    } else {
      const segs = await listDloSegments(c.client, dlo.container, dlo.prefix, c.opts.signal);
      if (!segs.tree.length) c.findings.push(finding('dlo-empty', null, dlo));
    }
  }
  return report(c, 'dlo', size, undefined, {});
}

/** A plain object: is its body a manifest that was stored as ordinary data? */
async function diagnosePlain(c: Ctx, size: number): Promise<DoctorReport> {
  const { limits, findings } = c;
  const name = `${c.container}/${c.object}`;
  const notSlo = (detail: string) => finding('not-an-slo', null, { name, detail, refusedToo: false });
  const plain = (detail: string) => {
    findings.push(finding('plain-object', null, { detail }));
    return report(c, 'plain', size, undefined, {});
  };
  if (size === 0) return plain('An empty ordinary object.');
  const body = await readSmallBody(c.client, c.container, c.object, size, limits.maxManifestSize, c.opts.signal);
  if (body.kind === 'not-json') return plain(`An ordinary object of ${size} bytes whose content is not a manifest.`);
  if (body.kind === 'too-big') {
    if (!/"(path|size_bytes|etag)"\s*:/.test(body.head)) return plain(`An ordinary object of ${size} bytes.`);
    findings.push(notSlo(`Its ${size} bytes start like a JSON manifest.`), finding('manifest-too-large', null, { bytes: size, max: limits.maxManifestSize }));
    return report(c, 'plain', size, undefined, { manifestLike: true });
  }
  const parsed = parseJsonLenient(body.text);
  if (!parsed) {
    if (!/"(path|size_bytes|etag|name|hash)"\s*:/.test(body.text)) return plain(`An ordinary object of ${size} bytes whose content is not a manifest.`);
    let error = '';
    try {
      JSON.parse(body.text);
    } catch (e) {
      error = (e as Error).message;
    }
    findings.push(notSlo(`Its ${size} bytes look like a JSON manifest.`), finding('invalid-json', null, { error, trailingComma: false }));
    return report(c, 'plain', size, { steps: [], dropped: [], blocked: { message: 'The JSON cannot be read, so the intended segments are unknown.', entries: [], dropMissingHelps: false } }, { manifestLike: true });
  }
  const found = findManifestInJson(parsed.data);
  if (!found) return plain(`An ordinary object of ${size} bytes of JSON that is not a manifest.`);
  findings.push(notSlo(`Swift keeps its ${size} bytes — a JSON manifest of ${countEntries(found.entries.length)} — as the object's content.`));
  if (parsed.relaxed) findings.push(finding('invalid-json', null, { error: parsed.error ?? '', trailingComma: true }));
  if (found.shape !== 'list') findings.push(finding('not-a-list', null, { wrapperKey: found.wrapperKey }));
  if (size > limits.maxManifestSize) findings.push(finding('manifest-too-large', null, { bytes: size, max: limits.maxManifestSize }));
  const st = checkEntries(found.entries, limits, c);
  findings.push(...st.findings);
  const live = await checkLive(c.look, st.entries, limits, 'written', findings);
  const proposal = buildProposal(live, limits, c.opts.dropMissing === true);
  if (st.findings.some((f) => f.severity === 'error') || findings.filter((f) => f.severity === 'error').length > 1) {
    findings[0] = finding('not-an-slo', null, { name, detail: `Swift keeps its ${size} bytes — a JSON manifest of ${countEntries(found.entries.length)} — as the object's content.`, refusedToo: true });
  }
  return report(c, 'plain', size, proposal, { manifestLike: true });
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
  const c: Ctx = { client, container, object, limits, look, findings: [], opts };
  const head = await look.head(container, object);
  if (head.status !== 'found') return diagnoseMissing(c, head);
  const kind = head.kind ?? 'plain';
  if (kind === 'slo') return diagnoseSlo(c, head);
  if (kind === 'dlo') return diagnoseDlo(c, head.size ?? 0);
  return diagnosePlain(c, head.size ?? 0);
}

// ---------- the fix ----------

export interface FixOptions extends DiagnoseOptions {
  /** Write the proposed manifest (replacing the object) — false only proposes. */
  confirm?: boolean;
  /** Called with the report before anything is written (e.g. to show it and ask). Return false to stop. */
  approve?: (report: DoctorReport) => Promise<boolean> | boolean;
}

/** Headers worth keeping when the object is rewritten: user metadata, and a real SLO's content type. */
function keptHeaders(headers: Record<string, string>, isSlo: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (k.startsWith('x-object-meta-')) out[k] = v;
  if (isSlo && headers['content-type']) out['content-type'] = headers['content-type'];
  return out;
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
    return { report, manifest: [], replaced: false, message: report.fixBlocked ? `No automatic fix: ${report.fixBlocked.message}` : `No automatic fix for ${container}/${object}: it is not a manifest the doctor can rebuild.` };
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
  const headers: Record<string, string> = { ...keptHeaders(stat.headers, report.isSlo) };
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
