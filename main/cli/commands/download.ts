import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { downloadObject } from '../../../app/transfer/download.ts';
import { localFileName } from '../../../app/transfer/local-name.ts';
import type { Command } from '../context.ts';
import { formatBytes } from '../format.ts';
import { progressPrinter } from '../progress.ts';
import { splitTarget } from '../../../app/swift/names.ts';
import { downloadFolder } from './download-folder.ts';
import { objectTarget } from './target.ts';

export const download: Command = {
  name: 'download',
  args: '<container>/<object> [<file or directory>] | <container>/<prefix>/ <directory>',
  summary: 'download an object (SLO segments in parallel), check every MD5, then rename into place; a name ending in / downloads that pseudo-folder into <directory>',
  flags: {
    concurrency: { type: 'number', alias: 'c', description: 'segments in flight (default 4)' },
    'max-concurrency': { type: 'number', description: 'adaptive: add a segment in flight while throughput grows ≥10 %, up to N (default: fixed at --concurrency)' },
    'max-leaves': { type: 'number', description: 'refuse an SLO assembled from more segment pieces than this (default 100,000,000)' },
  },
  async run(ctx) {
    const spec = ctx.positionals[0];
    if (spec?.endsWith('/')) {
      const { container, object } = splitTarget(spec);
      if (container) return downloadFolder(ctx, container, object ?? '', ctx.positionals[1] ?? '.');
    }
    const { container, object } = objectTarget(spec, 'download');
    // localFileName refuses names whose last segment is ".", ".." or empty: joined to a folder they point outside it.
    let dest = ctx.positionals[1] ?? localFileName(object);
    if (await stat(dest).then((s) => s.isDirectory(), () => false)) dest = join(dest, localFileName(object));
    const client = await ctx.client();
    const bar = progressPrinter({ json: ctx.json, tty: ctx.tty, out: ctx.out, label: 'download' });
    const concurrency = typeof ctx.flags.concurrency === 'number' && ctx.flags.concurrency > 0 ? ctx.flags.concurrency : undefined;
    const maxConcurrency = typeof ctx.flags['max-concurrency'] === 'number' && ctx.flags['max-concurrency'] > 0 ? ctx.flags['max-concurrency'] : undefined;
    const maxLeaves = typeof ctx.flags['max-leaves'] === 'number' && ctx.flags['max-leaves'] > 0 ? ctx.flags['max-leaves'] : undefined;
    try {
      const r = await downloadObject(client, { container, object }, dest, { ...(concurrency ? { concurrency } : {}), ...(maxConcurrency ? { maxConcurrency } : {}), ...(maxLeaves ? { maxLeaves } : {}), keepOnAbort: true, signal: ctx.signal, onProgress: (p) => bar.update(p) });
      bar.done();
      if (ctx.json) ctx.out(JSON.stringify({ type: 'result', container, object, file: dest, ...r }));
      else ctx.out(`Downloaded ${container}/${object} to ${dest}: ${formatBytes(r.size)}. ${r.message}`);
      return r.verified ? 0 : 0;
    } catch (e) {
      bar.done();
      if (ctx.signal.aborted) {
        ctx.err('Download paused: the verified part is kept beside the destination; run the same command again to resume.');
        return 1;
      }
      throw e;
    }
  },
};
