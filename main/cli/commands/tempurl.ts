import type { TempUrlKeySlot, TempUrlKeys } from '../../../app/domain/objops.ts';
import { TempUrlMethod } from '../../../app/domain/objops.ts';
import { REDACTED } from '../../../app/swift/redact.ts';
import { createTempUrl, readTempUrlKeys, setTempUrlKey } from '../../../app/swift/tempurl.ts';
import { UsageError } from '../args.ts';
import type { Command, CommandContext } from '../context.ts';
import { table } from '../format.ts';
import { parseDuration } from '../time-args.ts';
import { objectTarget } from './target.ts';

const shown = (s: TempUrlKeySlot) => (s.set ? (s.value ?? REDACTED) : '(not set)');

function showKeys(ctx: CommandContext, k: TempUrlKeys): void {
  if (ctx.json) {
    ctx.out(JSON.stringify(k, null, 2));
    return;
  }
  const rows = [
    ['account', 'Temp-URL-Key', shown(k.account.key)],
    ['account', 'Temp-URL-Key-2', shown(k.account.key2)],
    ...(k.container ? [[`container ${k.container.name}`, 'Temp-URL-Key', shown(k.container.key)], [`container ${k.container.name}`, 'Temp-URL-Key-2', shown(k.container.key2)]] : []),
  ];
  ctx.out(table(rows, { header: ['SCOPE', 'KEY', 'VALUE'] }));
  ctx.out(k.digests.length ? `Digests this cluster accepts: ${k.digests.join(', ')}; methods: ${k.methods.join(', ')}.` : 'This cluster has no tempurl middleware (no tempurl in /info).');
}

async function keyCommand(ctx: CommandContext): Promise<number> {
  const client = await ctx.client();
  const container = typeof ctx.flags.container === 'string' ? ctx.flags.container : undefined;
  const slot = ctx.flags.slot === 2 ? 2 : 1;
  if (ctx.flags.slot !== undefined && ctx.flags.slot !== 1 && ctx.flags.slot !== 2) throw new UsageError('--slot is 1 or 2.');
  const set = typeof ctx.flags.set === 'string' ? ctx.flags.set : undefined;
  if (set !== undefined || ctx.flags.generate === true || ctx.flags.remove === true) {
    if ([set !== undefined, ctx.flags.generate === true, ctx.flags.remove === true].filter(Boolean).length > 1) throw new UsageError('Use one of --set, --generate and --remove.');
    await setTempUrlKey(client, { container, slot, key: ctx.flags.remove === true ? null : set });
  }
  showKeys(ctx, await readTempUrlKeys(client, { container, reveal: ctx.flags.reveal === true || ctx.flags.generate === true }));
  return 0;
}

export const tempurl: Command = {
  name: 'tempurl',
  args: 'key | <container>/<object>',
  summary: 'show or set the temp-URL key (`tempurl key`); sign a URL anyone can use without a token until it expires',
  flags: {
    expires: { type: 'string', description: 'how long the URL works: 90s, 15m, 1h (default), 7d' },
    method: { type: 'string', description: 'GET (default), HEAD or PUT' },
    set: { type: 'string', description: 'key: set this value' },
    generate: { type: 'boolean', description: 'key: set a random value (and show it)' },
    remove: { type: 'boolean', description: 'key: remove it' },
    slot: { type: 'number', description: 'key: 1 (Temp-URL-Key, default) or 2 (Temp-URL-Key-2)' },
    container: { type: 'string', description: 'key: the container\'s key instead of the account\'s' },
    reveal: { type: 'boolean', description: 'key: show the values instead of redacting them' },
  },
  async run(ctx) {
    if (ctx.positionals[0] === 'key') return keyCommand(ctx);
    const { container, object } = objectTarget(ctx.positionals[0], 'tempurl');
    const method = TempUrlMethod.safeParse(typeof ctx.flags.method === 'string' ? ctx.flags.method.toUpperCase() : 'GET');
    if (!method.success) throw new UsageError('--method is GET, HEAD or PUT.');
    const seconds = parseDuration(typeof ctx.flags.expires === 'string' ? ctx.flags.expires : '1h', 'expires');
    const t = await createTempUrl(await ctx.client(), { container, object, method: method.data, seconds });
    if (ctx.json) ctx.out(JSON.stringify(t, null, 2));
    else {
      ctx.out(t.url);
      for (const n of t.notes) ctx.err(`note: ${n}`);
    }
    return 0;
  },
};
