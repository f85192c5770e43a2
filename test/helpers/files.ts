// Test data on disk and in memory: files of random bytes with their MD5, deterministic byte patterns, MD5s.
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';

export const KiB = 1024;
export const MiB = 1024 * 1024;

export function md5(b: Uint8Array | string): string {
  return createHash('md5').update(b).digest('hex');
}

export async function md5File(path: string): Promise<string> {
  const h = createHash('md5');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return h.digest('hex');
}

/** Writes `size` random bytes to dir/name (streamed, so size is not bounded by memory) and returns their MD5. */
export async function randomFile(dir: string, name: string, size: number): Promise<{ path: string; md5: string }> {
  const path = join(dir, name);
  const out = createWriteStream(path);
  const h = createHash('md5');
  for (let left = size; left > 0; ) {
    const chunk = randomBytes(Math.min(left, MiB));
    h.update(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
    left -= chunk.length;
  }
  out.end();
  await once(out, 'finish');
  return { path, md5: h.digest('hex') };
}

/** Deterministic, incompressible-looking bytes (so a shifted or repeated run is caught by a byte compare). */
export function patternBytes(size: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
