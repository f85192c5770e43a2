// The app process SIGKILLed in the middle of an upload: `node bin/slo.mjs upload … --json` runs as a child (through
// the fault proxy, which slows segment bodies so the upload lasts a few seconds and counts every byte), is killed at
// ~50% from its own progress lines, and the same command run again resumes from its journal: bytes lost to the kill
// (sent by the first run but not reused by the second) are at most the segments that were in flight.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwiftClient } from '../../app/swift/client.ts';
import { headObject } from '../../app/swift/objects.ts';
import { downloadObject } from '../../app/transfer/download.ts';
import { MiB, patternBytes } from '../helpers/files.ts';
import { listNames, makeContainer, removeContainers, sandboxClient, sandboxCreds } from '../helpers/swift.ts';
import type { FaultProxy } from './fault-proxy.ts';
import { proxyFor } from './helpers.ts';

const creds = sandboxCreds();
const REPO = resolve(import.meta.dirname, '../..');
const SEG = 1 * MiB;
const SIZE = 16 * MiB + 1000; // 17 segments
const CONCURRENCY = 2;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: Array<Record<string, unknown>>;
  stderr: string;
  killedAt?: number;
}

function runCli(args: string[], env: NodeJS.ProcessEnv, killAtBytes?: number): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(REPO, 'bin/slo.mjs'), ...args], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const run: Run = { code: null, signal: null, lines: [], stderr: '' };
    let buf = '';
    const guard = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.stdout.on('data', (b: Buffer) => {
      buf += b.toString();
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        try {
          const obj = JSON.parse(line) as Record<string, unknown>;
          run.lines.push(obj);
          if (killAtBytes !== undefined && run.killedAt === undefined && obj.type === 'progress' && Number(obj.bytesDone) >= killAtBytes) {
            run.killedAt = Number(obj.bytesDone);
            child.kill('SIGKILL');
          }
        } catch {
          run.lines.push({ type: 'text', line });
        }
      }
    });
    child.stderr.on('data', (b: Buffer) => (run.stderr += b.toString()));
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      run.code = code;
      run.signal = signal;
      done(run);
    });
  });
}

describe('app process SIGKILLed mid-upload, then run again', () => {
  let proxy: FaultProxy;
  let direct: SwiftClient;
  let container: string;
  let dir: string;

  beforeAll(async () => {
    proxy = await proxyFor(creds);
    direct = sandboxClient();
    container = await makeContainer(direct);
    dir = await mkdtemp(join(tmpdir(), 'slo-faults-kill-'));
  });

  afterAll(async () => {
    await proxy?.stop();
    await removeContainers(direct, container, `${container}_segments`);
    await direct?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('resumes from the journal; bytes lost to the kill ≤ the segments in flight', { timeout: 180_000 }, async () => {
    const data = patternBytes(SIZE, 51);
    const file = join(dir, 'big.bin');
    await writeFile(file, data);
    // The CLI keeps journals in <data dir>/journals: give the child its own data dir.
    const childData = join(dir, 'data');
    await mkdir(childData);
    const env: NodeJS.ProcessEnv = { ...process.env, SLO_STUDIO_DATA_DIR: childData };
    for (const k of Object.keys(env)) if (/^(OS_|ST_)/.test(k)) delete env[k];
    const args = ['upload', file, `${container}/big.bin`, '--json', '-S', String(SEG), '-c', String(CONCURRENCY), '-A', proxy.rewrite(creds.authUrl), '-U', creds.user, '-K', creds.key];

    // Run 1: segment bodies at 2 MiB/s, killed at ~50%.
    proxy.addRule({ match: { method: 'PUT', path: '_segments/' }, fault: { type: 'slow', bytesPerSec: 2 * MiB, direction: 'request' } });
    const t0 = Date.now();
    const first = await runCli(args, env, SIZE / 2);
    const killMs = Date.now() - t0;
    expect(first.signal).toBe('SIGKILL');
    expect(first.killedAt).toBeGreaterThanOrEqual(SIZE / 2);
    const run1Put = proxy.entries({ method: 'PUT', path: '_segments/' });
    const run1Bytes = run1Put.reduce((s, e) => s + e.bytesUp, 0);
    const storedByRun1 = run1Put.filter((e) => e.status === 201).length;
    // The cut PUTs finish (or fail) upstream on their own time — on a loaded machine later than any fixed pause:
    // count once the listing stopped changing.
    const storedSegments = await settledCount(() => listNames(direct, `${container}_segments`).then((l) => l.length));
    const journalDir = join(childData, 'journals');
    const journals = await readdir(journalDir);
    const journalFile = journals.find((f) => f.startsWith('upload-') && f.endsWith('.json'));
    expect(journalFile).toBeDefined();
    const journal = JSON.parse(await readFile(join(journalDir, journalFile!), 'utf8')) as { done: Record<string, unknown> };
    const journaled = Object.keys(journal.done).length;
    expect(await headObject(direct, container, 'big.bin').catch((e: { kind: string }) => e.kind)).toBe('not-found');

    // Run 2: the same command, no slowing.
    proxy.clearRules();
    proxy.resetStats();
    const t1 = Date.now();
    const second = await runCli(args, env);
    const resumeMs = Date.now() - t1;
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    const result = second.lines.find((l) => l.type === 'result') as { skippedSegments: number; resentBytes: number; segments: number; etag: string };
    expect(result.segments).toBe(Math.ceil(SIZE / SEG));
    const run2Bytes = proxy.entries({ method: 'PUT', path: '_segments/' }).reduce((s, e) => s + e.bytesUp, 0);
    const reused = result.skippedSegments * SEG;
    const lost = run1Bytes - reused;
    console.log(`[faults] app SIGKILL: ${JSON.stringify({ killedAtBytes: first.killedAt, msToKill: killMs, segmentPutsStoredRun1: storedByRun1, segmentsInContainerAfterKill: storedSegments, journaled, skippedOnResume: result.skippedSegments, run1SegmentBytes: run1Bytes, run2SegmentBytes: run2Bytes, bytesLostToKill: lost, resentReported: result.resentBytes, resumeMs, concurrency: CONCURRENCY, segmentSize: SEG, journalDirAfter: journals })}`);
    // Every segment Swift stored is kept — also those whose 201 the killed run never journaled (found by listing
    // the segment prefix and checking their MD5 locally).
    expect(result.skippedSegments).toBe(storedSegments);
    expect(result.skippedSegments).toBeGreaterThanOrEqual(journaled);
    expect(lost).toBeLessThanOrEqual(CONCURRENCY * SEG);
    expect(run2Bytes).toBe(SIZE - reused);

    // Byte-identical, no stray segments, journal gone, no temp files.
    const out = join(dir, 'big.out');
    const d = await downloadObject(direct, { container, object: 'big.bin' }, out);
    expect(d.verified).toBe(true);
    expect((await readFile(out)).equals(data)).toBe(true);
    const segs = await listNames(direct, `${container}_segments`);
    expect(segs.length).toBe(Math.ceil(SIZE / SEG));
    expect(await readdir(journalDir)).toEqual([]);
  });
});

/** `count()` once three reads 300 ms apart agreed (at most ~15 s). */
async function settledCount(count: () => Promise<number>): Promise<number> {
  let last = await count();
  for (let same = 0, i = 0; same < 2 && i < 50; i++) {
    await new Promise((r) => setTimeout(r, 300));
    const now = await count();
    same = now === last ? same + 1 : 0;
    last = now;
  }
  return last;
}
