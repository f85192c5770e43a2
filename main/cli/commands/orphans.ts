import type { OrphanDeletion, OrphanReport } from '../../../app/domain/orphans.ts';
import { deleteOrphansOf, findOrphansOf } from '../../../app/studio/maintenance.ts';
import { UsageError } from '../args.ts';
import type { Command } from '../context.ts';
import { formatBytes, table } from '../format.ts';

export const orphans: Command = {
  name: 'orphans',
  args: '<container>',
  summary: 'find segments in <container>_segments (or --segment-container) that no manifest in the account references',
  flags: {
    delete: { type: 'boolean', description: 'delete the orphans found' },
    'segment-container': { type: 'string', repeat: true, description: 'segment container (or container/prefix) to search; repeatable' },
    'min-age': { type: 'number', description: 'ignore unreferenced objects younger than this many minutes (default 60: uploads in progress)' },
  },
  async run(ctx) {
    const container = ctx.positionals[0];
    if (!container) throw new UsageError('orphans needs <container>.');
    const client = await ctx.client();
    const segs = ctx.flags['segment-container'] as string[] | undefined;
    const minAge = typeof ctx.flags['min-age'] === 'number' ? ctx.flags['min-age'] : undefined;
    const search = { container, ...(segs?.length ? { segmentContainers: segs } : {}), ...(minAge !== undefined ? { minAgeMinutes: minAge } : {}) };
    let report: OrphanReport;
    let deleted: OrphanDeletion | undefined;
    if (ctx.flags.delete === true) {
      // One search: the service deletes what it finds orphaned (the same call the GUI makes, without a confirmed list).
      ({ report, deleted } = await deleteOrphansOf(client, search, { signal: ctx.signal }));
      if (!report.orphans.length) deleted = undefined;
    } else {
      report = await findOrphansOf(client, search, { signal: ctx.signal });
    }
    if (ctx.json) {
      ctx.out(JSON.stringify({ ...report, ...(deleted ? { deleted } : {}) }, null, 2));
    } else {
      if (report.orphans.length) {
        ctx.out(table(report.orphans.map((o) => [formatBytes(o.bytes), `${o.container}/${o.object}`]), { header: ['SIZE', 'ORPHAN'], right: [0] }));
        ctx.out('');
      }
      for (const n of report.notes) ctx.out(`note: ${n}`);
      ctx.out(`Searched ${report.segmentContainers.join(', ') || 'no segment container'}: ${report.scanned} objects, ${report.referenced} referenced by manifests, ${report.orphans.length} orphaned (${formatBytes(report.bytes)})${report.recent ? `, ${report.recent} too recent to judge` : ''}.`);
      if (deleted) ctx.out(deleted.summary);
      else if (report.orphans.length) ctx.out('Run again with --delete to remove them.');
    }
    if (deleted) return 0;
    return report.orphans.length ? 1 : 0;
  },
};
