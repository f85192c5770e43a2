// Browser mode's folder download: the files of a selection streamed as one tar, each verified as it streams (the
// same check as a single download). A failure tears the response down, so the browser marks the download failed
// instead of keeping a short archive that looks complete.
import type { SwiftClient } from '../swift/client.ts';
import { SwiftError } from '../swift/errors.ts';
import { streamObjectVerified, waitWritable } from './download.ts';
import type { FolderItem } from './folder-download.ts';
import type { TransferProgress } from './progress.ts';
import { TAR_END, tarEntryHeader, tarPadding } from './tar.ts';

export interface ArchiveResult {
  files: number;
  size: number;
  verified: number;
}

/** Progress of the archive: bytes over all files, one "segment" state per file. */
function aggregate(total: number, states: string[], before: number, p: TransferProgress | null): TransferProgress {
  return {
    phase: 'transferring',
    bytesDone: before + (p?.bytesDone ?? 0),
    totalBytes: total,
    rateBps: p?.rateBps ?? 0,
    etaSeconds: p?.etaSeconds ?? null,
    segmentSize: 0,
    segments: states.join(''),
    resentBytes: 0,
  };
}

export async function writeArchive(
  client: SwiftClient,
  container: string,
  files: readonly FolderItem[],
  sink: NodeJS.WritableStream,
  opts: { signal?: AbortSignal; concurrency?: number; onProgress?: (p: TransferProgress) => void } = {},
): Promise<ArchiveResult> {
  const total = files.reduce((s, f) => s + f.size, 0);
  const states = files.map(() => 'p');
  let before = 0;
  let verified = 0;
  let size = 0;
  for (const [i, f] of files.entries()) {
    states[i] = 's';
    opts.onProgress?.(aggregate(total, states, before, null));
    await waitWritable(sink, tarEntryHeader(f.local, f.size), opts.signal);
    const r = await streamObjectVerified(client, { container, object: f.object }, sink, {
      ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      onProgress: (p) => opts.onProgress?.(aggregate(total, states, before, p)),
    });
    // The listing's size went into the header; an object that changed since would corrupt the archive.
    if (r.size !== f.size) {
      throw new SwiftError({ kind: 'precondition', message: `${container}/${f.object} changed while the folder was being downloaded (${f.size} → ${r.size} bytes); download it again.` });
    }
    const pad = tarPadding(r.size);
    if (pad) await waitWritable(sink, Buffer.alloc(pad), opts.signal);
    if (r.verified) verified++;
    states[i] = 'v';
    before += r.size;
    size += r.size;
  }
  await waitWritable(sink, TAR_END, opts.signal);
  opts.onProgress?.({ ...aggregate(total, states, before, null), phase: 'done' });
  return { files: files.length, size, verified };
}
