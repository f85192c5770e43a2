// What keeps a download of 10⁸ leaves in bounded memory: done leaves as index ranges (LeafRanges, the journal's form),
// per-segment progress folded into at most MAX_STATE_CHARS characters, runPool pulling work from a generator, and the
// graph's deletion order of distinct objects.
import { describe, expect, it } from 'vitest';
import { md5Hex } from '../../app/slo/etag.ts';
import { ManifestGraph } from '../../app/slo/manifest-graph.ts';
import type { StoredEntry } from '../../app/slo/manifest.ts';
import { runPool } from '../../app/pool.ts';
import { LeafRanges } from '../../app/transfer/leaf-ranges.ts';
import { MAX_STATE_CHARS, ProgressTracker, type TransferProgress } from '../../app/transfer/progress.ts';

describe('LeafRanges', () => {
  it('merges leaves finishing out of order into few ranges and lists the gaps', () => {
    const r = new LeafRanges();
    for (const i of [0, 1, 3, 2, 7, 5, 4, 9]) r.add(i);
    expect(r.list()).toEqual([[0, 6], [7, 8], [9, 10]]);
    expect(r.count).toBe(8);
    expect([...r.gaps(12)]).toEqual([[6, 7], [8, 9], [10, 12]]);
    r.add(6);
    r.add(8);
    expect(r.list()).toEqual([[0, 10]]);
  });

  it('stays a single range over a million leaves done in order, and reads a journal defensively', () => {
    const r = new LeafRanges();
    for (let i = 0; i < 1_000_000; i++) r.add(i);
    expect(r.list()).toEqual([[0, 1_000_000]]);
    expect(LeafRanges.from([[5, 10], [0, 3], ['x', 4], [8, 20], [-4, 1], [9, 2]], 15).list()).toEqual([[0, 3], [5, 15]]);
    expect(LeafRanges.from('nonsense', 10).count).toBe(0);
  });

  it('gaps are a snapshot: adding while iterating does not disturb them', () => {
    const r = new LeafRanges();
    r.addRange(2, 4);
    const seen: number[][] = [];
    for (const g of r.gaps(6)) {
      seen.push(g);
      r.add(g[0]);
    }
    expect(seen).toEqual([[0, 2], [4, 6]]);
  });
});

describe('ProgressTracker with many segments', () => {
  it('folds 10⁸ segments into MAX_STATE_CHARS characters: verified, sending and failed runs', () => {
    const seen: TransferProgress[] = [];
    let t = 0;
    const p = new ProgressTracker(1e8, (x) => seen.push(x), () => (t += 1000));
    p.setSegments(1e8, 1);
    p.setVerifiedRange(0, 30_000); // three whole buckets of 10,000
    p.setState(30_000, 's');
    p.setState(55_000, 's');
    p.setState(55_000, 'f');
    p.emit(true);
    const s = seen[seen.length - 1]!.segments;
    expect(s).toHaveLength(MAX_STATE_CHARS);
    expect(s.slice(0, 6)).toBe('vvvspf'); // 55,000 falls in the sixth run of 10,000
    p.setState(30_000, 'v');
    p.setState(55_000, 's');
    p.setState(55_000, 'v');
    p.emit(true);
    expect(seen[seen.length - 1]!.segments.slice(0, 6)).toBe('vvvppp');
    expect(seen[seen.length - 1]).toMatchObject({ segmentCount: 1e8, segmentsVerified: 30_002 });
  });

  it('keeps one character per segment up to the limit', () => {
    const p = new ProgressTracker(10);
    p.setSegments(10, 1);
    p.setVerifiedRange(2, 5);
    p.setState(7, 'f');
    expect(p.snapshot()).toMatchObject({ segments: 'ppvvvppfpp', segmentCount: 10, segmentsVerified: 3 });
  });
});

describe('runPool over a generator', () => {
  it('pulls items lazily, never more than the workers have taken', async () => {
    let pulled = 0;
    let done = 0;
    function* items(): Generator<number> {
      for (let i = 0; i < 1e9; i++) {
        pulled++;
        yield i;
      }
    }
    const ctl = new AbortController();
    await expect(runPool(items(), 4, async () => {
      await new Promise((r) => setTimeout(r, 1));
      if (++done === 50) ctl.abort();
    }, ctl.signal)).rejects.toMatchObject({ kind: 'cancelled' });
    expect(pulled).toBeLessThanOrEqual(54);
  });

  it('a generator that throws fails the pool with its error', async () => {
    function* bad(): Generator<number> {
      yield 1;
      throw new Error('broken manifest');
    }
    await expect(runPool(bad(), 2, async () => undefined)).rejects.toThrow('broken manifest');
  });
});

describe('ManifestGraph.deletionOrder', () => {
  it('lists each distinct object once, segments first, sub-manifests children first', async () => {
    const e = (name: string, bytes: number, sub = false): StoredEntry => ({ name: `/${name}`, bytes, hash: md5Hex(name), ...(sub ? { sub_slo: true } : {}) });
    const manifests: Record<string, StoredEntry[]> = {
      's/l3': Array.from({ length: 1000 }, () => e('s/one', 1)),
      's/l2': [...Array.from({ length: 1000 }, () => e('s/l3', 1000, true)), e('s/two', 5)],
    };
    const g = await ManifestGraph.load('c/top', [...Array.from({ length: 1000 }, () => e('s/l2', 1_000_005, true)), e('s/l3', 1000, true)], { fetch: async (p) => manifests[p]! });
    expect(g.summary.leaves).toBe(1000 * (1000 * 1000 + 1) + 1000);
    expect(g.deletionOrder()).toEqual({ segments: ['s/one', 's/two'], subManifests: ['s/l3', 's/l2'], unreadable: [] });
  });
});
