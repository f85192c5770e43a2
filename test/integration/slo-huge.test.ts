// A real big upload and verified download on the sandbox with flat memory (#15), opt-in because it moves 20 GiB:
// SLO_TEST_HUGE=1 npx vitest run --project integration test/integration/slo-huge.test.ts
// (SLO_TEST_HUGE_SIZE=4GiB for a smaller run). The source is a sparse file (zeros, no disk); Swift stores the object
// once and the download lands beside it and is removed at once, so it needs twice the size in free disk. The `slo`
// CLI runs as a child whose VmRSS (with its children) is sampled every 50 ms: the peak must stay under 200 MB.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { open, rm, stat, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../bench/lib/proc.ts';
import { parseSize } from '../../bench/shaper.ts';
import { deleteObjectAndSegments } from '../../app/slo/delete.ts';
import { createContainer } from '../../app/swift/objects.ts';
import { removeContainers, sandboxClient, swiftEnv } from '../helpers/swift.ts';

const OPT_IN = process.env.SLO_TEST_HUGE === '1';
const SIZE = parseSize(process.env.SLO_TEST_HUGE_SIZE ?? '20GiB');
const client = sandboxClient();
const C = `t-huge-${Math.random().toString(36).slice(2, 8)}`;
const dir = mkdtempSync(join(process.env.SLO_TEST_HUGE_DIR ?? tmpdir(), 'slo-huge-'));

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  if (OPT_IN) {
    await deleteObjectAndSegments(client, C, 'huge').catch(() => undefined);
    await removeContainers(client, C, `${C}_segments`);
  }
  await client.close();
});

async function slo(args: string[]): Promise<{ peakRss: number; seconds: number; result: Record<string, unknown> }> {
  const r = await run(process.execPath, ['bin/slo.mjs', ...args, '--json'], { env: swiftEnv(), sampleMs: 50, timeoutMs: 3 * 3600_000 });
  if (r.code !== 0) throw new Error(`slo ${args[0]} exited ${r.code}: ${r.stderr.slice(-500)}`);
  const line = r.stdout.trim().split('\n').reverse().find((l) => l.includes('"type":"result"'));
  return { peakRss: r.peakRss, seconds: r.seconds, result: JSON.parse(line ?? '{}') as Record<string, unknown> };
}

describe.skipIf(!OPT_IN)(`a ${SIZE} byte upload and verified download with flat memory (opt-in: SLO_TEST_HUGE=1, size SLO_TEST_HUGE_SIZE, default 20GiB)`, () => {
  it('uploads as an SLO and downloads byte-counted and MD5-verified, each process under 200 MB of RSS', async () => {
    const fs = await statfs(dir);
    expect(fs.bavail * fs.bsize, `needs ${2 * SIZE} bytes free in ${dir}`).toBeGreaterThan(2 * SIZE);
    await createContainer(client, C);
    const src = join(dir, 'sparse.bin');
    const fh = await open(src, 'w');
    await fh.truncate(SIZE);
    await fh.close();

    const up = await slo(['upload', src, `${C}/huge`]);
    expect(up.result).toMatchObject({ size: SIZE });
    await rm(src);
    const dest = join(dir, 'down.bin');
    const down = await slo(['download', `${C}/huge`, dest]);
    expect(down.result).toMatchObject({ size: SIZE, verified: true });
    expect((await stat(dest)).size).toBe(SIZE);
    await rm(dest);
    process.stdout.write(`huge: ${SIZE} bytes; upload ${up.seconds.toFixed(1)} s, peak RSS ${(up.peakRss / 1e6).toFixed(0)} MB; download ${down.seconds.toFixed(1)} s, peak RSS ${(down.peakRss / 1e6).toFixed(0)} MB\n`);
    expect(up.peakRss).toBeGreaterThan(0);
    expect(up.peakRss).toBeLessThan(200e6);
    expect(down.peakRss).toBeLessThan(200e6);
    const { stdout } = await promisify(execFile)('node', ['bin/slo.mjs', 'verify', `${C}/huge`], { env: swiftEnv() });
    expect(stdout).toMatch(/present and match/);
  }, 3 * 3600_000);
});
