// The manifest rulebook: every finding code, its severity and its sentence, once. The doctor, the composer, upload
// validation and the CLI all report through `finding(code, index, params)`, so the same problem has the same code,
// severity and wording wherever it is found. The checks that both the doctor and the composer run live next door
// (doctor-checks.ts for the JSON of an entry, doctor.ts's checkLive for what Swift holds); this file says what each
// finding means. Pure: no I/O. docs/doctor.md lists the codes (a unit test keeps the two in step).
import type { Finding, FindingAction, JsonValue, Severity } from '../domain/findings.ts';
import { objectRules } from './rules-object.ts';

/** One rule: its severity (a function when one code covers variants of different weight), sentence and advice. */
export interface Rule<P> {
  /** The severities this code can have (for the docs); the first is the usual one. */
  levels: readonly Severity[];
  /** The manifest key the code is about, when it is always the same one. */
  field?: string;
  severity?: (p: P) => Severity;
  message: (p: P, at: string) => string;
  suggestion?: (p: P) => string | undefined;
  action?: (p: P) => FindingAction | undefined;
  /** The field, old and new values the finding carries (for front ends that show or apply the change). */
  data?: (p: P) => { field?: string; old?: JsonValue | undefined; new?: JsonValue | undefined };
}

export function rule<P>(r: Rule<P>): Rule<P> {
  return r;
}

export const quoteList = (names: readonly string[]): string => names.slice(0, 3).map((n) => `"${n}"`).join(' or ');
const didYouMean = (names: readonly string[]): string | undefined => (names.length ? `Did you mean ${quoteList(names)}?` : undefined);

/** Where a segment named in an entry stands, for the container-missing / segment-missing sentences. */
interface Lookup {
  /** The path as written, "/container/object". */
  path: string;
  /** The single existing path it was corrected to, "/container/object". */
  fixed?: string | undefined;
  /** Existing "/container/object" paths close to it. */
  candidates?: readonly string[];
}

const entryRules = {
  // ---------- keys ----------
  'misspelled-key': rule<{ key: string; target: string; synonym: boolean; duplicate: boolean; swiftSays: string }>({
    levels: ['error'],
    message: (p, at) => (p.synonym ? `${at}: "${p.key}" is not a manifest key; it seems to mean "${p.target}".${p.swiftSays}` : `${at}: "${p.key}" is a misspelling of "${p.target}".${p.swiftSays}`),
    suggestion: (p) => (p.duplicate ? `Remove "${p.key}" (the entry already has "${p.target}").` : `Rename "${p.key}" to "${p.target}".`),
    data: (p) => ({ field: p.target, old: p.key, ...(p.duplicate ? {} : { new: p.target }) }),
  }),
  'get-format-key': rule<{ key: string; target: string | null; duplicate: boolean; advice: string }>({
    levels: ['error'],
    message: (p, at) =>
      p.target
        ? `${at}: "${p.key}" is the GET format (what ?multipart-manifest=get returns); a manifest PUT needs the PUT format, where it is "${p.target}".`
        : `${at}: "${p.key}" is bookkeeping from the GET format that Swift writes itself; a manifest PUT must not contain it.`,
    suggestion: (p) => (p.duplicate && p.target ? `Remove "${p.key}" (the entry already has "${p.target}").` : p.advice),
    data: (p) => ({ ...(p.target ? { field: p.target } : {}), old: p.key, ...(p.target && !p.duplicate ? { new: p.target } : {}) }),
  }),
  'unknown-key': rule<{ key: string; swiftSays: string; advice: string }>({
    levels: ['error'],
    message: (p, at) => `${at}: "${p.key}" is not a manifest key.${p.swiftSays}`,
    suggestion: (p) => p.advice,
    data: (p) => ({ old: p.key }),
  }),
  'extraneous-key': rule<{ key: string; dataEntry: boolean }>({
    levels: ['error'],
    message: (p, at) => (p.dataEntry ? `${at} is an inline data entry, which may have only "data"; "${p.key}" is not allowed with it.` : `${at} has both a segment path and "data"; an entry is either a segment or inline data.`),
    suggestion: (p) => (p.dataEntry ? `Remove "${p.key}".` : 'Split it into two entries.'),
    data: (p) => ({ old: p.key }),
  }),
  'entry-not-object': rule<{ value: string }>({
    levels: ['error'],
    message: (p, at) => `${at} is ${p.value}, not a JSON object.`,
    suggestion: () => 'Each entry must be {"path": "/container/object", "etag": …, "size_bytes": …} or {"data": "<base64>"}.',
  }),
  'missing-path': rule<Record<string, never>>({
    levels: ['error'],
    message: (_p, at) => `${at} names no segment: it has neither "path" nor "data".`,
    suggestion: () => 'Add "path": "/container/object".',
  }),

  // ---------- values ----------
  'path-format': rule<{ kind: 'not-string'; value: string } | { kind: 'url'; path: string; fixed: string } | { kind: 'no-object'; path: string } | { kind: 'prefix'; spec: string }>({
    levels: ['error'],
    field: 'path',
    message: (p, at) => {
      switch (p.kind) {
        case 'not-string':
          return `${at}: the path must be a string "/container/object" (got ${p.value}).`;
        case 'url':
          return `${at}: the path "${p.path}" includes the storage URL; Swift would read "v1" as the container.`;
        case 'no-object':
          return `${at}: the path "${p.path}" does not name an object; it must be "/container/object".`;
        case 'prefix':
          return `${at}: "${p.spec}" is not "container/prefix".`;
      }
    },
    suggestion: (p) => {
      if (p.kind === 'url') return `Use "${p.fixed}".`;
      if (p.kind === 'no-object') {
        const bare = p.path.replace(/^\/+/, '');
        return bare.includes('/') ? 'Put the object name after the container: "/<container>/<object>".' : `Add the container: "/<container>/${bare}".`;
      }
      if (p.kind === 'prefix') return 'Write it as "container/prefix".';
      return 'Write the path as "/<container>/<object>".';
    },
    data: (p) => (p.kind === 'url' ? { old: p.path, new: p.fixed } : p.kind === 'no-object' ? { old: p.path } : {}),
  }),
  'path-no-leading-slash': rule<{ path: string }>({
    levels: ['info'],
    message: (p, at) => `${at}: the path "${p.path}" has no leading "/". Swift accepts it and stores "/${p.path}".`,
    suggestion: (p) => `Write "/${p.path}" to be explicit.`,
    data: (p) => ({ field: 'path', old: p.path, new: `/${p.path}` }),
  }),
  'path-percent-encoded': rule<{ path: string }>({
    levels: ['warning'],
    message: (p, at) => `${at}: the path "${p.path}" contains %-escapes; Swift takes manifest paths literally, so it looks for an object whose name contains "%".`,
    suggestion: () => 'Write the object name unencoded (spaces and all).',
    data: (p) => ({ field: 'path', old: p.path }),
  }),
  'self-reference': rule<{ target: string }>({
    levels: ['error'],
    message: (p, at) => `${at} points at the manifest itself (${p.target}).`,
    suggestion: () => 'Remove this entry, or write the manifest under another name.',
    data: () => ({ field: 'path' }),
  }),
  'etag-null': rule<Record<string, never>>({
    levels: ['info'],
    message: (_p, at) => `${at}: etag is null, so Swift will not check this segment's content when the manifest is written.`,
    data: () => ({ field: 'etag', old: null }),
  }),
  'size-null': rule<Record<string, never>>({
    levels: ['info'],
    message: (_p, at) => `${at}: size_bytes is null, so Swift will not check this segment's size when the manifest is written.`,
    data: () => ({ field: 'size_bytes', old: null }),
  }),
  'etag-invalid': rule<{ kind: 'type'; value: string; raw: JsonValue } | { kind: 'quoted'; value: string; fixed: string } | { kind: 'not-md5'; value: string }>({
    levels: ['error', 'warning'],
    field: 'etag',
    severity: (p) => (p.kind === 'not-md5' ? 'warning' : 'error'),
    message: (p, at) =>
      p.kind === 'type'
        ? `${at}: "etag" must be a string or null (got ${p.value}).`
        : p.kind === 'quoted'
          ? `${at}: the etag ${p.value} is wrapped in quotes; Swift compares it without quotes and would report "Etag Mismatch".`
          : `${at}: the etag "${p.value}" is not 32 lowercase hex digits, so it cannot be a Swift ETag.`,
    suggestion: (p) => (p.kind === 'quoted' ? `Use ${JSON.stringify(p.fixed)}.` : p.kind === 'type' ? "Use the segment's ETag as a string, or null." : "Use the segment's real ETag (HEAD it), or null."),
    data: (p) => ({ old: p.kind === 'type' ? p.raw : p.value, ...(p.kind === 'quoted' ? { new: p.fixed } : {}) }),
  }),
  'size-invalid': rule<{ kind: 'fraction'; value: number } | { kind: 'type'; value: string; raw: JsonValue }>({
    levels: ['error', 'warning'],
    field: 'size_bytes',
    severity: (p) => (p.kind === 'fraction' ? 'warning' : 'error'),
    message: (p, at) =>
      p.kind === 'fraction'
        ? `${at}: size_bytes ${p.value} is not a whole number; Swift truncates it to ${Math.trunc(p.value)}.`
        : `${at}: size_bytes must be a whole number of bytes (got ${p.value}).`,
    suggestion: (p) => (p.kind === 'fraction' ? `Use ${Math.trunc(p.value)}.` : "Use the segment's size in bytes, or null."),
    data: (p) => ({ old: p.kind === 'fraction' ? p.value : p.raw, ...(p.kind === 'fraction' ? { new: Math.trunc(p.value) } : {}) }),
  }),
  'size-string': rule<{ value: string }>({
    levels: ['info'],
    message: (p, at) => `${at}: size_bytes is the string ${JSON.stringify(p.value)}; Swift accepts it and reads ${Number(p.value)}.`,
    suggestion: (p) => `Write it as a number: ${Number(p.value)}.`,
    data: (p) => ({ field: 'size_bytes', old: p.value, new: Number(p.value) }),
  }),
  'range-invalid': rule<{ value: string; raw: JsonValue; multi: boolean }>({
    levels: ['error'],
    field: 'range',
    message: (p, at) => `${at}: the range ${p.value} is not valid${p.multi ? ' (only one range is allowed)' : ''}; Swift expects "first-last", "first-" or "-count" in bytes, without "bytes=".`,
    suggestion: () => 'Write one range such as "0-1023", "1024-" or "-100".',
    data: (p) => ({ old: p.raw }),
  }),
  'data-invalid': rule<{ value: string }>({
    levels: ['error'],
    field: 'data',
    message: (p, at) => `${at}: inline "data" must be base64 (got ${p.value}).`,
    suggestion: () => 'Encode the bytes as base64, e.g. "aGVsbG8=" for "hello".',
  }),
  'segment-too-small': rule<{ kind: 'empty-data' } | { kind: 'size'; size: number } | { kind: 'contributes'; label: string; bytes: number; min: number }>({
    levels: ['error'],
    message: (p, at) => {
      if (p.kind === 'empty-data') return `${at}: inline data is empty; every entry must contribute at least 1 byte.`;
      if (p.kind === 'size') return `${at}: size_bytes ${p.size} — every segment except the last must be at least 1 byte.`;
      if (p.bytes < 1) return `${at}: ${p.label} contributes 0 bytes; every entry except the last must contribute at least 1 byte.`;
      return `${at}: ${p.label} contributes ${p.bytes} bytes; this cluster requires at least ${p.min} (slo.min_segment_size) for every entry but the last.`;
    },
    suggestion: (p) => (p.kind === 'contributes' && p.bytes >= 1 ? 'Merge small pieces into bigger ones, or put this one last.' : 'Remove the entry.'),
    data: (p) => (p.kind === 'size' ? { field: 'size_bytes', old: p.size } : {}),
  }),

  // ---------- the manifest as a whole ----------
  'empty-manifest': rule<Record<string, never>>({
    levels: ['warning'],
    message: () => 'The manifest has no entries; Swift accepts it and makes an empty (0-byte) object.',
    suggestion: () => 'Add at least one segment.',
  }),
  'data-only': rule<Record<string, never>>({
    levels: ['error'],
    message: () => 'The manifest has only inline data entries; Swift requires at least one segment object.',
    suggestion: () => 'Add at least one segment object.',
  }),
  'too-many-segments': rule<{ count: string; max: number; depth: number }>({
    levels: ['error'],
    message: (p) => `The manifest has ${p.count} segments; this cluster allows at most ${p.max} in one manifest (slo.max_manifest_segments).`,
    suggestion: (p) => `Split it into sub-manifests of at most ${p.max} segments and make a manifest of those (Swift allows ${p.depth} levels of nesting).`,
  }),
  'data-unsupported': rule<{ version: string }>({
    levels: ['error'],
    message: (p) => `This cluster runs Swift ${p.version}; inline data entries need Swift 2.17 or later.`,
    suggestion: () => 'Upload the data as a small object and use that as a segment instead.',
  }),
  'duplicate-segment': rule<{ path: string; first: number }>({
    levels: ['warning'],
    message: (p, at) => `${at} uses the same segment as entry ${p.first} (${p.path}); its bytes will appear twice in the object.`,
    suggestion: () => 'Remove the duplicate unless the repetition is intended.',
    data: () => ({ field: 'path' }),
  }),
  'manifest-too-large': rule<{ bytes: number; max: number }>({
    levels: ['error'],
    message: (p) => `The manifest is ${p.bytes} bytes; this cluster accepts at most ${p.max} (slo.max_manifest_size).`,
    suggestion: () => 'Split it into sub-manifests and make a manifest of those, or use larger segments.',
  }),

  // ---------- what Swift holds ----------
  'container-missing': rule<
    | (Lookup & { where: 'entry'; container: string; containers: readonly string[] })
    | { where: 'object' | 'target' | 'dlo'; container: string; containers: readonly string[] }
    | { where: 'prefix'; container: string; spec: string; containers: readonly string[] }
  >({
    levels: ['error'],
    message: (p, at) => {
      switch (p.where) {
        case 'entry':
          return `${at}: container "${p.container}" does not exist (path ${p.path}).`;
        case 'object':
          return `Container "${p.container}" does not exist.`;
        case 'target':
          return `The target container "${p.container}" does not exist.`;
        case 'dlo':
          return `The DLO's segment container "${p.container}" does not exist, so the object reads as empty.`;
        case 'prefix':
          return `${at}: container "${p.container}" (of prefix ${p.spec}) does not exist.`;
      }
    },
    suggestion: (p) => {
      if (p.where === 'entry') {
        const found = p.fixed ? [p.fixed] : (p.candidates ?? []);
        const object = (path: string) => path.replace(/^\/[^/]*/, '');
        // The same object in another container: name the container, as the typo is there.
        if (found.length && found.every((f) => object(f) === object(p.path))) return `Did you mean ${quoteList(found.map((f) => f.split('/')[1]!))}? ${found[0]} exists.`;
        if (found.length) return `Did you mean ${quoteList(found)}?`;
        return didYouMean(p.containers) ?? 'Check the container name; no existing container is close to it.';
      }
      if (p.where === 'target') return didYouMean(p.containers) ?? 'Create it first (or pick an existing container).';
      return didYouMean(p.containers);
    },
    data: (p) => (p.where === 'entry' ? { field: 'path', old: p.path, ...(p.fixed ? { new: p.fixed } : {}) } : {}),
  }),
  'segment-missing': rule<Lookup & { stored: boolean }>({
    levels: ['error'],
    field: 'path',
    message: (p, at) => (p.stored ? `${at}: segment ${p.path} is missing — it was deleted after the manifest was written, so downloads of this SLO fail at this point.` : `${at}: segment ${p.path} does not exist.`),
    suggestion: (p) => {
      if (p.fixed) return `Did you mean "${p.fixed}"? It exists.`;
      if (p.candidates?.length) return `Did you mean ${quoteList(p.candidates)}?`;
      return p.stored ? 'Upload the segment again (the same bytes), or rebuild the SLO without it.' : 'Upload the segment, correct the path, or remove the entry.';
    },
    action: (p) => (p.stored && !p.fixed ? 'doctor-fix-drop-missing' : undefined),
    data: (p) => ({ old: p.path, ...(p.fixed ? { new: p.fixed } : {}) }),
  }),
  'segment-forbidden': rule<{ path: string; detail: string }>({
    levels: ['error'],
    field: 'path',
    message: (p, at) => `${at}: you may not read segment ${p.path} (${p.detail}).`,
    suggestion: () => 'Check the container ACLs, or use segments in a container you can read.',
  }),
  'segment-unavailable': rule<{ path: string; detail: string }>({
    levels: ['error'],
    field: 'path',
    message: (p, at) => `${at}: could not check segment ${p.path}: ${p.detail}.`,
    suggestion: () => 'Try again; if it persists, give the operator the transaction id.',
  }),
  'etag-mismatch': rule<{ path: string; subject: string; written: string; real: string; stored: boolean }>({
    levels: ['error'],
    field: 'etag',
    message: (p, at) =>
      p.stored
        ? `${at}: segment ${p.path} changed after the manifest was written: the manifest records ETag ${p.written}, the segment now has ${p.real}. Downloads of this SLO fail at this point.`
        : `${at}: the manifest says etag "${p.written}", but segment ${p.subject} has ETag "${p.real}". Swift would refuse the manifest ("Etag Mismatch").`,
    suggestion: (p) => (p.stored ? 'Restore the original segment, or rebuild the manifest from the current segments.' : `Use "${p.real}" (or null to skip the check).`),
    action: (p) => (p.stored ? 'doctor-fix' : undefined),
    data: (p) => ({ old: p.written, new: p.real }),
  }),
  'size-mismatch': rule<{ path: string; subject: string; written: number; real: number; stored: boolean }>({
    levels: ['error'],
    field: 'size_bytes',
    message: (p, at) =>
      p.stored
        ? `${at}: segment ${p.path} changed after the manifest was written: the manifest records ${p.written} bytes, the segment now has ${p.real}.`
        : `${at}: the manifest says size_bytes ${p.written}, but segment ${p.subject} is ${p.real} bytes. Swift would refuse the manifest ("Size Mismatch").`,
    suggestion: (p) => (p.stored ? 'Restore the original segment, or rebuild the manifest from the current segments.' : `Use ${p.real} (or null to skip the check).`),
    action: (p) => (p.stored ? 'doctor-fix' : undefined),
    data: (p) => ({ old: p.written, new: p.real }),
  }),
  'range-unsatisfiable': rule<{ range: string; path: string; size: number }>({
    levels: ['error'],
    field: 'range',
    message: (p, at) => `${at}: the range "${p.range}" lies outside segment ${p.path}, which has ${p.size} bytes (valid bytes are 0-${Math.max(0, p.size - 1)}).`,
    suggestion: (p) => (p.size ? `Use a range within 0-${p.size - 1}.` : 'Leave the range out, or use another segment: this one is empty.'),
    data: (p) => ({ old: p.range }),
  }),
  'range-whole': rule<{ range: string; path: string }>({
    levels: ['info'],
    message: (p, at) => `${at}: the range "${p.range}" covers all of ${p.path}; Swift drops it and uses the whole segment.`,
    data: (p) => ({ field: 'range', old: p.range }),
  }),
  'too-deep': rule<{ path: string; depth: number; max: number }>({
    levels: ['error'],
    message: (p, at) => `${at}: ${p.path} is an SLO nested ${p.depth} levels deep; inside this manifest that makes ${p.depth + 1} levels, and Swift serves at most ${p.max}.`,
    suggestion: () => 'Flatten some levels (use the leaf segments directly).',
  }),
  'sub-slo': rule<{ path: string; size: number; etag: string }>({
    levels: ['info'],
    message: (p, at) => `${at}: ${p.path} is itself an SLO (${p.size} bytes); it is nested as a whole, and its etag in a manifest is its SLO ETag ${p.etag}.`,
  }),
  'segment-is-dlo': rule<{ path: string }>({
    levels: ['warning'],
    message: (p, at) => `${at}: ${p.path} is a Dynamic Large Object; its content follows whatever objects match its prefix, so this SLO can change or break silently.`,
    suggestion: () => "Use the DLO's segments (or an SLO of them) instead.",
  }),
};

export const rules = { ...entryRules, ...objectRules };
export type RuleCode = keyof typeof rules;
export type RuleParams<C extends RuleCode> = (typeof rules)[C] extends Rule<infer P> ? P : never;

/** "Entry 3" for an entry, "The manifest" for the whole. */
function subject(index: number | null): string {
  return index === null ? 'The manifest' : `Entry ${index}`;
}

/** A finding by the book: the code's severity, sentence, advice and data for these parameters. */
export function finding<C extends RuleCode>(code: C, index: number | null, params: RuleParams<C>): Finding {
  const r = rules[code] as unknown as Rule<RuleParams<C>>;
  const severity = r.severity ? r.severity(params) : r.levels[0]!;
  const suggestion = r.suggestion?.(params);
  const action = r.action?.(params);
  const data = { ...(r.field ? { field: r.field } : {}), ...r.data?.(params) };
  return {
    severity,
    code,
    index,
    ...(data.field !== undefined ? { field: data.field } : {}),
    ...(data.old !== undefined ? { old: data.old } : {}),
    ...(data.new !== undefined ? { new: data.new } : {}),
    message: r.message(params, subject(index)),
    ...(suggestion ? { suggestion } : {}),
    ...(action ? { action } : {}),
  };
}

/** The manifest key a code is about, when it is always the same one (for findings made outside the book). */
export function fieldOf(code: string): string | undefined {
  return code in rules ? (rules[code as RuleCode] as Rule<unknown>).field : undefined;
}

/** The severity a code has when it comes from Swift's own refusal (explainSwiftError): the book's usual one. */
export function usualSeverity(code: string): Severity {
  return code in rules ? rules[code as RuleCode].levels[0]! : 'error';
}

/** Every code with its possible severities, for the docs and their test. */
export function ruleTable(): Array<{ code: string; levels: readonly Severity[] }> {
  return Object.entries(rules).map(([code, r]) => ({ code, levels: r.levels }));
}

/** Sorts findings as every front end shows them: the object first, then entry by entry; errors before warnings. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const rank = { error: 0, warning: 1, info: 2 } as const;
  return findings
    .map((f, n) => ({ f, n }))
    .sort((a, b) => (a.f.index ?? -1) - (b.f.index ?? -1) || rank[a.f.severity] - rank[b.f.severity] || a.n - b.n)
    .map(({ f }) => f);
}

/** An existing manifest size check shared by the composer, the doctor's fix and uploads. */
export function checkManifestSize(json: string, max: number): Finding | undefined {
  const bytes = Buffer.byteLength(json);
  return bytes > max ? finding('manifest-too-large', null, { bytes, max }) : undefined;
}

/** Codes that mean a cluster limit was hit (an error of kind 'limit' rather than 'invalid'). */
export const LIMIT_CODES: ReadonlySet<string> = new Set(['too-many-segments', 'manifest-too-large', 'too-deep']);
