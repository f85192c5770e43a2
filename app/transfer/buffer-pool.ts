// Reusable 1 MiB buffers for the byte path (file reads for uploads, hash staging for downloads), backed by
// SharedArrayBuffer so a hashing worker can read them in place. A fresh 1 MiB allocation per read costs page faults
// and GC pressure at every MiB; a few dozen pooled buffers cover every in-flight segment.
export const POOL_CHUNK = 1024 * 1024;
/** Free buffers kept for reuse; more are allocated (and later dropped) when a burst needs them. */
const KEEP = 32;

const free: Buffer[] = [];

/** A 1 MiB buffer over shared memory; hand it back with giveBuffer when nothing refers to it any more. */
export function takeBuffer(): Buffer {
  return free.pop() ?? Buffer.from(new SharedArrayBuffer(POOL_CHUNK));
}

export function giveBuffer(buf: Buffer): void {
  if (free.length < KEEP && buf.byteLength === POOL_CHUNK && buf.byteOffset === 0 && buf.buffer instanceof SharedArrayBuffer) free.push(buf);
}
