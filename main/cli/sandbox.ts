// `npm run sandbox -- start|stop|status|reset [--dir DIR] [--replicas N] [--json]`: manage the local Swift sandbox;
// `node stop|start object|container|account <n>` stops or starts one storage server of a replicated one.
// Progress goes to stderr so stdout stays paste-able (credentials) or parseable (--json).
import { parseArgs } from 'node:util';
import { STORAGE_KINDS, type StorageKind } from '../../app/sandbox/config.ts';
import {
  resetSandbox,
  sandboxStatus,
  startNode,
  startSandbox,
  stopNode,
  stopSandbox,
  type NodeInfo,
  type SandboxInfo,
} from '../../app/sandbox/manager.ts';
import { createDemo } from '../../app/studio/demo.ts';
import { SwiftClient } from '../../app/swift/client.ts';

const USAGE = [
  'usage: npm run sandbox -- start|stop|status|reset|demo [--dir DIR] [--auth tempauth|keystone] [--replicas N] [--json]',
  '       npm run sandbox -- node stop|start object|container|account N [--dir DIR] [--json]',
].join('\n');

/** One line per storage server of a replicated sandbox. */
function nodeLines(nodes: readonly NodeInfo[] | undefined): string[] {
  return (nodes ?? []).map((n) => `  ${n.kind} ${n.node}: ${n.state} on port ${n.port}, device ${n.device}${n.pid ? `, pid ${n.pid}` : ''}`);
}

function credentials(info: SandboxInfo): string {
  const lines = [`export ST_AUTH=${info.authUrl} ST_USER=${info.user} ST_KEY=${info.key}`, `swift -A ${info.authUrl} -U ${info.user} -K ${info.key} stat`];
  const k = info.keystone;
  if (k) {
    lines.push(
      '# Keystone v3 (password):',
      `export OS_AUTH_URL=${k.authUrl} OS_USERNAME=${k.username} OS_PASSWORD=${k.password} OS_PROJECT_NAME=${k.projectName} OS_USER_DOMAIN_NAME=${k.userDomainName} OS_PROJECT_DOMAIN_NAME=${k.projectDomainName}`,
      '# Keystone v3 (application credential):',
      `export OS_AUTH_URL=${k.authUrl} OS_AUTH_TYPE=v3applicationcredential OS_APPLICATION_CREDENTIAL_ID=${k.applicationCredentialId} OS_APPLICATION_CREDENTIAL_SECRET=${k.applicationCredentialSecret}`,
      `# regions: ${k.regions.join(', ')} (OS_REGION_NAME)`,
    );
  }
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { dir: { type: 'string' }, auth: { type: 'string' }, replicas: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [command, ...extra] = positionals;
  if (command === 'node') return nodeCommand(extra, values.dir, values.json ?? false);
  if (!command || extra.length || !['start', 'stop', 'status', 'reset', 'demo'].includes(command)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const replicas = values.replicas === undefined ? undefined : Number(values.replicas);
  if (replicas !== undefined && !Number.isInteger(replicas)) {
    process.stderr.write(`--replicas takes a whole number, not "${values.replicas}".\n${USAGE}\n`);
    return 2;
  }
  const dataDir = values.dir;
  const auth = values.auth;
  if (auth !== undefined && auth !== 'tempauth' && auth !== 'keystone') {
    process.stderr.write(`--auth takes tempauth or keystone, not "${auth}".\n${USAGE}\n`);
    return 2;
  }
  const json = values.json ?? false;
  const log = (line: string) => process.stderr.write(`[sandbox] ${line}\n`);
  const out = (value: unknown, text: string) => process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);

  switch (command) {
    case 'start':
    case 'reset': {
      const info = await (command === 'start' ? startSandbox : resetSandbox)({ dataDir, log, auth, replicas });
      const how = info.reused ? 'already running' : command === 'reset' ? 'reset and running' : 'started';
      const nodes = info.nodes ? [`# ${info.nodes.length / STORAGE_KINDS.length} replicas:`, ...nodeLines(info.nodes).map((l) => `#${l}`)] : [];
      out(info, [`# Swift sandbox ${how} at http://127.0.0.1:${info.proxyPort} (data in ${info.dataDir})`, ...nodes, credentials(info)].join('\n'));
      return 0;
    }
    case 'demo': {
      const info = await startSandbox({ dataDir, log, auth });
      const client = new SwiftClient({ auth: { type: 'v1', authUrl: info.authUrl, user: info.user, key: info.key } });
      try {
        const demo = await createDemo(client);
        const made = demo.created.length ? `created ${demo.created.join(', ')}` : 'already complete';
        out(demo, `Demo container ${demo.container} ${made}${demo.kept.length && demo.created.length ? ` (kept ${demo.kept.join(', ')})` : ''}.\nTry: npx slo --sandbox inspect ${demo.container}/nested.bin; npx slo --sandbox doctor ${demo.container}/story/manifest.json`);
      } finally {
        await client.close();
      }
      return 0;
    }
    case 'stop': {
      await stopSandbox({ dataDir, log });
      out({ stopped: true }, 'Swift sandbox stopped.');
      return 0;
    }
    default: {
      const status = await sandboxStatus({ dataDir });
      const lines = [`Swift sandbox is ${status.state.replace('-', ' ')} (${status.dataDir})`, ...status.problems.map((p) => `  - ${p}`), ...nodeLines(status.nodes)];
      if (status.info) lines.push(credentials(status.info));
      out(status, lines.join('\n'));
      // Non-zero when not running, so `status || start` works in scripts.
      return status.state === 'running' ? 0 : 1;
    }
  }
}

/** `node stop|start <kind> <n>`: one storage server of a replicated sandbox. */
async function nodeCommand(args: string[], dataDir: string | undefined, json: boolean): Promise<number> {
  const [action, kind, n, ...extra] = args;
  const node = Number(n);
  if ((action !== 'stop' && action !== 'start') || !STORAGE_KINDS.includes(kind as StorageKind) || !Number.isInteger(node) || extra.length) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const log = (line: string) => process.stderr.write(`[sandbox] ${line}\n`);
  const info = await (action === 'stop' ? stopNode : startNode)({ dataDir, kind: kind as StorageKind, node, log });
  process.stdout.write(json ? `${JSON.stringify(info, null, 2)}\n` : `${nodeLines([info])[0]!.trim()}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`${message.endsWith('.') ? message : `${message}.`}\n`);
    process.exitCode = 1;
  },
);
