// The real thing: a private Swift sandbox (its own processes, ports and data dir) whose proxy-server is SIGKILLed in
// the middle of an upload and started again. The shared sandbox is never touched.
//  1. Proxy back within the client's retry budget → the same upload call finishes; at most the one segment that
//     was in flight (concurrency 1) is sent again.
//  2. Proxy down longer than the retries last → the upload fails with one clear network sentence, keeps its verified
//     segments and journal; run again after the restart it resumes and re-sends at most the segment in flight.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, stopSandbox, pidAlive, type SandboxInfo } from '../../app/sandbox/manager.ts';
import { SwiftClient } from '../../app/swift/client.ts';
import { SwiftError } from '../../app/swift/errors.ts';
import { headObject } from '../../app/swift/objects.ts';
import { downloadObject } from '../../app/transfer/download.ts';
import { openFileSource, type FileSource } from '../../app/transfer/file-source.ts';
import { uploadObject } from '../../app/transfer/upload.ts';
import { KiB, MiB, patternBytes } from '../helpers/files.ts';
import { listNames, uniqueName } from '../helpers/swift.ts';
import { withTimeout } from './helpers.ts';
import { slowSource } from './slow-source.ts';

const SEG = 512 * KiB;
const SIZE = 8 * MiB + 333; // 17 segments
const RATE = 2 * MiB; // bytes/s read from the source: the upload lasts ~4 s

describe('Swift proxy killed mid-upload and restarted (private sandbox)', () => {
  let dir = '';
  let sb: SandboxInfo;
  const spawned: ChildProcess[] = [];
  const figures: Record<string, unknown>[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slo-faults-restart-'));
    sb = await startSandbox({ dataDir: join(dir, 'sandbox'), freePorts: true });
  }, 120_000);

  afterAll(async () => {
    console.log(`[faults] proxy restart:\n${figures.map((f) => '  ' + JSON.stringify(f)).join('\n')}`);
    for (const c of spawned) if (c.pid && pidAlive(c.pid)) kill(c.pid, 'SIGKILL');
    if (sb) await stopSandbox({ dataDir: sb.dataDir });
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  function kill(pid: number, sig: NodeJS.Signals) {
    try {
      process.kill(-pid, sig); // the proxy leads its own process group (spawned detached), workers included
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* gone */
      }
    }
  }

  /** The pid of the proxy now serving: the one startSandbox recorded, or the last one we started. */
  function currentProxyPid(): number {
    const last = spawned[spawned.length - 1];
    if (last?.pid) return last.pid;
    const state = JSON.parse(readFileSync(join(sb.dataDir, 'state.json'), 'utf8')) as { pids: { proxy: number } };
    return state.pids.proxy;
  }

  async function killProxy(): Promise<void> {
    const pid = currentProxyPid();
    kill(pid, 'SIGKILL');
    for (let i = 0; i < 50 && pidAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  }

  /** Starts swift-proxy-server again with the sandbox's own config, as the manager does. */
  function restartProxy(): ChildProcess {
    const fd = openSync(join(sb.dataDir, 'log', 'proxy-restarted.log'), 'a');
    const env = { ...process.env };
    delete env.PYTHONPATH;
    delete env.PYTHONHOME;
    try {
      const child = spawn('swift-proxy-server', [join(sb.dataDir, 'proxy-server.conf'), '-v'], { cwd: sb.dataDir, detached: true, stdio: ['ignore', fd, fd], env });
      child.unref();
      spawned.push(child);
      return child;
    } finally {
      closeSync(fd);
    }
  }

  async function waitHealthy(ms: number): Promise<number> {
    const t0 = Date.now();
    while (Date.now() - t0 < ms) {
      try {
        const r = await fetch(`http://127.0.0.1:${sb.proxyPort}/healthcheck`, { signal: AbortSignal.timeout(1000) });
        await r.arrayBuffer();
        if (r.status === 200) return Date.now() - t0;
      } catch {
        /* not yet */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the restarted proxy did not answer /healthcheck within ${ms} ms`);
  }

  function client(retries: number): SwiftClient {
    return new SwiftClient({ auth: { type: 'v1', authUrl: sb.authUrl, user: sb.user, key: sb.key }, retries, backoffMs: 250, maxWaitMs: 2_000 });
  }

  async function verifyStored(c: SwiftClient, container: string, object: string, data: Buffer): Promise<void> {
    const dest = join(dir, `${object}.out`);
    const r = await downloadObject(c, { container, object }, dest);
    expect(r.verified).toBe(true);
    expect((await readFile(dest)).equals(data)).toBe(true);
    expect((await headObject(c, container, object)).kind).toBe('slo');
    // Exactly the manifest's segments remain: nothing half-written, nothing duplicated.
    expect((await listNames(c, `${container}_segments`)).length).toBe(Math.ceil(SIZE / SEG));
  }

  it('proxy back within the retry budget: the same upload finishes and re-sends at most the segment in flight', { timeout: 120_000 }, async () => {
    const c = client(10);
    const container = uniqueName('restart');
    const data = patternBytes(SIZE, 31);
    const path = join(dir, 'a.bin');
    await writeFile(path, data);
    const file: FileSource = await openFileSource(path);
    const src = slowSource(file, RATE);
    let killedAt = 0;
    let backAfter = 0;
    let healthyAfter = 0;
    let restarting: Promise<void> | undefined;
    const t0 = Date.now();
    try {
      const result = await withTimeout(
        uploadObject(c, src, { container, object: 'a.bin' }, {
          segmentSize: SEG,
          concurrency: 1,
          journalDir: join(dir, 'journals'),
          onProgress: (p) => {
            if (!restarting && p.bytesDone >= SIZE / 2) {
              restarting = (async () => {
                killedAt = p.bytesDone;
                const tk = Date.now();
                await killProxy();
                await new Promise((r) => setTimeout(r, 1_000)); // down for a second
                restartProxy();
                backAfter = Date.now() - tk;
                healthyAfter = backAfter + (await waitHealthy(30_000));
              })();
            }
          },
        }),
        100_000,
        'upload',
      );
      await restarting;
      expect(killedAt).toBeGreaterThan(0);
      expect(result.size).toBe(SIZE);
      const resent = src.bytesRead - SIZE;
      figures.push({ test: 'restart within retries', uploadMs: Date.now() - t0, killedAtBytes: killedAt, restartedAfterMs: backAfter, healthyAfterMs: healthyAfter, resentBytes: resent, resentReported: result.resentBytes, segmentSize: SEG });
      expect(resent).toBeLessThanOrEqual(SEG);
      expect(result.resentBytes).toBeLessThanOrEqual(SEG);
      await verifyStored(c, container, 'a.bin', data);
    } finally {
      await file.close();
      await c.close();
    }
  });

  it('proxy down longer than the retries: a clear failure, then a re-run resumes from the journal', { timeout: 120_000 }, async () => {
    const c = client(2);
    const container = uniqueName('restart');
    const data = patternBytes(SIZE, 32);
    const path = join(dir, 'b.bin');
    await writeFile(path, data);
    const journalDir = join(dir, 'journals');
    let killed: Promise<void> | undefined;
    let killedAt = 0;
    const file1 = await openFileSource(path);
    const src1 = slowSource(file1, RATE);
    const err = await uploadObject(c, src1, { container, object: 'b.bin' }, {
      segmentSize: SEG,
      concurrency: 1,
      journalDir,
      onProgress: (p) => {
        if (!killed && p.bytesDone >= SIZE / 2) {
          killedAt = p.bytesDone;
          killed = killProxy();
        }
      },
    }).catch((e: unknown) => e);
    await file1.close();
    await killed;
    expect(err).toBeInstanceOf(SwiftError);
    expect((err as SwiftError).kind).toBe('network');
    expect((err as SwiftError).message).toMatch(/connection refused|connection was reset/);
    expect((err as SwiftError).message).not.toMatch(/\n|at .*\.ts:/);

    restartProxy();
    const healthyAfter = await waitHealthy(30_000);
    // Verified segments from the first run are still there, the manifest is not.
    const stored = (await listNames(c, `${container}_segments`)).length;
    expect(stored).toBeGreaterThan(0);
    expect(await headObject(c, container, 'b.bin').catch((e: SwiftError) => e.kind)).toBe('not-found');

    const file2 = await openFileSource(path);
    const src2 = slowSource(file2, 0);
    try {
      const result = await uploadObject(c, src2, { container, object: 'b.bin' }, { segmentSize: SEG, concurrency: 1, journalDir });
      const firstRunVerified = result.skippedSegments * SEG;
      // Bytes the first run read that the resumed upload did not reuse: at most the one segment in flight.
      const lost = src1.bytesRead - firstRunVerified;
      figures.push({ test: 'restart after retries ran out', message: (err as SwiftError).message, killedAtBytes: killedAt, healthyAfterMs: healthyAfter, segmentsStoredBeforeResume: stored, skippedOnResume: result.skippedSegments, secondRunBytes: src2.bytesRead, bytesResent: lost });
      expect(result.skippedSegments).toBeGreaterThanOrEqual(Math.floor(killedAt / SEG) - 1);
      expect(lost).toBeLessThanOrEqual(SEG);
      expect(src2.bytesRead).toBe(SIZE - firstRunVerified);
      await verifyStored(c, container, 'b.bin', data);
    } finally {
      await file2.close();
      await c.close();
    }
  });
});
