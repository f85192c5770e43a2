// A hostile but legal SLO against the real Swift: three levels of 1,000 references to one 1-byte segment assemble
// 10⁹ leaves (10⁹ bytes) from three manifest PUTs. Inspect must answer from the measured graph, the doctor and verify
// must finish (they work per distinct object), a download streams leaves with a journal of index ranges (and refuses
// past its configurable ceiling with a 'limit' sentence before starting), and delete removes each distinct object once
// — all in bounded time and heap. A smaller exponential SLO (6 × 6 × 6) downloads completely and byte-exact.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteObjectAndSegments } from '../../app/slo/delete.ts';
import { diagnose } from '../../app/slo/doctor.ts';
import { md5Hex } from '../../app/slo/etag.ts';
import { inspectObject } from '../../app/slo/inspect.ts';
import { GraphCache, leafPage } from '../../app/slo/leaf-page.ts';
import { verifyObject } from '../../app/slo/verify.ts';
import { createContainer, headObject, putObject } from '../../app/swift/objects.ts';
import { downloadObject, partialPathFor, streamObjectVerified } from '../../app/transfer/download.ts';
import { openFileSource } from '../../app/transfer/file-source.ts';
import { PAUSE, uploadObject } from '../../app/transfer/upload.ts';
import { removeContainers, sandboxClient, swiftEnv } from '../helpers/swift.ts';

const client = sandboxClient();
const rnd = Math.random().toString(36).slice(2, 8);
const C = `t-slo-exp-${rnd}`;
const S = `${C}_segments`;
const N = 1000;
/** A smaller exponential SLO that can be downloaded whole: M × M × M references to one 1 KiB segment. */
const M = 6;
const KIB = Buffer.from(Array.from({ length: 1024 }, (_, i) => (i * 7) % 251));

async function putSlo(container: string, name: string, entries: unknown[]): Promise<void> {
  await client.request({ method: 'PUT', container, object: name, query: { 'multipart-manifest': 'put' }, body: JSON.stringify(entries) });
}

/** Runs `fn`, returning its result (or error), the time it took and how much the heap grew meanwhile. */
async function measured<T>(fn: () => Promise<T>): Promise<{ value?: T; error?: unknown; ms: number; heapMB: number }> {
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = Date.now();
  try {
    const value = await fn();
    return { value, ms: Date.now() - t0, heapMB: (process.memoryUsage().heapUsed - heap0) / 2 ** 20 };
  } catch (error) {
    return { error, ms: Date.now() - t0, heapMB: (process.memoryUsage().heapUsed - heap0) / 2 ** 20 };
  }
}

beforeAll(async () => {
  await createContainer(client, C);
  await createContainer(client, S);
  await putObject(client, S, 'one', { body: 'x', etag: md5Hex('x') });
  await putSlo(S, 'l3', Array.from({ length: N }, () => ({ path: `/${S}/one` })));
  await putSlo(S, 'l2', Array.from({ length: N }, () => ({ path: `/${S}/l3` })));
  await putSlo(C, 'huge', Array.from({ length: N }, () => ({ path: `/${S}/l2` })));
  await putObject(client, S, 'k', { body: KIB, etag: md5Hex(KIB) });
  await putSlo(S, 'm3', Array.from({ length: M }, () => ({ path: `/${S}/k` })));
  await putSlo(S, 'm2', Array.from({ length: M }, () => ({ path: `/${S}/m3` })));
  await putSlo(C, 'mid', Array.from({ length: M }, () => ({ path: `/${S}/m2` })));
}, 300_000);

afterAll(async () => {
  await removeContainers(client, C, S);
  await client.close();
});

describe('an SLO of 10⁹ leaves', () => {
  it('Swift accepted it: 10⁹ bytes', async () => {
    expect((await headObject(client, C, 'huge')).size).toBe(1e9);
  });

  it('inspect answers with size, leaf count and depth, top-level entries only, fast and in little heap', async () => {
    const m = await measured(() => inspectObject(client, C, 'huge'));
    expect(m.error).toBeUndefined();
    const r = m.value!;
    expect(r).toMatchObject({ kind: 'slo', size: 1e9, segmentCount: 1e9, depth: 3, listLimit: 100_000, etagMatches: true });
    expect(r.segments).toEqual([]);
    expect(r.tree).toHaveLength(N);
    expect(r.tree[0]).toMatchObject({ kind: 'sub-slo', path: `${S}/l2`, size: 1e6, leaves: 1e6, depth: 2 });
    expect(r.tree[0]!.children).toBeUndefined();
    expect(r.notes.join(' ')).toMatch(/1,000,000,000 segment pieces, too many to list/);
    // The delete plan counts distinct objects from the graph, though the tree holds only the top level.
    expect(r.deletePlan).toEqual({ containers: [{ container: C, objects: 1 }, { container: S, objects: 3 }], beyondOwn: [] });
    expect(m.ms).toBeLessThan(5000);
    expect(m.heapMB).toBeLessThan(100);
  });

  it('download refuses past its ceiling before starting, with the count and the limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slo-exp-'));
    const m = await measured(() => downloadObject(client, { container: C, object: 'huge' }, join(dir, 'huge.bin')));
    expect(m.error).toMatchObject({ kind: 'limit', message: expect.stringMatching(/1,000,000,000 segment pieces .* more than the limit of 100,000,000 for a download; it was not attempted/) });
    const low = await measured(() => downloadObject(client, { container: C, object: 'mid' }, join(dir, 'mid.bin'), { maxLeaves: 215 }));
    expect(low.error).toMatchObject({ kind: 'limit', message: expect.stringMatching(/216 segment pieces .* limit of 215 for a download/) });
    const cli = await promisify(execFile)('node', ['bin/slo.mjs', 'download', `${C}/mid`, join(dir, 'mid.bin'), '--max-leaves', '10'], { env: swiftEnv() }).catch((e: { code: number; stderr: string }) => e);
    expect(cli).toMatchObject({ code: 1, stderr: expect.stringMatching(/216 segment pieces .* more than the limit of 10 for a download; it was not attempted/) });
    expect(readdirSync(dir)).toEqual([]);
    expect(m.ms).toBeLessThan(5000);
    expect(m.heapMB).toBeLessThan(100);
  });

  it('past the ceiling on request, a download streams its 10⁹ leaves: flat heap, a journal of ranges, and it resumes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slo-exp-'));
    const dest = join(dir, 'huge.bin');
    // Pauses once `bytes` leaves (1 byte each) have arrived: progress, not a timer, so a loaded machine cannot make it flaky.
    const run = async (bytes: number) => {
      const ctl = new AbortController();
      const onProgress = (p: { bytesDone: number }) => p.bytesDone >= bytes && ctl.abort(PAUSE);
      return measured(() => downloadObject(client, { container: C, object: 'huge' }, dest, { maxLeaves: Infinity, signal: ctl.signal, concurrency: 8, onProgress }));
    };
    const first = await run(200);
    expect(first.error).toMatchObject({ kind: 'cancelled', message: expect.stringMatching(/paused/) });
    expect(first.heapMB).toBeLessThan(60);
    expect(statSync(partialPathFor(dest)).size).toBe(1e9); // sparse: only the leaves fetched take space
    const journal = readFileSync(partialPathFor(dest) + '.json', 'utf8');
    expect(journal.length).toBeLessThan(2000);
    const done = JSON.parse(journal) as { version: number; done: [number, number][] };
    expect(done.version).toBe(2);
    const got = done.done.reduce((n, [a, b]) => n + b - a, 0);
    expect(done.done[0]![0]).toBe(0);
    expect(got).toBeGreaterThanOrEqual(150);
    const again = await run(got + 200);
    expect(again.error).toMatchObject({ kind: 'cancelled' });
    const more = (JSON.parse(readFileSync(partialPathFor(dest) + '.json', 'utf8')) as typeof done).done;
    expect(more.reduce((n, [a, b]) => n + b - a, 0)).toBeGreaterThan(got + 100);
    expect(more[0]![0]).toBe(0);
    expect(again.heapMB).toBeLessThan(60);
  }, 60_000);

  it('an exponential SLO of 216 leaves (6 × 6 × 6) downloads to a file and streams, byte-exact and verified', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slo-exp-'));
    const want = createHash('md5').update(Buffer.concat(Array.from({ length: M ** 3 }, () => KIB))).digest('hex');
    const m = await measured(() => downloadObject(client, { container: C, object: 'mid' }, join(dir, 'mid.bin'), { concurrency: 8 }));
    expect(m.error).toBeUndefined();
    expect(m.value).toMatchObject({ size: 1024 * M ** 3, verified: true, message: expect.stringMatching(/All 216 segments matched/) });
    expect(createHash('md5').update(readFileSync(join(dir, 'mid.bin'))).digest('hex')).toBe(want);
    expect(readdirSync(dir)).toEqual(['mid.bin']);
    const sink = new PassThrough();
    const hash = createHash('md5');
    sink.on('data', (c: Buffer) => hash.update(c));
    const s = await streamObjectVerified(client, { container: C, object: 'mid' }, sink, { concurrency: 4 });
    expect(s.verified).toBe(true);
    expect(hash.digest('hex')).toBe(want);
    expect(m.ms).toBeLessThan(30_000);
  }, 60_000);

  it('verify checks each distinct object once and finishes; past its ceiling it stops with a sentence', async () => {
    const m = await measured(() => verifyObject(client, C, 'huge'));
    expect(m.error).toBeUndefined();
    expect(m.value).toMatchObject({ ok: true, checked: 3, problems: 0 });
    expect(m.ms).toBeLessThan(5000);
    expect(m.heapMB).toBeLessThan(100);
    await expect(verifyObject(client, C, 'huge', { maxChecks: 2 })).rejects.toMatchObject({ kind: 'limit', message: expect.stringMatching(/more than 2 distinct segments and sub-manifests, the limit for verifying it/) });
  });

  it('the doctor reads the top-level manifest and finishes', async () => {
    const m = await measured(() => diagnose(client, C, 'huge'));
    expect(m.error).toBeUndefined();
    expect(m.value!.kind).toBe('slo');
    expect(m.ms).toBeLessThan(5000);
    expect(m.heapMB).toBeLessThan(100);
  });

  it('the CLI prints the counts and the top-level entries, not 10⁹ rows', async () => {
    const { stdout } = await promisify(execFile)('node', ['bin/slo.mjs', 'inspect', `${C}/huge`], { env: swiftEnv(), maxBuffer: 8 * 1024 * 1024 });
    expect(stdout).toMatch(/1,000,000,000 segments — too many to list; showing the 1000 top-level entries/);
    expect(stdout.split('\n').length).toBeLessThan(N + 50);
  });

  it('any leaf is reachable by index: a page from leaf 731,000,000, in the API and the CLI', async () => {
    const m = await measured(() => inspectObject(client, C, 'huge', { page: { from: 731_000_000, count: 3 } }));
    expect(m.value!.segments.map((s) => [s.index, s.offset, s.path, s.size, s.via])).toEqual(
      [0, 1, 2].map((i) => [731_000_000 + i, 731_000_000 + i, `${S}/one`, 1, [`${S}/l2`, `${S}/l3`]]),
    );
    expect(m.ms).toBeLessThan(5000);
    const { stdout } = await promisify(execFile)('node', ['bin/slo.mjs', 'inspect', `${C}/huge`, '--from', '999999998', '--segments', '5'], { env: swiftEnv() });
    expect(stdout).toMatch(/^\s*999999998\s+999999998\s+1\s/m);
    expect(stdout).toMatch(/^\s*999999999\s+999999999\s+1\s/m);
    expect(stdout).not.toMatch(/top-level entries/);
  });

  it('delete with segments refuses past its object ceiling before deleting anything, with the counts', async () => {
    const m = await measured(() => deleteObjectAndSegments(client, C, 'huge', { maxObjects: 2 }));
    expect(m.error).toMatchObject({ kind: 'limit', message: expect.stringMatching(/1,000,000,000 segment pieces of 3 distinct objects, more than the limit of 2 objects .* not attempted.*manifest alone/) });
    expect(m.ms).toBeLessThan(5000);
    for (const [c, o] of [[C, 'huge'], [S, 'l2'], [S, 'l3'], [S, 'one']] as const) expect((await headObject(client, c, o)).size).toBeGreaterThan(0);
  });

  it('slo.leaves pages: leaf 500,000,000 reached by counts, the graph kept for the next page, at most 1,000 a page', async () => {
    const cache = new GraphCache();
    const m = await measured(() => leafPage(client, C, 'huge', 500_000_000, 3, cache));
    expect(m.value).toEqual({ total: 1e9, from: 500_000_000, leaves: [0, 1, 2].map((i) => expect.objectContaining({ index: 500_000_000 + i, offset: 500_000_000 + i, path: `${S}/one`, via: [`${S}/l2`, `${S}/l3`] })) });
    expect(m.ms).toBeLessThan(5000);
    const reads: string[] = [];
    const spy = (await import('node:diagnostics_channel')).channel('undici:request:create');
    const onReq = (msg: unknown) => reads.push(String((msg as { request: { path: string } }).request.path));
    spy.subscribe(onReq);
    try {
      const last = await leafPage(client, C, 'huge', 999_999_999, 5000, cache);
      expect(last.leaves.map((l) => l.index)).toEqual([999_999_999]);
      const big = await leafPage(client, C, 'huge', 0, 5000, cache);
      expect(big.leaves).toHaveLength(1000);
    } finally {
      spy.unsubscribe(onReq);
    }
    // Cached: each page cost one HEAD, no manifest read.
    expect(reads.filter((p) => p.includes('multipart-manifest'))).toEqual([]);
    expect(reads).toHaveLength(2);
    expect(await leafPage(client, S, 'one', 0, 10)).toEqual({ total: 0, from: 0, leaves: [] });
  });

  it('deleting the manifest alone still works', async () => {
    const r = await deleteObjectAndSegments(client, C, 'huge', { leaveSegments: true });
    expect(r.deleted).toBe(1);
    await expect(headObject(client, C, 'huge')).rejects.toMatchObject({ kind: 'not-found' });
    expect((await headObject(client, S, 'one')).size).toBe(1);
  });

  it('delete with segments removes each distinct object once (bulk batches from the graph), fast and in little heap', async () => {
    await putSlo(C, 'huge2', Array.from({ length: N }, () => ({ path: `/${S}/l2` })));
    const m = await measured(() => deleteObjectAndSegments(client, C, 'huge2'));
    expect(m.error).toBeUndefined();
    expect(m.value).toMatchObject({ kind: 'slo', deleted: 4, errors: [], summary: expect.stringMatching(/Deleted .*huge2 and the 3 distinct objects its 1,000,000,000 segment pieces come from/) });
    expect(m.ms).toBeLessThan(5000);
    expect(m.heapMB).toBeLessThan(100);
    for (const o of ['l2', 'l3', 'one']) await expect(headObject(client, S, o)).rejects.toMatchObject({ kind: 'not-found' });
    await expect(headObject(client, C, 'huge2')).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('an upload over a 10⁹-leaf SLO deletes the 3 distinct objects it was made of, without listing its leaves', async () => {
    await putObject(client, S, 'one', { body: 'x', etag: md5Hex('x') });
    await putSlo(S, 'l3', Array.from({ length: N }, () => ({ path: `/${S}/one` })));
    await putSlo(S, 'l2', Array.from({ length: N }, () => ({ path: `/${S}/l3` })));
    await putSlo(C, 'huge3', Array.from({ length: N }, () => ({ path: `/${S}/l2` })));
    const file = join(mkdtempSync(join(tmpdir(), 'slo-exp-')), 'small.txt');
    writeFileSync(file, 'replacement');
    const src = await openFileSource(file);
    const m = await measured(() => uploadObject(client, src, { container: C, object: 'huge3' }, { journalDir: mkdtempSync(join(tmpdir(), 'slo-exp-j-')) }));
    await src.close();
    expect(m.error).toBeUndefined();
    expect(m.value!.oldSegmentsDeleted).toBe(3);
    expect(m.ms).toBeLessThan(10_000);
    expect(m.heapMB).toBeLessThan(100);
    for (const o of ['l2', 'l3', 'one']) await expect(headObject(client, S, o)).rejects.toMatchObject({ kind: 'not-found' });
    expect((await headObject(client, C, 'huge3')).size).toBe('replacement'.length);
  });
});
