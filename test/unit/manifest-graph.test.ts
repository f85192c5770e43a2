// The manifest graph measures SLOs without expanding them: checked against a naive expansion (the old algorithm,
// built from clipLeaves) on nested, ranged manifests, and on a 10⁹-leaf graph that only a measured walk can answer.
import { describe, expect, it } from 'vitest';
import type { FlatSegment } from '../../app/rpc/contract.ts';
import { md5Hex } from '../../app/slo/etag.ts';
import { ManifestGraph } from '../../app/slo/manifest-graph.ts';
import { resolveRange, type StoredEntry } from '../../app/slo/manifest.ts';
import { clipLeaves } from '../../app/slo/resolve.ts';

const seg = (name: string, bytes: number, extra: Partial<StoredEntry> = {}): StoredEntry => ({ name: `/${name}`, bytes, hash: md5Hex(name), ...extra });
const sub = (name: string, bytes: number, extra: Partial<StoredEntry> = {}) => seg(name, bytes, { sub_slo: true, ...extra });

/** Expands every reference again, as resolve.ts did before the graph: exponential, but obviously right. */
function naive(entries: readonly StoredEntry[], manifests: Record<string, StoredEntry[]>): FlatSegment[] {
  const out: FlatSegment[] = [];
  let offset = 0;
  for (const e of entries) {
    const path = (e.name ?? '').replace(/^\//, '');
    let leaves: FlatSegment[];
    if (e.sub_slo) {
      const inner = naive(manifests[path]!, manifests);
      const size = inner.reduce((n, l) => n + l.size, 0);
      const run = e.range ? resolveRange(e.range, e.bytes!)! : { start: 0, end: size - 1 };
      leaves = clipLeaves(inner, run.start, run.end).map((l) => ({ ...l, via: [path, ...l.via] }));
    } else {
      const run = e.range ? resolveRange(e.range, e.bytes!)! : { start: 0, end: e.bytes! - 1 };
      const whole = run.start === 0 && run.end === e.bytes! - 1;
      leaves = [{ index: 0, path, offset: 0, size: run.end - run.start + 1, segmentSize: e.bytes!, etag: e.hash ?? null, via: [], ...(whole ? {} : { range: `${run.start}-${run.end}` }) }];
    }
    for (const l of leaves) out.push({ ...l, offset: offset + l.offset });
    offset += leaves.reduce((n, l) => n + l.size, 0);
  }
  return out.map((l, index) => ({ ...l, index }));
}

const fetchFrom = (manifests: Record<string, StoredEntry[]>, calls: string[] = []) => async (p: string) => {
  calls.push(p);
  return manifests[p]!;
};

describe('ManifestGraph', () => {
  // Ranges cut through sub-manifests at several levels, and the same sub-manifest is used whole and in part.
  const manifests: Record<string, StoredEntry[]> = {
    's/leaf': [seg('s/a', 7), seg('s/b', 5, { range: '1-3' }), seg('s/c', 9)],
    's/mid': [sub('s/leaf', 19), seg('s/d', 4), sub('s/leaf', 19, { range: '5-15' }), sub('s/leaf', 19, { range: '-2' })],
    's/top2': [sub('s/mid', 36, { range: '3-30' }), sub('s/mid', 36), seg('s/e', 3, { range: '2-2' })],
  };
  const top = [seg('s/z', 2), sub('s/top2', 65, { range: '10-60' }), sub('s/mid', 36), sub('s/top2', 65)];

  it('lists the same leaves as a full expansion, and counts them without listing', async () => {
    const calls: string[] = [];
    const g = await ManifestGraph.load('c/o', top, { fetch: fetchFrom(manifests, calls) });
    const want = naive(top, manifests);
    expect([...g.leaves()]).toEqual(want);
    expect(g.summary).toMatchObject({ leaves: want.length, size: want.reduce((n, l) => n + l.size, 0), depth: 4 });
    expect(calls.sort()).toEqual(['s/leaf', 's/mid', 's/top2']);
  });

  it('starts the leaf stream at any index without walking the leaves before it', async () => {
    const g = await ManifestGraph.load('c/o', top, { fetch: fetchFrom(manifests) });
    const want = naive(top, manifests);
    for (let k = 0; k <= want.length; k++) expect([...g.leaves(k)]).toEqual(want.slice(k));
  });

  it('measures three levels of 1,000 references (10⁹ leaves) from three reads', async () => {
    const huge: Record<string, StoredEntry[]> = {
      's/l2': Array.from({ length: 1000 }, () => sub('s/l3', 1000)),
      's/l3': Array.from({ length: 1000 }, () => seg('s/one', 1)),
    };
    const calls: string[] = [];
    const t0 = Date.now();
    const g = await ManifestGraph.load('c/o', Array.from({ length: 1000 }, () => sub('s/l2', 1_000_000)), { fetch: fetchFrom(huge, calls) });
    expect(g.summary).toEqual({ size: 1e9, leaves: 1e9, nodes: 1000 + 1000 * 1000 + 1e9, depth: 3 });
    expect(calls.sort()).toEqual(['s/l2', 's/l3']);
    const at = g.leaves(731_000_000).next().value!;
    expect(at).toMatchObject({ index: 731_000_000, offset: 731_000_000, path: 's/one', size: 1, via: ['s/l2', 's/l3'] });
    expect(g.tree(false)[0]).toMatchObject({ kind: 'sub-slo', leaves: 1_000_000, depth: 2, size: 1_000_000 });
    expect(g.tree(false)[0]!.children).toBeUndefined();
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('refuses a cycle reached from two branches at once, and nesting past the limit', async () => {
    const cyc: Record<string, StoredEntry[]> = { 's/x': [sub('s/y', 1)], 's/y': [sub('s/x', 1)] };
    await expect(ManifestGraph.load('c/o', [sub('s/x', 1), sub('s/y', 1)], { fetch: fetchFrom(cyc) })).rejects.toThrow(/cycle/);
    const chain = (n: number): Record<string, StoredEntry[]> =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`s/m${i}`, i === n - 1 ? [seg('s/one', 1)] : [sub(`s/m${i + 1}`, 1)]]));
    // The top manifest plus 9 below it is Swift's limit of 10; one more is refused.
    const ok = await ManifestGraph.load('c/o', [sub('s/m0', 1)], { fetch: fetchFrom(chain(9)) });
    expect(ok.summary.depth).toBe(10);
    await expect(ManifestGraph.load('c/o', [sub('s/m0', 1)], { fetch: fetchFrom(chain(10)) })).rejects.toMatchObject({ kind: 'limit', message: expect.stringMatching(/more than 10/) });
  });
});
