// The streaming MD5 gives the same digest in a worker thread as in this one, whatever the chunking and whether the
// bytes sit in shared memory (hashed in place) or not (copied), and an abandoned hash leaves nothing behind.
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { giveBuffer, POOL_CHUNK, takeBuffer } from '../../app/transfer/buffer-pool.ts';
import { md5Stream, md5WorkerCount } from '../../app/transfer/md5-stream.ts';

const data = randomBytes(9 * 1024 * 1024 + 12_345);
const want = createHash('md5').update(data).digest('hex');

function chunks(sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let off = 0, i = 0; off < data.length; i++) {
    const n = Math.min(sizes[i % sizes.length]!, data.length - off);
    out.push(data.subarray(off, off + n));
    off += n;
  }
  return out;
}

describe('md5Stream', () => {
  const saved = process.env.SLO_MD5_WORKERS;
  afterEach(() => {
    if (saved === undefined) delete process.env.SLO_MD5_WORKERS;
    else process.env.SLO_MD5_WORKERS = saved;
  });

  for (const workers of ['0', '2']) {
    it(`copies odd-sized chunks and digests them (SLO_MD5_WORKERS=${workers})`, async () => {
      process.env.SLO_MD5_WORKERS = workers;
      expect(md5WorkerCount()).toBe(Number(workers));
      const h = md5Stream(data.length);
      for (const c of chunks([65_536, 1, 7_000, 1_048_575, 3 * 1024 * 1024])) await h.update(c);
      expect(await h.digest()).toBe(want);
    });

    it(`hashes pooled shared buffers in place, mixed with copied ones (SLO_MD5_WORKERS=${workers})`, async () => {
      process.env.SLO_MD5_WORKERS = workers;
      const h = md5Stream(data.length);
      const pending: Promise<void>[] = [];
      let off = 0;
      for (let i = 0; off < data.length; i++) {
        const n = Math.min(i % 3 === 2 ? 100_000 : POOL_CHUNK, data.length - off);
        if (i % 3 === 2) {
          const p = h.update(data.subarray(off, off + n));
          if (p) await p;
        } else {
          const buf = takeBuffer();
          data.copy(buf, 0, off, off + n);
          const p = h.update(buf.subarray(0, n));
          // The buffer goes back to the pool (and may be reused) only once it was hashed.
          pending.push(Promise.resolve(p).then(() => giveBuffer(buf)));
        }
        off += n;
      }
      expect(await h.digest()).toBe(want);
      await Promise.all(pending);
    });
  }

  it('keeps hashes apart when many run at once in a small pool', async () => {
    process.env.SLO_MD5_WORKERS = '1';
    const parts = [0, 1, 2, 3, 4].map((k) => data.subarray(k * 1_500_000, k * 1_500_000 + 5_000_000 + k));
    const digests = await Promise.all(
      parts.map(async (p) => {
        const h = md5Stream(p.length);
        for (let off = 0; off < p.length; off += 65_536) await h.update(p.subarray(off, off + 65_536));
        return h.digest();
      }),
    );
    expect(digests).toEqual(parts.map((p) => createHash('md5').update(p).digest('hex')));
  });

  it('a disposed hash does not disturb the next one', async () => {
    process.env.SLO_MD5_WORKERS = '1';
    const dead = md5Stream(data.length);
    await dead.update(data.subarray(0, 2_000_000));
    dead.dispose();
    const h = md5Stream(data.length);
    await h.update(data);
    expect(await h.digest()).toBe(want);
  });

  it('small objects hash in this thread (a worker round trip would cost more)', async () => {
    process.env.SLO_MD5_WORKERS = '2';
    const h = md5Stream(1000);
    expect(h.update(data.subarray(0, 1000))).toBeUndefined();
    expect(await h.digest()).toBe(createHash('md5').update(data.subarray(0, 1000)).digest('hex'));
  });
});
