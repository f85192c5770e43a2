import type { CopyResult } from '../../../app/domain/objops.ts';
import { copyObject } from '../../../app/slo/copy.ts';
import { splitTarget } from '../../../app/swift/names.ts';
import { UsageError } from '../args.ts';
import type { Command, CommandContext } from '../context.ts';
import { objectTarget } from './target.ts';

/** "c" or "c/" keeps the source's name; "c/dir/" puts its last path segment under dir/. */
function destination(spec: string | undefined, source: { object: string }, command: string): { container: string; object: string } {
  if (!spec) throw new UsageError(`${command} needs <container>/<object> <container>[/<object>].`);
  const { container, object } = splitTarget(spec);
  if (!container) throw new UsageError(`"${spec}" names no container.`);
  if (object === undefined) return { container, object: source.object };
  if (object.endsWith('/')) return { container, object: object + (source.object.split('/').filter(Boolean).pop() ?? source.object) };
  return { container, object };
}

async function copyCommand(ctx: CommandContext, move: boolean): Promise<number> {
  const name = move ? 'mv' : 'cp';
  const source = objectTarget(ctx.positionals[0], name);
  const target = destination(ctx.positionals[1], source, name);
  const r: CopyResult = await copyObject(await ctx.client(), source, target, {
    mode: ctx.flags.segments === true ? 'segments' : ctx.flags.data === true ? 'data' : 'manifest',
    overwrite: ctx.flags.force === true,
    move,
    signal: ctx.signal,
  });
  ctx.out(ctx.json ? JSON.stringify(r, null, 2) : r.summary);
  return 0;
}

export const cp: Command = {
  name: 'cp',
  args: '<container>/<object> <container>[/<object>]',
  summary: 'server-side copy; an SLO or DLO as its manifest (the copy shares the segments) unless --data or --segments',
  flags: {
    data: { type: 'boolean', description: 'copy the data into one plain object (limited to max_file_size)' },
    segments: { type: 'boolean', description: 'an SLO: copy every segment too, into <container>_segments (a new SLO of any size)' },
    force: { type: 'boolean', alias: 'f', description: 'replace an existing object at the destination' },
  },
  run: (ctx) => copyCommand(ctx, false),
};

export const mv: Command = {
  name: 'mv',
  args: '<container>/<object> <container>[/<object>]',
  summary: 'rename or move: copy (an SLO or DLO as its manifest), check, then delete the old name — never the segments',
  flags: { force: { type: 'boolean', alias: 'f', description: 'replace an existing object at the destination' } },
  run: (ctx) => copyCommand(ctx, true),
};
