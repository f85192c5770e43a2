import { describe, expect, it } from 'vitest';
import { limiter, mapLimit } from '../../app/pool.ts';
import { decodeName } from '../../app/domain/names.ts';
import { clipLeaves, expandManifest, parseDloHeader } from '../../app/slo/resolve.ts';
import type { StoredEntry } from '../../app/slo/manifest.ts';
import { md5Hex } from '../../app/slo/etag.ts';
import type { FlatSegment } from '../../app/domain/manifest.ts';

const seg = (name: string, bytes: number, extra: Partial<StoredEntry> = {}): StoredEntry => ({ name: `/${name}`, bytes, hash: md5Hex(name), ...extra });
const noFetch = async (): Promise<StoredEntry[]> => {
  throw new Error('no sub-manifests here');
};

describe('expandManifest', () => {
  it('lays out plain segments back to back', async () => {
    const x = await expandManifest([seg('s/a', 10), seg('s/b', 10), seg('s/c', 5)], { fetch: noFetch, chain: ['c/o'] });
    expect(x.size).toBe(25);
    expect(x.depth).toBe(1);
    expect(x.leaves.map((l) => [l.path, l.offset, l.size, l.range])).toEqual([
      ['s/a', 0, 10, undefined],
      ['s/b', 10, 10, undefined],
      ['s/c', 20, 5, undefined],
    ]);
    expect(x.tree.map((n) => n.kind)).toEqual(['segment', 'segment', 'segment']);
  });

  it('honours ranges (normalised) and inline data', async () => {
    const data = Buffer.from('hello').toString('base64');
    const x = await expandManifest([seg('s/a', 100, { range: '-10' }), { data }, seg('s/b', 100, { range: '95-' }), seg('s/c', 100, { range: '0-99' })], { fetch: noFetch, chain: ['c/o'] });
    expect(x.size).toBe(10 + 5 + 5 + 100);
    expect(x.leaves.map((l) => [l.path, l.offset, l.size, l.range ?? null, l.data ?? false])).toEqual([
      ['s/a', 0, 10, '90-99', false],
      ['', 10, 5, null, true],
      ['s/b', 15, 5, '95-99', false],
      ['s/c', 20, 100, null, false],
    ]);
    expect(x.leaves[1]!.etag).toBe(md5Hex('hello'));
    expect(x.tree[0]!.range).toBe('-10');
  });

  it('rejects a range that does not fit the segment', async () => {
    await expect(expandManifest([seg('s/a', 10, { range: '20-30' })], { fetch: noFetch, chain: ['c/o'] })).rejects.toThrow(/does not fit/);
  });

  it('descends into sub-SLOs and clips them by the entry range', async () => {
    const subs: Record<string, StoredEntry[]> = {
      's/sub': [seg('s/x', 10), seg('s/y', 10), seg('s/z', 10)],
    };
    const fetch = async (p: string) => subs[p]!;
    const x = await expandManifest([seg('s/a', 4), seg('s/sub', 30, { sub_slo: true, range: '5-24' }), seg('s/sub', 30, { sub_slo: true })], { fetch, chain: ['c/o'] });
    expect(x.depth).toBe(2);
    expect(x.size).toBe(4 + 20 + 30);
    expect(x.leaves.map((l) => [l.path, l.offset, l.size, l.range ?? null, l.via])).toEqual([
      ['s/a', 0, 4, null, []],
      ['s/x', 4, 5, '5-9', ['s/sub']],
      ['s/y', 9, 10, null, ['s/sub']],
      ['s/z', 19, 5, '0-4', ['s/sub']],
      ['s/x', 24, 10, null, ['s/sub']],
      ['s/y', 34, 10, null, ['s/sub']],
      ['s/z', 44, 10, null, ['s/sub']],
    ]);
    expect(x.tree[1]).toMatchObject({ kind: 'sub-slo', size: 20, range: '5-24' });
    expect(x.tree[1]!.children).toHaveLength(3);
  });

  it('tolerant mode keeps the place of an unreadable sub-manifest and says why', async () => {
    const { SwiftError } = await import('../../app/swift/errors.ts');
    const fetch = async (p: string): Promise<StoredEntry[]> => {
      throw new SwiftError({ kind: 'not-found', message: `Object ${p} does not exist (404 Not Found).` });
    };
    const entries = [seg('s/sub', 8, { sub_slo: true }), seg('s/b', 4)];
    await expect(expandManifest(entries, { fetch, chain: ['c/o'] })).rejects.toThrow(/sub-manifest s\/sub used by c\/o cannot be read/);
    const problems: string[] = [];
    const x = await expandManifest(entries, { fetch, chain: ['c/o'], problems });
    expect(x.size).toBe(12);
    expect(x.leaves.map((l) => [l.path, l.offset])).toEqual([['s/b', 8]]);
    expect(problems).toHaveLength(1);
  });

  it('detects cycles and excessive depth', async () => {
    const cyc: Record<string, StoredEntry[]> = { 's/a': [seg('s/b', 1, { sub_slo: true })], 's/b': [seg('s/a', 1, { sub_slo: true })] };
    await expect(expandManifest(cyc['s/a']!, { fetch: async (p) => cyc[p]!, chain: ['s/a'] })).rejects.toThrow(/cycle/);
    const deep = async (p: string): Promise<StoredEntry[]> => [seg(`${p}x`, 1, { sub_slo: true })];
    await expect(expandManifest([seg('s/a', 1, { sub_slo: true })], { fetch: deep, chain: ['c/o'], maxDepth: 10 })).rejects.toThrow(/more than 10/);
  });
});

describe('clipLeaves', () => {
  const leaves: FlatSegment[] = [
    { index: 0, path: 's/a', offset: 0, size: 10, segmentSize: 20, etag: null, range: '10-19', via: [] },
    { index: 1, path: 's/b', offset: 10, size: 10, segmentSize: 10, etag: null, via: [] },
  ];
  it('keeps the exact edges', () => {
    expect(clipLeaves(leaves, 0, 19).map((l) => [l.offset, l.size, l.range])).toEqual([[0, 10, '10-19'], [10, 10, undefined]]);
    expect(clipLeaves(leaves, 9, 10).map((l) => [l.path, l.offset, l.size, l.range])).toEqual([['s/a', 0, 1, '19-19'], ['s/b', 1, 1, '0-0']]);
    expect(clipLeaves(leaves, 10, 19).map((l) => [l.path, l.offset, l.size, l.range])).toEqual([['s/b', 0, 10, undefined]]);
  });
});

describe('helpers', () => {
  it('parses X-Object-Manifest like Swift', () => {
    expect(parseDloHeader('segs/big%20file/')).toEqual({ container: 'segs', prefix: 'big file/' });
    expect(parseDloHeader('segs/100%')).toEqual({ container: 'segs', prefix: '100%' });
    expect(parseDloHeader('nope')).toBeNull();
    expect(decodeName('%E2%9C%93%zz')).toBe('✓%zz');
  });
  it('bounds parallelism', async () => {
    let active = 0;
    let peak = 0;
    const work = async (n: number) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 2));
      active--;
      return n * 2;
    };
    expect(await mapLimit([1, 2, 3, 4, 5, 6, 7], 3, work)).toEqual([2, 4, 6, 8, 10, 12, 14]);
    expect(peak).toBe(3);
    peak = 0;
    const gate = limiter(2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => gate(() => work(n))));
    expect(peak).toBe(2);
  });
});
