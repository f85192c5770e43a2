// Verified downloads. SLO and DLO: the leaves (segment runs) are fetched in parallel and written at their offsets into
// `<dest>.slo-partial`, each hashed as it streams and compared with its manifest/listing ETag; only a fully verified
// file is renamed to `dest`. A journal of verified leaves beside the partial file makes a re-run resume. Plain
// objects: one streamed GET that resumes after a dropped connection and is checked against the object's MD5.
import { createHash } from 'node:crypto';
import { open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { runPool } from '../pool.ts';
import { AdaptiveConcurrency } from './adaptive.ts';
import type { FlatSegment } from '../domain/manifest.ts';
import { isMd5, recomputeEtag } from '../slo/etag.ts';
import { resolveRange } from '../slo/manifest.ts';
import { LEAF_LIMITS, leafBytesOf, leafCountOf, leafOffsetOf, leavesOf, resolveObject, type ResolvedObject } from '../slo/resolve.ts';
import type { StreamResponse, SwiftClient } from '../swift/client.ts';
import { SwiftError, toSwiftError } from '../swift/errors.ts';
import { retrying } from '../swift/retry.ts';
import { JournalFile, type DownloadJournal } from './journal.ts';
import { LeafRanges } from './leaf-ranges.ts';
import { md5Stream } from './md5-stream.ts';
import { ProgressTracker, type TransferProgress } from './progress.ts';
import { EMPTY_MD5 } from './put-verified.ts';
import { discardBody, openRange, readRangeResumable } from './range-read.ts';
import { PAUSE } from './upload.ts';

export interface DownloadTarget {
  container: string;
  object: string;
}

export interface DownloadOptions {
  concurrency?: number;
  /** Adaptive concurrency: grow from `concurrency` up to this while throughput grows (default: fixed). */
  maxConcurrency?: number;
  signal?: AbortSignal;
  onProgress?: (p: TransferProgress) => void;
  /** Treat any abort as a pause: keep the partial file and its journal. Default: only `abort(PAUSE)` keeps them. */
  keepOnAbort?: boolean;
  /** An already resolved object (saves a HEAD and the manifest reads). */
  resolved?: ResolvedObject;
  /** Most leaves (segment runs) taken on; more is a 'limit' error before anything starts (default LEAF_LIMITS.download). */
  maxLeaves?: number;
}

export interface DownloadResult {
  etag: string;
  size: number;
  kind: ResolvedObject['kind'];
  /** True when every byte was checked against an MD5 Swift recorded (and, for an SLO/DLO, the whole ETag adds up). */
  verified: boolean;
  message: string;
  /** Leaves found already downloaded and verified by an earlier run. */
  skippedSegments: number;
  resentBytes: number;
}

export const PARTIAL_SUFFIX = '.slo-partial';
const LEAF_INTEGRITY_RETRIES = 1;
/** Resume checkpoints (fdatasync + journal) of a download come at most this often. */
const CHECKPOINT_MS = 500;

export function partialPathFor(dest: string): string {
  return dest + PARTIAL_SUFFIX;
}

function splitPath(path: string): { container: string; object: string } {
  const i = path.indexOf('/');
  return { container: path.slice(0, i), object: path.slice(i + 1) };
}

/** Where a leaf's bytes come from: a run of its segment object, or (inline data) a run of the assembled SLO. */
function leafSource(leaf: FlatSegment, top: ResolvedObject): { container: string; object: string; start: number; end: number; whole: boolean; ifMatch?: string } {
  if (leaf.data || !leaf.path) {
    return { container: top.container, object: top.object, start: leaf.offset, end: leaf.offset + leaf.size, whole: false, ifMatch: top.etag };
  }
  const { container, object } = splitPath(leaf.path);
  const r = leaf.range ? resolveRange(leaf.range, leaf.segmentSize) : { start: 0, end: leaf.segmentSize - 1 };
  if (!r) throw new SwiftError({ kind: 'invalid', message: `The range ${leaf.range} of ${leaf.path} does not fit its ${leaf.segmentSize} bytes.` });
  return { container, object, start: r.start, end: r.end + 1, whole: !leaf.range };
}

/** True when the leaf's bytes can be compared with its recorded MD5 (a whole segment, or inline data). */
function hashCheckable(leaf: FlatSegment): boolean {
  if (!isMd5(leaf.etag)) return false;
  if (leaf.data) return true;
  return leaf.size === leaf.segmentSize;
}

function leafName(leaf: FlatSegment): string {
  return leaf.data ? `inline data at byte ${leaf.offset}` : `segment ${leaf.index + 1} (${leaf.path})`;
}

interface LeafCheck {
  /** 'md5': bytes hashed and matched; 'length': only the byte count and the segment's served ETag could be checked. */
  check: 'md5' | 'length';
}

/**
 * Streams one leaf to `write`, verifying it. A checksum mismatch is fetched again (`retries` times; callers pass 0 when
 * the bytes already written cannot be taken back, e.g. a stream written in order).
 */
async function fetchLeaf(
  client: SwiftClient,
  top: ResolvedObject,
  leaf: FlatSegment,
  write: (chunk: Uint8Array, pos: number) => Promise<void> | void,
  o: { signal?: AbortSignal | undefined; progress: ProgressTracker; retries: number; first?: Promise<StreamResponse> | undefined; flush?: () => Promise<void> },
): Promise<LeafCheck> {
  const src = leafSource(leaf, top);
  // Its own budget: a corrupt leaf is not a transport failure (those are retried and resumed inside readRangeResumable),
  // and only a checksum that does not match is fetched again — not a wrong size, not a failed write.
  let corrupt: SwiftError | undefined;
  return retrying(client.attempts(o.retries), async (attempt) => {
    const hash = md5Stream(leaf.size);
    let written = 0;
    let got: string;
    let served: string;
    try {
      ({ etag: served } = await readRangeResumable(client, {
        ...src,
        signal: o.signal,
        ...(attempt === 0 && o.first ? { first: o.first } : {}),
        // Synchronous unless the hasher or the writer is behind: the body is paused only then.
        onChunk: (chunk, pos) => {
          const busy = hash.update(chunk); // copied (or hashed) at once
          const writing = write(chunk, pos);
          written += chunk.length;
          o.progress.add(chunk.length);
          if (busy && writing) return Promise.all([busy, writing]).then(() => undefined);
          return busy ?? writing;
        },
      }));
      await o.flush?.();
      got = await hash.digest();
    } catch (e) {
      hash.dispose();
      throw e;
    }
    let problem: string | undefined;
    let check: LeafCheck['check'] = 'length';
    if (hashCheckable(leaf)) {
      check = 'md5';
      if (got !== leaf.etag) problem = `its bytes have MD5 ${got} but the ${top.kind === 'dlo' ? 'listing' : 'manifest'} records ${leaf.etag}`;
    } else if (!leaf.data && isMd5(leaf.etag) && served && served !== leaf.etag) {
      problem = `the segment now has ETag ${served} but the manifest records ${leaf.etag}`;
    }
    if (!problem) return { check };
    o.progress.retract(written);
    corrupt = new SwiftError({ kind: 'integrity', message: `${leafName(leaf)} of ${top.container}/${top.object} is corrupt: ${problem}.` });
    throw corrupt;
  }, { signal: o.signal, retryable: (e) => e === corrupt });
}

/**
 * Gathers consecutive chunks of one leaf and writes them with one writev per ~1 MiB: an awaited write per 64 KiB
 * network chunk costs a thread-pool round trip each (profiled at 1–2 s of CPU per GiB). One batch is written while the
 * next gathers; `write` returns a promise only when a second batch must wait for the first (the caller then pauses
 * the body). The chunks are fresh buffers from undici, so holding them is safe; a jump in position (a retry starting
 * over) flushes first.
 */
const WRITE_BATCH = 1024 * 1024;
function batchedWriter(fh: FileHandle, base: number): { write(chunk: Uint8Array, pos: number): Promise<void> | undefined; flush(): Promise<void> } {
  let bufs: Uint8Array[] = [];
  let start = 0;
  let length = 0;
  let writing: Promise<void> | undefined;
  // A failed batch surfaces later (from flush or a later write), outside the read that gave it its context: name it here.
  const writeBatch = async (list: Uint8Array[], at: number, total: number): Promise<void> => {
    try {
      const { bytesWritten } = await fh.writev(list, at);
      if (bytesWritten < total) await writeAt(fh, Buffer.concat(list).subarray(bytesWritten), at + bytesWritten);
    } catch (e) {
      throw toSwiftError(e, 'Writing the download');
    }
  };
  /** Starts writing the gathered batch once the previous one is done; resolves when it may be the next one's turn. */
  const send = (): Promise<void> | undefined => {
    if (length === 0) return writing;
    const list = bufs;
    const at = base + start;
    const total = length;
    bufs = [];
    start += length;
    length = 0;
    const before = writing;
    const mine: Promise<void> = (before ?? Promise.resolve()).then(() => writeBatch(list, at, total));
    writing = mine;
    void mine.then(() => {
      if (writing === mine) writing = undefined;
    }, () => undefined);
    return before ? before : undefined;
  };
  const add = (chunk: Uint8Array, pos: number): Promise<void> | undefined => {
    if (length === 0) start = pos;
    bufs.push(chunk);
    length += chunk.length;
    return length >= WRITE_BATCH ? send() : undefined;
  };
  return {
    write(chunk, pos) {
      if (length > 0 && pos !== start + length) {
        return (send() ?? Promise.resolve()).then(() => writing).then(() => add(chunk, pos));
      }
      return add(chunk, pos);
    },
    async flush() {
      send();
      while (writing) await writing;
    },
  };
}

async function writeAt(fh: FileHandle, chunk: Uint8Array, position: number): Promise<void> {
  let off = 0;
  while (off < chunk.length) {
    const { bytesWritten } = await fh.write(chunk, off, chunk.length - off, position + off);
    off += bytesWritten;
  }
}

function summary(r: ResolvedObject, leaves: number, lengthOnly: number, topOk: boolean | undefined): { verified: boolean; message: string } {
  const where = r.kind === 'dlo' ? 'listing' : 'manifest';
  const parts: string[] = [];
  if (lengthOnly === 0) parts.push(`all ${leaves} segment${leaves === 1 ? '' : 's'} matched the MD5 in the ${where}`);
  else parts.push(`${leaves - lengthOnly} of ${leaves} segments matched their MD5; ${lengthOnly} ranged segment run${lengthOnly === 1 ? ' was' : 's were'} checked by length and segment ETag only`);
  if (topOk === true) parts.push(`the ${r.kind.toUpperCase()} ETag adds up`);
  if (topOk === false) parts.push(r.kind === 'dlo' ? `the DLO ETag does not match the listing (it changed while reading)` : `the SLO ETag Swift reports does not match its manifest`);
  return { verified: lengthOnly === 0 && topOk !== false, message: `${capitalize(parts.join('; '))}.` };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Like toSwiftError, but any file-system failure (it carries a syscall) is an 'io' error, whatever its code. */
function fsError(e: unknown, context: string): SwiftError {
  const err = toSwiftError(e, context);
  const sys = (e as NodeJS.ErrnoException | undefined)?.syscall;
  if (err.kind === 'network' && sys && !(e instanceof SwiftError)) {
    return new SwiftError({ kind: 'io', message: `${context}: ${(e as Error).message}.`, cause: e });
  }
  return err;
}

async function removeQuietly(...paths: string[]): Promise<void> {
  await Promise.all(paths.map((p) => rm(p, { force: true }).catch(() => undefined)));
}

/** HEAD + manifests (or DLO listing) of the object; each request reads its body inside the client's retry loop. */
export function resolveFor(client: SwiftClient, target: DownloadTarget, signal?: AbortSignal, maxLeaves = LEAF_LIMITS.download): Promise<ResolvedObject> {
  // Lazy: the leaves stream from the manifest graph, so memory does not follow their number.
  return resolveObject(client, target.container, target.object, { doing: 'a download', lazy: true, maxLeaves, ...(signal ? { signal } : {}) });
}

function checkLeafBytes(r: ResolvedObject, target: DownloadTarget): void {
  const leafTotal = leafBytesOf(r);
  if (leafTotal !== r.size) {
    throw new SwiftError({ kind: 'integrity', message: `The segments of ${target.container}/${target.object} add up to ${leafTotal} bytes but Swift reports ${r.size}.` });
  }
}

/** The leaves not yet done, in order, streamed (never collected). */
function* leavesLeft(r: ResolvedObject, done: LeafRanges): Generator<FlatSegment> {
  for (const [from, to] of done.gaps(leafCountOf(r))) {
    for (const leaf of leavesOf(r, from)) {
      if (leaf.index >= to) break;
      yield leaf;
    }
  }
}

/** A journal's done leaves (either version) if it describes this very object; otherwise none. */
function doneInJournal(old: DownloadJournal | undefined, target: DownloadTarget, r: ResolvedObject): LeafRanges | undefined {
  if (!old || (old.version !== 1 && old.version !== 2) || old.container !== target.container || old.object !== target.object || old.etag !== r.etag || old.size !== r.size) return undefined;
  const raw = old.version === 1 && Array.isArray(old.done) ? old.done.map((i) => [i, Number(i) + 1]) : old.done;
  return LeafRanges.from(raw, leafCountOf(r));
}

/** Downloads an object to `dest` (a file path) or, in order, into a writable stream (see streamObjectVerified). */
export async function downloadObject(client: SwiftClient, target: DownloadTarget, dest: string | NodeJS.WritableStream, opts: DownloadOptions = {}): Promise<DownloadResult> {
  if (typeof dest !== 'string') return streamObjectVerified(client, target, dest, opts);
  const { signal } = opts;
  const resolved = opts.resolved ?? (await resolveFor(client, target, signal, opts.maxLeaves));
  const partial = partialPathFor(dest);
  const journal = new JournalFile<DownloadJournal>(partial + '.json');
  const progress = new ProgressTracker(resolved.size, opts.onProgress);
  const keepOnAbort = () => opts.keepOnAbort === true || signal?.reason === PAUSE;
  const segmented = resolved.kind === 'slo' || resolved.kind === 'dlo';
  if (segmented) checkLeafBytes(resolved, target);
  const leafCount = segmented ? leafCountOf(resolved) : 0;

  // Resume only when the journal describes this very object and the partial file is there at full length.
  const doneLeaves = new LeafRanges();
  const state: DownloadJournal = { version: 2, container: target.container, object: target.object, etag: resolved.etag, size: resolved.size, done: [], updatedAt: Date.now() };
  const old = doneInJournal(await journal.read(), target, resolved);
  const resume = old !== undefined && (await stat(partial).then((s) => s.size === resolved.size, () => false));
  if (resume) for (const [a, b] of old.list()) doneLeaves.addRange(a, b);

  let fh: FileHandle;
  try {
    fh = await open(partial, resume ? 'r+' : 'w');
    if (!resume) await fh.truncate(resolved.size);
  } catch (e) {
    throw fsError(e, `Cannot write the download to ${partial}`);
  }

  let skipped = 0;
  let lengthOnly = 0;
  let message = '';
  /** Writes the last resume checkpoint now (segmented downloads; see below). */
  let settle: () => Promise<void> = () => Promise.resolve();
  let verified = false;
  try {
    if (segmented) {
      progress.setSegments(leafCount, leavesOf(resolved).next().value?.size ?? 0);
      for (const [a, b] of doneLeaves.list()) {
        progress.setVerifiedRange(a, b);
        progress.preset(leafOffsetOf(resolved, b) - leafOffsetOf(resolved, a));
      }
      skipped = doneLeaves.count;
      // Ranged leaves of earlier runs were checked by length only; count them again without holding them.
      if (skipped) for (const [a, b] of doneLeaves.list()) for (const leaf of leavesOf(resolved, a)) {
        if (leaf.index >= b) break;
        if (!hashCheckable(leaf)) lengthOnly++;
      }
      // Checkpoint: flush file data before the journal claims it. A leaf does not wait for it (its slot takes the
      // next leaf at once), and checkpoints come at most every CHECKPOINT_MS, coalescing whatever was verified
      // meanwhile: an fdatasync per leaf stalled the pool on the disk. A crash loses at most that much of the journal
      // (those leaves are fetched again); the end, a pause and a failure all write the last checkpoint first.
      const pending: number[] = [];
      let checkpoint: Promise<void> = Promise.resolve();
      let queued = false;
      let lastAt = 0;
      let wake: (() => void) | undefined;
      let hurry = false;
      let finished = false;
      const record = (i: number): void => {
        pending.push(i);
        if (queued) return;
        queued = true;
        checkpoint = checkpoint.then(async () => {
          const wait = lastAt + CHECKPOINT_MS - Date.now();
          if (wait > 0 && !hurry) {
            await new Promise<void>((r) => {
              const timer = setTimeout(r, wait);
              wake = () => (clearTimeout(timer), r());
            });
          }
          wake = undefined;
          queued = false;
          const batch = pending.splice(0);
          if (finished) return; // the file is complete: its sync and the journal's removal follow, no checkpoint needed
          await fh.datasync();
          lastAt = Date.now();
          for (const j of batch) doneLeaves.add(j);
          state.done = doneLeaves.list();
          state.updatedAt = lastAt;
          await journal.write(state);
        });
        checkpoint.catch(() => undefined); // awaited by settle()
      };
      settle = () => {
        hurry = true;
        wake?.();
        return checkpoint;
      };
      progress.setPhase('transferring');
      const start = Math.max(1, opts.concurrency ?? 4);
      const adapt = new AdaptiveConcurrency({ start, max: opts.maxConcurrency, onChange: (n) => (progress.concurrency = n) });
      progress.concurrency = start;
      await runPool(leavesLeft(resolved, doneLeaves), adapt.limit, async (leaf, sig) => {
        progress.setState(leaf.index, 's');
        try {
          const out = batchedWriter(fh, leaf.offset);
          const r = await fetchLeaf(client, resolved, leaf, out.write, { signal: sig, progress, retries: LEAF_INTEGRITY_RETRIES, flush: out.flush });
          if (r.check === 'length') lengthOnly++;
          adapt.completed(leaf.size);
          progress.setState(leaf.index, 'v');
          record(leaf.index);
        } catch (e) {
          progress.setState(leaf.index, sig.aborted ? 'p' : 'f');
          throw e;
        }
      }, signal);
      finished = true;
      await settle();
      const computed = recomputeEtag(resolved);
      ({ verified, message } = summary(resolved, leafCount, lengthOnly, computed === undefined ? undefined : computed === resolved.etag));
    } else {
      ({ verified, message } = await plainToFile(client, resolved, fh, progress, signal));
    }
    progress.setPhase('finishing');
    await fh.sync();
    await fh.close();
    const st = await stat(partial);
    if (st.size !== resolved.size) throw new SwiftError({ kind: 'integrity', message: `The downloaded file has ${st.size} bytes but ${target.container}/${target.object} has ${resolved.size}.` });
    await rename(partial, dest);
    await journal.remove();
  } catch (e) {
    await settle().catch(() => undefined);
    await fh.close().catch(() => undefined);
    await journal.flush().catch(() => undefined);
    const err = fsError(e, `Downloading ${target.container}/${target.object}`);
    progress.emit(true);
    if (signal?.aborted) {
      if (keepOnAbort()) throw new SwiftError({ kind: 'cancelled', message: `The download of ${target.container}/${target.object} was paused; ${partial} is kept and a resume fetches only what is missing.` });
      await journal.remove().catch(() => undefined);
      await removeQuietly(partial);
      throw new SwiftError({ kind: 'cancelled', message: `The download of ${target.container}/${target.object} was cancelled and the partial file removed.` });
    }
    if (err.kind === 'io' && /disk is full/.test(err.message)) {
      await journal.remove().catch(() => undefined);
      await removeQuietly(partial);
      throw new SwiftError({ kind: 'io', message: `${err.message} The partial file ${partial} was removed to free the space; nothing was saved as ${dest}.`, cause: err });
    }
    // Verified leaves are worth keeping; a plain object's partial bytes are not journaled, so they go.
    if (!segmented) await Promise.all([journal.remove().catch(() => undefined), removeQuietly(partial)]);
    const keptNote = segmented ? ` The verified part is kept in ${partial}; running the download again resumes.` : '';
    throw new SwiftError({
      kind: err.kind,
      message: `${err.message}${keptNote}`,
      ...(err.status !== undefined ? { status: err.status } : {}),
      ...(err.transId ? { transId: err.transId } : {}),
      ...(err.detail ? { detail: err.detail } : {}),
      cause: err,
    });
  }
  progress.setPhase('done');
  return { etag: resolved.etag, size: resolved.size, kind: resolved.kind, verified, message, skippedSegments: skipped, resentBytes: progress.resentBytes };
}

async function plainToFile(client: SwiftClient, r: ResolvedObject, fh: FileHandle, progress: ProgressTracker, signal?: AbortSignal): Promise<{ verified: boolean; message: string }> {
  progress.setSegments(1, r.size);
  progress.setPhase('transferring');
  progress.setState(0, 's');
  const hash = createHash('md5');
  if (r.size > 0) {
    await readRangeResumable(client, {
      container: r.container, object: r.object, start: 0, end: r.size, whole: true, ifMatch: r.etag || undefined, signal,
      onChunk: async (chunk, pos) => {
        hash.update(chunk);
        await writeAt(fh, chunk, pos);
        progress.add(chunk.length);
      },
    });
  }
  const got = r.size > 0 ? hash.digest('hex') : EMPTY_MD5;
  return checkPlain(r, got, progress);
}

function checkPlain(r: ResolvedObject, got: string, progress: ProgressTracker): { verified: boolean; message: string } {
  if (!isMd5(r.etag)) {
    progress.setState(0, 'v');
    return { verified: false, message: `Swift's ETag for this object (${r.etag || 'none'}) is not an MD5, so only the length (${r.size} bytes) could be checked.` };
  }
  if (got !== r.etag) {
    progress.setState(0, 'f');
    throw new SwiftError({ kind: 'integrity', message: `${r.container}/${r.object} arrived corrupt: its bytes have MD5 ${got} but Swift's ETag is ${r.etag}.` });
  }
  progress.setState(0, 'v');
  return { verified: true, message: `The MD5 of all ${r.size} bytes matches Swift's ETag.` };
}

export function waitWritable(sink: NodeJS.WritableStream, chunk: Uint8Array, signal?: AbortSignal): Promise<void> {
  if (sink.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (e?: unknown) => {
      sink.removeListener('drain', onDrain);
      sink.removeListener('close', onClose);
      sink.removeListener('error', onError);
      signal?.removeEventListener('abort', onAbort);
      if (e) reject(e);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new SwiftError({ kind: 'cancelled', message: 'The receiving side closed the download.' }));
    const onError = (e: unknown) => done(e);
    const onAbort = () => done(new SwiftError({ kind: 'cancelled', message: 'The download was cancelled.' }));
    sink.on('drain', onDrain);
    sink.on('close', onClose);
    sink.on('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Writes the object's bytes in order into `sink` (browser-mode downloads), verifying each segment as it streams.
 * Up to `concurrency - 1` (max 3) following segments are requested ahead; their bodies wait in the socket, not in
 * memory. On any mismatch the sink is destroyed with the error (so the receiver marks the download failed) and the
 * error is thrown. The sink is not ended: the caller does that.
 */
export async function streamObjectVerified(client: SwiftClient, target: DownloadTarget, sink: NodeJS.WritableStream, opts: DownloadOptions = {}): Promise<DownloadResult> {
  const { signal } = opts;
  const fail = (e: unknown): never => {
    const err = toSwiftError(e, `Downloading ${target.container}/${target.object}`);
    // Destroy the sink so the receiver sees a failed transfer, never a short file that looks complete. With an
    // error only when someone listens for it: an unheard 'error' event would crash the process.
    const s = sink as NodeJS.WritableStream & { destroy?: (e?: Error) => void; listenerCount?: (ev: string) => number };
    s.destroy?.((s.listenerCount?.('error') ?? 0) > 0 ? err : undefined);
    throw err;
  };
  try {
    const resolved = opts.resolved ?? (await resolveFor(client, target, signal, opts.maxLeaves));
    const progress = new ProgressTracker(resolved.size, opts.onProgress);
    const write = (chunk: Uint8Array) => waitWritable(sink, chunk, signal);
    if (resolved.kind !== 'slo' && resolved.kind !== 'dlo') {
      const { verified, message } = await plainToSink(client, resolved, write, progress, signal);
      progress.setPhase('done');
      return { etag: resolved.etag, size: resolved.size, kind: resolved.kind, verified, message, skippedSegments: 0, resentBytes: 0 };
    }
    checkLeafBytes(resolved, target);
    const leafCount = leafCountOf(resolved);
    const leaves = leavesOf(resolved);
    progress.setSegments(leafCount, leavesOf(resolved).next().value?.size ?? 0);
    progress.setPhase('transferring');
    // The next few leaves, requested ahead while the current one streams; pulled from the generator, never collected.
    const ahead = Math.max(0, Math.min(3, (opts.concurrency ?? 2) - 1));
    const queue: { leaf: FlatSegment; opened?: Promise<StreamResponse> }[] = [];
    const pull = (): boolean => {
      const n = leaves.next();
      if (!n.done) queue.push({ leaf: n.value });
      return !n.done;
    };
    let lengthOnly = 0;
    try {
      while (queue.length || pull()) {
        const { leaf, opened: first } = queue.shift()!;
        const i = leaf.index;
        while (queue.length < ahead && pull());
        for (const q of queue) {
          if (q.opened) continue;
          q.opened = openRange(client, { ...leafSource(q.leaf, resolved), signal });
          q.opened.catch(() => undefined); // surfaced when the leaf's turn comes
        }
        progress.setState(i, 's');
        const r = await fetchLeaf(client, resolved, leaf, (chunk) => write(chunk), { signal, progress, retries: 0, first }).catch((e: unknown) => {
          progress.setState(i, 'f');
          throw e;
        });
        if (r.check === 'length') lengthOnly++;
        progress.setState(i, 'v');
      }
    } finally {
      for (const q of queue) if (q.opened) void q.opened.then((res) => discardBody(res.body), () => undefined);
    }
    const computed = recomputeEtag(resolved);
    const { verified, message } = summary(resolved, leafCount, lengthOnly, computed === undefined ? undefined : computed === resolved.etag);
    progress.setPhase('done');
    return { etag: resolved.etag, size: resolved.size, kind: resolved.kind, verified, message, skippedSegments: 0, resentBytes: 0 };
  } catch (e) {
    return fail(e);
  }
}

async function plainToSink(client: SwiftClient, r: ResolvedObject, write: (c: Uint8Array) => Promise<void>, progress: ProgressTracker, signal?: AbortSignal): Promise<{ verified: boolean; message: string }> {
  progress.setSegments(1, r.size);
  progress.setPhase('transferring');
  const hash = createHash('md5');
  if (r.size > 0) {
    await readRangeResumable(client, {
      container: r.container, object: r.object, start: 0, end: r.size, whole: true, ifMatch: r.etag || undefined, signal,
      onChunk: async (chunk) => {
        hash.update(chunk);
        await write(chunk);
        progress.add(chunk.length);
      },
    });
  }
  return checkPlain(r, r.size > 0 ? hash.digest('hex') : EMPTY_MD5, progress);
}
