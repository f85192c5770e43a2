import { inspectObject } from '../../../app/slo/inspect.ts';
import type { Command } from '../context.ts';
import { formatBytes, table } from '../format.ts';
import { objectTarget } from './target.ts';

export const inspect: Command = {
  name: 'inspect',
  args: '<container>/<object>',
  summary: 'kind, real size, segments with offsets, nesting, SLO ETag recomputed vs reported',
  flags: {
    segments: { type: 'number', description: 'show at most this many segment rows (default 50; 0 for all)' },
    raw: { type: 'boolean', description: 'print the manifest exactly as stored (PUT format, re-PUTable)' },
  },
  async run(ctx) {
    const { container, object } = objectTarget(ctx.positionals[0], 'inspect');
    const r = await inspectObject(await ctx.client(), container, object, { signal: ctx.signal });
    if (ctx.json) {
      ctx.out(JSON.stringify(r, null, 2));
      return r.etagMatches === false ? 1 : 0;
    }
    if (ctx.flags.raw) {
      ctx.out(JSON.stringify(r.raw ?? null, null, 2));
      return 0;
    }
    const kind = { slo: 'Static Large Object', dlo: 'Dynamic Large Object', plain: 'plain object', unknown: 'unknown' }[r.kind];
    const rows: string[][] = [
      ['Object', `${container}/${object}`],
      ['Kind', kind],
      ['Size', `${formatBytes(r.size)} (${r.size} bytes)`],
      ['ETag (Swift)', r.etag],
    ];
    if (r.computedEtag) rows.push(['ETag (recomputed)', `${r.computedEtag} ${r.etagMatches ? '✓ matches' : '✗ DIFFERS'}`]);
    if (r.manifestEtag) rows.push(['Manifest ETag', r.manifestEtag]);
    if (r.dlo) rows.push(['DLO prefix', `${r.dlo.container}/${r.dlo.prefix}`]);
    if (r.kind !== 'plain') rows.push(['Segments', String(r.segmentCount)], ['Nesting depth', String(r.depth)]);
    ctx.out(table(rows));
    for (const n of r.notes) ctx.out(`\nnote: ${n}`);
    if (r.notAnSlo) ctx.out(`\nnote: ${r.notAnSlo} Run \`slo doctor ${r.container}/${r.object}\` to see what is wrong and fix it.`);
    if (r.segments.length) {
      const limit = typeof ctx.flags.segments === 'number' ? ctx.flags.segments : 50;
      const shown = limit === 0 ? r.segments : r.segments.slice(0, limit);
      ctx.out('');
      ctx.out(table(
        shown.map((s) => [String(s.index), String(s.offset), String(s.size), s.etag ?? '-', s.range ?? '', s.data ? '(inline data)' : s.path, s.via.length ? `via ${s.via.join(' > ')}` : '']),
        { header: ['#', 'OFFSET', 'SIZE', 'ETAG', 'RANGE', 'PATH', ''], right: [0, 1, 2] },
      ));
      if (shown.length < r.segments.length) ctx.out(`… ${r.segments.length - shown.length} more (use --segments 0 or --json)`);
    }
    return r.etagMatches === false ? 1 : 0;
  },
};
