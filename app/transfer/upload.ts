// Uploads a ByteSource as one object or as an SLO: verified segments in parallel, a resume journal, nested manifests
// past max_manifest_segments, and cleanup of what a cancelled upload or an overwritten object leaves behind.
import { createHash } from 'node:crypto';
import { runPool } from '../pool.ts';
import { AdaptiveConcurrency } from './adaptive.ts';
import type { UploadPlan } from '../domain/transfer.ts';
import type { ByteSource } from '../domain/transfer.ts';
import { deletePaths, deleteSegmentsOf, segmentPathsOf } from '../slo/delete.ts';
import { sloEtag } from '../slo/etag.ts';
import type { PutEntry } from '../slo/manifest.ts';
import { putManifest } from '../slo/manifest-put.ts';
import { checkManifestSize } from '../slo/rules.ts';
import { resolveObject, type ResolvedObject } from '../slo/resolve.ts';
import type { SwiftClient } from '../swift/client.ts';
import { SwiftError, toSwiftError } from '../swift/errors.ts';
import { isRetryable } from '../swift/retry.ts';
import { capabilities } from '../swift/info.ts';
import { listObjects } from '../swift/listing.ts';
import { checkContainerName, checkObjectName } from '../swift/names.ts';
import { containerExists, createContainer, deleteObject, headObject } from '../swift/objects.ts';
import { segmentPrefix } from './segment-names.ts';
import { defaultJournalDir, JournalFile, uploadJournalPath, type UploadJournal } from './journal.ts';
import { defaultSegmentContainer, entriesPerManifest, planUpload } from './plan.ts';
import { ProgressTracker, type TransferProgress } from './progress.ts';
import { md5OfRange, putRangeVerified } from './put-verified.ts';

/** Content type python-swiftclient gives segments; keeps segment containers recognisable to both tools. */
export const SEGMENT_CONTENT_TYPE = 'application/swiftclient-segment';
/** Pass as `controller.abort(PAUSE)`: the upload stops but keeps its segments and journal for a resume. */
export const PAUSE = 'slo-studio:pause';

export interface UploadTarget {
  container: string;
  object: string;
}

export interface UploadOptions {
  segmentSize?: number;
  concurrency?: number;
  /** Adaptive concurrency: grow from `concurrency` up to this while throughput grows (default: fixed). */
  maxConcurrency?: number;
  segmentContainer?: string;
  /** Keep the old segments of an overwritten SLO/DLO (and never delete anything the old object references). */
  leaveSegments?: boolean;
  /** Segment even a file at or under the segment size (see plan.ts). */
  asSlo?: boolean;
  journalDir?: string;
  signal?: AbortSignal;
  onProgress?: (p: TransferProgress) => void;
  contentType?: string;
  /** Extra headers for the object (or manifest), e.g. X-Object-Meta-*. */
  headers?: Record<string, string>;
  /** Pre-hash each segment and send its Etag (two reads per segment; see put-verified.ts). */
  verifyBeforeSend?: boolean;
  /** Treat any abort as a pause (keep segments and journal). Default: only `abort(PAUSE)` keeps them. */
  keepOnAbort?: boolean;
}

export interface UploadResult {
  /** The object's ETag as Swift reports it (an SLO: the SLO ETag), unquoted. */
  etag: string;
  size: number;
  /** Segments in the object (0 for a single object). */
  segments: number;
  resentBytes: number;
  /** Segments found already stored and verified from an earlier, interrupted run. */
  skippedSegments: number;
  plan: UploadPlan;
  manifest?: { segmentContainer: string; prefix: string; subManifests: string[]; manifestEtag?: string };
  /** Old segments of an overwritten SLO/DLO that were deleted. */
  oldSegmentsDeleted: number;
  warnings: string[];
}

const pad8 = (n: number) => String(n).padStart(8, '0');

/** Source mtime in seconds with 6 decimals (python-swiftclient's "%f"), from the source or its identity. */
export function sourceMtime(source: ByteSource): string {
  const s = source as ByteSource & { mtime?: unknown; mtimeMs?: unknown };
  if (typeof s.mtime === 'string' && /^\d+\.\d{6}$/.test(s.mtime)) return s.mtime;
  const ms = typeof s.mtimeMs === 'number' ? s.mtimeMs : Number(/:(\d+(?:\.\d+)?)$/.exec(source.identity)?.[1] ?? NaN);
  return ((Number.isFinite(ms) ? ms : Date.now()) / 1000).toFixed(6);
}

/** More segment names than two levels of manifests can hold on any cluster we know: a journal claiming more is junk. */
const MAX_JOURNAL_SEGMENTS = 1_000_000;

/**
 * The journal, if it can be trusted for an upload to `target` whose segments go to `segmentContainer`: the same
 * target, that segment container, and a prefix of the form segmentPrefix() gives this object with the journal's own
 * size and segment size. A journal is never trusted to name objects to delete outside that prefix.
 */
function journalFor(j: UploadJournal | undefined, target: UploadTarget, segmentContainer: string): UploadJournal | undefined {
  if (!j || j.version !== 1 || j.container !== target.container || j.object !== target.object || j.segmentContainer !== segmentContainer) return undefined;
  const { size, segmentSize, segmentCount } = j;
  if (![size, segmentSize, segmentCount].every(Number.isSafeInteger) || segmentSize < 1 || segmentCount > MAX_JOURNAL_SEGMENTS) return undefined;
  if (segmentCount !== Math.ceil(size / segmentSize)) return undefined;
  const m = /^(.*)\/slo\/(\d+\.\d{6})\/(\d+)\/(\d+)$/.exec(typeof j.prefix === 'string' ? j.prefix : '');
  if (!m || Number(m[3]) !== size || Number(m[4]) !== segmentSize) return undefined;
  const hashed = createHash('sha256').update(target.object).digest('hex').slice(0, 40);
  return m[1] === target.object || m[1] === hashed ? j : undefined;
}

const cancelled = (message: string) => new SwiftError({ kind: 'cancelled', message });

/** A transient failure (a 503 from a degraded cluster, a dropped network) says what is kept and what a re-run does. */
function withResumeHint(err: SwiftError, stored: number, count: number): SwiftError {
  const { kind, status, transId, method, path, detail, retryAfterMs } = err;
  const message = `${err.message} ${stored} of ${count} segments are stored; running the same upload again sends only the rest.`;
  return new SwiftError({ kind, message, status, transId, method, path, detail, retryAfterMs, cause: err });
}

async function ensureContainer(client: SwiftClient, container: string): Promise<void> {
  if (!(await containerExists(client, container))) await createContainer(client, container);
}

/** What is at the target now: if it is an SLO/DLO, its segments (to keep safe from cleanup, and to delete later). */
async function inspectExisting(client: SwiftClient, t: UploadTarget, signal?: AbortSignal): Promise<{ resolved?: ResolvedObject; warning?: string }> {
  try {
    // Every request here reads its body inside the client's retry loop, so nothing is retried twice over.
    const head = await headObject(client, t.container, t.object, signal ? { signal } : {});
    if (head.kind !== 'slo' && head.kind !== 'dlo') return {};
    // Lazy and without a leaf ceiling: only the distinct objects it references are needed, never its leaves.
    return { resolved: await resolveObject(client, t.container, t.object, { doing: 'finding the segments of the object being replaced', lazy: true, maxLeaves: Infinity, ...(signal ? { signal } : {}) }) };
  } catch (e) {
    const err = toSwiftError(e);
    if (err.kind === 'not-found') return {};
    if (err.kind === 'cancelled' || err.kind === 'auth') throw err;
    return { warning: `Could not read the object being replaced (${err.message}); its old segments will be left in place.` };
  }
}

function referencedPaths(resolved: ResolvedObject | undefined): Set<string> {
  return new Set(resolved ? segmentPathsOf(resolved) : []);
}

/** Deletes objects by name, ignoring ones already gone; returns how many it removed. Never throws. */
async function deleteQuietly(client: SwiftClient, container: string, names: string[], keep: Set<string>): Promise<number> {
  const paths = names.map((name) => `${container}/${name}`).filter((p) => !keep.has(p));
  try {
    return (await deletePaths(client, paths)).deleted;
  } catch {
    return 0;
  }
}

/**
 * Forgets an unfinished upload to `target`: deletes the segments its journal lists (except any the current object
 * at the target references) and the journal. For cancel/dismiss of a paused, failed or interrupted upload.
 */
export async function discardUpload(client: SwiftClient, target: UploadTarget, opts: { journalDir?: string; segmentContainer?: string } = {}): Promise<number> {
  const journal = new JournalFile<UploadJournal>(uploadJournalPath(opts.journalDir ?? defaultJournalDir(), target.container, target.object), { privateDir: true });
  const j = journalFor(await journal.read(), target, opts.segmentContainer ?? defaultSegmentContainer(target.container));
  if (!j) {
    await journal.remove().catch(() => undefined);
    return 0;
  }
  const existing = await inspectExisting(client, target);
  if (existing.warning) return 0; // cannot tell what the live object uses: leave everything rather than break it
  const names = Array.from({ length: j.segmentCount }, (_, i) => `${j.prefix}/${pad8(i)}`);
  const n = await deleteQuietly(client, j.segmentContainer, names, referencedPaths(existing.resolved));
  await journal.remove();
  return n;
}

export async function uploadObject(client: SwiftClient, source: ByteSource, target: UploadTarget, opts: UploadOptions = {}): Promise<UploadResult> {
  const { signal } = opts;
  const caps = await capabilities(client);
  // Names first: Swift would only refuse a bad one at the manifest PUT, after every segment was sent.
  checkContainerName(target.container, caps);
  checkObjectName(target.object, caps);
  if (opts.segmentContainer !== undefined) checkContainerName(opts.segmentContainer, caps);
  const plan = planUpload(
    { size: source.size, segmentSize: opts.segmentSize, concurrency: opts.concurrency, maxConcurrency: opts.maxConcurrency, container: target.container, object: target.object, segmentContainer: opts.segmentContainer, asSlo: opts.asSlo },
    caps,
  );
  const warnings = [...plan.warnings];
  const progress = new ProgressTracker(source.size, opts.onProgress);
  const mtime = sourceMtime(source);
  const objectHeaders: Record<string, string> = { 'x-object-meta-mtime': mtime, ...opts.headers };
  const what = `${target.container}/${target.object}`;

  await ensureContainer(client, target.container);
  // The segment container's check goes out beside the look at what is being replaced: one round trip, not two.
  if (!plan.single) checkContainerName(plan.segmentContainer, caps); // "<container>_segments" can outgrow the limit
  const segcReady = plan.single ? undefined : ensureContainer(client, plan.segmentContainer);
  segcReady?.catch(() => undefined); // awaited below
  const existing = await inspectExisting(client, target, signal);
  if (existing.warning) warnings.push(existing.warning);
  const oldRefs = referencedPaths(existing.resolved);

  const finishOverwrite = async (newPaths: Set<string>): Promise<number> => {
    if (!existing.resolved || opts.leaveSegments) return 0;
    // Old segments beyond the target's own containers (a DLO prefix can point anywhere) are not ours to delete
    // unasked: they stay, and the warning names where.
    const own = new Set([target.container, plan.segmentContainer, defaultSegmentContainer(target.container)]);
    const foreign = segmentPathsOf(existing.resolved).map((p) => p.replace(/^\/+/, '')).filter((p) => !own.has(p.slice(0, p.indexOf('/'))));
    if (foreign.length) {
      const where = [...new Set(foreign.map((p) => p.slice(0, p.indexOf('/'))))].join(', ');
      warnings.push(`The replaced object's ${foreign.length} segment(s) in ${where} were left in place: they are outside ${target.container} and its segment container. Delete them yourself if they are yours.`);
    }
    try {
      const r = await deleteSegmentsOf(client, existing.resolved, { except: new Set([...newPaths, ...foreign]) });
      if (r.errors.length) warnings.push(`The new object is stored, but ${r.errors.length} old segment(s) could not be deleted (first: ${r.errors[0]!.path} ${r.errors[0]!.message}).`);
      return r.deleted;
    } catch (e) {
      warnings.push(`The new object is stored, but deleting the old segments failed: ${toSwiftError(e).message}`);
      return 0;
    }
  };

  if (plan.single) {
    progress.setSegments(plan.segmentCount, plan.segmentSize);
    progress.setPhase('transferring');
    progress.setState(0, 's');
    const r = await putRangeVerified(client, source, {
      container: target.container,
      object: target.object,
      start: 0,
      end: source.size,
      headers: objectHeaders,
      contentType: opts.contentType ?? 'application/octet-stream',
      ...(opts.verifyBeforeSend ? { verifyBeforeSend: true } : {}),
      ...(signal ? { signal } : {}),
      progress,
    }).catch((e: unknown) => {
      progress.setState(0, 'f');
      throw toSwiftError(e, `Uploading ${source.name}`);
    });
    progress.setState(0, 'v');
    progress.setPhase('finishing');
    // A single PUT commits as it ends, so a change can only be caught afterwards: then the mixed copy goes.
    try {
      await source.checkUnchanged();
    } catch (e) {
      await deleteObject(client, target.container, target.object, { missingOk: true }).catch(() => undefined);
      throw e;
    }
    const oldSegmentsDeleted = await finishOverwrite(new Set());
    progress.setPhase('done');
    return { etag: r.etag, size: source.size, segments: 0, resentBytes: progress.resentBytes, skippedSegments: 0, plan, oldSegmentsDeleted, warnings };
  }

  // ---------- segmented ----------
  const segc = plan.segmentContainer;
  const prefix = segmentPrefix(target.object, mtime, source.size, plan.segmentSize, caps.maxObjectNameLength);
  const count = plan.segmentCount;
  const nameOf = (i: number) => `${prefix}/${pad8(i)}`;
  const rangeOf = (i: number) => ({ start: i * plan.segmentSize, end: Math.min(source.size, (i + 1) * plan.segmentSize) });
  await segcReady;

  const journal = new JournalFile<UploadJournal>(uploadJournalPath(opts.journalDir ?? defaultJournalDir(), target.container, target.object), { privateDir: true });
  const fresh: UploadJournal = {
    version: 1, identity: source.identity, container: target.container, object: target.object, size: source.size,
    segmentContainer: segc, prefix, segmentSize: plan.segmentSize, segmentCount: count, done: {}, updatedAt: Date.now(),
  };
  let state = fresh;
  const old = journalFor(await journal.read(), target, segc);
  if (old) {
    const same = old.identity === source.identity && old.prefix === prefix && old.segmentContainer === segc && old.segmentSize === plan.segmentSize && old.size === source.size;
    if (same) state = { ...old, done: { ...old.done } };
    else if (!existing.warning) {
      // Another file (or another segment size) was half-uploaded here: its segments are orphans now.
      const names = Array.from({ length: old.segmentCount }, (_, i) => `${old.prefix}/${pad8(i)}`);
      await deleteQuietly(client, old.segmentContainer, names, oldRefs);
    }
  }

  progress.setSegments(count, plan.segmentSize);
  const journaled = Object.keys(state.done).map(Number).filter((i) => Number.isInteger(i) && i >= 0 && i < count);
  const previous = state.done;
  state.done = {};
  let skipped = 0;
  const keepOnAbort = () => opts.keepOnAbort === true || signal?.reason === PAUSE;
  // Everything this upload may have stored, for a cancel: journaled segments and every segment it starts.
  const startedNames = new Set<number>(journaled);
  let journalProblem: string | undefined;
  const cleanupAll = async () => {
    await deleteQuietly(client, segc, [...startedNames].map(nameOf), oldRefs);
    await journal.remove().catch(() => undefined);
  };

  try {
    // Resume. The segment names are deterministic (file mtime, size, segment size), so one listing of the prefix
    // shows what an earlier run stored — including segments whose 201 arrived after its journal was last written
    // or that the run never heard back about. Journaled ones match by size + ETag; others are kept when the MD5 of
    // our own bytes (a local read, no upload) equals the ETag Swift lists for them.
    const stored = new Map<string, { bytes: number; hash: string }>();
    for await (const e of listObjects(client, segc, { prefix: `${prefix}/`, signal })) {
      if (e.type === 'object') stored.set(e.name, { bytes: e.bytes, hash: e.hash });
    }
    const candidates = Array.from({ length: count }, (_, i) => i).filter((i) => previous[String(i)] !== undefined || stored.has(nameOf(i)));
    await runPool(candidates, Math.min(16, plan.concurrency * 2), async (i, sig) => {
      const r = rangeOf(i);
      const size = r.end - r.start;
      const want = previous[String(i)];
      let found = stored.get(nameOf(i));
      if (!found && want) {
        // Listings can lag a fresh PUT; ask the object itself.
        const h = await headObject(client, segc, nameOf(i), { signal: sig }).catch((e: unknown) => {
          if (toSwiftError(e).kind === 'not-found') return undefined;
          throw e;
        });
        if (h) found = { bytes: h.size, hash: h.etag };
      }
      if (!found || found.bytes !== size) return;
      startedNames.add(i);
      const etag = want && want.etag === found.hash && want.size === size ? want.etag : (await md5OfRange(source, r.start, r.end, sig)) === found.hash ? found.hash : undefined;
      if (!etag) return;
      state.done[String(i)] = { etag, size };
      progress.setState(i, 'v');
      progress.preset(size);
      skipped++;
    }, signal);
    state.updatedAt = Date.now();
    await journal.write(state);

    progress.setPhase('transferring');
    const todo = Array.from({ length: count }, (_, i) => i).filter((i) => state.done[String(i)] === undefined);
    const adapt = new AdaptiveConcurrency({ start: plan.concurrency, max: plan.maxConcurrency, onChange: (n) => (progress.concurrency = n) });
    progress.concurrency = plan.concurrency;
    await runPool(todo, adapt.limit, async (i, sig) => {
      const r = rangeOf(i);
      startedNames.add(i);
      progress.setState(i, 's');
      try {
        const put = await putRangeVerified(client, source, {
          container: segc, object: nameOf(i), start: r.start, end: r.end, contentType: SEGMENT_CONTENT_TYPE,
          ...(opts.verifyBeforeSend ? { verifyBeforeSend: true } : {}), signal: sig, progress,
        });
        state.done[String(i)] = put;
        state.updatedAt = Date.now();
        adapt.completed(r.end - r.start);
        progress.setState(i, 'v');
        // Not awaited: a worker should not wait for the disk to take its next segment. The journal is a hint.
        journal.write(state).catch((e: unknown) => journalProblem ??= toSwiftError(e).message);
      } catch (e) {
        progress.setState(i, sig.aborted ? 'p' : 'f');
        throw e;
      }
    }, signal);
    progress.setPhase('finishing');
    await source.checkUnchanged();
  } catch (e) {
    const err = toSwiftError(e, `Uploading ${source.name}`);
    await journal.flush().catch(() => undefined);
    if (signal?.aborted) {
      progress.emit(true);
      if (keepOnAbort()) {
        throw cancelled(`The upload of ${source.name} to ${what} was paused; ${Object.keys(state.done).length} of ${count} segments are stored and a resume sends only the rest.`);
      }
      await cleanupAll();
      throw cancelled(`The upload of ${source.name} to ${what} was cancelled and the segments it had stored were deleted.`);
    }
    // A changed source makes every stored segment useless.
    if (err.kind === 'io' && /changed|disappeared/.test(err.message)) await cleanupAll();
    progress.emit(true);
    throw isRetryable(err) ? withResumeHint(err, Object.keys(state.done).length, count) : err;
  }

  // ---------- manifests ----------
  const entries: PutEntry[] = Array.from({ length: count }, (_, i) => {
    const d = state.done[String(i)]!;
    return { path: `/${segc}/${nameOf(i)}`, etag: d.etag, size_bytes: d.size };
  });
  const newPaths = new Set(entries.map((e) => ('path' in e ? e.path.slice(1) : '')));
  const perManifest = entriesPerManifest(caps, segc, target.object);
  const subManifests: string[] = [];
  let top: PutEntry[] = entries;
  const manifestHeaders = { ...objectHeaders, 'content-type': opts.contentType ?? 'application/octet-stream' };
  try {
    if (entries.length > perManifest) {
      top = [];
      for (let n = 0; n * perManifest < entries.length; n++) {
        const chunk = entries.slice(n * perManifest, (n + 1) * perManifest);
        const name = `${prefix}/manifest.${pad8(n)}`;
        const r = await putManifest(client, segc, name, chunk, { headers: { 'content-type': SEGMENT_CONTENT_TYPE }, ...(signal ? { signal } : {}) });
        const expected = sloEtag(chunk.map((c) => ({ etag: (c as { etag: string }).etag })));
        if (r.etag !== expected) {
          throw new SwiftError({ kind: 'integrity', message: `Swift reports ETag ${r.etag} for the sub-manifest ${segc}/${name}, but its segments add up to ${expected}.` });
        }
        const bytes = chunk.reduce((s, c) => s + ((c as { size_bytes: number }).size_bytes ?? 0), 0);
        top.push({ path: `/${segc}/${name}`, etag: r.etag, size_bytes: bytes });
        subManifests.push(`${segc}/${name}`);
        newPaths.add(`${segc}/${name}`);
      }
    }
    const tooLarge = checkManifestSize(JSON.stringify(top), caps.slo?.maxManifestSize ?? Infinity);
    if (tooLarge) throw new SwiftError({ kind: 'limit', message: `The manifest for ${what} cannot be stored: ${tooLarge.message} Use a larger segment size.` });
    const r = await putManifest(client, target.container, target.object, top, { headers: manifestHeaders, ...(signal ? { signal } : {}) });
    const expected = sloEtag(top.map((c) => ({ etag: (c as { etag: string }).etag })));
    if (r.etag !== expected) {
      throw new SwiftError({ kind: 'integrity', message: `Swift reports ETag ${r.etag} for ${what}, but the verified segments add up to ${expected}.` });
    }
    await journal.remove();
    if (journalProblem) warnings.push(`The resume journal could not be saved (${journalProblem}); an interrupted run would have started over.`);
    const oldSegmentsDeleted = await finishOverwrite(newPaths);
    progress.setPhase('done');
    return {
      etag: r.etag, size: source.size, segments: count, resentBytes: progress.resentBytes, skippedSegments: skipped, plan,
      manifest: { segmentContainer: segc, prefix, subManifests }, oldSegmentsDeleted, warnings,
    };
  } catch (e) {
    const err = toSwiftError(e, `Storing the manifest of ${what}`);
    if (signal?.aborted && !keepOnAbort()) {
      await deleteQuietly(client, segc, subManifests.map((p) => p.slice(segc.length + 1)), oldRefs);
      await cleanupAll();
      throw cancelled(`The upload of ${source.name} to ${what} was cancelled and the segments it had stored were deleted.`);
    }
    progress.emit(true);
    throw err; // segments and journal stay: a retry only re-sends the manifest
  }
}
