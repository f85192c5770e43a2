// A file the user dropped in the browser tab, read by range: the host asks the tab for [start, end) with a
// 'file.pull' event and the tab POSTs `file.slice(start, end)` to /<token>/pull/<pullId>. The POST body is consumed
// as a stream at the reader's pace, so a slow Swift upload slows the browser down instead of filling memory.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ByteSource } from '../../app/domain/transfer.ts';
import { SwiftError } from '../../app/swift/errors.ts';
import { giveBuffer, POOL_CHUNK, takeBuffer } from '../../app/transfer/buffer-pool.ts';

export interface PullRequest {
  pullId: string;
  fileId: string;
  start: number;
  end: number;
}

interface Post {
  req: IncomingMessage;
  res: ServerResponse;
}

interface Waiter {
  deliver(post: Post): void;
}

export class PullBroker {
  readonly #waiting = new Map<string, Waiter>();

  /**
   * @param requestPull tells the renderer to send a range (emits 'file.pull').
   * @param timeoutMs how long the POST may take to arrive, and how long its body may stall.
   */
  constructor(
    private readonly requestPull: (pull: PullRequest) => void,
    private readonly timeoutMs = 30_000,
  ) {}

  /** For POST /<token>/pull/<pullId>. False when nothing waits for that id (unknown, timed out, or already served). */
  accept(pullId: string, req: IncomingMessage, res: ServerResponse): boolean {
    const waiter = this.#waiting.get(pullId);
    if (!waiter) return false;
    this.#waiting.delete(pullId);
    waiter.deliver({ req, res });
    return true;
  }

  get pending(): number {
    return this.#waiting.size;
  }

  async *pull(fileId: string, name: string, start: number, end: number, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
    const expected = end - start;
    if (expected === 0) return;
    const pullId = randomBytes(16).toString('hex');
    const { req, res } = await this.#waitForPost(pullId, { pullId, fileId, start, end }, name, signal);
    if (req.headers['x-slo-studio-error'] === 'file-gone') {
      res.writeHead(204, { 'Cache-Control': 'no-store' }).end();
      throw ioError(`The browser tab no longer holds ${name}; drop the file again to resume its upload.`);
    }

    let received = 0;
    let complete = false;
    const onAbort = () => req.destroy();
    signal?.addEventListener('abort', onAbort, { once: true });
    const watch = stallWatch(this.timeoutMs, () => req.destroy());
    const chunks = chunkReader(req);
    const batch = new Batcher(expected);
    try {
      for (;;) {
        // The stall timer runs only while we wait for the browser, not while our consumer holds a chunk.
        watch.waiting(true);
        const next = await chunks.next();
        watch.waiting(false);
        if (!next) break;
        received += next.length;
        if (received > expected) {
          throw ioError(`The browser sent more than the ${expected} bytes asked for from ${name}; the upload stopped.`);
        }
        for (const out of batch.add(next)) yield out;
      }
      if (received !== expected) throw stopped(name, received, expected);
      const rest = batch.flush();
      if (rest) yield rest;
      complete = true;
      res.writeHead(204, { 'Cache-Control': 'no-store' }).end();
    } catch (e) {
      if (signal?.aborted) throw new SwiftError({ kind: 'cancelled', message: `Reading ${name} from the browser was cancelled.`, cause: e });
      if (e instanceof SwiftError) throw e;
      throw stopped(name, received, expected, e, watch.fired ? ` (nothing arrived for ${Math.round(this.timeoutMs / 1000)} s)` : '');
    } finally {
      watch.stop();
      chunks.stop();
      // After a failure the socket may still hold a piece: those buffers are left to the GC, not reused.
      if (complete) batch.release();
      signal?.removeEventListener('abort', onAbort);
      if (!complete) refuseRest(req, res);
    }
  }

  #waitForPost(pullId: string, pull: PullRequest, name: string, signal?: AbortSignal): Promise<Post> {
    return new Promise<Post>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new SwiftError({ kind: 'cancelled', message: `Reading ${name} from the browser was cancelled.` }));
        return;
      }
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#waiting.delete(pullId);
      };
      const onAbort = () => {
        done();
        reject(new SwiftError({ kind: 'cancelled', message: `Reading ${name} from the browser was cancelled.` }));
      };
      const timer = setTimeout(() => {
        done();
        reject(
          ioError(
            `The browser did not send the bytes of ${name} within ${Math.round(this.timeoutMs / 1000)} s; is the SLO Studio tab still open?`,
          ),
        );
      }, this.timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.set(pullId, {
        deliver: (post) => {
          done();
          resolve(post);
        },
      });
      this.requestPull(pull);
    });
  }
}

export interface BrowserFileInfo {
  fileId: string;
  name: string;
  size: number;
  lastModified: number;
}

export function browserFileSource(pulls: PullBroker, file: BrowserFileInfo): ByteSource {
  return {
    size: file.size,
    name: file.name,
    identity: `browser:${file.name}:${file.size}:${file.lastModified}`,
    read(start: number, end: number, signal?: AbortSignal): AsyncIterable<Uint8Array> {
      if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start || end > file.size) {
        return failing(new SwiftError({ kind: 'invalid', message: `Cannot read bytes ${start}–${end} of ${file.name}, which has ${file.size} bytes.` }));
      }
      return pulls.pull(file.fileId, file.name, start, end, signal);
    },
    // File objects are immutable snapshots; the browser itself refuses to read one whose file changed on disk.
    async checkUnchanged(): Promise<void> {},
  };
}

/**
 * The request body's chunks one at a time, as the socket delivered them. Not the Readable's async iterator: while we
 * hash and send, chunks pile up, and its read() hands them over concatenated — a copy of most bytes before the
 * Batcher's own. The request is paused while more than HIGH_WATER waits.
 */
const HIGH_WATER = 4 * 1024 * 1024;
function chunkReader(req: IncomingMessage): { next(): Promise<Buffer | null>; stop(): void } {
  const queue: Buffer[] = [];
  let queued = 0;
  let ended = false;
  let failed: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const onData = (chunk: Buffer) => {
    queue.push(chunk);
    queued += chunk.length;
    if (queued >= HIGH_WATER) req.pause();
    notify();
  };
  const onEnd = () => ((ended = true), notify());
  const onError = (e: unknown) => ((failed ??= e ?? new Error('the request failed')), notify());
  const onClose = () => (ended ? undefined : onError(new Error('the request closed before its end')));
  req.on('data', onData).once('end', onEnd).once('error', onError).once('close', onClose);
  return {
    async next() {
      for (;;) {
        const chunk = queue.shift();
        if (chunk) {
          queued -= chunk.length;
          if (queued < HIGH_WATER && req.isPaused() && !failed) req.resume();
          return chunk;
        }
        if (failed) throw failed;
        if (ended) return null;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    stop() {
      req.off('data', onData).off('end', onEnd).off('close', onClose);
      req.on('error', () => undefined); // a late socket error after we stopped listening must not go unheard
      req.off('error', onError);
    },
  };
}

/** Bytes handed on in pieces of up to 1 MiB: the socket gives ≤ 64 KiB, and every piece costs a hash step and a
 *  socket write on the way to Swift. One copy (like the file path's read into its buffer) buys 16× fewer of both. */
const BATCH = POOL_CHUNK;
/**
 * Batch buffers per body, reused in turn (pooled, like the file path's: a fresh 1 MiB per batch cost page faults and
 * GC). A buffer is refilled only after two more pieces were handed on: the consumer hashes a piece before it asks for
 * the next, and undici asks for the next only once a piece's socket write drained (the rule put-verified's ring
 * relies on; Swift's MD5 of what it stored still decides).
 */
const RING = 3;

class Batcher {
  #buf: Buffer | undefined;
  #len = 0;
  readonly #ring: Buffer[] = [];
  #taken = 0;
  constructor(private remaining: number) {}

  #fresh(size: number): Buffer {
    const slot = this.#taken++ % RING;
    const buf = (this.#ring[slot] ??= takeBuffer());
    return size === buf.length ? buf : buf.subarray(0, size);
  }

  /** Hands the buffers back; only once nothing that was yielded can still be in use. */
  release(): void {
    for (const b of this.#ring.splice(0)) giveBuffer(b);
  }

  *add(chunk: Buffer): Generator<Buffer> {
    let off = 0;
    while (off < chunk.length) {
      if (!this.#buf && chunk.length - off >= Math.min(BATCH, this.remaining)) {
        // Already big enough (or the whole rest): pass it on without copying.
        this.remaining -= chunk.length - off;
        yield off ? chunk.subarray(off) : chunk;
        return;
      }
      this.#buf ??= this.#fresh(Math.min(BATCH, this.remaining));
      const n = chunk.copy(this.#buf, this.#len, off);
      this.#len += n;
      off += n;
      if (this.#len === this.#buf.length) {
        this.remaining -= this.#len;
        yield this.#buf;
        this.#buf = undefined;
        this.#len = 0;
      }
    }
  }

  flush(): Buffer | undefined {
    const out = this.#buf?.subarray(0, this.#len);
    this.#buf = undefined;
    this.#len = 0;
    return out?.length ? out : undefined;
  }
}

/** One re-armed timer for a whole body (not one per chunk): fires `onStall` after `ms` of waiting with no bytes. */
function stallWatch(ms: number, onStall: () => void) {
  let waiting = false;
  const state = { fired: false };
  const timer = setTimeout(function check() {
    if (!waiting) return void timer.refresh();
    state.fired = true;
    onStall();
  }, ms);
  return {
    get fired() {
      return state.fired;
    },
    waiting(on: boolean) {
      waiting = on;
      if (on) timer.refresh();
    },
    stop: () => clearTimeout(timer),
  };
}

/**
 * Stops a browser that is still sending (our reader gave up, failed or was cancelled). 410 tells the renderer the
 * bytes are no longer wanted — it does not report that as a failure; the socket then closes to end the upload.
 */
function refuseRest(req: IncomingMessage, res: ServerResponse): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  res.writeHead(410, { 'Cache-Control': 'no-store', Connection: 'close', 'Content-Length': '0' });
  res.end(() => req.destroy());
}

function stopped(name: string, received: number, expected: number, cause?: unknown, why = ''): SwiftError {
  return ioError(`The browser stopped sending ${name} after ${received} of ${expected} bytes${why}.`, cause);
}

function ioError(message: string, cause?: unknown): SwiftError {
  return new SwiftError({ kind: 'io', message, cause });
}

// A source that fails on its first read: a generator with no yield is exactly that.
// eslint-disable-next-line require-yield
async function* failing(error: Error): AsyncGenerator<Uint8Array> {
  throw error;
}
