import { describe, expect, it } from 'vitest';
import { AdaptiveConcurrency, nextLevel, type LevelState } from '../../app/transfer/adaptive.ts';
import { runPool } from '../../app/pool.ts';

const start = (level: number, max: number): LevelState => ({ level, max, growing: max > level });

/** Feeds rates (bytes/s) measured at each level in turn; returns the levels the rule went through. */
function walk(s: LevelState, rateAt: (level: number) => number): number[] {
  const levels = [s.level];
  while (s.growing) {
    s = nextLevel(s, rateAt(s.level));
    levels.push(s.level);
  }
  return levels;
}

describe('adaptive concurrency rule', () => {
  it('grows while throughput grows by 10 % or more, up to the maximum and never beyond', () => {
    // Per-connection limit of 1 MB/s and a fat link: every slot adds 1 MB/s.
    expect(walk(start(4, 8), (n) => n * 1e6)).toEqual([4, 5, 6, 7, 8, 8]);
  });

  it('stops when the gain is under 10 % and keeps the level', () => {
    // The link saturates at 6 MB/s: the 7th slot gains nothing measurable.
    expect(walk(start(4, 16), (n) => Math.min(n, 6) * 1e6 * (n === 7 ? 1.05 : 1))).toEqual([4, 5, 6, 7, 7]);
  });

  it('steps back one when the added slot made it clearly slower', () => {
    expect(walk(start(4, 16), (n) => (n <= 6 ? n * 1e6 : 4e6))).toEqual([4, 5, 6, 7, 6]);
  });

  it('never goes below the requested start and does nothing when the maximum is the start', () => {
    expect(walk(start(4, 4), () => 1)).toEqual([4]);
    expect(walk(start(4, 8), (n) => (n === 4 ? 10e6 : 1e6))).toEqual([4, 5, 4]);
  });
});

describe('AdaptiveConcurrency measurement', () => {
  it('ignores the completions that straddle a change, then measures bytes per second over as many again', () => {
    let t = 0;
    const changes: number[] = [];
    const a = new AdaptiveConcurrency({ start: 2, max: 3, now: () => t, onChange: (l) => changes.push(l) });
    // Level 2: completions 1-2 only start the clock (at t=2000); 3-4 bring 2 MB in 2 s → 1 MB/s.
    for (const at of [1000, 2000, 3000, 4000]) { t = at; a.completed(1e6); }
    expect(a.limit()).toBe(3);
    // Level 3: clock starts at the 3rd completion (t=7000); next 3 bring 3 MB in 1.5 s → 2 MB/s ≥ 110 %; at max.
    for (const at of [5000, 6000, 7000, 7500, 8000, 8500]) { t = at; a.completed(1e6); }
    expect(a.limit()).toBe(3);
    expect(changes).toEqual([3]);
  });

  it('without a maximum above the start it is a fixed limit', () => {
    const a = new AdaptiveConcurrency({ start: 4, now: () => 0 });
    for (let i = 0; i < 100; i++) a.completed(1);
    expect(a.limit()).toBe(4);
  });
});

describe('runPool with a changing limit', () => {
  it('adds a slot when the limit grows and retires one when it shrinks, never exceeding it', async () => {
    let limit = 2;
    let inFlight = 0;
    const seen: number[] = [];
    const gate: (() => void)[] = [];
    const pool = runPool(Array.from({ length: 12 }, (_, i) => i), () => limit, async () => {
      inFlight++;
      seen.push(inFlight);
      await new Promise<void>((r) => gate.push(r));
      inFlight--;
    });
    const release = async () => { gate.shift()!(); await new Promise((r) => setImmediate(r)); };
    await new Promise((r) => setImmediate(r));
    expect(inFlight).toBe(2);
    limit = 4;
    await release(); // one completes: its slot takes the next item and two more slots start
    expect(inFlight).toBe(4);
    limit = 1;
    while (gate.length) await release();
    await pool;
    expect(Math.max(...seen)).toBe(4);
    // After the drop, work went on one at a time.
    expect(seen.slice(-3)).toEqual([1, 1, 1]);
  });
});
