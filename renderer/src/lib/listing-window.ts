// A window onto a listing too long to hold: Swift pages by name (`marker`), never by offset, so the browser keeps one
// contiguous run of rows around what is on screen plus a few (index, name) anchors whose positions are known exactly
// (counted from the start or, with a known count, from the end). A far jump treats the scroll position as a position
// in name space: it interpolates a name between the nearest anchors and lists from there; the run lands at the
// estimated index and is corrected when it reaches the start or the end. Pure functions over plain data, so the
// object list and the container list share them and unit tests check them without a server.

export interface Named {
  name: string;
}

export interface Window<T extends Named> {
  /** Index of entries[0] in the whole listing: counted from the start, from the end (relative to the total), or an estimate. */
  start: number;
  entries: T[];
  from: 'start' | 'end' | null;
  /** Nothing is listed before entries[0] / after the last entry. */
  atStart: boolean;
  atEnd: boolean;
}

/**
 * 'exact': the total is the container's (or account's) own count and no pseudo-folder has been seen; 'about': that
 * count is an upper bound (folders collapse rows); 'atLeast': no count (a prefix), the total grows as pages arrive.
 */
export type CountKind = 'exact' | 'about' | 'atLeast';

export interface Anchor {
  index: number;
  name: string;
}

export interface Listing<T extends Named> {
  total: number;
  count: CountKind;
  win: Window<T>;
  /** Known (index, name) pairs in index order with names ascending; bounded. */
  anchors: Anchor[];
}

/** What to fetch next. Pages come back ascending (a reversed page is turned around by the caller). */
export type Fetch =
  | { kind: 'first' }
  | { kind: 'last' }
  | { kind: 'after'; marker: string }
  | { kind: 'before'; marker: string }
  | { kind: 'seek'; marker: string; index: number };

export interface Page<T extends Named> {
  entries: T[];
  /** The page was full: more rows follow in its direction. */
  more: boolean;
}

export interface Tuning {
  /** Rows per request. */
  page: number;
  /** Most rows kept in memory. */
  keep: number;
  /** Extend the window when the visible rows come this close to its edge. */
  margin: number;
}

export const TUNING: Tuning = { page: 1000, keep: 4000, margin: 200 };
const MAX_ANCHORS = 64;

export function emptyListing<T extends Named>(total: number, count: CountKind): Listing<T> {
  return { total, count, win: { start: 0, entries: [], from: null, atStart: false, atEnd: false }, anchors: [] };
}

export const winEnd = (w: Window<Named>) => w.start + w.entries.length;

/** The row at `index`, if loaded. */
export function rowAt<T extends Named>(l: Listing<T>, index: number): T | undefined {
  return l.win.entries[index - l.win.start];
}

/** The index a loaded name sits at, or -1. */
export function indexOfLoaded<T extends Named>(l: Listing<T>, name: string): number {
  const i = l.win.entries.findIndex((e) => e.name === name);
  return i < 0 ? -1 : l.win.start + i;
}

/**
 * The fetch that brings rows [from, to) closer, or null when they are loaded with room to spare. Near the window it
 * extends it (marker forward, reverse marker backward); far from it, it seeks: the first page, the last page (reverse
 * listing), or a name interpolated between anchors.
 */
export function plan<T extends Named>(l: Listing<T>, from: number, to: number, t: Tuning = TUNING): Fetch | null {
  const w = l.win;
  const end = winEnd(w);
  if (w.entries.length === 0) {
    if (w.atStart && w.atEnd) return null; // an empty listing
    return from > t.page && l.count !== 'atLeast' ? seekFor(l, from, t) : { kind: 'first' };
  }
  const near = t.page * 2;
  if (to > end - t.margin && !w.atEnd && from < end + near && to > w.start - near) return { kind: 'after', marker: w.entries[w.entries.length - 1]!.name };
  if (from < w.start + t.margin && !w.atStart && to > w.start - near && from < end + near) return { kind: 'before', marker: w.entries[0]!.name };
  if (to <= end + near && from >= w.start - near) return null;
  return seekFor(l, from, t);
}

function seekFor<T extends Named>(l: Listing<T>, from: number, t: Tuning): Fetch {
  if (from < t.page) return { kind: 'first' };
  if (from >= l.total - t.page && l.count !== 'atLeast') return { kind: 'last' };
  const index = Math.max(1, from - Math.floor(t.page / 4));
  const marker = nameAt(l.anchors, index - 1);
  // Without anchors on both sides there is nothing to interpolate: read the end first (one small request).
  if (marker === null) return l.count === 'atLeast' ? { kind: 'after', marker: l.win.entries.at(-1)?.name ?? '' } : { kind: 'last' };
  return { kind: 'seek', marker, index };
}

/** The listing after `page` answered `f`. */
export function apply<T extends Named>(l: Listing<T>, f: Fetch, page: Page<T>, t: Tuning = TUNING): Listing<T> {
  const w = l.win;
  const n = page.entries.length;
  let win: Window<T>;
  let total = l.total;
  switch (f.kind) {
    case 'first':
      win = { start: 0, entries: page.entries, from: 'start', atStart: true, atEnd: !page.more };
      break;
    case 'last': {
      if (l.count === 'atLeast') total = Math.max(total, (w.atEnd ? w.start : winEnd(w)) + n + (page.more ? t.page : 0));
      win = { start: Math.max(0, total - n), entries: page.entries, from: 'end', atStart: !page.more, atEnd: true };
      break;
    }
    case 'seek':
      win = { start: f.index, entries: page.entries, from: null, atStart: false, atEnd: !page.more };
      break;
    case 'after': {
      if (w.entries.at(-1)?.name !== f.marker) return l; // the window moved meanwhile
      const all = w.entries.concat(page.entries);
      const drop = Math.max(0, all.length - t.keep);
      win = { ...w, start: w.start + drop, entries: drop ? all.slice(drop) : all, atStart: w.atStart && drop === 0, atEnd: !page.more };
      break;
    }
    case 'before': {
      if (w.entries[0]?.name !== f.marker) return l;
      const all = page.entries.concat(w.entries);
      win = { ...w, start: w.start - n, entries: all.slice(0, t.keep), atStart: !page.more, atEnd: w.atEnd && all.length <= t.keep };
      break;
    }
  }
  return normalise({ ...l, total, win });
}

/** Jump to a name: rows before it (ascending) and from it; the window is placed at the name's estimated index. */
export function applyJump<T extends Named>(l: Listing<T>, name: string, before: Page<T>, from: Page<T>): { listing: Listing<T>; index: number } {
  const est = indexOfName(l.anchors, name, l.total);
  const b = before.entries.length;
  const start = Math.max(b === 0 ? 0 : 1, Math.min(est, Math.max(0, l.total - from.entries.length)) - b);
  const win: Window<T> = { start, entries: before.entries.concat(from.entries), from: null, atStart: !before.more, atEnd: !from.more };
  const listing = normalise({ ...l, win });
  return { listing, index: listing.win.start + b };
}

/** Puts the window where what it has learnt says it is, corrects or grows the total, and records known anchors. */
export function normalise<T extends Named>(l: Listing<T>): Listing<T> {
  let { total, count, anchors } = l;
  const w = { ...l.win };
  const n = w.entries.length;
  if (w.atStart && w.from === 'end' && w.start !== 0) {
    // Counted back from the end all the way to the start: the total was off by the difference (folders collapse rows).
    total -= w.start;
    anchors = [];
  }
  if (w.atStart) Object.assign(w, { start: 0, from: 'start' });
  if (w.atEnd && w.from === 'start') {
    total = n + w.start;
    count = 'exact';
  } else if (w.atEnd && w.from === null) {
    // An estimated window reached the end: with a count it sits just before it; without, the end is where it is.
    if (count === 'atLeast') total = w.start + n;
    Object.assign(w, { start: Math.max(w.atStart ? 0 : 1, total - n), from: 'end' });
  }
  if (!w.atStart && w.start < 1) {
    // More rows exist before the window than its position allows: the listing is longer than thought.
    if (w.from !== null || count === 'atLeast') total += 1 - w.start;
    w.start = 1;
  }
  if (!w.atEnd && w.start + n >= total) {
    if (w.from === null && count !== 'atLeast') w.start = Math.max(1, total - n - 1);
    else total = w.start + n + 1;
  }
  return { total, count, win: w, anchors: w.from !== null && n > 0 ? addAnchors(anchors, w, total) : anchors };
}

function addAnchors<T extends Named>(anchors: Anchor[], w: Window<T>, total: number): Anchor[] {
  const fresh: Anchor[] = [
    { index: w.start, name: w.entries[0]!.name },
    { index: w.start + w.entries.length - 1, name: w.entries.at(-1)!.name },
  ];
  const merged = anchors.filter((a) => a.index < total && !fresh.some((f) => f.index === a.index || f.name === a.name)).concat(fresh);
  merged.sort((a, b) => a.index - b.index);
  // Keep index order and name order consistent: an older anchor that contradicts a fresh one goes.
  const ok = merged.filter((a) => fresh.includes(a) || fresh.every((f) => (a.index < f.index) === (a.name < f.name)));
  while (ok.length > MAX_ANCHORS) ok.splice(Math.floor(ok.length / 2), 1); // keep the ends, thin the middle
  return ok;
}

// ---------- names as numbers ----------

/** Up to this many characters after the common prefix take part in interpolation (53-bit safe for ~90 symbols). */
function digitsFor(base: number): number {
  return Math.max(1, Math.min(12, Math.floor(52 / Math.log2(base))));
}

interface Scale {
  prefix: string;
  lo: number;
  base: number;
  k: number;
}

function scaleFor(a: string, b: string): Scale {
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  const prefix = a.slice(0, p);
  const codes = [...a.slice(p), ...b.slice(p)].map((c) => c.charCodeAt(0));
  let lo = Math.min(...codes, Infinity);
  let hi = Math.max(...codes, -Infinity);
  if (!(hi > lo)) [lo, hi] = [0x20, 0x7e];
  // Digits are the characters seen, lowest first; a name that ends counts as padded with the lowest (names that
  // differ only by such padding tie, which an estimate can afford), so evenly spread names map linearly.
  const base = hi - lo + 1;
  return { prefix, lo, base, k: digitsFor(base) };
}

function toNumber(s: string, sc: Scale): number {
  const rest = s.slice(sc.prefix.length);
  let v = 0;
  for (let i = 0; i < sc.k; i++) {
    const c = rest.charCodeAt(i);
    const d = Number.isNaN(c) ? 0 : Math.min(sc.base - 1, Math.max(0, c - sc.lo));
    v = v * sc.base + d;
  }
  return v;
}

function fromNumber(v: number, sc: Scale): string {
  const digits: number[] = [];
  for (let i = 0; i < sc.k; i++) {
    digits.unshift(v % sc.base);
    v = Math.floor(v / sc.base);
  }
  while (digits.length && digits.at(-1) === 0) digits.pop(); // padding, not characters
  return sc.prefix + String.fromCharCode(...digits.map((d) => d + sc.lo));
}

/** The anchors on either side of `index` (or of `name`); null where none. */
function bracket(anchors: Anchor[], below: (a: Anchor) => boolean): [Anchor | null, Anchor | null] {
  let lo: Anchor | null = null;
  let hi: Anchor | null = null;
  for (const a of anchors) {
    if (below(a)) lo = a;
    else if (!hi) hi = a;
  }
  return [lo, hi];
}

/** An estimate of the name at `index`, interpolated between the anchors around it; null without anchors on both sides. */
export function nameAt(anchors: Anchor[], index: number): string | null {
  const [lo, hi] = bracket(anchors, (a) => a.index <= index);
  if (!lo || !hi) return null;
  if (lo.index === index) return lo.name;
  const sc = scaleFor(lo.name, hi.name);
  const a = toNumber(lo.name, sc);
  const b = toNumber(hi.name, sc);
  const v = Math.round(a + ((b - a) * (index - lo.index)) / (hi.index - lo.index));
  const name = fromNumber(v, sc);
  // Rounding may land on or outside the bracket; stay strictly inside when possible.
  return name > lo.name && name < hi.name ? name : lo.name;
}

/** An estimate of the index of the first row ≥ `name`, from the anchors around it. */
export function indexOfName(anchors: Anchor[], name: string, total: number): number {
  const [lo, hi] = bracket(anchors, (a) => a.name < name);
  if (!lo) return 0;
  if (!hi) return Math.min(total - 1, Math.max(lo.index + 1, Math.round((lo.index + total) / 2)));
  if (hi.name === name) return hi.index;
  // The alphabet comes from the anchors; characters of `name` outside it are clamped, which keeps the map linear.
  const sc = scaleFor(lo.name, hi.name);
  const a = toNumber(lo.name, sc);
  const b = toNumber(hi.name, sc);
  const f = b > a ? (toNumber(name, sc) - a) / (b - a) : 0.5;
  return Math.min(hi.index, Math.max(lo.index + 1, Math.round(lo.index + f * (hi.index - lo.index))));
}
