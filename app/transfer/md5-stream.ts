// Streaming MD5 for the byte path, off the main thread when there are cores for it: a small pool of worker threads,
// each holding the incremental hashes of the segments assigned to it (a crypto Hash cannot move between threads, so
// the hash stays in its worker and the bytes travel). Bytes that already sit in a SharedArrayBuffer (pooled file
// reads) are hashed in place; others are copied into a pooled shared 1 MiB staging buffer first (one memcpy, which
// also turns 64 KiB network chunks into 1 MiB messages). With fewer than 4 cores, or for small objects, the hash runs
// in-thread.
// SLO_MD5_WORKERS=N overrides the pool size (0 = always in-thread), for measuring both.
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { giveBuffer, POOL_CHUNK, takeBuffer } from './buffer-pool.ts';

export interface Md5Stream {
  /**
   * Adds bytes, in order. Bytes in a SharedArrayBuffer are hashed where they are: keep them unchanged until the
   * returned promise settles. Other bytes are copied at once; a returned promise then only asks the caller to wait
   * (the worker is behind).
   */
  update(chunk: Uint8Array): Promise<void> | undefined;
  digest(): Promise<string>;
  /** Drops an unfinished hash (an abandoned attempt). */
  dispose(): void;
}

/** Below this, a worker round trip costs more than hashing in-thread. */
const WORKER_MIN_BYTES = 4 * 1024 * 1024;
/** Staged copies in flight per hash before update() asks the caller to wait. */
const MAX_STAGED_IN_FLIGHT = 2;

// Plain CommonJS for `eval: true`: works the same from tsx, the bundled CLI and Electron's CJS main.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = new Map();
parentPort.on('message', (m) => {
  if (m.t === 'u') {
    let h = hashes.get(m.id);
    if (!h) hashes.set(m.id, (h = createHash('md5')));
    h.update(new Uint8Array(m.sab, m.off, m.len));
    parentPort.postMessage({ r: m.r });
  } else if (m.t === 'd') {
    const h = hashes.get(m.id) || createHash('md5');
    hashes.delete(m.id);
    parentPort.postMessage({ r: m.r, hex: h.digest('hex') });
  } else if (m.t === 'x') {
    hashes.delete(m.id);
  }
});
`;

type Reply = { r: number; hex?: string };

/** One worker thread; referenced (keeps the process alive) only while it owes answers. */
class HashWorker {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { ok: (hex: string | undefined) => void; fail: (e: Error) => void }>();
  private seq = 0;
  private failed: Error | undefined;

  constructor() {
    this.worker = new Worker(WORKER_SOURCE, { eval: true });
    this.worker.unref();
    this.worker.on('message', (m: Reply) => {
      const w = this.waiting.get(m.r);
      this.waiting.delete(m.r);
      if (this.waiting.size === 0) this.worker.unref();
      w?.ok(m.hex);
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', () => this.fail(new Error('the MD5 worker thread exited')));
  }

  get load(): number {
    return this.waiting.size;
  }

  private fail(e: Error): void {
    this.failed ??= e;
    for (const w of this.waiting.values()) w.fail(e);
    this.waiting.clear();
    pool.splice(pool.indexOf(this) >>> 0, 1);
  }

  call(msg: Record<string, unknown>): Promise<string | undefined> {
    if (this.failed) return Promise.reject(this.failed);
    const r = ++this.seq;
    if (this.waiting.size === 0) this.worker.ref();
    return new Promise((ok, fail) => {
      this.waiting.set(r, { ok, fail });
      this.worker.postMessage({ ...msg, r });
    });
  }

  send(msg: Record<string, unknown>): void {
    if (!this.failed) this.worker.postMessage(msg);
  }
}

const pool: HashWorker[] = [];
let nextId = 0;

export function md5WorkerCount(): number {
  const env = process.env.SLO_MD5_WORKERS;
  if (env !== undefined && env !== '' && Number.isInteger(Number(env))) return Math.max(0, Math.min(16, Number(env)));
  // Measured on a 2-core box shared with Swift (docs/performance.md): there the copy to shared memory and the
  // messages cost more CPU than the main thread gains, so hashing stays in-thread until there are spare cores.
  const cores = availableParallelism();
  return cores < 4 ? 0 : Math.min(4, cores - 2);
}

function leastLoaded(): HashWorker {
  if (pool.length < md5WorkerCount()) {
    const w = new HashWorker();
    pool.push(w);
    return w;
  }
  return pool.reduce((a, b) => (b.load < a.load ? b : a));
}

class InThreadMd5 implements Md5Stream {
  private readonly hash = createHash('md5');
  update(chunk: Uint8Array): undefined {
    this.hash.update(chunk);
    return undefined;
  }
  digest(): Promise<string> {
    return Promise.resolve(this.hash.digest('hex'));
  }
  dispose(): void {}
}

class WorkerMd5 implements Md5Stream {
  private readonly id = ++nextId;
  private stage: Buffer | undefined;
  private staged = 0;
  private inFlight = 0;
  private last: Promise<void> | undefined;

  constructor(private readonly worker: HashWorker) {}

  update(chunk: Uint8Array): Promise<void> | undefined {
    if (chunk.buffer instanceof SharedArrayBuffer) {
      this.flushStage();
      return this.post(chunk);
    }
    let off = 0;
    while (off < chunk.length) {
      this.stage ??= takeBuffer();
      const n = Math.min(chunk.length - off, POOL_CHUNK - this.staged);
      this.stage.set(chunk.subarray(off, off + n), this.staged);
      this.staged += n;
      off += n;
      if (this.staged === POOL_CHUNK) this.flushStage();
    }
    return this.inFlight >= MAX_STAGED_IN_FLIGHT ? this.last : undefined;
  }

  private post(view: Uint8Array): Promise<void> {
    const p = this.worker.call({ t: 'u', id: this.id, sab: view.buffer, off: view.byteOffset, len: view.byteLength }).then(() => undefined);
    this.last = p;
    return p;
  }

  private flushStage(): void {
    if (!this.stage || this.staged === 0) return;
    const buf = this.stage;
    const len = this.staged;
    this.stage = undefined;
    this.staged = 0;
    this.inFlight++;
    void this.post(buf.subarray(0, len)).then(
      () => {
        this.inFlight--;
        giveBuffer(buf);
      },
      () => this.inFlight--,
    );
  }

  async digest(): Promise<string> {
    this.flushStage();
    const hex = await this.worker.call({ t: 'd', id: this.id });
    return hex!;
  }

  dispose(): void {
    if (this.stage) giveBuffer(this.stage); // never posted: nothing else refers to it
    this.stage = undefined;
    this.staged = 0;
    this.worker.send({ t: 'x', id: this.id });
  }
}

/** A streaming MD5 for about `expectedBytes` bytes: in a worker when that pays, else in this thread. */
export function md5Stream(expectedBytes: number): Md5Stream {
  if (expectedBytes < WORKER_MIN_BYTES || md5WorkerCount() === 0) return new InThreadMd5();
  return new WorkerMd5(leastLoaded());
}
