import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { conflictsOf, decideTargets, existingNames } from '../../../app/transfer/folder-upload.ts';
import { askEach, canAsk, ifExistsFlag } from '../if-exists.ts';
import { uploadFolder } from './upload-folder.ts';
import { uploadObject } from '../../../app/transfer/upload.ts';
import { openFileSource } from '../../../app/transfer/file-source.ts';
import { splitTarget } from '../../../app/swift/names.ts';
import { UsageError } from '../args.ts';
import type { Command } from '../context.ts';
import { formatBytes } from '../format.ts';
import { progressPrinter } from '../progress.ts';

export const upload: Command = {
  name: 'upload',
  args: '<file or folder> <container>[/<object or prefix>]',
  summary: 'upload a file as parallel, MD5-verified segments plus an SLO manifest (resumes after an interruption); a folder becomes objects under <prefix>/ (default: its name)',
  flags: {
    'segment-size': { type: 'size', alias: 'S', description: 'segment size, e.g. 64M (default: chosen from the file size and /info)' },
    concurrency: { type: 'number', alias: 'c', description: 'segments in flight (default 4)' },
    'max-concurrency': { type: 'number', description: 'adaptive: add a segment in flight while throughput grows ≥10 %, up to N (default: fixed at --concurrency)' },
    'segment-container': { type: 'string', description: 'where segments go (default <container>_segments)' },
    'leave-segments': { type: 'boolean', description: 'when overwriting an SLO, keep its old segments' },
    slo: { type: 'boolean', description: 'make an SLO even of a file that fits in one segment (one segment, or --segment-size smaller)' },
    'content-type': { type: 'string', description: 'Content-Type of the object' },
    'verify-before-send': { type: 'boolean', description: 'hash each segment first and send its Etag (two reads per segment)' },
    'if-exists': { type: 'string', description: 'when a name exists: replace, keep-both (uploads as "name (2).ext") or skip (default: ask on a terminal, else replace)' },
  },
  async run(ctx) {
    const [file, spec] = ctx.positionals;
    if (!file || !spec) throw new UsageError('upload needs <file> and <container>[/<object>].');
    const { container, object } = splitTarget(spec);
    if (!container) throw new UsageError('upload needs a container.');
    const ifExists = ifExistsFlag(ctx.flags['if-exists']);
    if (await stat(file).then((s) => s.isDirectory(), () => false)) return uploadFolder(ctx, file, container, object, ifExists);
    const source = await openFileSource(file);
    let name = object ?? basename(file);
    const client = await ctx.client();
    if (ifExists || canAsk()) {
      const conflicts = await conflictsOf(client, container, [name], await existingNames(client, container, '', [name], ctx.signal), ctx.signal);
      const decided = decideTargets([name], conflicts, ifExists ?? 'replace', ifExists ? {} : await askEach(conflicts, container));
      if (decided.skipped.length) {
        ctx.out(ctx.json ? JSON.stringify({ type: 'result', container, object: name, skipped: true }) : `Skipped: ${container}/${name} exists.`);
        await source.close();
        return 0;
      }
      name = decided.uploads[0]!.object;
    }
    const bar = progressPrinter({ json: ctx.json, tty: ctx.tty, out: ctx.out, label: 'upload' });
    const f = ctx.flags;
    try {
      const r = await uploadObject(client, source, { container, object: name }, {
        ...(typeof f['segment-size'] === 'number' ? { segmentSize: f['segment-size'] } : {}),
        ...(typeof f.concurrency === 'number' && f.concurrency > 0 ? { concurrency: f.concurrency } : {}),
        ...(typeof f['max-concurrency'] === 'number' && f['max-concurrency'] > 0 ? { maxConcurrency: f['max-concurrency'] } : {}),
        ...(typeof f['segment-container'] === 'string' ? { segmentContainer: f['segment-container'] } : {}),
        ...(typeof f['content-type'] === 'string' ? { contentType: f['content-type'] } : {}),
        leaveSegments: f['leave-segments'] === true,
        asSlo: f.slo === true,
        verifyBeforeSend: f['verify-before-send'] === true,
        // Ctrl-C pauses: segments and journal stay, and the same command resumes.
        keepOnAbort: true,
        signal: ctx.signal,
        onProgress: (p) => bar.update(p),
      });
      bar.done();
      for (const w of r.warnings) ctx.err(`warning: ${w}`);
      if (ctx.json) {
        ctx.out(JSON.stringify({ type: 'result', container, object: name, etag: r.etag, size: r.size, segments: r.segments, resentBytes: r.resentBytes, skippedSegments: r.skippedSegments, oldSegmentsDeleted: r.oldSegmentsDeleted, plan: r.plan }));
      } else {
        const how = r.segments
          ? `as an SLO of ${r.segments} segment${r.segments === 1 ? '' : 's'} of ${formatBytes(r.plan.segmentSize)}${r.plan.subManifests ? ` in ${r.plan.subManifests} sub-manifests` : ''}: ${formatBytes(r.size)}, every segment's MD5 verified by Swift`
          : `as a single plain object, not an SLO (it is no larger than the segment size; --slo makes an SLO anyway): ${formatBytes(r.size)}, its MD5 verified by Swift`;
        ctx.out(`Uploaded ${file} to ${container}/${name} ${how}. ETag ${r.etag}.`);
        if (r.skippedSegments) ctx.out(`Resumed: ${r.skippedSegments} segments were already stored and verified; ${formatBytes(r.resentBytes)} re-sent.`);
        if (r.oldSegmentsDeleted) ctx.out(`Removed ${r.oldSegmentsDeleted} segments of the object it replaced.`);
      }
      return 0;
    } catch (e) {
      bar.done();
      if (ctx.signal.aborted) {
        ctx.err('Upload paused: the verified segments are kept; run the same command again to resume.');
        return 1;
      }
      throw e;
    }
  },
};
