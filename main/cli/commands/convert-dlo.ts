import { convertDloOf } from '../../../app/studio/maintenance.ts';
import type { Command } from '../context.ts';
import { objectTarget } from './target.ts';

export const convertDlo: Command = {
  name: 'convert-dlo',
  args: '<container>/<object> [<container>/<new-object>]',
  summary: 'write an SLO manifest equivalent to a DLO (in place, or under a new name)',
  async run(ctx) {
    const { container, object } = objectTarget(ctx.positionals[0], 'convert-dlo');
    const target = ctx.positionals[1] ? objectTarget(ctx.positionals[1], 'convert-dlo') : undefined;
    const r = await convertDloOf(await ctx.client(), { container, object, target }, { signal: ctx.signal });
    ctx.out(ctx.json ? JSON.stringify(r, null, 2) : r.summary);
    return 0;
  },
};
