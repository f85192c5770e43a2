import { deleteObjectAndSegments } from '../../../app/slo/delete.ts';
import type { Command } from '../context.ts';
import { objectTarget } from './target.ts';

export const rm: Command = {
  name: 'rm',
  args: '<container>/<object>',
  summary: 'delete an object; an SLO or DLO together with all its segments',
  flags: { 'leave-segments': { type: 'boolean', description: 'delete only the manifest and keep its segments' } },
  async run(ctx) {
    const { container, object } = objectTarget(ctx.positionals[0], 'rm');
    const r = await deleteObjectAndSegments(await ctx.client(), container, object, { leaveSegments: ctx.flags['leave-segments'] === true, signal: ctx.signal });
    if (ctx.json) ctx.out(JSON.stringify(r, null, 2));
    else {
      for (const e of r.errors) ctx.err(`could not delete ${e.path}: ${e.message}`);
      ctx.out(r.summary);
    }
    return r.errors.length ? 1 : 0;
  },
};
