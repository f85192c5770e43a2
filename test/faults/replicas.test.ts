// A real three-replica Swift (three object, container and account servers; a private sandbox on free ports, started
// once for this file) whose servers are stopped in the middle of transfers:
//  0. nine storage servers on their own ports, rings of 3 replicas, `status` lists each;
//  1. one object server stopped mid-upload, another mid-download (`npm run sandbox -- node stop`): both finish with
//     the same MD5 and verify passes;
//  2. two object servers stopped: the upload fails with Swift's 503 and its transaction id in the sentence; after a
//     restart the same upload resumes and sends none of the segments it had stored (PUTs counted in the transcript);
//  3. container servers down while the manifest is written, so listings lag behind writes: the finished upload still
//     verifies complete and the orphan finder offers none of its segments;
//  4. a bulk delete while two object servers are down: the paths Swift's answer names as failed with a 503 are
//     deleted again one by one (with the client's retries) once the servers are back.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PORTS, type StorageKind } from '../../app/sandbox/config.ts';
import { startNode, startSandbox, stopNode, stopSandbox, type SandboxInfo } from '../../app/sandbox/manager.ts';
import { findOrphans } from '../../app/slo/orphans.ts';
import { verifyObject } from '../../app/slo/verify.ts';
import type { ByteSource } from '../../app/domain/transfer.ts';
import { SwiftClient } from '../../app/swift/client.ts';
import { SwiftError } from '../../app/swift/errors.ts';
import { createContainer, headObject, putObject } from '../../app/swift/objects.ts';
import { deletePaths } from '../../app/slo/delete.ts';
import { downloadObject } from '../../app/transfer/download.ts';
import { openFileSource } from '../../app/transfer/file-source.ts';
import { uploadObject } from '../../app/transfer/upload.ts';
import { REPO } from '../helpers/cli.ts';
import { KiB, MiB, md5File, randomFile } from '../helpers/files.ts';
import { listNames, uniqueName } from '../helpers/swift.ts';
import { slowSource } from './slow-source.ts';

const run = promisify(execFile);
/** What `npm run sandbox --` runs. */
const SANDBOX_CLI = [join(REPO, 'bin/run.mjs'), join(REPO, 'main/cli/sandbox.ts')];
const SEG = 128 * KiB;
const SIZE = 2 * MiB + 777; // 17 segments
const COUNT = Math.ceil(SIZE / SEG);
const RATE = 2 * MiB; // bytes/s read from the source: an upload lasts about a second

describe('three replicas, servers stopped mid-transfer (private sandbox)', () => {
  let dir = '';
  let sb: SandboxInfo;
  let client: SwiftClient;
  const figures: Record<string, unknown>[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slo-replicas-'));
    const t0 = Date.now();
    sb = await startSandbox({ dataDir: join(dir, 'sandbox'), freePorts: true, replicas: 3 });
    figures.push({ step: 'three-replica sandbox started', ms: Date.now() - t0 });
    client = new SwiftClient({ auth: { type: 'v1', authUrl: sb.authUrl, user: sb.user, key: sb.key } });
  }, 180_000);

  // Every test starts with all nine storage servers up: start relaunches only the ones that are down.
  afterEach(async () => {
    await startSandbox({ dataDir: sb.dataDir });
  }, 60_000);

  afterAll(async () => {
    console.log(`[faults] replicas:\n${figures.map((f) => '  ' + JSON.stringify(f)).join('\n')}`);
    await client?.close();
    if (sb) await stopSandbox({ dataDir: sb.dataDir });
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  const node = (action: 'stop' | 'start', kind: StorageKind, n: number) => (action === 'stop' ? stopNode : startNode)({ dataDir: sb.dataDir, kind, node: n });


  /** Object replicas (.data files) stored on a device so far. */
  async function replicasOn(device: string): Promise<number> {
    const files = await readdir(join(sb.dataDir, 'node', device, 'objects'), { recursive: true }).catch(() => []);
    return files.filter((f) => String(f).endsWith('.data')).length;
  }

  /** `inner`, but the first read at or past byte `from` runs `hook` first, and every such read waits for it. */
  function gated(inner: ByteSource, from: number, hook: () => Promise<void>): ByteSource {
    let gate: Promise<void> | undefined;
    return Object.assign(Object.create(inner) as ByteSource, {
      read(start: number, end: number, signal?: AbortSignal): AsyncIterable<Uint8Array> {
        if (start < from) return inner.read(start, end, signal);
        return (async function* () {
          await (gate ??= hook());
          yield* inner.read(start, end, signal);
        })();
      },
    });
  }

  /** Segment numbers of the segment PUTs a transcript saw (by status). */
  function segmentPuts(c: SwiftClient, since: number): { ok: Set<number>; all: number[] } {
    const puts = c.transcript.list(since).filter((e) => e.method === 'PUT' && /\/\d{8}$/.test(e.url));
    const index = (url: string) => Number(url.slice(-8));
    return { ok: new Set(puts.filter((e) => e.status === 201).map((e) => index(e.url))), all: puts.map((e) => index(e.url)) };
  }

  it('nine storage servers on their own ports, rings of 3 replicas in 3 zones, and status lists each', { timeout: 60_000 }, async () => {
    expect(sb.nodes).toHaveLength(9);
    const ports = sb.nodes!.map((n) => n.port);
    expect(new Set(ports).size).toBe(9);
    for (const p of ports) expect(Object.values(DEFAULT_PORTS)).not.toContain(p);
    const rings = await Promise.all(['account', 'container', 'object'].map((kind) => run('swift-ring-builder', [join(sb.dataDir, `${kind}.builder`)])));
    for (const { stdout } of rings) expect(stdout).toMatch(/3\.000000 replicas, 1 regions, 3 zones, 3 devices/);
    const { stdout } = await run(process.execPath, [...SANDBOX_CLI, 'status', '--dir', sb.dataDir], { cwd: REPO });
    for (const n of sb.nodes!) expect(stdout).toContain(`${n.kind} ${n.node}: running on port ${n.port}, device d${n.node}, pid ${n.pid}`);
  });

  it('one object server stopped mid-upload and another mid-download: same MD5, verify passes', { timeout: 120_000 }, async () => {
    const container = uniqueName('rep-one');
    const { path, md5 } = await randomFile(dir, 'one.bin', SIZE);
    const file = await openFileSource(path);
    const before = { d1: await replicasOn('d1'), d2: await replicasOn('d2') };
    let storedAtStop = -1;
    const mark = client.transcript.list().at(-1)?.id ?? 0;
    // Past segment 4 the upload waits until object server 2 is down (by the CLI, as a user would stop it). With two
    // workers, segment 4 is read only after segments 0-2 were stored.
    const source = gated(slowSource(file, RATE), 4 * SEG, async () => {
      storedAtStop = segmentPuts(client, mark).ok.size;
      await node('stop', 'object', 2);
    });
    try {
      const t0 = Date.now();
      const up = await uploadObject(client, source, { container, object: 'one.bin' }, {
        segmentSize: SEG, concurrency: 2, journalDir: join(dir, 'j-one'),
      });
      const uploadMs = Date.now() - t0;
      expect(up.segments).toBe(COUNT);
      expect(storedAtStop).toBeGreaterThanOrEqual(3);
      // The proxy hid the dead server: every segment PUT was answered 201 at the first try.
      const puts = segmentPuts(client, mark);
      expect(puts.all).toHaveLength(COUNT);
      expect(puts.ok.size).toBe(COUNT);
      // Node 2 really was down for the rest: it holds fewer replicas of this upload than node 1.
      const added = { d1: (await replicasOn('d1')) - before.d1, d2: (await replicasOn('d2')) - before.d2 };
      expect(added.d1).toBe(COUNT + 1); // the segments and the manifest
      expect(added.d2).toBeLessThan(added.d1);

      // Node 2 back (without the replicas it missed: no replicator runs); node 1 is stopped as soon as the first
      // segment's answer arrives — by the CLI, synchronously, so not another byte is read before it is down.
      await node('start', 'object', 2);
      const mark2 = client.transcript.list().at(-1)?.id ?? 0;
      const segmentGets = () => client.transcript.list(mark2).filter((e) => e.method === 'GET' && /\/\d{8}$/.test(e.url));
      let answeredAtStop = -1;
      const off = client.transcript.on((e) => {
        if (answeredAtStop >= 0 || e.method !== 'GET' || !/\/\d{8}$/.test(e.url) || e.status === null) return;
        answeredAtStop = segmentGets().length;
        execFileSync(process.execPath, [...SANDBOX_CLI, 'node', 'stop', 'object', '1', '--dir', sb.dataDir], { cwd: REPO });
      });
      const dest = join(dir, 'one.out');
      const t1 = Date.now();
      const down = await downloadObject(client, { container, object: 'one.bin' }, dest, { concurrency: 2 }).finally(off);
      expect(answeredAtStop).toBe(1);
      expect(segmentGets().length).toBeGreaterThanOrEqual(COUNT);
      expect(down.verified).toBe(true);
      expect(await md5File(dest)).toBe(md5);
      const check = await verifyObject(client, container, 'one.bin');
      expect(check.ok, check.summary).toBe(true);
      expect(check.checked).toBe(COUNT);
      figures.push({ test: 'one node down', uploadMs, segmentsStoredAtStop: storedAtStop, replicasAdded: added, downloadMs: Date.now() - t1, segmentGets: segmentGets().length, segmentGetsFailed: segmentGets().filter((e) => e.status === null || e.status >= 300).length });
    } finally {
      await file.close();
    }
  });

  it('two object servers stopped: a 503 with its transaction id, then the upload resumes without re-sending stored segments', { timeout: 120_000 }, async () => {
    const container = uniqueName('rep-two');
    const { path, md5 } = await randomFile(dir, 'two.bin', SIZE);
    const journalDir = join(dir, 'j-two');
    const file1 = await openFileSource(path);
    const mark = client.transcript.list().at(-1)?.id ?? 0;
    const source = gated(slowSource(file1, RATE), 6 * SEG, async () => {
      await node('stop', 'object', 2);
      await node('stop', 'object', 3);
    });
    const t0 = Date.now();
    const err = await uploadObject(client, source, { container, object: 'two.bin' }, { segmentSize: SEG, concurrency: 2, journalDir }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const failMs = Date.now() - t0;
    await file1.close();
    expect(err).toBeInstanceOf(SwiftError);
    const e = err as SwiftError;
    expect(e.status).toBe(503);
    expect(e.transId).toMatch(/^tx[0-9a-f]/);
    expect(e.message).toMatch(/could not reach enough storage servers .*\(503 Service Unavailable\)/);
    expect(e.message).toMatch(/\d+ of 17 segments are stored; running the same upload again sends only the rest\.$/);
    // What the CLI prints (`slo: ` + describe()) carries the transaction id for the operator.
    expect(e.describe()).toContain(`(transaction ${e.transId})`);
    const first = segmentPuts(client, mark);
    expect(first.ok.size).toBeGreaterThanOrEqual(5);
    expect(first.ok.size).toBeLessThan(COUNT);

    // `start` brings back exactly the two stopped servers; the rest keeps running.
    const t1 = Date.now();
    const again = await startSandbox({ dataDir: sb.dataDir });
    const restartMs = Date.now() - t1;
    expect(again.reused).toBe(true);
    expect(again.nodes?.every((n) => n.state === 'running')).toBe(true);

    const mark2 = client.transcript.list().at(-1)?.id ?? 0;
    const file2 = await openFileSource(path);
    try {
      const up = await uploadObject(client, file2, { container, object: 'two.bin' }, { segmentSize: SEG, concurrency: 2, journalDir });
      const second = segmentPuts(client, mark2);
      expect(up.skippedSegments).toBeGreaterThanOrEqual(first.ok.size);
      expect(second.all.filter((i) => first.ok.has(i))).toEqual([]);
      expect(second.all.length).toBe(COUNT - up.skippedSegments);
      const dest = join(dir, 'two.out');
      expect((await downloadObject(client, { container, object: 'two.bin' }, dest)).verified).toBe(true);
      expect(await md5File(dest)).toBe(md5);
      figures.push({ test: 'two nodes down', failMs, message: e.describe(), putsFirstRun: first.all.length, storedFirstRun: first.ok.size, restartMs, putsOnResume: second.all.length, skippedOnResume: up.skippedSegments });
    } finally {
      await file2.close();
    }
  });

  it('container listings lagging behind writes: the finished upload verifies complete and no live segment is an orphan', { timeout: 120_000 }, async () => {
    const container = uniqueName('rep-lag');
    const { path, md5 } = await randomFile(dir, 'lag.bin', SIZE);
    const file = await openFileSource(path);
    // The segments are listed on all three container replicas; containers 2 and 3 go down before the manifest is
    // written (the upload checks its source just before), so only container 1 lists the manifest.
    const source = Object.assign(Object.create(file) as ByteSource, {
      async checkUnchanged() {
        await node('stop', 'container', 2);
        await node('stop', 'container', 3);
        return file.checkUnchanged();
      },
    });
    try {
      const up = await uploadObject(client, source, { container, object: 'lag.bin' }, { segmentSize: SEG, concurrency: 2, journalDir: join(dir, 'j-lag') });
      expect(up.segments).toBe(COUNT);
      // Containers 2 and 3 come back without the manifest's row (no updater replays it here); container 1 goes down.
      await node('start', 'container', 2);
      await node('start', 'container', 3);
      await node('stop', 'container', 1);
      // The lag is real: the segments are listed, the finished object is not.
      expect(await listNames(client, container)).not.toContain('lag.bin');
      expect(await listNames(client, `${container}_segments`)).toHaveLength(COUNT);

      const check = await verifyObject(client, container, 'lag.bin');
      expect(check.ok, check.summary).toBe(true);
      expect(check.checked).toBe(COUNT);
      const report = await findOrphans(client, container, { minAgeMs: 0 });
      expect(report.scanned).toBe(COUNT);
      expect(report.orphans).toEqual([]);
      const dest = join(dir, 'lag.out');
      expect((await downloadObject(client, { container, object: 'lag.bin' }, dest)).verified).toBe(true);
      expect(await md5File(dest)).toBe(md5);
      figures.push({ test: 'listings lag', listed: false, orphansOffered: report.orphans.length, referenced: report.referenced });
    } finally {
      await file.close();
    }
  });
  it('a bulk delete whose paths fail while two object servers are down: each such path is deleted again on its own', { timeout: 120_000 }, async () => {
    const container = uniqueName('rep-bulk');
    await createContainer(client, container);
    const names = ['a.txt', 'b c.txt', 'ü/d.txt', 'e%20f.txt'];
    for (const n of names) await putObject(client, container, n, { body: `body of ${n}` });
    await node('stop', 'object', 2);
    await node('stop', 'object', 3);
    const mark = client.transcript.list().at(-1)?.id ?? 0;
    // The servers come back as soon as the bulk answer (with its per-path 503s) is in: by the CLI, synchronously.
    let restarted = false;
    const off = client.transcript.on((e) => {
      if (restarted || e.method !== 'POST' || !e.url.includes('bulk-delete') || e.status === null) return;
      restarted = true;
      for (const n of ['2', '3']) execFileSync(process.execPath, [...SANDBOX_CLI, 'node', 'start', 'object', n, '--dir', sb.dataDir], { cwd: REPO });
    });
    const r = await deletePaths(client, names.map((n) => `${container}/${n}`), { bulk: true }).finally(off);
    expect(restarted).toBe(true);
    const deletes = client.transcript.list(mark).filter((e) => e.method === 'DELETE');
    expect(deletes.length).toBeGreaterThan(0); // the bulk answer did name failed paths, and they went again
    expect(r.errors).toEqual([]);
    expect(r.deleted + r.notFound).toBe(names.length);
    for (const n of names) expect(await headObject(client, container, n).catch((e: SwiftError) => e.kind)).toBe('not-found');
    figures.push({ test: 'bulk delete, two nodes down', deleted: r.deleted, notFound: r.notFound, retriedOneByOne: deletes.length });
  });
});
