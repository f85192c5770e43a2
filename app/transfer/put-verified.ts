// One object (a segment, or a whole small file) PUT from a byte range of a source, verified end to end.
//
// Why no Etag header by default: the header must precede the body, and knowing the MD5 up front means reading the
// range twice. Instead the body is hashed as it streams (one read) and Swift's answer — the MD5 of what *it* stored —
// must equal ours; a difference is corruption on the way and the object is sent again. That catches exactly what the
// Etag header would (only that Swift keeps the bad copy until our retry overwrites it). `verifyBeforeSend` pre-hashes
// the range and sends the Etag header too, for sources that are cheap to read twice; Swift then refuses bad bytes
// with 422, which is also retried. Every attempt re-reads the range from the source (a body factory).
import { createHash } from 'node:crypto';
import type { ByteSource } from '../domain/transfer.ts';
import type { SwiftClient } from '../swift/client.ts';
import { SwiftError } from '../swift/errors.ts';
import { putObject } from '../swift/objects.ts';
import { retrying } from '../swift/retry.ts';
import { giveBuffer, POOL_CHUNK, takeBuffer } from './buffer-pool.ts';
import { md5Stream, type Md5Stream } from './md5-stream.ts';
import type { ProgressTracker } from './progress.ts';

export const EMPTY_MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
/** Extra attempts after Swift stored bytes whose MD5 differs from what we read (network retries are the client's). */
const INTEGRITY_RETRIES = 2;

export interface PutRangeOptions {
  container: string;
  object: string;
  start: number;
  end: number;
  headers?: Record<string, string | undefined>;
  contentType?: string;
  verifyBeforeSend?: boolean;
  signal?: AbortSignal;
  progress?: ProgressTracker;
}

/** One attempt's state: an abandoned attempt's body generator may still take a step after the client retried. */
type Attempt = { hash: Md5Stream; sent: number; dead: boolean };
type PooledSource = ByteSource & Required<Pick<ByteSource, 'readInto'>>;
/** Pooled buffers per segment being sent: one being read, one being hashed, one the socket may still hold. */
const RING = 3;

/**
 * The body of one attempt, read into a small ring of pooled shared buffers that are hashed in place (in a worker
 * when there are cores) while the HTTP layer sends them. A buffer is refilled only when its hash is done and two
 * more chunks were handed on since: undici waits for a 1 MiB socket write to drain before it asks for the next chunk,
 * so the socket is done with it by then. (Were that ever not so, the bytes Swift stored would not have our MD5 and
 * the segment would be sent again — the end-to-end check below still decides.)
 */
async function* pooledTap(source: PooledSource, o: PutRangeOptions, a: Attempt): AsyncGenerator<Uint8Array> {
  const ring: { buf: Buffer; hashed: Promise<void> | undefined }[] = [];
  let pos = o.start;
  try {
    for (let k = 0; pos < o.end; k++) {
      if (a.dead) return;
      const slot = (ring[k % RING] ??= { buf: takeBuffer(), hashed: undefined });
      await slot.hashed;
      const n = await source.readInto(slot.buf, pos, Math.min(POOL_CHUNK, o.end - pos), o.signal);
      if (a.dead) return;
      const chunk = slot.buf.subarray(0, n);
      slot.hashed = a.hash.update(chunk);
      pos += n;
      a.sent += n;
      o.progress?.add(n);
      yield chunk;
    }
  } finally {
    void Promise.allSettled(ring.map((s) => s.hashed)).then(() => ring.forEach((s) => giveBuffer(s.buf)));
  }
}

export async function md5OfRange(source: ByteSource, start: number, end: number, signal?: AbortSignal): Promise<string> {
  const h = createHash('md5');
  for await (const chunk of source.read(start, end, signal)) h.update(chunk);
  return h.digest('hex');
}

/** PUTs bytes [start, end) of `source` and checks Swift stored what we read; bytes that arrive corrupted are sent again. */
export function putRangeVerified(client: SwiftClient, source: ByteSource, o: PutRangeOptions): Promise<{ etag: string; size: number }> {
  // Its own small budget: corruption is not a transport failure (those are retried inside putObject).
  return retrying(client.attempts(INTEGRITY_RETRIES), (attempt) => putRangeOnce(client, source, o, attempt), {
    signal: o.signal,
    retryable: (e) => e.kind === 'integrity',
  });
}

async function putRangeOnce(client: SwiftClient, source: ByteSource, o: PutRangeOptions, attempt: number): Promise<{ etag: string; size: number }> {
  const size = o.end - o.start;
  const what = `${o.container}/${o.object}`;
  const expected = o.verifyBeforeSend && size > 0 ? await md5OfRange(source, o.start, o.end, o.signal) : undefined;
  // Per-attempt state: an abandoned attempt's body generator may still take a step after the client retried
  // (a 401 can arrive while the body streams), so it must never touch the hash or count of the next attempt.
  let current: Attempt | undefined;
  const retract = () => {
    if (!current || current.dead) return;
    current.dead = true;
    current.hash.dispose();
    o.progress?.retract(current.sent);
  };
  async function* tap(a: Attempt): AsyncGenerator<Uint8Array> {
    for await (const chunk of source.read(o.start, o.end, o.signal)) {
      if (a.dead) return;
      await a.hash.update(chunk);
      a.sent += chunk.length;
      o.progress?.add(chunk.length);
      yield chunk;
    }
  }
  const body = () => {
    retract(); // the previous attempt, if any, is over
    const a: Attempt = { hash: md5Stream(size), sent: 0, dead: false };
    current = a;
    if (size === 0) return '';
    return source.readInto ? pooledTap(source as PooledSource, o, a) : tap(a);
  };
  let stored: string;
  try {
    ({ etag: stored } = await putObject(client, o.container, o.object, {
      body,
      contentLength: size,
      ...(expected ? { etag: expected } : {}),
      ...(o.contentType ? { contentType: o.contentType } : {}),
      ...(o.headers ? { headers: o.headers } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      onRetry: retract,
    }));
  } catch (e) {
    retract();
    throw e;
  }
  const last = current!;
  const ours = size === 0 ? EMPTY_MD5 : await last.hash.digest();
  if (last.sent !== size && size > 0) {
    const sent = last.sent;
    retract();
    throw new SwiftError({ kind: 'io', message: `Only ${sent} of ${size} bytes could be read for ${what}; the source changed or failed.` });
  }
  if (stored === ours && (!expected || expected === ours)) {
    last.dead = true; // done: nothing more may be counted for it
    return { etag: stored, size };
  }
  retract();
  throw new SwiftError({
    kind: 'integrity',
    message: expected && expected !== ours
      ? `The bytes of ${what} read differently twice from the source (MD5 ${expected} then ${ours}); is the file changing?`
      : `Swift stored ${what} with MD5 ${stored || '(none)'} but we sent bytes with MD5 ${ours}, ${attempt + 1} times; the data is being corrupted on the way.`,
  });
}
