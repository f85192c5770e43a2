// Adaptive concurrency against the real Swift through the bench's WAN shaper (bench/shaper.ts), whose cap is per
// connection: one more segment in flight is one more connection's worth of throughput, so the pool must grow
// above the requested start — and never beyond the maximum. Segments in flight are counted from the progress map.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShaper, type Shaper } from '../../bench/shaper.ts';
import { SwiftClient } from '../../app/swift/client.ts';
import { downloadObject } from '../../app/transfer/download.ts';
import { openFileSource } from '../../app/transfer/file-source.ts';
import type { TransferProgress } from '../../app/transfer/progress.ts';
import { uploadObject } from '../../app/transfer/upload.ts';
import { md5File, MiB, randomFile } from '../helpers/files.ts';
import { removeContainers, sandboxClient, uniqueName } from '../helpers/swift.ts';

const direct = sandboxClient();
const C = uniqueName('adaptive');
let dir = '';
let shaper: Shaper;
let shaped: SwiftClient;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slo-adaptive-'));
  await direct.auth();
  const target = new URL(direct.storageUrl!);
  // 4 MiB/s per connection and direction: the link is the connections, not the loopback.
  shaper = await startShaper({ targetPort: Number(target.port), delayMs: 5, rateBytesPerSec: 4 * MiB });
  shaped = new SwiftClient({ auth: { type: 'token', storageUrl: `${shaper.url}${target.pathname}`, token: direct.token! } });
});

afterAll(async () => {
  await removeContainers(direct, C, `${C}_segments`);
  await shaped?.close();
  await shaper?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Highest number of segments in flight seen, and highest concurrency reported. */
function watch() {
  const seen = { inFlight: 0, reported: 0 };
  const onProgress = (p: TransferProgress) => {
    seen.inFlight = Math.max(seen.inFlight, [...p.segments].filter((c) => c === 's').length);
    seen.reported = Math.max(seen.reported, p.concurrency ?? 0);
  };
  return { seen, onProgress };
}

describe('adaptive concurrency through a per-connection bandwidth limit', () => {
  it('an upload and a download grow above the requested start and stay within the maximum', async () => {
    const f = await randomFile(dir, 'wan.bin', 32 * MiB);
    const source = await openFileSource(f.path);
    const up = watch();
    try {
      const r = await uploadObject(shaped, source, { container: C, object: 'wan.bin' }, {
        segmentSize: MiB, concurrency: 2, maxConcurrency: 5, journalDir: dir, onProgress: up.onProgress,
      });
      expect(r.plan).toMatchObject({ concurrency: 2, maxConcurrency: 5 });
    } finally {
      await source.close();
    }
    expect(up.seen.reported).toBeGreaterThan(2);
    expect(up.seen.reported).toBeLessThanOrEqual(5);
    expect(up.seen.inFlight).toBeGreaterThan(2);
    expect(up.seen.inFlight).toBeLessThanOrEqual(5);

    const down = watch();
    const dest = join(dir, 'wan.out');
    const d = await downloadObject(shaped, { container: C, object: 'wan.bin' }, dest, { concurrency: 2, maxConcurrency: 5, onProgress: down.onProgress });
    expect(d.verified).toBe(true);
    expect(await md5File(dest)).toBe(f.md5);
    expect(down.seen.reported).toBeGreaterThan(2);
    expect(down.seen.inFlight).toBeGreaterThan(2);
    expect(down.seen.inFlight).toBeLessThanOrEqual(5);
  }, 60_000);
});
