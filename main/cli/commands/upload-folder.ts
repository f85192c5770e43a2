// `slo upload <dir> <container>[/<prefix>]`: every file of the tree under the prefix (default: the folder's name),
// each planned on its own (large → SLO, small → one PUT), a few files at a time. Ctrl-C keeps what each SLO stored
// (journals), so the same command resumes; existing names follow --if-exists or the question on a terminal.
import { basename, resolve } from 'node:path';
import type { IfExists } from '../../../app/domain/batch.ts';
import { runPool } from '../../../app/pool.ts';
import { toSwiftError } from '../../../app/swift/errors.ts';
import { capabilities } from '../../../app/swift/info.ts';
import { openFileSource } from '../../../app/transfer/file-source.ts';
import { batchNames, conflictsOf, decideTargets, existingNames, planBatch, walkFolder } from '../../../app/transfer/folder-upload.ts';
import type { TransferProgress } from '../../../app/transfer/progress.ts';
import { uploadObject } from '../../../app/transfer/upload.ts';
import type { CommandContext } from '../context.ts';
import { formatBytes } from '../format.ts';
import { askEach, canAsk } from '../if-exists.ts';
import { progressPrinter } from '../progress.ts';

/** Files uploading at once; each still sends up to --concurrency segments in parallel. */
const FILES_AT_ONCE = 4;

export async function uploadFolder(ctx: CommandContext, dir: string, container: string, prefixArg: string | undefined, ifExists: IfExists | undefined): Promise<number> {
  const f = ctx.flags;
  const prefix = (prefixArg ?? basename(resolve(dir))).replace(/\/*$/, '/').replace(/^\/+/, '');
  const { files, skipped: notFiles } = await walkFolder(dir, ctx.signal);
  for (const s of notFiles) ctx.err(`skipped ${s}: not a regular file (symbolic links are not followed)`);
  if (files.length === 0) {
    ctx.err(`${dir} holds no files to upload.`);
    return 1;
  }
  const client = await ctx.client();
  const opts = {
    segmentSize: typeof f['segment-size'] === 'number' ? f['segment-size'] : undefined,
    concurrency: typeof f.concurrency === 'number' && f.concurrency > 0 ? f.concurrency : undefined,
    segmentContainer: typeof f['segment-container'] === 'string' ? f['segment-container'] : undefined,
  };
  const names = batchNames(prefix, files);
  const existing = await existingNames(client, container, prefix, names, ctx.signal);
  const plan = planBatch(container, prefix, files, opts, await capabilities(client), await conflictsOf(client, container, names, existing, ctx.signal));
  for (const w of plan.warnings) ctx.err(`warning: ${w}`);
  const decisions = plan.conflicts.length && !ifExists && canAsk() ? await askEach(plan.conflicts, container) : {};
  const decided = decideTargets(names, plan.conflicts, ifExists ?? 'replace', decisions);
  if (!ctx.json) {
    ctx.out(
      `Uploading ${decided.uploads.length} of ${plan.count} files (${formatBytes(plan.totalBytes)}) from ${dir} to ${container}/${prefix}: ${plan.sloCount} as SLOs in segments of ${formatBytes(plan.segmentSize)}, the rest as single objects; ${plan.concurrency} segments in parallel per file, ${FILES_AT_ONCE} files at once.`,
    );
  }

  const total = decided.uploads.reduce((s, u) => s + files[u.index]!.size, 0);
  const bar = progressPrinter({ json: false, tty: ctx.tty && !ctx.json, out: ctx.out, label: 'upload' });
  const live = new Map<number, number>();
  let finished = 0;
  const report = () => {
    let done = finished;
    for (const b of live.values()) done += b;
    const p: TransferProgress = { phase: 'transferring', bytesDone: done, totalBytes: total, rateBps: 0, etaSeconds: null, segmentSize: 0, segments: '', resentBytes: 0 };
    bar.update(p);
  };
  const failures: string[] = [];
  const results: unknown[] = [];
  await runPool(
    decided.uploads,
    FILES_AT_ONCE,
    async ({ index, object }, signal) => {
      const file = files[index]!;
      const source = await openFileSource(file.path);
      try {
        const r = await uploadObject(client, source, { container, object }, {
          ...(opts.segmentSize ? { segmentSize: opts.segmentSize } : {}),
          ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
          ...(opts.segmentContainer ? { segmentContainer: opts.segmentContainer } : {}),
          leaveSegments: f['leave-segments'] === true,
          keepOnAbort: true,
          signal,
          onProgress: (p) => {
            live.set(index, p.bytesDone);
            report();
          },
        });
        results.push({ type: 'file', file: file.relPath, object, etag: r.etag, size: r.size, segments: r.segments, skippedSegments: r.skippedSegments });
        if (!ctx.json && !ctx.tty) ctx.out(`  ${object}: ${formatBytes(r.size)}${r.segments ? `, SLO of ${r.segments} segments` : ''}, verified`);
      } catch (e) {
        if (ctx.signal.aborted) throw e;
        failures.push(`${file.relPath}: ${toSwiftError(e).message}`);
      } finally {
        live.delete(index);
        finished += file.size;
        report();
        await source.close();
      }
    },
    ctx.signal,
  ).catch((e: unknown) => {
    bar.done();
    if (ctx.signal.aborted) {
      ctx.err('Upload paused: verified segments are kept; run the same command again to resume (with --if-exists replace for the files already uploaded).');
      return;
    }
    throw e;
  });
  if (ctx.signal.aborted) return 1;
  bar.done();
  for (const line of failures) ctx.err(`failed: ${line}`);
  if (ctx.json) {
    for (const r of results) ctx.out(JSON.stringify(r));
    ctx.out(JSON.stringify({ type: 'result', container, prefix, files: plan.count, uploaded: results.length, failed: failures, skipped: decided.skipped, renamed: decided.renamed, totalBytes: plan.totalBytes, slos: plan.sloCount }));
  } else {
    for (const s of decided.skipped) ctx.out(`skipped ${s}: it exists`);
    for (const r of decided.renamed) ctx.out(`kept both: ${r.from} exists, the new file went up as ${r.to}`);
    ctx.out(`Uploaded ${results.length} of ${plan.count} files to ${container}/${prefix}, every one checked against the MD5 Swift stored${failures.length ? `; ${failures.length} failed` : ''}.`);
  }
  return failures.length ? 1 : 0;
}
