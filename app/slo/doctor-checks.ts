// Static checks of a manifest's JSON, entry by entry, the way Swift's slo middleware validates a PUT — plus what it
// silently tolerates. Also reads each entry the way the user meant it (misspelled keys mapped to the right ones), so
// the live checks and the fix work from the intended path, etag and size. Pure: no I/O.
import type { Finding, FixStep, JsonValue } from '../domain/findings.ts';
import type { Capabilities } from '../rpc/contract.ts';
import { adviseKey, keySuggestion, type PutKey } from './doctor-keys.ts';
import { parseRangeSpec } from './manifest.ts';
import { finding } from './rules.ts';

export interface Limits {
  maxManifestSegments: number;
  maxManifestSize: number;
  minSegmentSize: number;
  maxNestingDepth: number;
  swiftVersion?: string | undefined;
}

export function limitsFrom(caps: Capabilities): Limits {
  return {
    maxManifestSegments: caps.slo?.maxManifestSegments ?? 1000,
    maxManifestSize: caps.slo?.maxManifestSize ?? 8 * 1024 * 1024,
    minSegmentSize: caps.slo?.minSegmentSize ?? 1,
    maxNestingDepth: caps.maxNestingDepth,
    swiftVersion: caps.swiftVersion,
  };
}

/** An entry as the user meant it. */
export interface ReadEntry {
  index: number;
  kind: 'segment' | 'data' | 'invalid';
  /** The path exactly as written. */
  rawPath?: string;
  /** Parsed from the path (leading slashes dropped, as Swift does). */
  container?: string;
  object?: string;
  /** undefined: not given; null: given as null (no check). */
  etag?: string | null;
  size?: number | null;
  /** A syntactically valid range spec (trimmed). */
  range?: string;
  rangeInvalid?: boolean;
  /** Normalised base64 of an inline data entry, and its decoded length. */
  data?: string;
  dataBytes?: number;
  /** True when any key had to be renamed or removed for Swift to accept the entry. */
  keyProblems: boolean;
  /** The values as written, by meaning (whatever the key was called): what a fix's steps start from. */
  written: Partial<Record<PutKey, JsonValue>>;
  /** Renamed and removed keys, as steps of a fix. */
  keySteps: FixStep[];
}

export interface StaticResult {
  entries: ReadEntry[];
  findings: Finding[];
}


/** Strict base64 (what Swift's strict_b64decode accepts, padding optional); null when invalid. */
export function decodeBase64Strict(s: string): Buffer | null {
  const t = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t) || t.replace(/=+$/, '').length % 4 === 1) return null;
  return Buffer.from(t, 'base64');
}

export { parseRangeSpec } from './manifest.ts';

/** "/c/o", "c/o" → parts the way Swift reads a manifest path (leading slashes dropped; the object keeps the rest). */
export function parseManifestPath(path: string): { container: string; object: string } | null {
  // Swift: '/' not in path.strip('/') → "path does not refer to an object"; then it drops the leading slashes.
  if (!path.replace(/^\/+|\/+$/g, '').includes('/')) return null;
  const s = path.replace(/^\/+/, '');
  const i = s.indexOf('/');
  return { container: s.slice(0, i), object: s.slice(i + 1) };
}

const MD5 = /^[0-9a-f]{32}$/;

function describeValue(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 57) + '…' : s;
}

/**
 * Checks every entry of a parsed manifest. `target` is where the manifest lives (an entry pointing at it is an
 * error).
 */
export function checkEntries(raw: readonly unknown[], limits: Limits, target: { container: string; object: string }): StaticResult {
  const findings: Finding[] = [];
  const entries: ReadEntry[] = [];
  raw.forEach((e, index) => {
    const r = readEntry(e, index, index === raw.length - 1, target);
    entries.push(r.entry);
    findings.push(...r.findings);
  });
  findings.push(...checkWhole(raw, entries, limits));
  return { entries, findings };
}

const asJson = (v: unknown): JsonValue => (v === undefined ? null : (JSON.parse(JSON.stringify(v)) as JsonValue));

/** Findings about the keys of one entry, and the renames and removals a fix makes. */
function checkKeys(rec: Record<string, unknown>, index: number, entry: ReadEntry, source: Map<PutKey, string>, isData: boolean): Finding[] {
  const findings: Finding[] = [];
  const keys = Object.keys(rec);
  // What Swift itself would answer for this entry, to quote it exactly.
  const segmentType = 'data' in rec ? 'data' : 'path' in rec ? 'path' : null;
  const allowed = segmentType === 'data' ? ['data'] : ['path', 'etag', 'size_bytes', 'range'];
  const extraneous = keys.filter((k) => !allowed.includes(k)).sort();
  const swiftSays = segmentType
    ? ` Swift refuses such a manifest with: Index ${index}: extraneous keys ${extraneous.map((k) => JSON.stringify(k)).join(', ')}`
    : ' Swift refuses such a manifest: the entry has no "path" (some Swift versions answer it with a bare 500 "An error occurred").';
  const remove = (key: string) => entry.keySteps.push({ action: 'remove-key', index, key, old: asJson(rec[key]), message: `entry ${index}: key "${key}" removed` });
  for (const key of keys) {
    const a = adviseKey(key);
    if (a.kind === 'ok') {
      if (isData === (a.target === 'data')) continue;
      entry.keyProblems = true;
      findings.push(finding('extraneous-key', index, { key, dataEntry: isData }));
      if (isData) remove(key);
      continue;
    }
    entry.keyProblems = true;
    const duplicate = a.target !== null && source.get(a.target) !== a.key;
    if (a.target && !duplicate) entry.keySteps.push({ action: 'rename-key', index, key, field: a.target, message: `entry ${index}: key "${key}" → "${a.target}"` });
    else remove(key);
    if (a.kind === 'misspelled' || a.kind === 'synonym') findings.push(finding('misspelled-key', index, { key, target: a.target, synonym: a.kind === 'synonym', duplicate, swiftSays }));
    else if (a.kind === 'get-format' || a.kind === 'get-extra') findings.push(finding('get-format-key', index, { key, target: a.target, duplicate, advice: keySuggestion(a) }));
    else findings.push(finding('unknown-key', index, { key, swiftSays, advice: keySuggestion(a) }));
  }
  return findings;
}

/**
 * Reads one entry the way the user meant it (misspelled keys mapped to the right ones) and checks it the way Swift's
 * slo middleware would. `last` relaxes the size rule; `target` is where the manifest goes.
 */
export function readEntry(e: unknown, index: number, last: boolean, target: { container: string; object: string }): { entry: ReadEntry; findings: Finding[] } {
  const entry: ReadEntry = { index, kind: 'invalid', keyProblems: false, written: {}, keySteps: [] };
  if (typeof e !== 'object' || e === null || Array.isArray(e)) {
    return { entry, findings: [finding('entry-not-object', index, { value: describeValue(e) })] };
  }
  const rec = e as Record<string, unknown>;
  const advice = Object.keys(rec).map(adviseKey);
  // Which key supplies each meaning: the correct key wins over a misspelled one.
  const source = new Map<PutKey, string>();
  for (const a of advice) if (a.kind === 'ok') source.set(a.target, a.key);
  for (const a of advice) if (a.target && a.kind !== 'ok' && !source.has(a.target)) source.set(a.target, a.key);
  for (const [meaning, key] of source) entry.written[meaning] = asJson(rec[key]);
  const isData = source.has('data') && !source.has('path');
  const findings = checkKeys(rec, index, entry, source, isData);

  const dataKey = source.get('data');
  if (isData && dataKey !== undefined) {
    findings.push(...readData(rec[dataKey], entry));
    return { entry, findings };
  }
  const pathKey = source.get('path');
  if (pathKey === undefined) return { entry, findings: [...findings, finding('missing-path', index, {})] };
  findings.push(...readPath(rec[pathKey], entry, target));
  const etagKey = source.get('etag');
  if (etagKey !== undefined) findings.push(...readEtag(rec[etagKey], entry));
  const sizeKey = source.get('size_bytes');
  if (sizeKey !== undefined) findings.push(...readSize(rec[sizeKey], entry, last));
  const rangeKey = source.get('range');
  if (rangeKey !== undefined) findings.push(...readRange(rec[rangeKey], entry));
  return { entry, findings };
}

function readData(v: unknown, entry: ReadEntry): Finding[] {
  const bytes = typeof v === 'string' ? decodeBase64Strict(v) : null;
  if (!bytes) return [finding('data-invalid', entry.index, { value: describeValue(v) })];
  if (bytes.length < 1) return [finding('segment-too-small', entry.index, { kind: 'empty-data' })];
  entry.kind = 'data';
  entry.data = bytes.toString('base64');
  entry.dataBytes = bytes.length;
  return [];
}

function readPath(pv: unknown, entry: ReadEntry, target: { container: string; object: string }): Finding[] {
  const index = entry.index;
  if (typeof pv !== 'string') return [finding('path-format', index, { kind: 'not-string', value: describeValue(pv) })];
  entry.rawPath = pv;
  const url = /^(?:https?:\/\/[^/]+)?\/*v1\/[^/]+\/(.+)$/.exec(pv);
  const p = parseManifestPath(url ? url[1]! : pv);
  const findings: Finding[] = [];
  if (url) findings.push(finding('path-format', index, { kind: 'url', path: pv, fixed: `/${url[1]}` }));
  else if (!p) return [finding('path-format', index, { kind: 'no-object', path: pv })];
  if (!p) return findings;
  Object.assign(entry, { kind: 'segment', ...p });
  if (url) return findings;
  if (!pv.startsWith('/')) findings.push(finding('path-no-leading-slash', index, { path: pv }));
  if (/%[0-9A-Fa-f]{2}/.test(pv)) findings.push(finding('path-percent-encoded', index, { path: pv }));
  if (p.container === target.container && p.object === target.object) findings.push(finding('self-reference', index, { target: `${target.container}/${target.object}` }));
  return findings;
}

function readEtag(v: unknown, entry: ReadEntry): Finding[] {
  const index = entry.index;
  if (v === null) {
    entry.etag = null;
    return [finding('etag-null', index, {})];
  }
  if (typeof v !== 'string') return [finding('etag-invalid', index, { kind: 'type', value: describeValue(v), raw: asJson(v) })];
  entry.etag = v;
  if (/^"(.*)"$/.test(v.trim())) return [finding('etag-invalid', index, { kind: 'quoted', value: v, fixed: v.trim().replace(/^"|"$/g, '') })];
  if (!MD5.test(v)) return [finding('etag-invalid', index, { kind: 'not-md5', value: v })];
  return [];
}

function readSize(v: unknown, entry: ReadEntry, last: boolean): Finding[] {
  const index = entry.index;
  const findings: Finding[] = [];
  if (v === null) {
    entry.size = null;
    findings.push(finding('size-null', index, {}));
  } else if (typeof v === 'number' && Number.isFinite(v)) {
    entry.size = Math.trunc(v);
    if (!Number.isInteger(v)) findings.push(finding('size-invalid', index, { kind: 'fraction', value: v }));
  } else if (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)) {
    entry.size = Number(v);
    findings.push(finding('size-string', index, { value: v }));
  } else {
    findings.push(finding('size-invalid', index, { kind: 'type', value: describeValue(v), raw: asJson(v) }));
  }
  if (typeof entry.size === 'number' && entry.size < 1 && !last) findings.push(finding('segment-too-small', index, { kind: 'size', size: entry.size }));
  return findings;
}

function readRange(v: unknown, entry: ReadEntry): Finding[] {
  // Swift ignores an empty range: the whole segment is used.
  if (v === '' || v === null) return [];
  if (typeof v !== 'string' || !parseRangeSpec(v)) {
    entry.rangeInvalid = true;
    return [finding('range-invalid', entry.index, { value: describeValue(v), raw: asJson(v), multi: typeof v === 'string' && v.includes(',') })];
  }
  entry.range = v.trim();
  return [];
}

/** Whole-manifest checks: no entries, inline data only, the segment limit, the Swift version, duplicates. */
export function checkWhole(raw: readonly unknown[], entries: readonly ReadEntry[], limits: Limits): Finding[] {
  const findings: Finding[] = [];
  if (entries.length === 0) findings.push(finding('empty-manifest', null, {}));
  if (entries.length > 0 && entries.every((e) => e.kind === 'data')) findings.push(finding('data-only', null, {}));
  const objectBacked = raw.filter((e) => typeof e === 'object' && e !== null && !('data' in e)).length;
  if (objectBacked > limits.maxManifestSegments) findings.push(finding('too-many-segments', null, { count: String(objectBacked), max: limits.maxManifestSegments, depth: limits.maxNestingDepth }));
  if (entries.some((e) => e.kind === 'data') && limits.swiftVersion && versionBelow(limits.swiftVersion, [2, 17])) findings.push(finding('data-unsupported', null, { version: limits.swiftVersion }));
  const seen = new Map<string, number>();
  for (const e of entries) {
    if (e.kind !== 'segment') continue;
    const key = `${e.container}/${e.object}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, e.index);
    else findings.push(finding('duplicate-segment', e.index, { path: key, first }));
  }
  return findings;
}

/** "2.16.0" below [2, 17]? Unparseable versions are not below anything. */
export function versionBelow(version: string, min: number[]): boolean {
  const parts = version.split(/[.\-+]/).map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < min.length; i++) {
    const v = parts[i];
    if (v === undefined || Number.isNaN(v)) return false;
    if (v !== min[i]) return v < min[i]!;
  }
  return false;
}
