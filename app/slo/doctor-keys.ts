// Name and key suggestions for the manifest doctor: edit distance (with adjacent transpositions, so "etga" is one
// typo away from "etag"), a similarity score that prefers look-alike characters ("contl" → "cont1"), and advice for
// every key a hand-written manifest entry may carry. Pure functions; no I/O.

/** Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent transpositions cost 1. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const A = [...a];
  const B = [...b];
  if (!A.length) return B.length;
  if (!B.length) return A.length;
  let prev2: number[] = [];
  let prev = Array.from({ length: B.length + 1 }, (_, j) => j);
  for (let i = 1; i <= A.length; i++) {
    const cur = [i];
    for (let j = 1; j <= B.length; j++) {
      const cost = A[i - 1] === B[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && A[i - 1] === B[j - 2] && A[i - 2] === B[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur.push(v);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[B.length]!;
}

/** Characters people (and fonts) confuse: a substitution between two of these is half a typo. */
const LOOKALIKE = [['l', '1', 'i', '|', 'I'], ['o', '0', 'O'], ['s', '5', 'S'], ['z', '2', 'Z'], ['b', '8'], ['g', '9'], ['-', '_', ' ', '.']];
const lookalikeGroup = new Map<string, number>();
LOOKALIKE.forEach((g, i) => g.forEach((c) => lookalikeGroup.set(c, i)));

function substitutionCost(x: string, y: string): number {
  if (x === y) return 0;
  if (x.toLowerCase() === y.toLowerCase()) return 0.25;
  const gx = lookalikeGroup.get(x);
  if (gx !== undefined && gx === lookalikeGroup.get(y)) return 0.5;
  return 1;
}

/**
 * Weighted distance for ranking name suggestions: like editDistance, but case-only and look-alike substitutions
 * cost less, so "contl" is closer to "cont1" (0.5) than to "cont2" (1).
 */
export function nameDistance(a: string, b: string): number {
  if (a === b) return 0;
  const A = [...a];
  const B = [...b];
  let prev2: number[] = [];
  let prev = Array.from({ length: B.length + 1 }, (_, j) => j);
  for (let i = 1; i <= A.length; i++) {
    const cur = [i];
    for (let j = 1; j <= B.length; j++) {
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + substitutionCost(A[i - 1]!, B[j - 1]!));
      if (i > 1 && j > 1 && A[i - 1] === B[j - 2] && A[i - 2] === B[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur.push(v);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[B.length]!;
}

export interface NameCandidate {
  name: string;
  /** editDistance to the wanted name (whole typos). */
  distance: number;
  /** nameDistance (look-alikes cost less); lower is better. */
  score: number;
}

/** The largest edit distance we call "a typo of" a name of this length: 1 for very short names, else 2. */
export function typoBudget(name: string, max = 2): number {
  const n = [...name].length;
  return Math.min(max, n <= 3 ? 1 : 2);
}

/**
 * Names from `candidates` within a typo or two of `wanted`, best first (look-alikes first, then fewer typos, then
 * alphabetical). `max` caps the edit distance (default by length, at most 2).
 */
export function closestNames(wanted: string, candidates: Iterable<string>, opts: { max?: number; limit?: number } = {}): NameCandidate[] {
  const max = opts.max ?? typoBudget(wanted);
  const out: NameCandidate[] = [];
  const lenW = [...wanted].length;
  for (const name of candidates) {
    if (name === wanted) continue;
    if (Math.abs([...name].length - lenW) > max) continue;
    // A slip of the Shift key is one typo however long the word: compare case-insensitively, and count a
    // case-only difference as one.
    const folded = editDistance(wanted.toLowerCase(), name.toLowerCase());
    const distance = folded === 0 ? 1 : Math.min(folded, editDistance(wanted, name));
    if (distance > max) continue;
    out.push({ name, distance, score: nameDistance(wanted, name) });
  }
  out.sort((a, b) => a.score - b.score || a.distance - b.distance || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return opts.limit !== undefined ? out.slice(0, opts.limit) : out;
}

// ---------- manifest keys ----------

export type PutKey = 'path' | 'etag' | 'size_bytes' | 'range' | 'data';
export const PUT_FORMAT_KEYS: readonly PutKey[] = ['path', 'etag', 'size_bytes', 'range'];

export type KeyAdvice =
  /** A key Swift accepts as written. */
  | { kind: 'ok'; key: string; target: PutKey }
  /** A typo, wrong case or wrong separator of a real key ("size bytes", "Size_Bytes", "etga"). */
  | { kind: 'misspelled'; key: string; target: PutKey }
  /** A key of the GET format (?multipart-manifest=get): name → path, hash → etag, bytes → size_bytes. */
  | { kind: 'get-format'; key: string; target: PutKey }
  /** A key that means the same thing under another name ("md5", "size", "length", "object"). */
  | { kind: 'synonym'; key: string; target: PutKey }
  /** GET-format bookkeeping Swift writes itself (content_type, last_modified, sub_slo): drop it. */
  | { kind: 'get-extra'; key: string; target: null }
  | { kind: 'unknown'; key: string; target: null };

/** Lower case, and no spaces, hyphens, underscores or dots: "Size-Bytes" and "size bytes" both become "sizebytes". */
export function normaliseKey(key: string): string {
  return key.normalize('NFKC').toLowerCase().replace(/[\s_\-.]+/g, '');
}

const NORMAL_TARGETS: Record<string, PutKey> = { path: 'path', etag: 'etag', sizebytes: 'size_bytes', range: 'range', data: 'data' };
const GET_KEYS: Record<string, PutKey> = { name: 'path', hash: 'etag', bytes: 'size_bytes' };
const GET_EXTRAS = new Set(['contenttype', 'lastmodified', 'subslo']);
const SYNONYMS: Record<string, PutKey> = {
  size: 'size_bytes', sizes: 'size_bytes', length: 'size_bytes', len: 'size_bytes', contentlength: 'size_bytes', sizeinbytes: 'size_bytes',
  bytesize: 'size_bytes', filesize: 'size_bytes', segmentsize: 'size_bytes', sizebyte: 'size_bytes', numbytes: 'size_bytes', nbytes: 'size_bytes',
  md5: 'etag', md5sum: 'etag', checksum: 'etag', etags: 'etag', digest: 'etag', md5hash: 'etag',
  object: 'path', obj: 'path', file: 'path', segment: 'path', seg: 'path', key: 'path', url: 'path', objectpath: 'path', segmentpath: 'path',
  location: 'path', objectname: 'path', segmentname: 'path', source: 'path', src: 'path', paths: 'path',
  byterange: 'range', ranges: 'range', bytesrange: 'range',
};

/** What a key in a manifest entry means, and what it should be called. */
export function adviseKey(key: string): KeyAdvice {
  if ((PUT_FORMAT_KEYS as readonly string[]).includes(key) || key === 'data') return { kind: 'ok', key, target: key as PutKey };
  if (key in GET_KEYS) return { kind: 'get-format', key, target: GET_KEYS[key]! };
  const n = normaliseKey(key);
  if (n in NORMAL_TARGETS) return { kind: 'misspelled', key, target: NORMAL_TARGETS[n]! };
  if (n in GET_KEYS) return { kind: 'get-format', key, target: GET_KEYS[n]! };
  if (GET_EXTRAS.has(n)) return { kind: 'get-extra', key, target: null };
  if (n in SYNONYMS) return { kind: 'synonym', key, target: SYNONYMS[n]! };
  // Typos of the normalised key: one slip for the short keys, two for size_bytes.
  let best: { target: PutKey; d: number } | undefined;
  for (const [norm, target] of Object.entries(NORMAL_TARGETS)) {
    const d = editDistance(n, norm);
    const budget = norm.length >= 8 ? 2 : 1;
    if (d <= budget && (!best || d < best.d)) best = { target, d };
  }
  if (best) return { kind: 'misspelled', key, target: best.target };
  // Shapes like "size_in_bytes", "segment_etag", "object_path".
  if (/size|byte|len/.test(n)) return { kind: 'synonym', key, target: 'size_bytes' };
  if (/etag|md5|hash/.test(n)) return { kind: 'synonym', key, target: 'etag' };
  if (/path|name|object/.test(n)) return { kind: 'synonym', key, target: 'path' };
  if (/range/.test(n)) return { kind: 'synonym', key, target: 'range' };
  return { kind: 'unknown', key, target: null };
}

/** One sentence telling the user what to do with a key (for Finding.suggestion). */
export function keySuggestion(a: KeyAdvice): string {
  switch (a.kind) {
    case 'ok':
      return `"${a.key}" is correct.`;
    case 'misspelled':
    case 'synonym':
      return `Rename "${a.key}" to "${a.target}".`;
    case 'get-format':
      return `Rename "${a.key}" to "${a.target}" (the PUT format uses path, etag, size_bytes).`;
    case 'get-extra':
      return `Remove "${a.key}": Swift records it itself and does not accept it in a manifest PUT.`;
    case 'unknown':
      return `Remove "${a.key}": a segment entry may only have "path", "etag", "size_bytes" and "range" (or "data" alone).`;
  }
}
