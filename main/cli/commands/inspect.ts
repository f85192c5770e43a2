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
    from: { type: 'number', description: 'SLO: list segments from this index (0-based), at any size of manifest' },
    raw: { type: 'boolean', description: 'print the manifest exactly as stored (PUT format, re-PUTable)' },
  },
  async run(ctx) {
    const { container, object } = objectTarget(ctx.positionals[0], 'inspect');
    const from = typeof ctx.flags.from === 'number' ? ctx.flags.from : undefined;
    const rows = typeof ctx.flags.segments === 'number' && ctx.flags.segments > 0 ? ctx.flags.segments : 50;
    const r = await inspectObject(await ctx.client(), container, object, { signal: ctx.signal, ...(from !== undefined ? { page: { from, count: rows } } : {}) });
    if (ctx.json) {
      ctx.out(JSON.stringify(r, null, 2));
      return r.etagMatches === false ? 1 : 0;
    }
    if (ctx.flags.raw) {
      ctx.out(JSON.stringify(r.raw ?? null, null, 2));
      return 0;
    }
    const kind = { slo: 'Static Large Object', dlo: 'Dynamic Large Object', plain: 'plain object', unknown: 'unknown' }[r.kind];
    const summary: string[][] = [
      ['Object', `${container}/${object}`],
      ['Kind', kind],
      ['Size', `${formatBytes(r.size)} (${r.size} bytes)`],
      ['ETag (Swift)', r.etag],
    ];
    if (r.computedEtag) summary.push(['ETag (recomputed)', `${r.computedEtag} ${r.etagMatches ? '✓ matches' : '✗ DIFFERS'}`]);
    if (r.manifestEtag) summary.push(['Manifest ETag', r.manifestEtag]);
    if (r.dlo) summary.push(['DLO prefix', `${r.dlo.container}/${r.dlo.prefix}`]);
    if (r.kind !== 'plain') summary.push(['Segments', String(r.segmentCount)], ['Nesting depth', String(r.depth)]);
    ctx.out(table(summary));
    for (const n of r.notes) ctx.out(`\nnote: ${n}`);
    if (r.notAnSlo) ctx.out(`\nnote: ${r.notAnSlo} Run \`slo doctor ${r.container}/${r.object}\` to see what is wrong and fix it.`);
    if (r.listLimit !== undefined && from === undefined) {
      const count = (n: number | undefined) => (n === undefined ? '' : n.toLocaleString('en-US'));
      ctx.out(`\n${count(r.segmentCount)} segments — too many to list; showing the ${r.tree.length} top-level entries:`);
      ctx.out(table(
        r.tree.map((n, i) => [String(i), n.kind, String(n.size), count(n.leaves), n.depth === undefined ? '' : String(n.depth), n.range ?? '', n.kind === 'data' ? '(inline data)' : n.path]),
        { header: ['#', 'KIND', 'SIZE', 'LEAVES', 'DEPTH', 'RANGE', 'PATH'], right: [0, 2, 3, 4] },
      ));
    }
    if (r.segments.length) {
      const limit = typeof ctx.flags.segments === 'number' ? ctx.flags.segments : 50;
      const shown = limit === 0 ? r.segments : r.segments.slice(0, limit);
      ctx.out('');
      ctx.out(table(
        shown.map((s) => [String(s.index), String(s.offset), String(s.size), s.etag ?? '-', s.range ?? '', s.data ? '(inline data)' : s.path, s.via.length ? `via ${s.via.join(' > ')}` : '']),
        { header: ['#', 'OFFSET', 'SIZE', 'ETAG', 'RANGE', 'PATH', ''], right: [0, 1, 2] },
      ));
      if (shown.length < r.segments.length) ctx.out(`… ${r.segments.length - shown.length} more (use --segments 0 or --json)`);
      else if (from !== undefined && from + shown.length < r.segmentCount) ctx.out(`… ${(r.segmentCount - from - shown.length).toLocaleString('en-US')} more after these (use --from)`);
    }
    return r.etagMatches === false ? 1 : 0;
  },
};
