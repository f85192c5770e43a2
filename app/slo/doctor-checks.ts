// Static checks of a manifest's JSON, entry by entry, the way Swift's slo middleware validates a PUT — plus what it
// silently tolerates. Also reads each entry the way the user meant it (misspelled keys mapped to the right ones), so
// the live checks and the fix work from the intended path, etag and size. Pure: no I/O.
import type { Capabilities } from '../domain/cluster.ts';
import type { Finding } from '../domain/findings.ts';
import { adviseKey, keySuggestion, type PutKey } from './doctor-keys.ts';

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
}

export interface StaticResult {
  entries: ReadEntry[];
  findings: Finding[];
}

const err = (code: string, index: number | null, message: string, suggestion?: string): Finding => ({ severity: 'error', code, index, message, ...(suggestion ? { suggestion } : {}) });
const warn = (code: string, index: number | null, message: string, suggestion?: string): Finding => ({ severity: 'warning', code, index, message, ...(suggestion ? { suggestion } : {}) });
const info = (code: string, index: number | null, message: string, suggestion?: string): Finding => ({ severity: 'info', code, index, message, ...(suggestion ? { suggestion } : {}) });

/** Strict base64 (what Swift's strict_b64decode accepts, padding optional); null when invalid. */
export function decodeBase64Strict(s: string): Buffer | null {
  const t = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t) || t.replace(/=+$/, '').length % 4 === 1) return null;
  return Buffer.from(t, 'base64');
}

/** Swift's range syntax for a manifest entry: one "first-last", "first-" or "-suffix". */
export function parseRangeSpec(spec: string): { start: number | null; end: number | null } | null {
  const m = /^\s*(\d*)-(\d*)\s*$/.exec(spec);
  if (!m || (m[1] === '' && m[2] === '')) return null;
  const start = m[1] === '' ? null : Number(m[1]);
  const end = m[2] === '' ? null : Number(m[2]);
  if (start !== null && end !== null && start > end) return null;
  return { start, end };
}

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
  const last = raw.length - 1;

  raw.forEach((e, index) => {
    const entry: ReadEntry = { index, kind: 'invalid', keyProblems: false };
    entries.push(entry);
    if (typeof e !== 'object' || e === null || Array.isArray(e)) {
      findings.push(err('entry-not-object', index, `Entry ${index} is ${describeValue(e)}, not a JSON object.`, 'Each entry must be {"path": "/container/object", "etag": …, "size_bytes": …} or {"data": "<base64>"}.'));
      return;
    }
    const rec = e as Record<string, unknown>;
    const keys = Object.keys(rec);
    const advice = keys.map(adviseKey);
    // Which key supplies each meaning: the correct key wins over a misspelled one.
    const source = new Map<PutKey, string>();
    for (const a of advice) if (a.kind === 'ok') source.set(a.target, a.key);
    for (const a of advice) if (a.target && a.kind !== 'ok' && !source.has(a.target)) source.set(a.target, a.key);
    const isData = source.has('data') && !source.has('path');
    if (isData && source.get('data') === 'data') entry.kind = 'data';

    // What Swift itself would answer for this entry, to quote it exactly.
    const segmentType = 'data' in rec ? 'data' : 'path' in rec ? 'path' : null;
    const allowed = segmentType === 'data' ? ['data'] : ['path', 'etag', 'size_bytes', 'range'];
    const extraneous = keys.filter((k) => !allowed.includes(k)).sort();
    const swiftLine = segmentType
      ? ` Swift refuses such a manifest with: Index ${index}: extraneous keys ${extraneous.map((k) => JSON.stringify(k)).join(', ')}`
      : ' Swift refuses such a manifest: the entry has no "path" (some Swift versions answer it with a bare 500 "An error occurred").';
    for (const a of advice) {
      if (a.kind === 'ok') {
        if (isData && a.target !== 'data') {
          entry.keyProblems = true;
          findings.push(err('extraneous-key', index, `Entry ${index} is an inline data entry, which may have only "data"; "${a.key}" is not allowed with it.`, `Remove "${a.key}".`));
        } else if (!isData && a.target === 'data') {
          entry.keyProblems = true;
          findings.push(err('extraneous-key', index, `Entry ${index} has both a segment path and "data"; an entry is either a segment or inline data.`, 'Split it into two entries.'));
        }
        continue;
      }
      entry.keyProblems = true;
      const duplicate = a.target !== null && source.get(a.target) !== a.key;
      const swiftSays = swiftLine;
      switch (a.kind) {
        case 'misspelled':
          findings.push(err('misspelled-key', index, `Entry ${index}: "${a.key}" is a misspelling of "${a.target}".${swiftSays}`, duplicate ? `Remove "${a.key}" (the entry already has "${a.target}").` : keySuggestion(a)));
          break;
        case 'synonym':
          findings.push(err('misspelled-key', index, `Entry ${index}: "${a.key}" is not a manifest key; it seems to mean "${a.target}".${swiftSays}`, duplicate ? `Remove "${a.key}" (the entry already has "${a.target}").` : keySuggestion(a)));
          break;
        case 'get-format':
          findings.push(err('get-format-key', index, `Entry ${index}: "${a.key}" is the GET format (what ?multipart-manifest=get returns); a manifest PUT needs the PUT format, where it is "${a.target}".`, duplicate ? `Remove "${a.key}" (the entry already has "${a.target}").` : keySuggestion(a)));
          break;
        case 'get-extra':
          findings.push(err('get-format-key', index, `Entry ${index}: "${a.key}" is bookkeeping from the GET format that Swift writes itself; a manifest PUT must not contain it.`, keySuggestion(a)));
          break;
        case 'unknown':
          findings.push(err('unknown-key', index, `Entry ${index}: "${a.key}" is not a manifest key.${swiftSays}`, keySuggestion(a)));
          break;
      }
    }

    const dataKey = source.get('data');
    if (isData && dataKey !== undefined) {
      entry.kind = 'data';
      const v = rec[dataKey];
      const bytes = typeof v === 'string' ? decodeBase64Strict(v) : null;
      if (!bytes) {
        entry.kind = 'invalid';
        findings.push(err('data-invalid', index, `Entry ${index}: inline "data" must be a base64 string (got ${describeValue(v)}).`, 'Encode the bytes as base64, e.g. "aGVsbG8=" for "hello".'));
      } else if (bytes.length < 1) {
        entry.kind = 'invalid';
        findings.push(err('segment-too-small', index, `Entry ${index}: inline data is empty; every entry must contribute at least 1 byte.`, 'Remove the entry.'));
      } else {
        entry.data = bytes.toString('base64');
        entry.dataBytes = bytes.length;
      }
      return;
    }

    const pathKey = source.get('path');
    if (pathKey === undefined) {
      findings.push(err('missing-path', index, `Entry ${index} names no segment: it has neither "path" nor "data".`, 'Add "path": "/container/object".'));
      return;
    }
    const pv = rec[pathKey];
    if (typeof pv !== 'string') {
      findings.push(err('path-format', index, `Entry ${index}: the path must be a string "/container/object" (got ${describeValue(pv)}).`, 'Write the path as "/<container>/<object>".'));
      return;
    }
    entry.rawPath = pv;
    const url = /^(?:https?:\/\/[^/]+)?\/*v1\/[^/]+\/(.+)$/.exec(pv);
    if (url) {
      findings.push(err('path-format', index, `Entry ${index}: the path "${pv}" includes the storage URL; Swift would read "v1" as the container.`, `Use "/${url[1]}".`));
      const p = parseManifestPath(url[1]!);
      if (p) Object.assign(entry, { kind: 'segment', ...p });
    } else {
      const p = parseManifestPath(pv);
      if (!p) {
        findings.push(err('path-format', index, `Entry ${index}: the path "${pv}" does not name an object; it must be "/container/object".`, pv.replace(/^\/+/, '').includes('/') ? 'Put the object name after the container: "/<container>/<object>".' : `Add the container: "/<container>/${pv.replace(/^\/+/, '')}".`));
        return;
      }
      entry.kind = 'segment';
      entry.container = p.container;
      entry.object = p.object;
      if (!pv.startsWith('/')) findings.push(info('path-no-leading-slash', index, `Entry ${index}: the path "${pv}" has no leading "/". Swift accepts it and stores "/${pv}".`, `Write "/${pv}" to be explicit.`));
      if (/%[0-9A-Fa-f]{2}/.test(pv)) findings.push(warn('path-percent-encoded', index, `Entry ${index}: the path "${pv}" contains %-escapes; Swift takes manifest paths literally, so it looks for an object whose name contains "%".`, 'Write the object name unencoded (spaces and all).'));
      if (p.container === target.container && p.object === target.object) {
        findings.push(err('self-reference', index, `Entry ${index} points at the manifest itself (${target.container}/${target.object}).`, 'Remove this entry.'));
      }
    }

    const etagKey = source.get('etag');
    if (etagKey !== undefined) {
      const v = rec[etagKey];
      if (v === null) {
        entry.etag = null;
        findings.push(info('etag-null', index, `Entry ${index}: etag is null, so Swift will not check this segment's content when the manifest is written.`));
      } else if (typeof v !== 'string') {
        findings.push(err('etag-invalid', index, `Entry ${index}: "etag" must be a string or null (got ${describeValue(v)}).`, 'Use the segment\'s ETag as a string, or null.'));
      } else {
        entry.etag = v;
        if (/^"(.*)"$/.test(v.trim())) findings.push(err('etag-invalid', index, `Entry ${index}: the etag ${v} is wrapped in quotes; Swift compares it without quotes and would report "Etag Mismatch".`, `Use ${JSON.stringify(v.trim().replace(/^"|"$/g, ''))}.`));
        else if (!MD5.test(v)) findings.push(warn('etag-invalid', index, `Entry ${index}: the etag "${v}" is not 32 lowercase hex digits, so it cannot be a Swift ETag.`, 'Use the segment\'s real ETag (HEAD it), or null.'));
      }
    }

    const sizeKey = source.get('size_bytes');
    if (sizeKey !== undefined) {
      const v = rec[sizeKey];
      if (v === null) {
        entry.size = null;
        findings.push(info('size-null', index, `Entry ${index}: size_bytes is null, so Swift will not check this segment's size when the manifest is written.`));
      } else if (typeof v === 'number' && Number.isFinite(v)) {
        entry.size = Math.trunc(v);
        if (!Number.isInteger(v)) findings.push(warn('size-invalid', index, `Entry ${index}: size_bytes ${v} is not a whole number; Swift truncates it to ${Math.trunc(v)}.`, `Use ${Math.trunc(v)}.`));
      } else if (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)) {
        entry.size = Number(v);
        findings.push(info('size-string', index, `Entry ${index}: size_bytes is the string ${JSON.stringify(v)}; Swift accepts it and reads ${Number(v)}.`, `Write it as a number: ${Number(v)}.`));
      } else {
        findings.push(err('size-invalid', index, `Entry ${index}: size_bytes must be a whole number of bytes (got ${describeValue(v)}).`, 'Use the segment\'s size in bytes, or null.'));
      }
      if (typeof entry.size === 'number' && entry.size < 1 && index !== last) {
        findings.push(err('segment-too-small', index, `Entry ${index}: size_bytes ${entry.size} — every segment except the last must be at least 1 byte.`, 'Remove the empty segment or fix its size.'));
      }
    }

    const rangeKey = source.get('range');
    if (rangeKey !== undefined) {
      const v = rec[rangeKey];
      if (v === '' || v === null) {
        // Swift ignores an empty range: the whole segment is used.
      } else if (typeof v !== 'string' || !parseRangeSpec(v)) {
        entry.rangeInvalid = true;
        const multi = typeof v === 'string' && v.includes(',');
        findings.push(err('range-invalid', index, `Entry ${index}: the range ${describeValue(v)} is not valid${multi ? ' (only one range is allowed)' : ''}; Swift expects "first-last", "first-" or "-count" in bytes, without "bytes=".`, 'Write one range such as "0-1023", "1024-" or "-100".'));
      } else {
        entry.range = v.trim();
      }
    }
  });

  // Whole-manifest checks.
  const segs = entries.filter((e) => e.kind === 'segment');
  if (raw.length === 0) findings.push(warn('empty-manifest', null, 'The manifest has no entries; Swift accepts it and makes an empty (0-byte) object.', 'Add at least one segment.'));
  if (raw.length > 0 && entries.every((e) => e.kind === 'data')) {
    findings.push(err('data-only', null, 'The manifest has only inline data entries; Swift requires at least one segment object.', 'Add at least one {"path": …} entry.'));
  }
  const objectBacked = raw.filter((e) => typeof e === 'object' && e !== null && !('data' in e)).length;
  if (objectBacked > limits.maxManifestSegments) {
    findings.push(err('too-many-segments', null, `The manifest has ${objectBacked} segment entries; this cluster allows at most ${limits.maxManifestSegments} per manifest (slo.max_manifest_segments).`, `Split it into sub-manifests of at most ${limits.maxManifestSegments} segments and make a manifest of those (nesting is allowed up to ${limits.maxNestingDepth} levels).`));
  }
  if (entries.some((e) => e.kind === 'data') && limits.swiftVersion && versionBelow(limits.swiftVersion, [2, 17])) {
    findings.push(err('data-unsupported', null, `This cluster runs Swift ${limits.swiftVersion}; inline data entries need Swift 2.17 or later.`, 'Upload the data as a small segment object instead.'));
  }
  const seen = new Map<string, number>();
  for (const e of segs) {
    const key = `${e.container}/${e.object}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, e.index);
    else findings.push(warn('duplicate-segment', e.index, `Entry ${e.index} uses the same segment as entry ${first} (${key}); its bytes will appear twice in the object.`, 'Remove the duplicate unless the repetition is intended.'));
  }
  return { entries, findings };
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
