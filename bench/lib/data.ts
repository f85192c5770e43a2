// Benchmark data: random files generated once per size and cached in bench/data/ (git-ignored), with their MD5,
// per-segment MD5s (for the SLO ETag a correct upload must produce) and pre-split segment files for the curl
// ceiling — all made before anything is timed.
import { createHash, randomFillSync, type Hash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface DataFile {
  path: string;
  size: number;
  md5: string;
}

interface Sidecar {
  size: number;
  mtimeMs: number;
  md5: string;
  /** segment size → MD5 of each segment */
  segments: Record<string, string[]>;
}

const sidecarPath = (p: string) => `${p}.digests.json`;

function readSidecar(path: string): Sidecar | undefined {
  try {
    const s = JSON.parse(readFileSync(sidecarPath(path), 'utf8')) as Sidecar;
    const st = statSync(path);
    if (s.size === st.size && s.mtimeMs === st.mtimeMs) return s;
  } catch {
    /* none or stale */
  }
  return undefined;
}

/** A file of `size` random bytes at <dir>/random-<size>.bin, reused when its digests sidecar still matches. */
export async function ensureRandomFile(dir: string, size: number, log: (s: string) => void): Promise<DataFile> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `random-${size}.bin`);
  const known = existsSync(path) ? readSidecar(path) : undefined;
  if (known) return { path, size, md5: known.md5 };
  log(`generating ${fmtBytes(size)} of random data in ${path}`);
  const fh = await open(path, 'w');
  const h = createHash('md5');
  const buf = Buffer.allocUnsafe(8 * 1024 * 1024);
  try {
    for (let off = 0; off < size; ) {
      const n = Math.min(buf.length, size - off);
      const chunk = buf.subarray(0, n);
      randomFillSync(chunk);
      h.update(chunk);
      await fh.write(chunk, 0, n, off);
      off += n;
    }
  } finally {
    await fh.close();
  }
  const md5 = h.digest('hex');
  const st = statSync(path);
  writeFileSync(sidecarPath(path), JSON.stringify({ size, mtimeMs: st.mtimeMs, md5, segments: {} } satisfies Sidecar));
  return { path, size, md5 };
}

/** MD5 of each `segmentSize` piece of the file (cached in the sidecar). */
export async function segmentMd5s(file: DataFile, segmentSize: number): Promise<string[]> {
  const side = readSidecar(file.path);
  const cached = side?.segments[String(segmentSize)];
  if (cached) return cached;
  const out: string[] = [];
  let h: Hash = createHash('md5');
  let inSeg = 0;
  for await (const chunk of createReadStream(file.path, { highWaterMark: 8 * 1024 * 1024 }) as AsyncIterable<Buffer>) {
    let off = 0;
    while (off < chunk.length) {
      const n = Math.min(chunk.length - off, segmentSize - inSeg);
      h.update(chunk.subarray(off, off + n));
      off += n;
      inSeg += n;
      if (inSeg === segmentSize) {
        out.push(h.digest('hex'));
        h = createHash('md5');
        inSeg = 0;
      }
    }
  }
  if (inSeg > 0 || out.length === 0) out.push(h.digest('hex'));
  if (side) {
    side.segments[String(segmentSize)] = out;
    writeFileSync(sidecarPath(file.path), JSON.stringify(side));
  }
  return out;
}

/** The ETag Swift gives an SLO made of these segments: MD5 of the concatenated hex MD5s. */
export function sloEtag(segMd5s: string[]): string {
  return createHash('md5').update(segMd5s.join('')).digest('hex');
}

/** Pre-split copies of the file, one per segment, for the curl ceiling (made once, before timing). */
export async function splitFile(file: DataFile, segmentSize: number): Promise<string[]> {
  const dir = `${file.path}.split-${segmentSize}`;
  const count = Math.max(1, Math.ceil(file.size / segmentSize));
  const names = Array.from({ length: count }, (_, i) => join(dir, String(i).padStart(8, '0')));
  const ok = existsSync(dir) && readdirSync(dir).length === count && names.every((n, i) => statSync(n).size === Math.min(segmentSize, file.size - i * segmentSize) && statSync(n).mtimeMs >= statSync(file.path).mtimeMs);
  if (ok) return names;
  await rm(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const src = await open(file.path, 'r');
  const buf = Buffer.allocUnsafe(Math.min(segmentSize, 8 * 1024 * 1024));
  try {
    for (let i = 0; i < count; i++) {
      const start = i * segmentSize;
      const end = Math.min(file.size, start + segmentSize);
      const dst = await open(names[i]!, 'w');
      try {
        for (let off = start; off < end; ) {
          const { bytesRead } = await src.read(buf, 0, Math.min(buf.length, end - off), off);
          await dst.write(buf, 0, bytesRead);
          off += bytesRead;
        }
      } finally {
        await dst.close();
      }
    }
  } finally {
    await src.close();
  }
  return names;
}

/** MD5 of a file, hex (OpenSSL through node:crypto, ~0.5-1 GB/s here). */
export async function md5File(path: string): Promise<string> {
  const h = createHash('md5');
  for await (const chunk of createReadStream(path, { highWaterMark: 8 * 1024 * 1024 }) as AsyncIterable<Buffer>) h.update(chunk);
  return h.digest('hex');
}

export function fmtBytes(n: number): string {
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < u.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${u[i]}`;
}
