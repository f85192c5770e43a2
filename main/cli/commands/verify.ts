import { verifyObject } from '../../../app/slo/verify.ts';
import type { Command } from '../context.ts';
import { table } from '../format.ts';
import { objectTarget } from './target.ts';

export const verify: Command = {
  name: 'verify',
  args: '<container>/<object>',
  summary: 'HEAD every segment: present, size and MD5 as the manifest says (exit 1 on any problem)',
  flags: { concurrency: { type: 'number', description: 'segments checked at once (default 8)' } },
  async run(ctx) {
    const { container, object } = objectTarget(ctx.positionals[0], 'verify');
    const concurrency = typeof ctx.flags.concurrency === 'number' && ctx.flags.concurrency > 0 ? ctx.flags.concurrency : 8;
    const r = await verifyObject(await ctx.client(), container, object, { concurrency, signal: ctx.signal });
    if (ctx.json) {
      ctx.out(JSON.stringify(r, null, 2));
      return r.ok ? 0 : 1;
    }
    const bad = r.segments.filter((s) => s.status !== 'ok');
    if (bad.length) {
      ctx.out(table(bad.map((s) => [String(s.index), s.status.toUpperCase(), s.path, s.message]), { header: ['#', 'STATUS', 'SEGMENT', 'WHAT'], right: [0] }));
      ctx.out('');
    }
    ctx.out(r.summary);
    return r.ok ? 0 : 1;
  },
};
