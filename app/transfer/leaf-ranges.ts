// Which leaves of a download are done, as sorted, merged half-open index ranges [from, to). Leaves finish nearly in
// order (at most `concurrency` run at once), so a download of 10⁹ leaves is described by a handful of ranges, in
// memory and in its journal, instead of one number per leaf.

export type LeafRange = [from: number, to: number];

export class LeafRanges {
  private ranges: LeafRange[] = [];

  /** Ranges from a journal, cleaned: integers inside [0, total), sorted and merged; anything else is dropped. */
  static from(raw: unknown, total: number): LeafRanges {
    const out = new LeafRanges();
    if (!Array.isArray(raw)) return out;
    for (const r of raw) {
      if (!Array.isArray(r) || r.length !== 2) continue;
      const [a, b] = r as unknown[];
      if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b)) continue;
      const from = Math.max(0, a as number);
      const to = Math.min(total, b as number);
      if (from < to) out.addRange(from, to);
    }
    return out;
  }

  addRange(from: number, to: number): void {
    const next: LeafRange[] = [];
    let a = from;
    let b = to;
    for (const r of this.ranges) {
      if (r[1] < a || r[0] > b) next.push(r);
      else {
        a = Math.min(a, r[0]);
        b = Math.max(b, r[1]);
      }
    }
    next.push([a, b]);
    next.sort((x, y) => x[0] - y[0]);
    this.ranges = next;
  }

  add(i: number): void {
    // The common case, the next leaf after the last range, without a rebuild.
    const last = this.ranges[this.ranges.length - 1];
    if (last && last[1] === i) last[1] = i + 1;
    else this.addRange(i, i + 1);
  }

  /** How many leaves are done. */
  get count(): number {
    return this.ranges.reduce((n, r) => n + r[1] - r[0], 0);
  }

  list(): LeafRange[] {
    return this.ranges.map((r) => [r[0], r[1]]);
  }

  /** The ranges of leaves in [0, total) that were not done when this was called, in order. */
  *gaps(total: number): Generator<LeafRange> {
    let at = 0;
    for (const [a, b] of this.list()) {
      if (a > at) yield [at, Math.min(a, total)];
      at = Math.max(at, b);
    }
    if (at < total) yield [at, total];
  }
}
