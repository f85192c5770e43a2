// A local file as a ByteSource. One descriptor, positional reads: parallel segment readers never share a file
// position, and the next read happens only when the consumer asks (backpressure for free). `read` fills fresh
// buffers; `readInto` fills the caller's (pooled) ones, which is what uploads use.
import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { ByteSource } from '../domain/transfer.ts';
import { SwiftError, toSwiftError } from '../swift/errors.ts';

const CHUNK = 1024 * 1024;

export interface FileSource extends ByteSource {
  readonly path: string;
  /** Modification time in ms (float), as Node reports it. */
  readonly mtimeMs: number;
  /** Modification time in seconds with 6 decimals — python-swiftclient's "%f" % getmtime(path). */
  readonly mtime: string;
  close(): Promise<void>;
}

/** "%f" of a nanosecond timestamp, computed on integers so it matches Python's rounding to the microsecond. */
export function formatMtime(mtimeNs: bigint): string {
  const micros = (mtimeNs + 500n) / 1000n;
  const sec = micros / 1_000_000n;
  const frac = (micros % 1_000_000n).toString().padStart(6, '0');
  return `${sec}.${frac}`;
}

export async function openFileSource(path: string): Promise<FileSource> {
  const abs = resolve(path);
  const shown = abs;
  let st;
  try {
    st = await stat(abs, { bigint: true });
  } catch (e) {
    throw toSwiftError(e, `Cannot read ${shown}`);
  }
  if (st.isDirectory()) throw new SwiftError({ kind: 'io', message: `${shown} is a folder, not a file; choose a file to upload.` });
  if (!st.isFile()) throw new SwiftError({ kind: 'io', message: `${shown} is not a regular file (device, socket or pipe) and cannot be uploaded in segments.` });
  let fh: FileHandle;
  try {
    fh = await open(abs, 'r');
  } catch (e) {
    throw toSwiftError(e, `Cannot open ${shown}`);
  }
  const size = Number(st.size);
  const mtimeNs = st.mtimeNs;
  const mtimeMs = Number(st.mtimeMs);
  let closed = false;

  return {
    path: abs,
    size,
    name: basename(abs),
    identity: `file:${abs}:${size}:${mtimeMs}`,
    mtimeMs,
    mtime: formatMtime(mtimeNs),
    read(start: number, end: number, signal?: AbortSignal): AsyncIterable<Uint8Array> {
      return readRange(fh, shown, size, start, end, signal);
    },
    async readInto(into: Uint8Array, position: number, length: number, signal?: AbortSignal): Promise<number> {
      checkRange(shown, size, position, position + length);
      if (signal?.aborted) throw new SwiftError({ kind: 'cancelled', message: `Reading ${shown} was cancelled.` });
      let n: number;
      try {
        ({ bytesRead: n } = await fh.read(into, 0, length, position));
      } catch (e) {
        throw toSwiftError(e, `Reading ${shown} failed`);
      }
      if (n === 0) throw shorter(shown);
      return n;
    },
    async checkUnchanged(): Promise<void> {
      let now;
      try {
        now = await stat(abs, { bigint: true });
      } catch (e) {
        throw new SwiftError({ kind: 'io', message: `${shown} disappeared or became unreadable while it was being uploaded; nothing was committed.`, cause: e });
      }
      if (now.size !== st.size || now.mtimeNs !== mtimeNs) {
        throw new SwiftError({ kind: 'io', message: `${shown} changed while it was being uploaded (size or modification time differs); nothing was committed.` });
      }
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await fh.close().catch(() => undefined);
    },
  };
}

function checkRange(shown: string, size: number, start: number, end: number): void {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start || end > size) {
    throw new SwiftError({ kind: 'invalid', message: `Cannot read bytes ${start}–${end} of ${shown}, which has ${size} bytes.` });
  }
}

const shorter = (shown: string) => new SwiftError({ kind: 'io', message: `${shown} changed while it was being uploaded (it is shorter than when it was opened); nothing was committed.` });

async function* readRange(fh: FileHandle, shown: string, size: number, start: number, end: number, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  checkRange(shown, size, start, end);
  let pos = start;
  while (pos < end) {
    if (signal?.aborted) throw new SwiftError({ kind: 'cancelled', message: `Reading ${shown} was cancelled.` });
    const want = Math.min(CHUNK, end - pos);
    // A fresh buffer each time: the HTTP layer may still hold the previous chunk in its write queue.
    const buf = Buffer.allocUnsafe(want);
    let n: number;
    try {
      ({ bytesRead: n } = await fh.read(buf, 0, want, pos));
    } catch (e) {
      throw toSwiftError(e, `Reading ${shown} failed`);
    }
    if (n === 0) throw shorter(shown);
    pos += n;
    yield n === want ? buf : buf.subarray(0, n);
  }
}
