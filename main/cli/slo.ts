// `slo` — the command-line face of SLO Studio. Exit codes: 0 success, 1 operation failed or problems found,
// 2 usage error. Errors go to stderr as one sentence (plus the Swift transaction id), never a stack trace.
import { setMaxListeners } from 'node:events';
import { readCaFile } from '../../app/swift/ca.ts';
import type { SwiftClient } from '../../app/swift/client.ts';
import { isSwiftError, toSwiftError } from '../../app/swift/errors.ts';
import { parseArgs, UsageError, type FlagSpecs } from './args.ts';
import { commands } from './commands/index.ts';
import { isEntryPoint } from './entry-point.ts';
import { authFromFlagsAndEnv, connectionFlags } from './connection.ts';
import type { Command, CommandContext } from './context.ts';

const globalFlags: FlagSpecs = {
  ...connectionFlags,
  json: { type: 'boolean', description: 'machine-readable output (JSON, or JSON lines for streams)' },
  verbose: { type: 'boolean', alias: 'v', description: 'print every request (method, path, status, time, transaction id) to stderr' },
  help: { type: 'boolean', alias: 'h', description: 'show help' },
};

// Long synopses get their summary on the next line, so the tables stay readable in 100 columns.
const WIDTH = 34;
const row = (left: string, text: string) => (left.length <= WIDTH ? `  ${left.padEnd(WIDTH)}  ${text}` : `  ${left}\n  ${''.padEnd(WIDTH)}  ${text}`);
const flagRow = ([k, s]: [string, FlagSpecs[string]]) => row(`--${k}${s.alias ? `, -${s.alias}` : ''}${s.type === 'boolean' ? '' : s.type === 'size' ? ' <size>' : ' <value>'}`, s.description);

function usage(cmd?: Command): string {
  if (cmd) {
    const lines = [`usage: slo ${cmd.name} ${cmd.args}`.trimEnd(), '', `  ${cmd.summary}`, ''];
    const own = Object.entries(cmd.flags ?? {});
    if (own.length) lines.push('options:', ...own.map(flagRow), '');
    lines.push('connection: --sandbox | -A URL -U USER -K KEY | OS_* environment (see `slo --help`); --json; --verbose');
    return lines.join('\n');
  }
  return [
    'usage: slo <command> [options]',
    '',
    'SLO Studio command line: segmented verified uploads, verified downloads and manifest tools for OpenStack Swift.',
    '',
    'commands:',
    ...commands.map((c) => row(`${c.name} ${c.args}`.trimEnd(), c.summary)),
    '',
    'connection (flags, else the environment python-swiftclient uses):',
    ...Object.entries(connectionFlags).map(flagRow),
    '',
    'global: --json, --verbose (-v), --help (-h). `slo <command> --help` shows a command\'s options.',
    'exit codes: 0 success, 1 failed or problems found, 2 usage error.',
  ].join('\n');
}

function findCommand(argv: string[]): { cmd: Command | undefined; rest: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('-')) {
      const name = a.startsWith('--') ? a.slice(2).split('=')[0]! : [...Object.entries(globalFlags)].find(([, s]) => s.alias === a.slice(1))?.[0];
      const spec = name ? globalFlags[name] : undefined;
      if (spec && spec.type !== 'boolean' && !a.includes('=')) i++;
      continue;
    }
    const cmd = commands.find((c) => c.name === a);
    if (!cmd) throw new UsageError(`Unknown command "${a}". Run \`slo --help\` for the list.`);
    return { cmd, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
  }
  return { cmd: undefined, rest: argv };
}

export async function main(argv: string[], io = { out: (s: string) => process.stdout.write(s + '\n'), err: (s: string) => process.stderr.write(s + '\n') }): Promise<number> {
  const controller = new AbortController();
  // Every request in flight listens to this one signal (hundreds during a scan); that is not a leak.
  setMaxListeners(0, controller.signal);
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  let client: SwiftClient | undefined;
  try {
    const { cmd, rest } = findCommand(argv);
    const parsed = parseArgs(rest, { ...globalFlags, ...(cmd?.flags ?? {}) });
    if (!cmd || parsed.flags.help) {
      io.out(usage(cmd));
      return cmd || parsed.flags.help ? 0 : 2;
    }
    const ctx: CommandContext = {
      flags: parsed.flags,
      positionals: parsed.positionals,
      json: parsed.flags.json === true,
      tty: process.stdout.isTTY === true,
      signal: controller.signal,
      out: io.out,
      err: io.err,
      async client() {
        if (client) return client;
        const auth = authFromFlagsAndEnv(parsed.flags);
        const resolved = auth === 'sandbox'
          ? await (async () => {
              // Loaded only for --sandbox (like SwiftClient below: both bring in undici, which `slo --help` never needs).
              const { startSandbox } = await import('../../app/sandbox/manager.ts');
              const s = await startSandbox({ log: (l) => { if (parsed.flags.verbose) io.err(l); } });
              return { type: 'v1' as const, authUrl: s.authUrl, user: s.user, key: s.key };
            })()
          : auth;
        // Loaded here, not at the top: undici is most of the start-up cost, and `slo --help` never needs it.
        const { SwiftClient } = await import('../../app/swift/client.ts');
        client = new SwiftClient({
          auth: resolved,
          insecure: parsed.flags.insecure === true,
          ...(typeof parsed.flags.cacert === 'string' ? { caPem: await readCaFile(parsed.flags.cacert) } : {}),
        });
        for (const w of client.warnings) io.err(`WARNING: ${w}`);
        if (parsed.flags.verbose) {
          client.transcript.on((r) => io.err(`${r.method} ${r.url} → ${r.status ?? 'failed'} ${r.durationMs} ms${r.transId ? ` ${r.transId}` : ''}${r.error ? ` (${r.error})` : ''}`));
        }
        await client.auth();
        return client;
      },
    };
    return await cmd.run(ctx);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`slo: ${e.message}`);
      return 2;
    }
    const err = isSwiftError(e) ? e : toSwiftError(e);
    io.err(`slo: ${err.describe()}`);
    if (process.env.SLO_DEBUG) io.err(String((e as Error).stack));
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    await client?.close().catch(() => {});
  }
}

/** The program: what `slo` (bin/slo.mjs) and `node dist/cli/slo.mjs` run. */
export async function run(argv: string[]): Promise<void> {
  // `slo inspect big | head`: the reader went away; stop quietly as other Unix tools do, not with a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  process.exitCode = await main(argv);
}

if (isEntryPoint(process.argv[1], import.meta.url)) void run(process.argv.slice(2));
