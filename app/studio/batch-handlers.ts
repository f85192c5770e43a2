// Folders and batches as one service for every front end: the batch plan sheet with its name conflicts, a folder (or
// a mix of files and folders) up as one transfer group, pseudo-folders and selections down into a directory (or, in
// browser mode, one verified tar). The CLI commands call the same functions in app/transfer.
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { BatchFile } from '../domain/batch.ts';
import type { ByteSource, UploadSource } from '../domain/transfer.ts';
import type { Handlers, HostPlatform } from '../rpc/handlers.ts';
import type { SwiftClient } from '../swift/client.ts';
import { SwiftError } from '../swift/errors.ts';
import { capabilities } from '../swift/info.ts';
import { openFileSource } from '../transfer/file-source.ts';
import { listSelection, prepareLocalTarget } from '../transfer/folder-download.ts';
import { batchNames, conflictsOf, decideTargets, existingNames, planBatch, walkFolder } from '../transfer/folder-upload.ts';
import type { TransferManager } from '../transfer/manager.ts';

type BatchCalls = 'objects.conflicts' | 'batch.plan' | 'batch.upload' | 'batch.download' | 'transfers.group' | 'files.expand';

export function groupId(): string {
  return `grp-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** "photos/" for a folder, "3 files" for a mix. */
function groupLabel(label: string, count: number): string {
  return `${label || 'batch'} (${count} file${count === 1 ? '' : 's'})`;
}

export function batchHandlers(client: () => SwiftClient, transfers: TransferManager, platform: HostPlatform, refuseHostPath: () => void): Pick<Handlers, BatchCalls> {
  const openSource = async (source: UploadSource): Promise<ByteSource> => {
    if (source.kind === 'path') return openFileSource(source.path);
    if (!platform.browserFile) throw new SwiftError({ kind: 'invalid', message: 'This host cannot read files held by a browser tab.' });
    return platform.browserFile(source.fileId, source.name, source.size, source.lastModified);
  };

  return {
    async 'objects.conflicts'({ container, objects }) {
      const prefix = commonFolder(objects);
      return { conflicts: await conflictsOf(client(), container, objects, await existingNames(client(), container, prefix, objects)) };
    },

    async 'batch.plan'({ container, prefix, files, ...opts }) {
      const names = batchNames(prefix, files);
      const [caps, existing] = await Promise.all([capabilities(client()), existingNames(client(), container, prefix, names)]);
      return planBatch(container, prefix, files, opts, caps, await conflictsOf(client(), container, names, existing));
    },

    async 'batch.upload'(args) {
      if (args.files.some((f) => f.source.kind === 'path')) refuseHostPath();
      const names = batchNames(args.prefix, args.files);
      const existing = await existingNames(client(), args.container, args.prefix, names);
      const conflicts = await conflictsOf(client(), args.container, names, existing);
      // Plan first: a file this cluster cannot take stops the batch before anything is sent.
      planBatch(args.container, args.prefix, args.files, args, await capabilities(client()), conflicts);
      const decided = decideTargets(names, conflicts, args.ifExists, args.decisions);
      const group = groupId();
      const label = groupLabel(args.label, decided.uploads.length);
      const started = [];
      for (const { index, object } of decided.uploads) {
        const f: BatchFile = args.files[index]!;
        started.push(
          await transfers.upload(await openSource(f.source), {
            container: args.container,
            object,
            group,
            groupLabel: label,
            ...(args.segmentSize ? { segmentSize: args.segmentSize } : {}),
            ...(args.concurrency ? { concurrency: args.concurrency } : {}),
            ...(args.segmentContainer ? { segmentContainer: args.segmentContainer } : {}),
          }),
        );
      }
      return { group, transfers: started, skipped: decided.skipped, renamed: decided.renamed };
    },

    async 'batch.download'({ container, base, prefixes, objects, target, concurrency }) {
      const { files, changed } = await listSelection(client(), container, { base, prefixes, objects });
      const group = groupId();
      // Named after the one folder taken, else the folder the selection sits in, else the container.
      const lastPart = (p: string) => p.split('/').filter(Boolean).pop() ?? '';
      const folder = (prefixes.length === 1 && objects.length === 0 ? lastPart(prefixes[0]!) : lastPart(base)) || container;
      const label = groupLabel(`${folder}/`, files.length);
      const totalBytes = files.reduce((s, f) => s + f.size, 0);
      if (target.kind === 'browser') {
        if (!platform.serveDownload) throw new SwiftError({ kind: 'invalid', message: 'This host cannot stream downloads to a browser; choose a folder to save to.' });
        const serve = platform.serveDownload.bind(platform);
        const name = `${folder}.tar`;
        const t = await transfers.downloadArchiveToSink({ container, files, name, group, groupLabel: label, serve: (id, meta, write) => serve(id, meta, write), ...(concurrency ? { concurrency } : {}) });
        return { group, transfers: [t], count: files.length, totalBytes, changed };
      }
      refuseHostPath();
      const root = target.path;
      if (!(await stat(root).then((s) => s.isDirectory(), () => false))) {
        throw new SwiftError({ kind: 'invalid', message: `${root} is not a folder; choose an existing folder to download into.` });
      }
      const started = [];
      for (const f of files) {
        const path = await prepareLocalTarget(root, f.local);
        started.push(await transfers.download({ container, object: f.object, path, group, groupLabel: label, ...(concurrency ? { concurrency } : {}) }));
      }
      return { group, transfers: started, count: files.length, totalBytes, changed };
    },

    async 'transfers.group'({ group, action }) {
      return { transfers: await transfers.groupAction(group, action) };
    },

    async 'files.expand'({ paths }) {
      refuseHostPath();
      const files = [];
      const skipped: string[] = [];
      for (const p of paths) {
        const st = await stat(p).catch(() => null);
        if (st?.isFile()) files.push({ path: p, relPath: basename(p), size: st.size });
        else if (st?.isDirectory()) {
          // The folder's own name starts every relative path: dropping "photos" makes "photos/…" objects.
          const r = await walkFolder(p);
          const top = basename(p);
          for (const f of r.files) files.push({ ...f, relPath: `${top}/${f.relPath}` });
          for (const s of r.skipped) skipped.push(`${top}/${s}`);
        } else skipped.push(p);
      }
      return { files, skipped };
    },
  };
}

/** The deepest "folder/" every name lies under ('' when they share none). */
function commonFolder(names: readonly string[]): string {
  if (names.length === 0) return '';
  let prefix = dirname('/' + names[0]!).slice(1);
  for (const n of names) while (prefix && !n.startsWith(prefix + '/')) prefix = dirname('/' + prefix).slice(1);
  return prefix ? prefix + '/' : '';
}
