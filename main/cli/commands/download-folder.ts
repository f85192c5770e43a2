// `slo download <container>/<prefix>/ <dir>`: every object under the prefix into <dir>, the tree below the prefix
// recreated, every file verified like a single download. Names that would leave <dir> are made safe or refused and
// listed; nothing is ever written outside it.
import { mkdir } from 'node:fs/promises';
import { runPool } from '../../../app/pool.ts';
import { toSwiftError } from '../../../app/swift/errors.ts';
import { downloadObject } from '../../../app/transfer/download.ts';
import { listSelection, prepareLocalTarget } from '../../../app/transfer/folder-download.ts';
import type { CommandContext } from '../context.ts';
import { formatBytes } from '../format.ts';
import { progressPrinter } from '../progress.ts';

const FILES_AT_ONCE = 4;

export async function downloadFolder(ctx: CommandContext, container: string, prefix: string, dir: string): Promise<number> {
  const client = await ctx.client();
  const { files, changed } = await listSelection(client, container, { base: prefix, prefixes: [prefix] }, ctx.signal);
  await mkdir(dir, { recursive: true });
  for (const c of changed) ctx.err(`${c.local === null ? 'refused' : 'made safe'}: ${JSON.stringify(c.object)} — ${c.reason}`);
  const total = files.reduce((s, f) => s + f.size, 0);
  const concurrency = typeof ctx.flags.concurrency === 'number' && ctx.flags.concurrency > 0 ? ctx.flags.concurrency : undefined;
  const bar = progressPrinter({ json: false, tty: ctx.tty && !ctx.json, out: ctx.out, label: 'download' });
  const live = new Map<number, number>();
  let finished = 0;
  let unverified = 0;
  const failures: string[] = [];
  const results: unknown[] = [];
  const report = () => {
    let done = finished;
    for (const b of live.values()) done += b;
    bar.update({ phase: 'transferring', bytesDone: done, totalBytes: total, rateBps: 0, etaSeconds: null, segmentSize: 0, segments: '', resentBytes: 0 });
  };
  await runPool(
    files,
    FILES_AT_ONCE,
    async (f, signal, i) => {
      try {
        const dest = await prepareLocalTarget(dir, f.local);
        const r = await downloadObject(client, { container, object: f.object }, dest, {
          ...(concurrency ? { concurrency } : {}),
          keepOnAbort: true,
          signal,
          onProgress: (p) => {
            live.set(i, p.bytesDone);
            report();
          },
        });
        if (!r.verified) unverified++;
        results.push({ type: 'file', object: f.object, file: dest, size: r.size, etag: r.etag, verified: r.verified });
      } catch (e) {
        if (ctx.signal.aborted) throw e;
        failures.push(`${f.object}: ${toSwiftError(e).message}`);
      } finally {
        live.delete(i);
        finished += f.size;
        report();
      }
    },
    ctx.signal,
  ).catch((e: unknown) => {
    bar.done();
    if (!ctx.signal.aborted) throw e;
    ctx.err('Download paused: verified parts are kept beside each file; run the same command again to resume.');
  });
  if (ctx.signal.aborted) return 1;
  bar.done();
  for (const line of failures) ctx.err(`failed: ${line}`);
  const refused = changed.filter((c) => c.local === null).length;
  if (ctx.json) {
    for (const r of results) ctx.out(JSON.stringify(r));
    ctx.out(JSON.stringify({ type: 'result', container, prefix, dir, files: files.length, downloaded: results.length, totalBytes: total, failed: failures, changed }));
  } else {
    const safe = changed.length - refused;
    ctx.out(
      `Downloaded ${results.length} of ${files.length} files (${formatBytes(total)}) from ${container}/${prefix} into ${dir}; ${unverified ? `${unverified} checked by length only, the rest` : 'every one'} verified${safe ? `; ${safe} renamed to stay inside the folder` : ''}${refused ? `; ${refused} refused` : ''}${failures.length ? `; ${failures.length} failed` : ''}.`,
    );
  }
  return failures.length || refused ? 1 : 0;
}
