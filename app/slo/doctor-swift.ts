// Swift's own refusals of a manifest PUT, mapped back to the entries they name. Swift answers a bad manifest with a
// terse text body (`Index 1: extraneous keys "size bytes"`, or `Errors:\n/c/o, Etag Mismatch`), or — with heartbeat —
// a JSON object whose "Errors" list pairs quoted paths with reasons. This turns either into findings that say which
// entry, what it means and what to do. Usable from the upload path as well as from the doctor.
import type { Finding } from '../domain/findings.ts';
import { adviseKey, keySuggestion } from './doctor-keys.ts';
import { parseHeartbeatResult, parseSloErrorBody, safeDecode, type SloBodyError } from './manifest-put.ts';
import { fieldOf, usualSeverity } from './rules.ts';

/** The segment path an entry names, whatever it was called ("path", "name", a misspelling). */
export function entryPathOf(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return undefined;
  const rec = e as Record<string, unknown>;
  if (typeof rec['path'] === 'string') return rec['path'];
  for (const [k, v] of Object.entries(rec)) {
    if (typeof v === 'string' && adviseKey(k).target === 'path') return v;
  }
  return undefined;
}

const bare = (p: string) => safeDecode(p).replace(/^\/+/, '');

/** Swift's extraneous-keys list: `"size bytes", "etga"` → keys. */
function parseKeyList(text: string): string[] {
  const keys: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    try {
      keys.push(JSON.parse(`"${m[1]!}"`) as string);
    } catch {
      keys.push(m[1]!);
    }
  }
  return keys;
}

function where(index: number | null, path: string | undefined): string {
  if (index === null) return path ? `Segment ${path}` : 'The manifest';
  return path ? `Entry ${index} (${path})` : `Entry ${index}`;
}

/** Explains one reason Swift gave for one entry (or for the whole manifest when index is null). */
function explainReason(reason: string, index: number | null, path: string | undefined, entries: readonly unknown[], swiftLine = reason): Finding[] {
  const w = where(index, path);
  const said = ` (Swift said: ${swiftLine})`;
  const f = (code: string, message: string, suggestion?: string, data: Pick<Finding, 'field' | 'old' | 'new'> = {}): Finding => ({
    // Swift refused the manifest, so each reason is an error; the code's severity in the rulebook says the same.
    severity: usualSeverity(code),
    code,
    index,
    ...(fieldOf(code) ? { field: fieldOf(code)! } : {}),
    ...data,
    message: message + said,
    ...(suggestion ? { suggestion } : {}),
  });
  let m: RegExpExecArray | null;
  if ((m = /^extraneous keys (.*)$/i.exec(reason))) {
    return parseKeyList(m[1]!).map((key) => {
      const a = adviseKey(key);
      const code = a.kind === 'get-format' || a.kind === 'get-extra' ? 'get-format-key' : a.kind === 'unknown' ? 'unknown-key' : 'misspelled-key';
      const meaning =
        a.kind === 'get-format' ? ` — "${key}" belongs to the GET format; the PUT format calls it "${a.target}"`
          : a.target ? ` — it looks like "${a.target}"` : '';
      return f(code, `${w} has a key Swift does not accept: "${key}"${meaning}.`, keySuggestion(a), { ...(a.target ? { field: a.target, new: a.target } : {}), old: key });
    });
  }
  if (/expected keys to include one of/i.test(reason)) {
    const e = index !== null ? entries[index] : undefined;
    const getFormat = typeof e === 'object' && e !== null && 'name' in e;
    return [f('missing-path', `${w} names no segment: it has neither "path" nor "data"${getFormat ? '; it uses "name", which is the GET format' : ''}.`, getFormat ? 'Rename "name" to "path" (and "hash" to "etag", "bytes" to "size_bytes").' : 'Add "path": "/container/object" (or make it a {"data": "<base64>"} entry).')];
  }
  if (/path does not refer to an object/i.test(reason) || /"path" must be a string/i.test(reason)) {
    return [f('path-format', `${w}: the path must be "/container/object".`, 'Write the path as "/<container>/<object>".')];
  }
  if (/"etag" must be a string or null/i.test(reason)) return [f('etag-invalid', `${w}: "etag" must be a string (the segment's MD5) or null.`, 'Use the segment\'s ETag as a string, or null to skip the check.')];
  if (/invalid size_bytes/i.test(reason)) return [f('size-invalid', `${w}: "size_bytes" is not a whole number.`, 'Use the segment\'s size in bytes as a number, or null to skip the check.')];
  if (/too small/i.test(reason)) return [f('segment-too-small', `${w} is too small: every segment except the last must be at least 1 byte.`, 'Remove the empty segment or move it to the end.')];
  if (/must not include itself/i.test(reason)) return [f('self-reference', `${w} points at the manifest itself.`, 'Remove this entry.')];
  if (/unsatisfiable range/i.test(reason)) return [f('range-unsatisfiable', `${w}: the range lies outside the segment.`, 'Use a range inside the segment (first byte is 0, last is size-1).')];
  if (/invalid range|multiple ranges/i.test(reason)) return [f('range-invalid', `${w}: the range is not one "first-last", "first-" or "-count" byte range.`, 'Write one range such as "0-1023", "1024-" or "-100".')];
  if (/data must be valid base64/i.test(reason)) return [f('data-invalid', `${w}: inline "data" must be base64.`, 'Encode the bytes as base64.')];
  if (/not a JSON object/i.test(reason)) return [f('entry-not-object', `${w} is not a JSON object.`, 'Each entry must be {"path": …, "etag": …, "size_bytes": …} or {"data": …}.')];
  if (/etag mismatch/i.test(reason)) return [f('etag-mismatch', `${w}: the etag in the manifest is not the segment's real ETag.`, 'Use the segment\'s real ETag (the doctor\'s fix writes it), or null.')];
  if (/size mismatch/i.test(reason)) return [f('size-mismatch', `${w}: size_bytes in the manifest is not the segment's real size.`, 'Use the segment\'s real size, or null.')];
  if (/unprocessable entity/i.test(reason) || /^422\b/.test(reason)) return [f('slo-etag-mismatch', 'The Etag sent with the manifest is not the SLO ETag Swift computed from the segments.', 'Send no Etag header, or the md5 of the concatenated segment etags.')];
  if (/^404\b/.test(reason)) return [f('segment-missing', `${w}: the segment does not exist.`, 'Upload the segment, correct the path, or remove the entry.')];
  if (/^40[13]\b/.test(reason)) return [f('segment-forbidden', `${w}: you may not read this segment.`, 'Check the container ACLs or use segments in your own account.')];
  if (/^\d{3}\b/.test(reason)) return [f('segment-unavailable', `${w}: Swift could not check the segment (${reason}).`, 'Try again; if it persists, ask the operator with the transaction id.')];
  if (/must be valid JSON/i.test(reason)) return [f('invalid-json', 'The manifest is not valid JSON.', 'Check commas, quotes and brackets.')];
  if (/must be a list/i.test(reason)) return [f('not-a-list', 'The manifest must be a JSON array of entries.', 'Wrap the entries in [ … ].')];
  if (/inline data segments require/i.test(reason)) return [f('data-only', 'A manifest made only of inline data is not allowed: it needs at least one segment object.', 'Add at least one {"path": …} entry.')];
  if ((m = /manifest file > (\d+)/i.exec(reason))) return [f('manifest-too-large', `The manifest is bigger than this cluster allows (${m[1]} bytes).`, 'Split it into sub-manifests and compose those.')];
  if ((m = /segments must be <= (\d+)/i.exec(reason))) return [f('too-many-segments', `The manifest has more segments than this cluster allows (${m[1]}).`, 'Split it into sub-manifests of at most that many segments and compose those.')];
  return [f('swift-rejected', `${w}: Swift refused it.`)];
}

/** Swift's generic reason-phrase text, which says nothing about the manifest. */
function isBoilerplate(line: string): boolean {
  return /^(bad request|the server could not comply with the request|unprocessable entity|unable to process the contained instructions|internal error|an error occurred)/i.test(line.trim());
}

/**
 * Maps a manifest PUT failure (text body, or heartbeat JSON body) to findings naming entry indexes (0-based, as
 * Swift counts). `entries` are the entries as sent (any keys); `status` helps with bodies that say nothing.
 */
export function explainSwiftError(text: string, entries: readonly unknown[], status?: number): Finding[] {
  let problems: SloBodyError[] = [];
  let effectiveStatus = status;
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const r = parseHeartbeatResult(trimmed);
      effectiveStatus = r.status || status;
      problems = r.errors.map(([path, reason]) => ({ path, reason }));
      if (!problems.length) problems = parseSloErrorBody(r.responseBody).filter((p) => !isBoilerplate(p.reason));
    } catch {
      problems = parseSloErrorBody(trimmed);
    }
  } else {
    problems = parseSloErrorBody(trimmed).filter((p) => !isBoilerplate(p.reason) || /an error occurred/i.test(p.reason));
  }

  // parseSloErrorBody only recognises paths with a leading "/"; Swift echoes the path as written, so split the rest.
  problems = problems.map((p) => {
    if (p.index !== undefined || p.path !== undefined) return p;
    const m = /^(.+?),\s*(Etag Mismatch|Size Mismatch|Unsatisfiable Range|Too small.*|\d{3}\b.*)$/i.exec(p.reason);
    return m ? { path: m[1]!, reason: m[2]! } : p;
  });

  // A path may appear in several entries, and Swift names only the path. Assign each (path, reason) line to an entry
  // that can have caused it: an "Etag Mismatch" needs an etag, a "Size Mismatch" a size, an unsatisfiable range a
  // range. When only some of those entries failed, the ones sharing one value failed together (Swift compares every
  // entry of a path with the same HEAD), so pick the group whose size matches the number of lines.
  const indexesOf = (path: string): number[] => {
    const want = bare(path);
    const out: number[] = [];
    entries.forEach((e, i) => {
      const p = entryPathOf(e);
      if (p !== undefined && bare(p) === want) out.push(i);
    });
    return out;
  };
  const field = (reason: string): ((e: Record<string, unknown>) => unknown) | undefined => {
    if (/etag mismatch/i.test(reason)) return (e) => e['etag'];
    if (/size mismatch/i.test(reason)) return (e) => e['size_bytes'];
    if (/unsatisfiable range/i.test(reason)) return (e) => e['range'];
    return undefined;
  };
  const lineCount = new Map<string, number>();
  for (const p of problems) if (p.index === undefined && p.path !== undefined) {
    const key = `${bare(p.path)}\n${p.reason}`;
    lineCount.set(key, (lineCount.get(key) ?? 0) + 1);
  }
  const assigned = new Map<string, number[]>();
  const ambiguous = new Map<string, number[]>();
  const assign = (path: string, reason: string): number[] => {
    const key = `${bare(path)}\n${reason}`;
    let out = assigned.get(key);
    if (out) return out;
    const k = lineCount.get(key) ?? 1;
    let cands = indexesOf(path);
    const get = field(reason);
    if (get) {
      const withValue = cands.filter((i) => {
        const e = entries[i];
        const v = typeof e === 'object' && e !== null ? get(e as Record<string, unknown>) : undefined;
        return v !== undefined && v !== null && v !== '';
      });
      if (withValue.length) cands = withValue;
      if (cands.length > k) {
        const groups = new Map<string, number[]>();
        for (const i of cands) {
          const v = JSON.stringify(get(entries[i] as Record<string, unknown>));
          groups.set(v, [...(groups.get(v) ?? []), i]);
        }
        const fits = [...groups.values()].filter((g) => g.length === k);
        if (fits.length === 1) cands = fits[0]!;
        else {
          ambiguous.set(key, cands);
          cands = [];
        }
      }
    }
    out = cands;
    assigned.set(key, out);
    return out;
  };
  const seen = new Map<string, number>();

  const findings: Finding[] = [];
  for (const p of problems) {
    if (/an error occurred/i.test(p.reason)) continue; // handled below with the status
    let index: number | null = p.index ?? null;
    let path: string | undefined = p.path !== undefined ? safeDecode(p.path) : undefined;
    if (index === null && p.path !== undefined) {
      const key = `${bare(p.path)}\n${p.reason}`;
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      const idx = assign(p.path, p.reason);
      index = idx[Math.min(n, idx.length - 1)] ?? null;
    }
    const swiftLine = p.index !== undefined ? `Index ${p.index}: ${p.reason}` : p.path !== undefined ? `${p.path}, ${p.reason}` : p.reason;
    if (index !== null && path === undefined) path = entryPathOf(entries[index]);
    const which = p.path !== undefined ? ambiguous.get(`${bare(p.path)}\n${p.reason}`) : undefined;
    const explained = explainReason(p.reason, index, path, entries, swiftLine);
    if (which) for (const f of explained) f.message = f.message.replace(/^Segment (\S+)/, `Segment $1 (one of entries ${which.join(' or ')}; Swift names only the path)`);
    findings.push(...explained);
  }

  if (effectiveStatus === 422 && !findings.some((f) => f.code === 'slo-etag-mismatch')) findings.push(...explainReason('422 Unprocessable Entity', null, undefined, entries));
  if (!findings.length && (effectiveStatus ?? 0) >= 500) {
    // Swift 2.30 crashes (500 "An error occurred") on an entry with neither "path" nor "data" — typically the GET format.
    const culprits = entries.map((e, i) => ({ e, i })).filter(({ e }) => typeof e === 'object' && e !== null && !('path' in e) && !('data' in e));
    for (const { e, i } of culprits) {
      const getFormat = 'name' in (e as object);
      findings.push({
        severity: 'error',
        code: 'missing-path',
        index: i,
        message: `Entry ${i} names no segment: it has neither "path" nor "data"${getFormat ? ' (it uses "name", the GET format)' : ''}. Some Swift versions answer such a manifest with a bare 500 "An error occurred".`,
        suggestion: getFormat ? 'Rename "name" to "path", "hash" to "etag" and "bytes" to "size_bytes".' : 'Add "path": "/container/object".',
      });
    }
    if (!findings.length) findings.push({ severity: 'error', code: 'swift-internal-error', index: null, message: `Swift failed with ${effectiveStatus} while reading the manifest${trimmed ? ` ("${trimmed.slice(0, 200)}")` : ''}.`, suggestion: 'Let the doctor examine the manifest, or retry; give the operator the transaction id if it persists.' });
  }
  if (!findings.length && trimmed) findings.push({ severity: 'error', code: 'swift-rejected', index: null, message: `Swift refused the manifest: ${trimmed.slice(0, 300)}` });
  return findings;
}
