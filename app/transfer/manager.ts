// Transfers for the GUI hosts: runs uploads and downloads, keeps a TransferInfo (the contract type) per transfer and
// emits it on every state change and throttled progress. Pause = abort that keeps segments/partial file + journal;
// resume = run again, which picks up the journal. Unfinished transfers are saved in <dataDir>/transfers.json so after
// a restart they show as 'interrupted' and can be resumed (uploads from a path; a browser-held file must be dropped
// again — with the same file the stored segments are reused).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { TransferInfo } from '../domain/transfer.ts';
import type { ByteSource } from '../domain/transfer.ts';
import type { SwiftClient } from '../swift/client.ts';
import { SwiftError, toSwiftError } from '../swift/errors.ts';
import { writeArchive } from './archive-download.ts';
import type { GroupAction } from '../domain/batch.ts';
import type { FolderItem } from './folder-download.ts';
import { downloadObject, partialPathFor, resolveFor, streamObjectVerified } from './download.ts';
import { openFileSource } from './file-source.ts';
import { JournalFile } from './journal.ts';
import type { TransferProgress } from './progress.ts';
import { discardUpload, PAUSE, uploadObject } from './upload.ts';

export interface UploadArgs {
  container: string;
  object: string;
  segmentSize?: number;
  concurrency?: number;
  maxConcurrency?: number;
  segmentContainer?: string;
  leaveSegments?: boolean;
  asSlo?: boolean;
  /** A batch (folder) this upload belongs to. */
  group?: string;
  groupLabel?: string;
}

export interface DownloadArgs {
  container: string;
  object: string;
  /** Destination file. */
  path: string;
  concurrency?: number;
  maxConcurrency?: number;
  /** A batch (folder) this download belongs to. */
  group?: string;
  groupLabel?: string;
}

export interface ArchiveDownloadArgs {
  container: string;
  files: FolderItem[];
  /** The archive's file name, e.g. "photos.tar". */
  name: string;
  concurrency?: number;
  serve: ServeDownload;
  group: string;
  groupLabel: string;
}

export type ServeDownload = (
  transferId: string,
  meta: { name: string; size: number },
  write: (sink: NodeJS.WritableStream, signal: AbortSignal) => Promise<void>,
) => string;

export interface SinkDownloadArgs {
  container: string;
  object: string;
  concurrency?: number;
  /** The host's HostPlatform.serveDownload: registers the writer, returns the URL the browser fetches. */
  serve: ServeDownload;
}

export interface TransferManagerOptions {
  client: () => SwiftClient;
  dataDir: string;
  emit: (info: TransferInfo) => void;
  /** Transfers running at once; more wait as 'queued'. */
  maxActive?: number;
}

type Kind = 'upload' | 'download' | 'stream';

interface Entry {
  info: TransferInfo;
  kind: Kind;
  upload?: UploadArgs;
  download?: DownloadArgs;
  stream?: SinkDownloadArgs;
  /** Live source of an upload (closed when the transfer ends). */
  source?: ByteSource | undefined;
  /** Upload from a host path: what a resume after restart reopens. */
  sourcePath?: string | undefined;
  sourceIdentity?: string | undefined;
  controller?: AbortController | undefined;
  running?: Promise<void> | undefined;
}

/** What transfers.json keeps of an unfinished transfer. */
interface Saved {
  info: TransferInfo;
  kind: 'upload' | 'download';
  upload?: UploadArgs;
  download?: DownloadArgs;
  sourcePath?: string;
  sourceIdentity?: string;
}

const ACTIVE = new Set<TransferInfo['state']>(['queued', 'running', 'finishing']);
const SETTLED = new Set<TransferInfo['state']>(['done', 'failed', 'cancelled']);
/** Progress-only updates per transfer: 4 a second reads as live and costs the page less than half the frames of 10 (bench ui-upload). */
const PROGRESS_EMIT_MS = 250;

/** Reads the state afresh (pause/cancel change it while a run awaits). */
function stateOf(e: Entry): TransferInfo['state'] {
  return e.info.state;
}

function errorValue(e: unknown): NonNullable<TransferInfo['error']> {
  return toSwiftError(e).toJSON();
}

function human(n: number): string {
  const u = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) {
    n /= 1024;
    i++;
  }
  return i === 0 ? `${n} bytes` : `${n.toFixed(1)} ${u[i]}`;
}

export class TransferManager {
  private readonly entries = new Map<string, Entry>();
  private readonly saved: JournalFile<Saved[]>;
  private readonly journalDir: string;
  private readonly maxActive: number;
  private lastEmit = new Map<string, number>();

  constructor(private readonly opts: TransferManagerOptions) {
    this.saved = new JournalFile<Saved[]>(join(opts.dataDir, 'transfers.json'));
    this.journalDir = join(opts.dataDir, 'journals');
    this.maxActive = Math.max(1, opts.maxActive ?? 3);
    this.load();
  }

  // ---------- public API ----------

  async upload(source: ByteSource, args: UploadArgs): Promise<TransferInfo> {
    const path = (source as ByteSource & { path?: unknown }).path;
    const e = this.add('upload', args.container, args.object, typeof path === 'string' ? path : source.name, source.size);
    e.upload = { ...args };
    this.setGroup(e, args);
    e.source = source;
    e.sourcePath = typeof path === 'string' ? path : undefined;
    e.sourceIdentity = source.identity;
    this.schedule();
    return this.view(e);
  }

  async download(args: DownloadArgs): Promise<TransferInfo> {
    const e = this.add('download', args.container, args.object, args.path, 0);
    e.download = { ...args };
    this.setGroup(e, args);
    this.schedule();
    return this.view(e);
  }

  /** Browser mode: resolves the object now (so the response can announce its size) and serves it when fetched. */
  async downloadToSink(args: SinkDownloadArgs): Promise<TransferInfo> {
    const resolved = await resolveFor(this.opts.client(), args);
    const e = this.add('stream', args.container, args.object, basename(args.object), resolved.size);
    e.stream = args;
    const size = resolved.size;
    e.info.downloadUrl = args.serve(e.info.id, { name: basename(args.object) || 'download', size }, (sink, signal) =>
      this.runStream(e, sink, signal, async (client, both) => {
        const a = e.stream!;
        const resolved = await resolveFor(client, a, both);
        if (resolved.size !== size) {
          throw new SwiftError({ kind: 'precondition', message: `${a.container}/${a.object} changed since the download was prepared (${size} → ${resolved.size} bytes); start it again.` });
        }
        return streamObjectVerified(client, { container: a.container, object: a.object }, sink, {
          ...(a.concurrency ? { concurrency: a.concurrency } : {}),
          signal: both,
          resolved,
          onProgress: this.onProgress(e),
        });
      }),
    );
    e.info.state = 'queued';
    this.changed(e);
    return this.view(e);
  }

  /** Browser mode's folder download: one tar of verified files, served when the browser fetches it. */
  async downloadArchiveToSink(args: ArchiveDownloadArgs): Promise<TransferInfo> {
    const total = args.files.reduce((s, f) => s + f.size, 0);
    const e = this.add('stream', args.container, args.files.length === 1 ? args.files[0]!.object : args.groupLabel, args.name, total);
    this.setGroup(e, args);
    e.info.downloadUrl = args.serve(e.info.id, { name: args.name, size: -1 }, (sink, signal) =>
      this.runStream(e, sink, signal, async (client, both) => {
        const r = await writeArchive(client, args.container, args.files, sink, { signal: both, ...(args.concurrency ? { concurrency: args.concurrency } : {}), onProgress: this.onProgress(e) });
        const all = r.verified === r.files ? 'every file verified' : `${r.verified} of ${r.files} files verified (the rest by length only)`;
        return { etag: '', verified: r.verified === r.files, message: `${r.files} files, ${human(r.size)} in one tar archive; ${all}.` };
      }),
    );
    e.info.state = 'queued';
    this.changed(e);
    return this.view(e);
  }

  /** Pause, resume, cancel or dismiss every transfer of a batch; what a single transfer refuses is skipped. */
  async groupAction(group: string, action: GroupAction): Promise<TransferInfo[]> {
    const members = [...this.entries.values()].filter((e) => e.info.group === group);
    if (members.length === 0) throw new SwiftError({ kind: 'not-found', message: `There is no batch ${group} (it may have been dismissed).` });
    const errors: string[] = [];
    // Pausing queued ones first keeps the scheduler from starting them while running ones stop.
    const ordered = action === 'pause' ? [...members].sort((a, b) => Number(!!a.running) - Number(!!b.running)) : members;
    for (const e of ordered) {
      try {
        if (action === 'pause' && e.kind !== 'stream' && ACTIVE.has(e.info.state)) await this.pause(e.info.id);
        else if (action === 'resume') await this.resume(e.info.id);
        else if (action === 'cancel') await this.cancel(e.info.id);
        else if (action === 'dismiss') this.dismiss(e.info.id);
      } catch (err) {
        errors.push(toSwiftError(err).message);
      }
    }
    // Once the answer is back the batch's state is on disk: a crash right after a pause must not forget members.
    this.persist();
    await this.saved.flush().catch(() => undefined);
    if (errors.length === members.length && errors[0]) throw new SwiftError({ kind: 'invalid', message: errors[0] });
    return members.filter((e) => this.entries.has(e.info.id)).map((e) => this.view(e));
  }

  list(): TransferInfo[] {
    return [...this.entries.values()].map((e) => this.view(e));
  }

  async pause(id: string): Promise<TransferInfo> {
    const e = this.get(id);
    if (e.kind === 'stream') {
      throw new SwiftError({ kind: 'invalid', message: 'A download streaming to the browser cannot be paused; cancel it, or let it finish.' });
    }
    if (e.info.state === 'queued' && !e.running) {
      e.info.state = 'paused';
      this.changed(e);
    } else if (ACTIVE.has(e.info.state)) {
      e.info.state = 'paused';
      e.controller?.abort(PAUSE);
      this.changed(e);
      await e.running;
    }
    return this.view(e);
  }

  async resume(id: string): Promise<TransferInfo> {
    const e = this.get(id);
    if (!['paused', 'interrupted', 'failed'].includes(e.info.state)) return this.view(e);
    if (e.kind === 'stream') {
      throw new SwiftError({ kind: 'invalid', message: 'A download to the browser cannot be resumed; start the download again.' });
    }
    if (e.kind === 'upload' && !e.source) {
      if (!e.sourcePath) {
        throw new SwiftError({
          kind: 'invalid',
          message: `The file ${e.info.local} was held by the browser tab and is no longer available; drop it again to upload it to the same name (segments already stored are reused when it is the same file).`,
        });
      }
      e.source = await openFileSource(e.sourcePath);
    }
    delete e.info.error;
    e.info.state = 'queued';
    this.changed(e);
    this.schedule();
    return this.view(e);
  }

  async cancel(id: string): Promise<TransferInfo> {
    const e = this.get(id);
    if (SETTLED.has(e.info.state) && e.info.state !== 'failed') return this.view(e);
    const wasRunning = !!e.running;
    e.info.state = 'cancelled';
    this.changed(e);
    if (wasRunning) {
      e.controller?.abort();
      await e.running; // the engine deletes what it stored
    } else {
      await this.discard(e);
    }
    e.info.state = 'cancelled';
    this.changed(e);
    await this.closeSource(e);
    this.persist();
    return this.view(e);
  }

  /** Forgets a finished, failed, cancelled or interrupted transfer; a failed or interrupted one's leftovers are removed. */
  dismiss(id: string): boolean {
    const e = this.entries.get(id);
    if (!e || e.running || !['done', 'failed', 'cancelled', 'interrupted'].includes(e.info.state)) return false;
    this.entries.delete(id);
    this.lastEmit.delete(id);
    if (e.info.state === 'failed' || e.info.state === 'interrupted') void this.discard(e).catch(() => undefined);
    void this.closeSource(e);
    this.persist();
    return true;
  }

  /** Host shutdown: pause what runs (kept for a resume after restart) and save. */
  async dispose(): Promise<void> {
    const running = [...this.entries.values()].filter((e) => e.running && e.kind !== 'stream');
    for (const e of running) {
      e.info.state = 'paused'; // so the run keeps its segments/partial file and the entry is saved
      e.controller?.abort(PAUSE);
    }
    await Promise.all(running.map((e) => e.running));
    for (const e of this.entries.values()) await this.closeSource(e);
    this.persist();
    await this.saved.flush().catch(() => undefined);
  }

  // ---------- running ----------

  private setGroup(e: Entry, args: { group?: string | undefined; groupLabel?: string | undefined }): void {
    if (args.group) e.info.group = args.group;
    if (args.groupLabel) e.info.groupLabel = args.groupLabel;
  }

  private add(kind: Kind, container: string, object: string, local: string, totalBytes: number): Entry {
    const now = Date.now();
    const info: TransferInfo = {
      id: `${kind === 'upload' ? 'up' : 'dl'}-${now.toString(36)}-${randomBytes(4).toString('hex')}`,
      direction: kind === 'upload' ? 'upload' : 'download',
      state: 'queued',
      container,
      object,
      local,
      totalBytes,
      doneBytes: 0,
      rateBps: 0,
      etaSeconds: null,
      segmentSize: 0,
      segments: '',
      resentBytes: 0,
      startedAt: now,
      updatedAt: now,
    };
    const e: Entry = { info, kind };
    this.entries.set(info.id, e);
    return e;
  }

  private schedule(): void {
    let active = [...this.entries.values()].filter((e) => e.running).length;
    for (const e of this.entries.values()) {
      if (active >= this.maxActive) break;
      if (e.info.state !== 'queued' || e.running || e.kind === 'stream') continue;
      active++;
      e.running = this.run(e).finally(() => {
        e.running = undefined;
        e.controller = undefined;
        this.persist();
        this.schedule();
      });
    }
    this.persist();
  }

  private onProgress(e: Entry): (p: TransferProgress) => void {
    return (p) => {
      const i = e.info;
      i.totalBytes = p.totalBytes;
      i.doneBytes = p.bytesDone;
      i.rateBps = p.rateBps;
      i.etaSeconds = p.etaSeconds;
      i.segmentSize = p.segmentSize;
      i.segments = p.segments;
      if (p.segmentCount !== undefined && p.segmentCount !== p.segments.length) i.segmentCount = p.segmentCount;
      else delete i.segmentCount;
      i.resentBytes = p.resentBytes;
      if (p.concurrency !== undefined) i.concurrency = p.concurrency;
      if (i.state === 'running' && p.phase === 'finishing') i.state = 'finishing';
      this.changed(e, true);
    };
  }

  private async run(e: Entry): Promise<void> {
    const controller = new AbortController();
    e.controller = controller;
    e.info.state = 'running';
    e.info.startedAt = e.info.startedAt || Date.now();
    this.changed(e);
    try {
      const client = this.opts.client();
      if (e.kind === 'upload') {
        const a = e.upload!;
        const source = e.source!;
        const r = await uploadObject(client, source, { container: a.container, object: a.object }, {
          ...(a.segmentSize ? { segmentSize: a.segmentSize } : {}),
          ...(a.concurrency ? { concurrency: a.concurrency } : {}),
          ...(a.maxConcurrency ? { maxConcurrency: a.maxConcurrency } : {}),
          ...(a.segmentContainer ? { segmentContainer: a.segmentContainer } : {}),
          ...(a.leaveSegments ? { leaveSegments: true } : {}),
          ...(a.asSlo ? { asSlo: true } : {}),
          journalDir: this.journalDir,
          signal: controller.signal,
          onProgress: this.onProgress(e),
        });
        const what = r.segments ? `${r.segments} segment${r.segments === 1 ? '' : 's'}` : 'one object';
        const resumed = r.skippedSegments ? `; ${r.skippedSegments} were already stored from an earlier run` : '';
        const cleaned = r.oldSegmentsDeleted ? `; ${r.oldSegmentsDeleted} old segments of the replaced object were deleted` : '';
        e.info.result = {
          etag: r.etag,
          verified: true,
          message: `Uploaded ${human(r.size)} as ${what}; every ${r.segments ? 'segment' : 'byte'} was checked against the MD5 Swift stored${resumed}${cleaned}.${r.warnings.length ? ' ' + r.warnings.join(' ') : ''}`,
        };
        e.info.doneBytes = r.size;
        e.info.totalBytes = r.size;
      } else {
        const a = e.download!;
        const r = await downloadObject(client, { container: a.container, object: a.object }, a.path, {
          ...(a.concurrency ? { concurrency: a.concurrency } : {}),
          ...(a.maxConcurrency ? { maxConcurrency: a.maxConcurrency } : {}),
          signal: controller.signal,
          onProgress: this.onProgress(e),
        });
        e.info.result = { etag: r.etag, verified: r.verified, message: r.message };
        e.info.doneBytes = r.size;
        e.info.totalBytes = r.size;
      }
      e.info.state = 'done';
      e.info.etaSeconds = 0;
      e.info.rateBps = 0;
      delete e.info.error;
      await this.closeSource(e);
    } catch (err) {
      const state = stateOf(e);
      // pause() and cancel() set the state before aborting; keep it.
      if (state !== 'paused' && state !== 'cancelled') {
        e.info.state = 'failed';
        e.info.error = errorValue(err);
      }
      if (state === 'cancelled') await this.closeSource(e);
    }
    this.changed(e);
  }

  private async runStream(
    e: Entry,
    sink: NodeJS.WritableStream,
    signal: AbortSignal,
    body: (client: SwiftClient, signal: AbortSignal) => Promise<{ etag: string; verified: boolean; message: string; size?: number }>,
  ): Promise<void> {
    const controller = new AbortController();
    e.controller = controller;
    const both = AbortSignal.any([signal, controller.signal]);
    e.info.state = 'running';
    e.info.doneBytes = 0;
    delete e.info.error;
    this.changed(e);
    let done: () => void = () => undefined;
    e.running = new Promise<void>((r) => (done = r));
    try {
      const r = await body(this.opts.client(), both);
      e.info.result = { etag: r.etag, verified: r.verified, message: r.message };
      e.info.state = 'done';
      e.info.doneBytes = r.size ?? e.info.totalBytes;
      e.info.etaSeconds = 0;
      e.info.rateBps = 0;
    } catch (err) {
      if (stateOf(e) !== 'cancelled') {
        e.info.state = 'failed';
        e.info.error = errorValue(err);
      }
      throw err;
    } finally {
      e.controller = undefined;
      e.running = undefined;
      done();
      this.changed(e);
    }
  }

  /** Removes what an unfinished transfer left: an upload's stored segments, a download's partial file. */
  private async discard(e: Entry): Promise<void> {
    if (e.kind === 'upload' && e.upload) {
      await discardUpload(this.opts.client(), { container: e.upload.container, object: e.upload.object }, { journalDir: this.journalDir, ...(e.upload.segmentContainer ? { segmentContainer: e.upload.segmentContainer } : {}) }).catch(() => undefined);
    } else if (e.kind === 'download' && e.download) {
      const partial = partialPathFor(e.download.path);
      await Promise.all([rm(partial, { force: true }), rm(partial + '.json', { force: true })]).catch(() => undefined);
    }
  }

  private async closeSource(e: Entry): Promise<void> {
    const s = e.source as (ByteSource & { close?: () => Promise<void> }) | undefined;
    e.source = undefined;
    await s?.close?.().catch(() => undefined);
  }

  // ---------- state, events, persistence ----------

  private get(id: string): Entry {
    const e = this.entries.get(id);
    if (!e) throw new SwiftError({ kind: 'not-found', message: `There is no transfer ${id} (it may have been dismissed).` });
    return e;
  }

  private view(e: Entry): TransferInfo {
    return { ...e.info, ...(e.info.error ? { error: { ...e.info.error } } : {}), ...(e.info.result ? { result: { ...e.info.result } } : {}) };
  }

  /**
   * Emits at once on state changes; progress-only updates at most every PROGRESS_EMIT_MS per transfer. Each one is a
   * frame the page draws, and in browser mode those frames take CPU from the transfer itself (issue 18).
   */
  private changed(e: Entry, progressOnly = false): void {
    const now = Date.now();
    e.info.updatedAt = now;
    if (progressOnly && now - (this.lastEmit.get(e.info.id) ?? 0) < PROGRESS_EMIT_MS) return;
    this.lastEmit.set(e.info.id, now);
    try {
      this.opts.emit(this.view(e));
    } catch {
      /* a renderer that went away must not break the transfer */
    }
  }

  private persist(): void {
    const list: Saved[] = [];
    for (const e of this.entries.values()) {
      if (e.kind === 'stream' || SETTLED.has(e.info.state)) continue;
      list.push({
        info: this.view(e),
        kind: e.kind,
        ...(e.upload ? { upload: e.upload } : {}),
        ...(e.download ? { download: e.download } : {}),
        ...(e.sourcePath ? { sourcePath: e.sourcePath } : {}),
        ...(e.sourceIdentity ? { sourceIdentity: e.sourceIdentity } : {}),
      });
    }
    this.saved.write(list).catch(() => undefined);
  }

  private load(): void {
    let list: Saved[] = [];
    try {
      list = JSON.parse(readFileSync(this.saved.path, 'utf8')) as Saved[];
    } catch {
      return;
    }
    if (!Array.isArray(list)) return;
    for (const s of list) {
      if (!s?.info?.id || (s.kind !== 'upload' && s.kind !== 'download')) continue;
      const info: TransferInfo = { ...s.info, state: 'interrupted', rateBps: 0, etaSeconds: null };
      delete info.downloadUrl;
      if (s.kind === 'upload' && !s.sourcePath) {
        info.error = {
          kind: 'invalid',
          message: `The file ${info.local} was held by the browser tab and is gone since the restart; drop it again to upload it to the same name (segments already stored are reused when it is the same file).`,
        };
      }
      this.entries.set(info.id, {
        info,
        kind: s.kind,
        ...(s.upload ? { upload: s.upload } : {}),
        ...(s.download ? { download: s.download } : {}),
        sourcePath: s.sourcePath,
        sourceIdentity: s.sourceIdentity,
      });
    }
  }
}
