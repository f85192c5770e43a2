// Pure renderers for a Swift on loopback (see docs in shared/swift-sandbox.md): one replica on one device by default,
// or N replicas on N devices, each served by its own object, container and account server (a node).
import { join } from 'node:path';
import { keystoneProxySections } from './keystone.ts';

export type StorageKind = 'account' | 'container' | 'object';
export type ServerKind = StorageKind | 'proxy';

export const STORAGE_KINDS: readonly StorageKind[] = ['account', 'container', 'object'];
export const SERVER_KINDS: readonly ServerKind[] = ['account', 'container', 'object', 'proxy'];

export interface SandboxPorts {
  proxy: number;
  object: number;
  container: number;
  account: number;
  memcached: number;
  /** Used only when the sandbox runs with Keystone (`--auth keystone`). */
  keystone: number;
}

export const DEFAULT_PORTS: Readonly<SandboxPorts> = {
  proxy: 8080,
  object: 6210,
  container: 6211,
  account: 6212,
  memcached: 11211,
  keystone: 5000,
};

export interface SandboxConfigInput {
  dataDir: string;
  ports: SandboxPorts;
  /** OS user the servers run as; anything else makes them drop to `swift` and fail on our files. */
  user: string;
  proxyWorkers?: number;
  /** Keystone in front of the proxy as well as tempauth (see keystone.ts). */
  keystone?: boolean;
  /** Storage servers to render (default: one node per kind on `ports`, see storageNodes). */
  nodes?: readonly StorageNode[];
}

/** One storage server: its process name, conf file, port and the one device it serves (its own zone). */
export interface StorageNode {
  kind: StorageKind;
  /** 1-based. */
  node: number;
  proc: string;
  confFile: string;
  port: number;
  device: string;
}

/**
 * The storage servers of a sandbox. One replica keeps the names it always had (`object`, object-server.conf, d1);
 * N replicas get `object-1`…`object-N` with object-server-1.conf… and devices d1…dN, all under the one devices dir
 * (each server is only ever sent requests for its own device: the ring says so).
 */
export function storageNodes(replicas: number, ports: Record<StorageKind, readonly number[]>): StorageNode[] {
  return STORAGE_KINDS.flatMap((kind) =>
    Array.from({ length: replicas }, (_, i) => {
      const node = i + 1;
      const single = replicas === 1;
      return {
        kind,
        node,
        proc: single ? kind : `${kind}-${node}`,
        confFile: single ? confFileName(kind) : `${kind}-server-${node}.conf`,
        port: ports[kind][i]!,
        device: `d${node}`,
      };
    }),
  );
}

/** Ports a replicated sandbox prefers when they are free (SAIO's layout: node n on 62n0, 62n1, 62n2). */
export const defaultNodePort = (kind: StorageKind, node: number): number => 6200 + 10 * node + { object: 0, container: 1, account: 2 }[kind];

/**
 * With replicas, a stopped node must cost a request milliseconds, not seconds: a dead server refuses connections at
 * once, and one that hangs is given up on after node_timeout. Error limiting takes a node out after a few failures
 * and lets it back soon after it returns (the defaults are 10 failures and 60 s).
 */
export const REPLICA_PROXY_TIMEOUTS: Readonly<Record<string, string | number>> = {
  conn_timeout: 0.5,
  node_timeout: 5,
  recoverable_node_timeout: 3,
  error_suppression_limit: 3,
  error_suppression_interval: 2,
};

/** tempauth accounts: `user_<account>_<user> = <key> <groups>`. */
export const TEMPAUTH_USERS: Readonly<Record<string, string>> = {
  user_test_tester: 'testing .admin',
  user_test2_tester2: 'testing2 .admin',
  user_admin_admin: 'admin .admin .reseller_admin',
};

/** The proxy's pipeline; with Keystone, authtoken + keystoneauth (KEY_ accounts) stand before tempauth (AUTH_). */
export const proxyPipeline = (keystone = false): string =>
  `catch_errors gatekeeper healthcheck proxy-logging cache listing_formats bulk tempurl ${keystone ? 'authtoken keystoneauth ' : ''}` +
  'tempauth copy slo dlo versioned_writes symlink proxy-logging proxy-server';

export const confFileName = (kind: ServerKind): string => `${kind}-server.conf`;
export const confPath = (dataDir: string, kind: ServerKind): string => join(dataDir, confFileName(kind));
export const devicesDir = (dataDir: string): string => join(dataDir, 'node');
export const logDir = (dataDir: string): string => join(dataDir, 'log');

/** Stable hash salt: changing it would orphan every stored object. */
export function renderSwiftConf(): string {
  return section('swift-hash', {
    swift_hash_path_suffix: 'slo-studio-sandbox',
    swift_hash_path_prefix: 'slo-studio-sandbox',
  }) + section('storage-policy:0', { name: 'gold', default: 'yes' });
}

function commonDefaults(input: SandboxConfigInput, port: number, workers: number, logName: string): Record<string, string | number> {
  return {
    bind_ip: '127.0.0.1',
    bind_port: port,
    workers,
    user: input.user,
    swift_dir: input.dataDir,
    log_name: logName,
    log_level: 'INFO',
    // Servers run with -v so logs go to stderr (our log file); a non-socket address makes the syslog
    // handler fall back to UDP instead of spamming the machine's /dev/log.
    log_address: join(logDir(input.dataDir), 'no-syslog'),
  };
}

export function renderStorageServerConf(kind: StorageKind, input: SandboxConfigInput, node?: StorageNode): string {
  const daemons: Record<StorageKind, string[]> = {
    account: ['account-replicator', 'account-auditor', 'account-reaper'],
    container: ['container-replicator', 'container-updater', 'container-auditor', 'container-sync'],
    object: ['object-replicator', 'object-updater', 'object-auditor'],
  };
  return (
    section('DEFAULT', {
      ...commonDefaults(input, node?.port ?? input.ports[kind], 1, `sandbox-${node?.proc ?? kind}`),
      devices: devicesDir(input.dataDir),
      mount_check: 'false',
      // fallocate fails or reserves space on tmpfs/overlay and nearly full CI disks.
      disable_fallocate: 'true',
      fallocate_reserve: 0,
    }) +
    section('pipeline:main', { pipeline: `${kind}-server` }) +
    section(`app:${kind}-server`, { use: `egg:swift#${kind}` }) +
    // A short updater interval keeps account listings (object counts, bytes) current within seconds.
    daemons[kind].map((d) => section(d, d === 'container-updater' ? { interval: 2 } : {})).join('')
  );
}

export function renderProxyServerConf(input: SandboxConfigInput): string {
  const egg = (name: string, extra: Record<string, string | number> = {}) => ({ use: `egg:swift#${name}`, ...extra });
  return (
    section('DEFAULT', commonDefaults(input, input.ports.proxy, input.proxyWorkers ?? 1, 'sandbox-proxy')) +
    section('pipeline:main', { pipeline: proxyPipeline(input.keystone) }) +
    (input.keystone ? Object.entries(keystoneProxySections(input.ports.keystone, input.ports.memcached)).map(([name, values]) => section(name, values)).join('') : '') +
    section('app:proxy-server', egg('proxy', { account_autocreate: 'true', ...(replicated(input) ? REPLICA_PROXY_TIMEOUTS : {}) })) +
    section('filter:tempauth', egg('tempauth', { ...TEMPAUTH_USERS })) +
    section('filter:healthcheck', egg('healthcheck')) +
    section('filter:cache', egg('memcache', { memcache_servers: `127.0.0.1:${input.ports.memcached}` })) +
    section('filter:catch_errors', egg('catch_errors')) +
    section('filter:gatekeeper', egg('gatekeeper')) +
    section('filter:proxy-logging', egg('proxy_logging')) +
    section('filter:listing_formats', egg('listing_formats')) +
    section('filter:bulk', egg('bulk')) +
    section('filter:tempurl', egg('tempurl')) +
    section('filter:copy', egg('copy')) +
    // Tests use tiny segments; the default throttles them to 1 segment/s after the 10th.
    section('filter:slo', egg('slo', { rate_limit_segments_per_sec: 0 })) +
    section('filter:dlo', egg('dlo', { rate_limit_segments_per_sec: 0 })) +
    section('filter:versioned_writes', egg('versioned_writes')) +
    section('filter:symlink', egg('symlink'))
  );
}

/** Every file the sandbox needs in dataDir, by file name. */
export function renderAllConfs(input: SandboxConfigInput): Record<string, string> {
  const files: Record<string, string> = { 'swift.conf': renderSwiftConf() };
  const nodes = input.nodes ?? storageNodes(1, { account: [input.ports.account], container: [input.ports.container], object: [input.ports.object] });
  for (const n of nodes) files[n.confFile] = renderStorageServerConf(n.kind, input, n);
  files[confFileName('proxy')] = renderProxyServerConf(input);
  return files;
}

const replicated = (input: SandboxConfigInput): boolean => (input.nodes?.length ?? 0) > STORAGE_KINDS.length;

/** Ring device spec for `swift-ring-builder <kind>.builder add`: node n's device in zone n. */
export const ringDevice = (port: number, node = 1): string => `r1z${node}-127.0.0.1:${port}/d${node}`;

function section(name: string, values: Record<string, string | number>): string {
  const lines = Object.entries(values).map(([k, v]) => `${k} = ${v}`);
  return [`[${name}]`, ...lines, ''].join('\n') + '\n';
}
