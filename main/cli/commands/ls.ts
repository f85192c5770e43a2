import { listContainers, listObjects } from '../../../app/swift/listing.ts';
import { splitTarget } from '../../../app/swift/names.ts';
import type { Command } from '../context.ts';
import { formatBytes, table } from '../format.ts';

export const ls: Command = {
  name: 'ls',
  args: '[container[/prefix]]',
  summary: 'list containers, or the objects of a container (every page, streamed)',
  flags: {
    long: { type: 'boolean', alias: 'l', description: 'show size, date and kind' },
    delimiter: { type: 'string', alias: 'd', description: 'group names into pseudo-folders at this character (e.g. /)' },
  },
  async run(ctx) {
    const client = await ctx.client();
    const spec = ctx.positionals[0];
    const long = ctx.flags.long === true;
    if (!spec) {
      const rows: string[][] = [];
      for await (const c of listContainers(client)) {
        if (ctx.json) ctx.out(JSON.stringify(c));
        else rows.push(long ? [String(c.count), formatBytes(c.bytes), c.name] : [c.name]);
      }
      if (!ctx.json && rows.length) ctx.out(long ? table(rows, { header: ['OBJECTS', 'SIZE', 'NAME'], right: [0, 1] }) : rows.map((r) => r[0]).join('\n'));
      return 0;
    }
    const { container, object: prefix } = splitTarget(spec);
    const delimiter = typeof ctx.flags.delimiter === 'string' ? ctx.flags.delimiter : undefined;
    // Stream output page by page: a 10-million-object container must not be held in memory.
    for await (const e of listObjects(client, container, { ...(prefix ? { prefix } : {}), ...(delimiter ? { delimiter } : {}), signal: ctx.signal })) {
      if (ctx.json) ctx.out(JSON.stringify(e));
      else if (e.type === 'folder') ctx.out(long ? `${''.padStart(10)}  ${''.padEnd(19)}  ${'DIR'.padEnd(5)}  ${e.name}` : e.name);
      else ctx.out(long ? `${formatBytes(e.bytes).padStart(10)}  ${e.lastModified.slice(0, 19).replace('T', ' ')}  ${(e.kind === 'unknown' ? '' : e.kind.toUpperCase()).padEnd(5)}  ${e.name}` : e.name);
    }
    return 0;
  },
};
