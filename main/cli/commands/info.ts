import { capabilities } from '../../../app/swift/info.ts';
import { headAccount } from '../../../app/swift/objects.ts';
import type { Command } from '../context.ts';
import { formatBytes, table } from '../format.ts';

export const info: Command = {
  name: 'info',
  args: '',
  summary: 'show the account and the cluster limits that matter for large objects (/info)',
  async run(ctx) {
    const client = await ctx.client();
    const [caps, account] = await Promise.all([capabilities(client), headAccount(client)]);
    if (ctx.json) {
      ctx.out(JSON.stringify({ storageUrl: client.storageUrl, account: client.account, containers: account.containers, objects: account.objects, bytes: account.bytes, capabilities: caps }, null, 2));
      return 0;
    }
    const slo = caps.slo;
    ctx.out(table([
      ['Storage URL', client.storageUrl ?? ''],
      ['Account', client.account],
      ['Containers', String(account.containers)],
      ['Objects', String(account.objects)],
      ['Bytes used', `${formatBytes(account.bytes)} (${account.bytes})`],
      ['Swift version', caps.swiftVersion ?? 'unknown'],
      ['Static Large Objects', slo ? 'supported' : 'NOT supported by this cluster'],
      ...(slo ? [
        ['  max segments / manifest', String(slo.maxManifestSegments)],
        ['  max manifest size', formatBytes(slo.maxManifestSize)],
        ['  min segment size', formatBytes(slo.minSegmentSize)],
      ] : []),
      ['Max object size', formatBytes(caps.maxFileSize)],
      ['Max object name', `${caps.maxObjectNameLength} bytes`],
      ['Bulk delete', caps.bulkDelete ? 'yes' : 'no (segments are deleted one by one)'],
      ['Dynamic Large Objects', caps.dlo ? 'yes' : 'no'],
    ]));
    for (const w of client.warnings) ctx.err(`warning: ${w}`);
    return 0;
  },
};
