// Electron main reads and writes only paths the user chose: dropped on the window, picked in an open dialog, or
// chosen in a save dialog. A compromised renderer can still call transfers.upload / transfers.download, but not
// with a path the user never handed over.
import { realpath } from 'node:fs/promises';
import { isAbsolute, normalize, relative, sep } from 'node:path';
import type { Handlers } from '../../app/rpc/handlers.ts';
import { SwiftError } from '../../app/swift/errors.ts';

const MAX_PATH_LENGTH = 4096;

export class TrustedPaths {
  readonly #paths = new Set<string>();

  /** Ignores anything that is not an absolute path string (the preload sends only what the OS gave it). */
  add(paths: unknown): number {
    if (!Array.isArray(paths)) return 0;
    let added = 0;
    for (const p of paths.slice(0, 10_000)) {
      if (typeof p !== 'string' || p.length === 0 || p.length > MAX_PATH_LENGTH || p.includes('\0') || !isAbsolute(p)) continue;
      this.#paths.add(normalize(p));
      added++;
    }
    return added;
  }

  has(path: string): boolean {
    return isAbsolute(path) && this.#paths.has(normalize(path));
  }

  /**
   * A path inside a trusted folder (a dropped or picked folder's files). Compared after resolving symbolic links on
   * both sides, so a link inside the folder cannot stand for a file elsewhere.
   */
  async contains(path: string): Promise<boolean> {
    if (this.has(path)) return true;
    if (!isAbsolute(path)) return false;
    const real = await realpath(path).catch(() => null);
    if (!real) return false;
    for (const p of this.#paths) {
      const root = await realpath(p).catch(() => null);
      const r = root === null ? '..' : relative(root, real);
      if (r !== '' && r !== '..' && !r.startsWith('..' + sep) && !isAbsolute(r)) return true;
    }
    return false;
  }

  get size(): number {
    return this.#paths.size;
  }
}

export interface TrustedSets {
  /** Files the user dropped or picked with File › Open… / dialog.openFiles. */
  readable: TrustedPaths;
  /** Destinations the user chose with dialog.saveFile. */
  writable: TrustedPaths;
}

function notHandedOver(path: string): SwiftError {
  return new SwiftError({
    kind: 'invalid',
    message: `SLO Studio only uploads files you dropped on the window or picked with File › Open… (or inside a folder you dropped or picked); ${path} is neither.`,
  });
}

/** Wraps the handlers that touch local paths so they refuse paths the user did not choose. */
export function withTrustedPaths(handlers: Handlers, trusted: TrustedSets): Handlers {
  const upload = handlers['transfers.upload'];
  const download = handlers['transfers.download'];
  const batchUpload = handlers['batch.upload'];
  const batchDownload = handlers['batch.download'];
  const expand = handlers['files.expand'];
  return {
    ...handlers,
    'batch.upload': async (args, ctx) => {
      for (const f of args.files) if (f.source.kind === 'path' && !(await trusted.readable.contains(f.source.path))) throw notHandedOver(f.source.path);
      return batchUpload(args, ctx);
    },
    'files.expand': async (args, ctx) => {
      for (const p of args.paths) if (!(await trusted.readable.contains(p))) throw notHandedOver(p);
      return expand(args, ctx);
    },
    'batch.download': async (args, ctx) => {
      if (args.target.kind === 'path' && !trusted.writable.has(args.target.path)) {
        throw new SwiftError({ kind: 'invalid', message: `SLO Studio only downloads into folders you chose in the folder dialog; ${args.target.path} was not chosen there.` });
      }
      return batchDownload(args, ctx);
    },
    'transfers.upload': async (args, ctx) => {
      if (args.source.kind === 'path' && !trusted.readable.has(args.source.path)) {
        throw new SwiftError({
          kind: 'invalid',
          message: `SLO Studio only uploads files you dropped on the window or picked with File › Open…; ${args.source.path} is neither.`,
        });
      }
      return upload(args, ctx);
    },
    'transfers.download': async (args, ctx) => {
      if (args.target.kind === 'path' && !trusted.writable.has(args.target.path)) {
        throw new SwiftError({
          kind: 'invalid',
          message: `SLO Studio only saves downloads where you chose in the save dialog; ${args.target.path} was not chosen there.`,
        });
      }
      return download(args, ctx);
    },
  };
}
