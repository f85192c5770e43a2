// The listing window (renderer/src/lib/listing-window.ts): where rows land, what is fetched, what is kept. The pages
// come from a sorted array answering marker / reverse the way Swift does (checked against the sandbox in
// test/integration/swift-client.test.ts); the e2e drives the same code on a real million-row container.
import { describe, expect, it } from 'vitest';
import {
  apply,
  applyJump,
  emptyListing,
  indexOfName,
  nameAt,
  normalise,
  plan,
  rowAt,
  TUNING,
  type Fetch,
  type Listing,
  type Named,
  type Page,
} from '../../renderer/src/lib/listing-window.ts';

const pad = (i: number) => `obj-${String(i).padStart(7, '0')}`;

/** A sorted listing that answers like Swift: marker exclusive, reverse = descending below the marker. */
function server(names: string[]) {
  const lowerBound = (n: string) => {
    let lo = 0;
    let hi = names.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (names[mid]! < n) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  let requests = 0;
  const page = (f: Fetch, limit = TUNING.page): Page<Named> => {
    requests++;
    let rows: string[];
    if (f.kind === 'first') rows = names.slice(0, limit);
    else if (f.kind === 'last') rows = names.slice(Math.max(0, names.length - limit));
    else if (f.kind === 'before') {
      const i = lowerBound(f.marker);
      rows = names.slice(Math.max(0, i - limit), i);
    } else {
      let i = lowerBound(f.marker);
      if (names[i] === f.marker) i++;
      rows = names.slice(i, i + limit);
    }
    return { entries: rows.map((name) => ({ name })), more: rows.length >= limit };
  };
  return { page, requests: () => requests };
}

/** Fetches until rows [from, to) are loaded, as the store's loop does; returns how many requests it took. */
function settle(l: Listing<Named>, s: ReturnType<typeof server>, from: number, to: number): { l: Listing<Named>; requests: number } {
  const before = s.requests();
  for (let f = plan(l, from, to), guard = 0; f; f = plan(l, from, to), guard++) {
    if (guard > 50) throw new Error('the window does not settle');
    l = apply(l, f, s.page(f));
  }
  return { l, requests: s.requests() - before };
}

const N = 1_000_000;
const names = Array.from({ length: N }, (_, i) => pad(i));

function counted(): Listing<Named> {
  return normalise({ ...emptyListing<Named>(0, 'atLeast'), total: N, count: 'exact' });
}

describe('listing window', () => {
  it('shows the first rows with one request and the last rows with one more (reverse listing)', () => {
    const s = server(names);
    let { l, requests } = settle(counted(), s, 0, 30);
    expect(requests).toBe(1);
    expect(rowAt(l, 0)?.name).toBe(pad(0));
    ({ l, requests } = settle(l, s, N - 30, N));
    expect(requests).toBe(1);
    expect(rowAt(l, N - 1)?.name).toBe(pad(N - 1));
    expect(l.win.from).toBe('end');
    expect(l.total).toBe(N);
  });

  it('a jump to the middle is a few requests, lands where the scrollbar says, and keeps memory bounded', () => {
    const s = server(names);
    let { l } = settle(counted(), s, 0, 30);
    ({ l } = settle(l, s, N - 30, N)); // the end anchor
    const { l: mid, requests } = settle(l, s, 500_000, 500_030);
    expect(requests).toBeLessThanOrEqual(2);
    // Names here are uniform, so interpolation in name space is exact; the estimate is what is shown either way.
    expect(rowAt(mid, 500_000)?.name).toBe(pad(500_000));
    expect(mid.win.entries.length).toBeLessThanOrEqual(TUNING.keep);
    expect(mid.win.from).toBeNull();
  });

  it('a far jump without an end anchor reads the end first (one small extra request)', () => {
    const s = server(names);
    let { l } = settle(counted(), s, 0, 30);
    const r = settle(l, s, 700_000, 700_030);
    l = r.l;
    expect(r.requests).toBe(2);
    expect(rowAt(l, 700_010)?.name).toBe(pad(700_010));
  });

  it('scrolling page after page keeps at most `keep` rows and the positions stay right', () => {
    const s = server(names);
    let { l } = settle(counted(), s, 0, 30);
    for (let top = 0; top < 20_000; top += 700) {
      ({ l } = settle(l, s, top, top + 30));
      expect(l.win.entries.length).toBeLessThanOrEqual(TUNING.keep);
      expect(rowAt(l, top + 29)?.name).toBe(pad(top + 29));
    }
    expect(l.win.from).toBe('start');
    // And back up: the window slides backwards with reverse listings.
    ({ l } = settle(l, s, 12_000, 12_030));
    expect(rowAt(l, 12_000)?.name).toBe(pad(12_000));
  });

  it('an estimated window that reaches the end is put where it belongs', () => {
    // Skewed names: half of the listing shares one long prefix, so interpolation is off.
    const skewed = [...Array.from({ length: 5000 }, (_, i) => `a-${String(i).padStart(5, '0')}`), ...Array.from({ length: 5000 }, (_, i) => `zzzz-${String(i).padStart(5, '0')}`)];
    const s = server(skewed);
    let l = normalise({ ...emptyListing<Named>(0, 'atLeast'), total: skewed.length, count: 'exact' });
    ({ l } = settle(l, s, 0, 30));
    ({ l } = settle(l, s, 9970, 10_000));
    ({ l } = settle(l, s, 3000, 3030));
    expect(l.win.from).toBeNull(); // a guess
    for (let top = 3000; top < 10_000 && l.win.from === null; top += 500) ({ l } = settle(l, s, top, top + 30));
    expect(l.win.from).toBe('end');
    expect(rowAt(l, skewed.length - 1)?.name).toBe(skewed.at(-1));
    expect(l.total).toBe(skewed.length);
  });

  it('without a count (a prefix) the total grows as pages arrive, and the end makes it exact', () => {
    const small = names.slice(0, 2500);
    const s = server(small);
    let { l } = settle(emptyListing<Named>(0, 'atLeast'), s, 0, 30);
    expect(l.count).toBe('atLeast');
    expect(l.total).toBe(1001);
    ({ l } = settle(l, s, 980, 1001));
    expect(l.total).toBe(2001);
    ({ l } = settle(l, s, 1980, 2001));
    expect(l.total).toBe(2500);
    expect(l.count).toBe('exact');
    expect(l.win.atStart && l.win.atEnd).toBe(true);
  });

  it('the end of an uncounted listing is one request away, and counting back from it fixes the total', () => {
    const small = names.slice(0, 5000);
    const s = server(small);
    let { l } = settle(emptyListing<Named>(0, 'atLeast'), s, 0, 30);
    l = apply(l, { kind: 'last' }, s.page({ kind: 'last' }));
    expect(rowAt(l, l.total - 1)?.name).toBe(small.at(-1));
    for (let top = l.total - 30; !l.win.atStart; top -= 900) ({ l } = settle(l, s, Math.max(0, top), Math.max(30, top + 30)));
    expect(l.win.start).toBe(0);
    expect(l.total).toBe(5000);
  });

  it('a jump to a name lists from the first name at or after it, with rows before it for context', () => {
    const s = server(names);
    let { l } = settle(counted(), s, 0, 30);
    ({ l } = settle(l, s, N - 30, N));
    const target = 'obj-06'; // not a name: the first name after it is obj-0600000
    const before = s.page({ kind: 'before', marker: target }, 250);
    const from = s.page({ kind: 'after', marker: pad(599_999) });
    const { listing, index } = applyJump(l, target, before, from);
    expect(rowAt(listing, index)?.name).toBe(pad(600_000));
    expect(index).toBe(600_000);
    expect(rowAt(listing, index - 1)?.name).toBe(pad(599_999));
  });

  it('interpolates names between anchors and back', () => {
    const anchors = [
      { index: 0, name: pad(0) },
      { index: N - 1, name: pad(N - 1) },
    ];
    expect(nameAt(anchors, 249_999)).toBe(pad(249_999));
    expect(indexOfName(anchors, pad(123_456), N)).toBe(123_456);
    // Letters: the estimate stays between the anchors and in order.
    const words = [
      { index: 0, name: 'apple' },
      { index: 1000, name: 'zebra' },
    ];
    const m = nameAt(words, 500)!;
    expect(m > 'apple' && m < 'zebra').toBe(true);
    expect(indexOfName(words, 'monkey', 1001)).toBeGreaterThan(400);
    expect(indexOfName(words, 'monkey', 1001)).toBeLessThan(600);
    expect(nameAt(words.slice(0, 1), 10)).toBeNull();
  });

  it('an empty container settles with nothing to fetch', () => {
    const s = server([]);
    const { l, requests } = settle(normalise({ ...emptyListing<Named>(0, 'atLeast'), total: 0, count: 'exact' }), s, 0, 0);
    expect(requests).toBe(1);
    expect(l.total).toBe(0);
    expect(plan(l, 0, 0)).toBeNull();
  });
});
