// Small JSON state files written atomically (temp file + rename), so a crash leaves either the old or the new state,
// never half of one. Writes are coalesced: while one is on disk, later updates collapse into a single next write.
import { createHash, randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { defaultDataDir } from '../data-dir.ts';
import { SwiftError, toSwiftError } from '../swift/errors.ts';

/**
 * Upload journals live in the per-user data dir, never in a shared temp dir: a journal names segments to delete,
 * so whoever can write one there could make our uploads delete objects of their choice with our token.
 */
export function defaultJournalDir(): string {
  return join(defaultDataDir(), 'journals');
}

const myUid = (): number | undefined => process.getuid?.();

/** Creates `dir` as 0700 (tightening it if needed); refuses one that is not a real directory of ours. */
async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const st = await lstat(dir);
  const uid = myUid();
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) {
    throw new SwiftError({ kind: 'io', message: `${dir} is not a directory of yours; transfer journals are not kept there.` });
  }
  if (st.mode & 0o077) await chmod(dir, 0o700);
}

export async function writeFileAtomic(path: string, text: string, opts: { privateDir?: boolean } = {}): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    if (opts.privateDir) await ensurePrivateDir(dirname(path));
    else await mkdir(dirname(path), { recursive: true });
    await writeFile(tmp, text, { mode: 0o600 });
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw toSwiftError(e, `Could not save the transfer journal ${path}`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class JournalFile<T> {
  private chain: Promise<void> = Promise.resolve();
  private latest: T | undefined;
  private scheduled = false;
  private removed = false;

  constructor(readonly path: string, private readonly opts: { privateDir?: boolean } = {}) {}

  /**
   * The stored state, or undefined when there is none, it is unreadable or another user wrote it (a journal is only
   * ever a hint, and never one planted by someone else).
   */
  async read(): Promise<T | undefined> {
    await this.removeStaleTemps();
    try {
      const uid = myUid();
      if (uid !== undefined && (await stat(this.path)).uid !== uid) return undefined;
      return JSON.parse(await readFile(this.path, 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  /** Temp files of writers that died mid-write (`<name>.<pid>.<rand>.tmp` whose pid is gone). */
  private async removeStaleTemps(): Promise<void> {
    const base = basename(this.path) + '.';
    const names = await readdir(dirname(this.path)).catch(() => [] as string[]);
    for (const n of names) {
      const m = n.startsWith(base) ? /^(\d+)\.[0-9a-f]+\.tmp$/.exec(n.slice(base.length)) : null;
      if (m && Number(m[1]) !== process.pid && !alive(Number(m[1]))) await rm(join(dirname(this.path), n), { force: true }).catch(() => undefined);
    }
  }

  /** Saves `data` (read when the write actually starts, so pass a live object); resolves once it is on disk. */
  write(data: T): Promise<void> {
    if (this.removed) return Promise.resolve();
    this.latest = data;
    if (!this.scheduled) {
      this.scheduled = true;
      this.chain = this.chain
        .catch(() => undefined)
        .then(async () => {
          this.scheduled = false;
          if (this.removed) return;
          await writeFileAtomic(this.path, JSON.stringify(this.latest), this.opts);
        });
    }
    return this.chain;
  }

  async flush(): Promise<void> {
    await this.chain;
  }

  async remove(): Promise<void> {
    this.removed = true;
    await this.chain.catch(() => undefined);
    await rm(this.path, { force: true }).catch((e: unknown) => {
      throw new SwiftError({ kind: 'io', message: `Could not remove the transfer journal ${this.path}.`, cause: e });
    });
  }
}

/** One upload journal per target: a new upload of another file to the same name finds (and cleans) the old one. */
export function uploadJournalPath(dir: string, container: string, object: string): string {
  const key = createHash('sha256').update(`${container}\n${object}`).digest('hex').slice(0, 40);
  return join(dir, `upload-${key}.json`);
}

export interface UploadJournal {
  version: 1;
  identity: string;
  container: string;
  object: string;
  size: number;
  segmentContainer: string;
  /** Segment names are `${prefix}/${8-digit index}`. */
  prefix: string;
  segmentSize: number;
  segmentCount: number;
  /** Verified segments by index: what Swift stored (etag checked against our MD5). */
  done: Record<string, { etag: string; size: number }>;
  updatedAt: number;
}

export interface DownloadJournal {
  /** 2: `done` holds leaf index ranges; 1 (older runs): single leaf indexes. */
  version: 1 | 2;
  container: string;
  object: string;
  /** The object's ETag when the download started; another ETag means another object: start over. */
  etag: string;
  size: number;
  /** Leaves whose bytes are in the partial file and verified: [from, to) index ranges (version 1: indexes). */
  done: [number, number][] | number[];
  updatedAt: number;
}
