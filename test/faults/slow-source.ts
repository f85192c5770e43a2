// A ByteSource wrapper that slows reads to a byte rate (so a loopback upload lasts long enough to be interrupted)
// and counts every byte read: bytes read beyond the file size are bytes the upload sent again.
import type { ByteSource } from '../../app/domain/transfer.ts';

export interface CountingSource extends ByteSource {
  /** Total bytes handed out by read(), over all calls. */
  readonly bytesRead: number;
  /** [start, end) of every read() call, in call order. */
  readonly reads: Array<[number, number]>;
}

const PIECE = 64 * 1024;

export function slowSource(inner: ByteSource, bytesPerSec: number): CountingSource {
  let bytesRead = 0;
  const reads: Array<[number, number]> = [];
  return {
    get size() {
      return inner.size;
    },
    get identity() {
      return inner.identity;
    },
    get name() {
      return inner.name;
    },
    get bytesRead() {
      return bytesRead;
    },
    reads,
    // Keep the FileSource extras (mtime) the upload uses for segment names.
    ...('mtime' in inner ? { mtime: (inner as { mtime: string }).mtime } : {}),
    ...('mtimeMs' in inner ? { mtimeMs: (inner as { mtimeMs: number }).mtimeMs } : {}),
    read(start: number, end: number, signal?: AbortSignal): AsyncIterable<Uint8Array> {
      reads.push([start, end]);
      return (async function* () {
        for await (const chunk of inner.read(start, end, signal)) {
          for (let off = 0; off < chunk.length; off += PIECE) {
            const piece = chunk.subarray(off, Math.min(chunk.length, off + PIECE));
            if (bytesPerSec > 0) await new Promise((r) => setTimeout(r, (piece.length / bytesPerSec) * 1000));
            bytesRead += piece.length;
            yield piece;
          }
        }
      })();
    },
    checkUnchanged: () => inner.checkUnchanged(),
  };
}
