import type { MetadataChangeInput, MetadataView } from '../../../app/domain/metadata.ts';
import { MetadataChange } from '../../../app/domain/metadata.ts';
import { readMetadata, writeMetadata } from '../../../app/swift/metadata.ts';
import { splitTarget } from '../../../app/swift/names.ts';
import { UsageError } from '../args.ts';
import type { CommandContext, Command } from '../context.ts';
import { table } from '../format.ts';
import { parseDate, parseDuration } from '../time-args.ts';

function changeFrom(ctx: CommandContext): MetadataChangeInput | null {
  const f = ctx.flags;
  const set: Record<string, string> = {};
  for (const kv of (f.set as string[] | undefined) ?? []) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new UsageError(`--set needs NAME=VALUE (got "${kv}").`);
    set[kv.slice(0, i)] = kv.slice(i + 1);
  }
  const remove = (f.remove as string[] | undefined) ?? [];
  const change: MetadataChangeInput = { set, remove };
  if (typeof f['content-type'] === 'string') change.contentType = f['content-type'];
  if (typeof f['content-disposition'] === 'string') change.contentDisposition = f['content-disposition'] === 'none' ? null : f['content-disposition'];
  if (typeof f['delete-at'] === 'string') change.deleteAt = f['delete-at'] === 'none' ? null : parseDate(f['delete-at'], 'delete-at');
  if (typeof f['delete-after'] === 'string') change.deleteAt = Math.floor(Date.now() / 1000) + parseDuration(f['delete-after'], 'delete-after');
  const empty = Object.keys(set).length === 0 && remove.length === 0 && Object.keys(change).length === 2;
  return empty ? null : change;
}

function show(ctx: CommandContext, v: MetadataView): void {
  if (ctx.json) {
    ctx.out(JSON.stringify(v, null, 2));
    return;
  }
  if (v.note) ctx.out(`note: ${v.note}`);
  ctx.out(table(Object.entries(v.headers).sort(([a], [b]) => a.localeCompare(b)), { header: ['HEADER', 'VALUE'] }));
  if (v.deleteAt !== undefined) ctx.out(`\nExpires (X-Delete-At): ${new Date(v.deleteAt * 1000).toISOString()}`);
}

export const meta: Command = {
  name: 'meta',
  args: '<container>[/<object>]',
  summary: 'show every header of a container or object; change its metadata with POST (--set, --remove, …)',
  flags: {
    set: { type: 'string', repeat: true, description: 'NAME=VALUE: set X-Object-Meta-NAME (X-Container-Meta-NAME for a container; an empty VALUE removes it); repeatable' },
    remove: { type: 'string', repeat: true, description: 'NAME: remove that metadata item; repeatable' },
    'content-type': { type: 'string', description: 'new Content-Type (objects)' },
    'content-disposition': { type: 'string', description: 'new Content-Disposition, or "none" to remove it (objects)' },
    'delete-at': { type: 'string', description: 'expiry date (ISO 8601 or epoch seconds), or "none" to remove it (objects)' },
    'delete-after': { type: 'string', description: 'expire after a duration such as 30d (objects)' },
  },
  async run(ctx) {
    const spec = ctx.positionals[0];
    if (!spec) throw new UsageError('meta needs <container> or <container>/<object>.');
    const { container, object } = splitTarget(spec);
    const client = await ctx.client();
    const change = changeFrom(ctx);
    if (!change) {
      show(ctx, await readMetadata(client, container, object));
      return 0;
    }
    const v = await writeMetadata(client, container, object, MetadataChange.parse(change));
    if (!ctx.json && v.note) ctx.err(`note: ${v.note}`);
    show(ctx, v);
    return 0;
  },
};
