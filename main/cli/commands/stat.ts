import { headContainer, headObject } from '../../../app/swift/objects.ts';
import { splitTarget } from '../../../app/swift/names.ts';
import type { Command } from '../context.ts';
import { formatBytes, table } from '../format.ts';
import { UsageError } from '../args.ts';

export const stat: Command = {
  name: 'stat',
  args: '<container>[/<object>]',
  summary: 'show a container or an object: size, kind (SLO, DLO, plain), ETag, metadata',
  async run(ctx) {
    const spec = ctx.positionals[0];
    if (!spec) throw new UsageError('stat needs <container> or <container>/<object>.');
    const client = await ctx.client();
    const { container, object } = splitTarget(spec);
    if (object === undefined) {
      const c = await headContainer(client, container);
      if (ctx.json) ctx.out(JSON.stringify({ container, count: c.count, bytes: c.bytes, headers: c.headers }, null, 2));
      else ctx.out(table([['Container', container], ['Objects', String(c.count)], ['Bytes', `${formatBytes(c.bytes)} (${c.bytes})`]]));
      return 0;
    }
    const s = await headObject(client, container, object);
    if (ctx.json) {
      ctx.out(JSON.stringify(s, null, 2));
      return 0;
    }
    const kind = s.kind === 'slo' ? 'Static Large Object' : s.kind === 'dlo' ? `Dynamic Large Object (segments under ${s.dloPrefix})` : 'plain object';
    ctx.out(table([
      ['Object', `${container}/${object}`],
      ['Kind', kind],
      ['Size', `${formatBytes(s.size)} (${s.size} bytes)`],
      ['ETag', s.etag],
      ...(s.manifestEtag ? [['Manifest ETag', s.manifestEtag]] : []),
      ['Content-Type', s.contentType],
      ['Last-Modified', s.lastModified],
      ...Object.entries(s.metadata).map(([k, v]) => [`Meta ${k}`, v]),
    ]));
    return 0;
  },
};
