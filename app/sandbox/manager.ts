// Local Swift sandbox: our own memcached + swift servers (one replica: 4 servers; N replicas: N object, container and
// account servers), spawned detached so they outlive us, tracked in <dataDir>/state.json. We only ever signal pids we
// recorded (and re-verify them via /proc first).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync, accessSync, constants as fsConstants } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile, open, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir, hostname, tmpdir, userInfo } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import {
  DEFAULT_PORTS,
  STORAGE_KINDS,
  confPath,
  defaultNodePort,
  devicesDir,
  logDir,
  renderAllConfs,
  ringDevice,
  storageNodes,
  type SandboxPorts,
  type ServerKind,
  type StorageKind,
  type StorageNode,
} from './config.ts';
import { provisionKeystone } from './keystone-provision.ts';
import {
  KEYSTONE_APT_PACKAGES,
  KEYSTONE_PROGRAMS,
  bootstrapKeystone,
  keystoneConfPath,
  keystoneDir,
  renderKeystoneConf,
  uwsgiArgs,
  type KeystoneAccounts,
} from './keystone.ts';

export interface SandboxInfo {
  dataDir: string;
  proxyPort: number;
  authUrl: string;
  user: string;
  key: string;
  storageUrl: string;
  /** Where the container server takes listing rows directly (listing-only fixtures; see test/helpers/listing-rows.ts). */
  containerServer: { port: number; device: string; partition: number; account: string };
  /** Where the account server takes container rows directly (listing-only fixtures; see test/helpers/many-containers.ts). */
  accountServer: { port: number; device: string; partition: number };
  /** Present when the sandbox runs with Keystone (`auth: 'keystone'`). */
  keystone?: KeystoneAccounts;
  /** Every storage server and whether it runs; present only with more than one replica. */
  nodes?: NodeInfo[];
  pids: Record<string, number>;
  reused: boolean;
}

/** One storage server of a replicated sandbox, as status shows it. */
export interface NodeInfo {
  kind: StorageKind;
  node: number;
  port: number;
  device: string;
  pid?: number;
  /** 'stopped' only after `node stop`; a server that died by itself is 'dead' (and the sandbox unhealthy). */
  state: 'running' | 'stopped' | 'dead';
}

export interface SandboxStatus {
  dataDir: string;
  state: 'running' | 'stopped' | 'unhealthy' | 'not-installed';
  info?: SandboxInfo;
  problems: string[];
  /** A replicated sandbox's storage servers, also when it is unhealthy (info is then absent). */
  nodes?: NodeInfo[];
}

export interface StartOptions {
  dataDir?: string;
  log?: (line: string) => void;
  /** Allow `apt-get install` when the Swift programs are missing and we are root on Debian (default true). */
  install?: boolean;
  proxyWorkers?: number;
  /**
   * Never take the well-known ports (8080, 6210-6212, 11211), only ones the kernel hands out: a throw-away sandbox
   * (`npm run test:fresh`, CI) must not sit where the user's own sandbox expects to start. Default: SLO_SANDBOX_FREE_PORTS=1.
   */
  freePorts?: boolean;
  /** 'keystone' adds a Keystone v3 (Debian packages, installed like Swift's) beside tempauth; default: as last started. */
  auth?: SandboxAuth;
  /** Keystone token lifetime in seconds (default 3600); a short one lets tests see tokens expire mid-transfer. */
  tokenExpirationSeconds?: number;
  /** Copies of every account, container and object, each on its own node (default: as last started, else 1). */
  replicas?: number;
}

export const MAX_REPLICAS = 5;

export type SandboxAuth = 'tempauth' | 'keystone';

export interface StopOptions {
  dataDir?: string;
  log?: (line: string) => void;
}

// The container updater pushes object counts and bytes into the account listing (otherwise `ls` shows stale 0s).
// Storage servers of a replicated sandbox are named `<kind>-<n>` (see storageNodes).
type ProcName = ServerKind | 'memcached' | 'container-updater' | 'keystone' | `${StorageKind}-${number}`;

interface SandboxState {
  version: 1;
  dataDir: string;
  ports: SandboxPorts;
  /** Ports the rings were last built for; rings are rebuilt only when these change. */
  ringPorts?: Pick<SandboxPorts, 'account' | 'container' | 'object'>;
  /** Replicas and devices each ring was last built with (`3:r1z1-127.0.0.1:6210/d1,…`); absent before replicas. */
  rings?: Partial<Record<StorageKind, string>>;
  replicas?: number;
  /** Ports of every node when replicas > 1 (index 0 = node 1 = `ports`). */
  nodePorts?: Record<StorageKind, number[]>;
  /** Storage servers stopped on purpose (`node stop`): not a health problem. */
  stoppedNodes?: string[];
  pids: Partial<Record<ProcName, number>>;
  user: string;
  proxyWorkers: number;
  auth?: SandboxAuth;
  tokenExpirationSeconds?: number;
  keystone?: KeystoneAccounts;
  startedAt?: string;
  stoppedAt?: string;
}

const SWIFT_USER = 'test:tester';
const SWIFT_KEY = 'testing';
const SWIFT_ACCOUNT = 'AUTH_test';
const READY_TIMEOUT_MS = 60_000;
/** With Keystone every request is also validated by Keystone (single-threaded Python): give a loaded machine longer. */
const readyTimeout = (state: SandboxState): number => (state.auth === 'keystone' ? 3 * READY_TIMEOUT_MS : READY_TIMEOUT_MS);
const probeTimeout = (state: SandboxState): number => (state.auth === 'keystone' ? 30_000 : 5_000);
const POLL_MS = 200;
const LOCK_WAIT_MS = 5 * 60_000;
const LOCK_STALE_MS = 10 * 60_000;
const nodePortsOf = (state: Pick<SandboxState, 'ports' | 'nodePorts'>): Record<StorageKind, number[]> =>
  state.nodePorts ?? { account: [state.ports.account], container: [state.ports.container], object: [state.ports.object] };
const nodesOf = (state: SandboxState): StorageNode[] => storageNodes(state.replicas ?? 1, nodePortsOf(state));
const procNames = (state: SandboxState): readonly ProcName[] => [
  ...(state.auth === 'keystone' ? (['keystone'] as const) : []),
  'memcached',
  ...nodesOf(state).map((n) => n.proc as ProcName),
  'proxy',
  'container-updater',
];
/** The one container updater walks every device under the shared devices dir; it runs with node 1's conf. */
const updaterConf = (state: SandboxState): string => join(state.dataDir, nodesOf(state).find((n) => n.kind === 'container')!.confFile);
const isStopped = (state: SandboxState, name: ProcName): boolean => state.stoppedNodes?.includes(name) ?? false;
const REQUIRED_PROGRAMS = [
  'swift-proxy-server',
  'swift-account-server',
  'swift-container-server',
  'swift-object-server',
  'swift-ring-builder',
  'memcached',
];
const APT_PACKAGES = 'swift swift-proxy swift-account swift-container swift-object memcached python3-swiftclient';

const noop = (): void => {};

export function defaultSandboxDir(): string {
  if (process.env.SLO_SANDBOX_DIR) return resolve(process.env.SLO_SANDBOX_DIR);
  const dataHome = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(dataHome, 'slo-studio', 'sandbox');
}

const resolveDir = (dataDir?: string): string => resolve(dataDir ?? defaultSandboxDir());
const statePath = (dir: string): string => join(dir, 'state.json');
const lockPath = (dir: string): string => join(dir, '.lock');
// Port choice is machine-wide: two sandboxes starting at once must not both pick a free default port.
const portLockPath = (): string => join(tmpdir(), `slo-studio-sandbox-ports-${process.getuid?.() ?? 'u'}.lock`);

// ---------- public API ----------

export async function sandboxStatus(opts: { dataDir?: string } = {}): Promise<SandboxStatus> {
  const dataDir = resolveDir(opts.dataDir);
  const state = await readState(dataDir);
  const anyAlive = state ? procNames(state).some((n) => isOurProcess(state, n)) : false;
  if (!anyAlive) {
    const missing = missingPrograms();
    if (missing.length) return { dataDir, state: 'not-installed', problems: [`missing programs: ${missing.join(', ')}`] };
    return { dataDir, state: 'stopped', problems: state ? [] : [`no sandbox has been started in ${dataDir}`] };
  }
  const problems = await checkHealth(state!);
  const info = toInfo(state!, true);
  const nodes = info.nodes ? { nodes: info.nodes } : {};
  if (problems.length) return { dataDir, state: 'unhealthy', problems, ...nodes };
  return { dataDir, state: 'running', info, problems, ...nodes };
}

export async function startSandbox(opts: StartOptions = {}): Promise<SandboxInfo> {
  const dataDir = resolveDir(opts.dataDir);
  const log = opts.log ?? noop;
  checkReplicas(opts.replicas);
  await mkdir(dataDir, { recursive: true });
  return withLock(lockPath(dataDir), log, async () => {
    const prev = await readState(dataDir);
    if (prev && Object.keys(prev.pids).length) {
      const authChange = opts.auth && opts.auth !== (prev.auth ?? 'tempauth');
      const replicaChange = opts.replicas && opts.replicas !== (prev.replicas ?? 1);
      // Storage servers that are down (stopped on purpose, or dead) come back alone: the rest keeps running.
      if (!authChange && !replicaChange) await startDownNodes(prev, log).catch((e: unknown) => log(errText(e)));
      const problems = await checkHealth(prev);
      // Code that renders a different config (a new tempauth user, a proxy setting) must not meet a sandbox still
      // running the old one: restart it, as a config change would need anyway.
      const stale = problems.length || authChange || replicaChange ? [] : await staleConfs(dataDir, prev);
      if (!problems.length && !authChange && !replicaChange && !stale.length) {
        log(`reusing the Swift sandbox already running on port ${prev.ports.proxy}`);
        return toInfo(prev, true);
      }
      const change = authChange
        ? `switching the sandbox to ${opts.auth}`
        : replicaChange
          ? `switching the sandbox to ${opts.replicas} replica${opts.replicas === 1 ? '' : 's'}`
          : `the sandbox's configuration changed (${stale.join(', ')})`;
      log(problems.length ? `the recorded sandbox is unhealthy (${problems.join('; ')}); restarting it` : `${change}; restarting it`);
      await stopLocked(dataDir, prev, log);
    }
    return startLocked(dataDir, prev, opts, log);
  });
}

/** Config files on disk that differ from what this code renders for the same sandbox. */
async function staleConfs(dataDir: string, state: SandboxState): Promise<string[]> {
  const files = renderAllConfs({ dataDir, ports: state.ports, user: state.user, proxyWorkers: state.proxyWorkers, keystone: state.auth === 'keystone', nodes: nodesOf(state) });
  const stale: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    if ((await readFile(join(dataDir, name), 'utf8').catch(() => null)) !== text) stale.push(name);
  }
  return stale;
}

function checkReplicas(replicas: number | undefined): void {
  if (replicas !== undefined && !(Number.isInteger(replicas) && replicas >= 1 && replicas <= MAX_REPLICAS)) {
    throw new Error(`The sandbox runs 1 to ${MAX_REPLICAS} replicas, not ${replicas}.`);
  }
}

export interface NodeOptions {
  dataDir?: string;
  kind: StorageKind;
  /** 1-based. */
  node: number;
  log?: (line: string) => void;
}

/** Stops one storage server of a replicated sandbox (SIGTERM to the pid we recorded, then SIGKILL); a no-op if down. */
export async function stopNode(opts: NodeOptions): Promise<NodeInfo> {
  return withNode(opts, async (state, node) => {
    const pid = state.pids[node.proc as ProcName];
    if (pid && isOurProcess(state, node.proc as ProcName)) {
      (opts.log ?? noop)(`stopping ${node.proc} (pid ${pid}, port ${node.port})`);
      await terminate([pid]);
    }
    delete state.pids[node.proc as ProcName];
    state.stoppedNodes = [...new Set([...(state.stoppedNodes ?? []), node.proc])];
    await writeState(state);
    return nodeInfo(state, node);
  });
}

/** Starts one storage server of a replicated sandbox again and waits until it answers; a no-op if it runs. */
export async function startNode(opts: NodeOptions): Promise<NodeInfo> {
  return withNode(opts, async (state, node) => {
    if (!isOurProcess(state, node.proc as ProcName)) await launchNodes(state, [node], opts.log ?? noop);
    return nodeInfo(state, node);
  });
}

async function withNode<T>(opts: NodeOptions, fn: (state: SandboxState, node: StorageNode) => Promise<T>): Promise<T> {
  const dataDir = resolveDir(opts.dataDir);
  const notRunning = () => new Error(`No sandbox is running in ${dataDir}; start one with: npm run sandbox -- start --replicas 3`);
  if (!existsSync(statePath(dataDir))) throw notRunning();
  return withLock(lockPath(dataDir), opts.log ?? noop, async () => {
    const state = await readState(dataDir);
    if (!state || !Object.keys(state.pids).length) throw notRunning();
    const replicas = state.replicas ?? 1;
    if (replicas < 2) throw new Error(`The sandbox in ${dataDir} keeps one replica, so it has no node to spare; start it with --replicas 3.`);
    const node = nodesOf(state).find((n) => n.kind === opts.kind && n.node === opts.node);
    if (!node) throw new Error(`There is no ${opts.kind} server ${opts.node}: the sandbox has ${replicas} of each (1-${replicas}).`);
    return fn(state, node);
  });
}

/** Relaunches storage servers that are not running (stopped on purpose, or died), when everything else runs. */
async function startDownNodes(state: SandboxState, log: (l: string) => void): Promise<void> {
  if ((state.replicas ?? 1) < 2) return; // one replica: any dead server means a full restart, as always
  const down = nodesOf(state).filter((n) => !isOurProcess(state, n.proc as ProcName));
  const others = procNames(state).filter((name) => !nodesOf(state).some((n) => n.proc === name));
  if (!down.length || !others.every((name) => isOurProcess(state, name))) return;
  log(`starting ${down.map((n) => n.proc).join(', ')} again`);
  await launchNodes(state, down, log);
}

/** Spawns storage servers, records them, and waits until each answers HTTP on its port. Caller holds the lock. */
async function launchNodes(state: SandboxState, nodes: readonly StorageNode[], log: (l: string) => void): Promise<void> {
  const exited = new Map<string, string>();
  for (const n of nodes) {
    const child = await spawnDetached(`swift-${n.kind}-server`, [join(state.dataDir, n.confFile), '-v'], state.dataDir, await rotateLog(state.dataDir, n.proc as ProcName));
    child.once('exit', (code, sig) => exited.set(n.proc, sig ? `signal ${sig}` : `code ${code}`));
    if (child.pid) state.pids[n.proc as ProcName] = child.pid;
    log(`started ${n.proc} (pid ${child.pid}, port ${n.port})`);
  }
  state.stoppedNodes = (state.stoppedNodes ?? []).filter((p) => !nodes.some((n) => n.proc === p));
  await writeState(state);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (const n of nodes) {
    // Any HTTP answer will do: a storage server has no healthcheck, and GET / is a 400 once it listens.
    while (typeof (await probe(`http://127.0.0.1:${n.port}/`)) !== 'number') {
      const how = exited.get(n.proc);
      if (how) throw new Error(`The sandbox ${n.proc} server exited as it started (${how}); see ${logFile(state.dataDir, n.proc as ProcName)}: ${lastLine(logFile(state.dataDir, n.proc as ProcName))}`);
      if (Date.now() > deadline) throw new Error(`The sandbox ${n.proc} server did not answer on port ${n.port} within ${READY_TIMEOUT_MS / 1000} s; see ${logFile(state.dataDir, n.proc as ProcName)}.`);
      await sleep(POLL_MS);
    }
  }
}

function nodeInfo(state: SandboxState, n: StorageNode): NodeInfo {
  const pid = state.pids[n.proc as ProcName];
  const running = isOurProcess(state, n.proc as ProcName);
  return { kind: n.kind, node: n.node, port: n.port, device: n.device, ...(running && pid ? { pid } : {}), state: running ? 'running' : isStopped(state, n.proc as ProcName) ? 'stopped' : 'dead' };
}

export async function stopSandbox(opts: StopOptions = {}): Promise<void> {
  const dataDir = resolveDir(opts.dataDir);
  const log = opts.log ?? noop;
  if (!existsSync(statePath(dataDir))) return log(`no sandbox recorded in ${dataDir}`);
  await withLock(lockPath(dataDir), log, async () => {
    const state = await readState(dataDir);
    if (state) await stopLocked(dataDir, state, log);
  });
}

/** Stop, wipe all stored accounts/containers/objects, start fresh. */
export async function resetSandbox(opts: StartOptions = {}): Promise<SandboxInfo> {
  const dataDir = resolveDir(opts.dataDir);
  const log = opts.log ?? noop;
  await mkdir(dataDir, { recursive: true });
  return withLock(lockPath(dataDir), log, async () => {
    const prev = await readState(dataDir);
    if (prev) await stopLocked(dataDir, prev, log);
    log(`wiping ${devicesDir(dataDir)}`);
    await rm(devicesDir(dataDir), { recursive: true, force: true });
    return startLocked(dataDir, prev, opts, log);
  });
}

/** True when pid exists and is not a zombie (a killed child of a live parent stays a zombie until reaped). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return !existsSync('/proc/self'); // no procfs: trust kill(0)
  }
}

// ---------- start / stop ----------

async function startLocked(dataDir: string, prev: SandboxState | undefined, opts: StartOptions, log: (l: string) => void) {
  const auth = opts.auth ?? prev?.auth ?? 'tempauth';
  await ensureInstalled(SWIFT_INSTALL, opts.install !== false, log);
  if (auth === 'keystone') await ensureInstalled(KEYSTONE_INSTALL, opts.install !== false, log);
  const user = currentUser();
  const replicas = opts.replicas ?? prev?.replicas ?? 1;
  return withLock(portLockPath(), log, async () => {
    const { ports, nodePorts } = await choosePorts(prev, replicas, opts.freePorts ?? process.env.SLO_SANDBOX_FREE_PORTS === '1');
    const state: SandboxState = {
      version: 1,
      dataDir,
      ports,
      ringPorts: prev?.ringPorts,
      ...(prev?.rings ? { rings: prev.rings } : {}),
      ...(replicas > 1 ? { replicas, nodePorts } : {}),
      pids: {},
      user,
      proxyWorkers: opts.proxyWorkers ?? 1,
      auth,
      tokenExpirationSeconds: opts.tokenExpirationSeconds ?? prev?.tokenExpirationSeconds ?? 3600,
      keystone: prev?.keystone,
      startedAt: new Date().toISOString(),
    };
    const nodes = nodesOf(state);
    const storage = replicas > 1 ? `${replicas} replicas: ${STORAGE_KINDS.map((k) => `${k} ${nodePorts[k].join('/')}`).join(', ')}` : `object ${ports.object}, container ${ports.container}, account ${ports.account}`;
    log(`starting Swift sandbox in ${dataDir} (proxy ${ports.proxy}, ${storage}, memcached ${ports.memcached}${auth === 'keystone' ? `, keystone ${ports.keystone}` : ''})`);
    for (const device of new Set(nodes.map((n) => n.device))) await mkdir(join(devicesDir(dataDir), device), { recursive: true });
    await mkdir(logDir(dataDir), { recursive: true });
    const files = renderAllConfs({ dataDir, ports, user, proxyWorkers: state.proxyWorkers, keystone: auth === 'keystone', nodes });
    for (const [name, text] of Object.entries(files)) await writeFile(join(dataDir, name), text);
    await ensureRings(state, log);

    const exited = new Map<ProcName, string>();
    const launch = async (name: ProcName, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
      const child = await spawnDetached(cmd, args, dataDir, await rotateLog(dataDir, name), env);
      child.once('exit', (code, signal) => exited.set(name, signal ? `signal ${signal}` : `code ${code}`));
      child.once('error', (err) => exited.set(name, err.message));
      if (child.pid) state.pids[name] = child.pid;
    };
    try {
      if (auth === 'keystone') await startKeystone(state, launch, log);
      await launch('memcached', 'memcached', ['-u', user, '-l', '127.0.0.1', '-p', String(ports.memcached), '-U', '0']);
      for (const n of nodes) await launch(n.proc as ProcName, `swift-${n.kind}-server`, [join(dataDir, n.confFile), '-v']);
      await launch('proxy', 'swift-proxy-server', [confPath(dataDir, 'proxy'), '-v']);
      await launch('container-updater', 'swift-container-updater', [updaterConf(state), '-v']);
      await writeState(state); // record pids before waiting so a crash here can still be cleaned up
      await waitReady(state, exited, log);
    } catch (err) {
      await stopLocked(dataDir, state, noop);
      throw err;
    }
    log(`Swift sandbox ready on http://127.0.0.1:${ports.proxy}`);
    return toInfo(state, false);
  });
}

type Launch = (name: ProcName, cmd: string, args: string[], env?: NodeJS.ProcessEnv) => Promise<void>;

/** Keystone's conf, its one-time bootstrap, then uwsgi; ready when /v3 answers. */
async function startKeystone(state: SandboxState, launch: Launch, log: (l: string) => void): Promise<void> {
  const { dataDir, ports } = state;
  await mkdir(keystoneDir(dataDir), { recursive: true, mode: 0o700 });
  await writeFile(keystoneConfPath(dataDir), renderKeystoneConf(dataDir, state.tokenExpirationSeconds ?? 3600));
  if (!existsSync(join(keystoneDir(dataDir), 'bootstrapped'))) {
    const group = (await run('id', ['-gn'])).output.trim() || state.user;
    await bootstrapKeystone(dataDir, ports.keystone, { user: state.user, group }, run, log);
  }
  await launch('keystone', 'uwsgi', uwsgiArgs(ports.keystone), { OS_KEYSTONE_CONFIG_FILES: keystoneConfPath(dataDir) });
  const deadline = Date.now() + readyTimeout(state);
  for (let answer = await probe(`http://127.0.0.1:${ports.keystone}/v3`); answer !== 200; answer = await probe(`http://127.0.0.1:${ports.keystone}/v3`)) {
    if (Date.now() > deadline) throw new Error(`Keystone did not answer GET /v3 within ${readyTimeout(state) / 1000} s (last answer: ${answer}); see ${logFile(dataDir, 'keystone')}.`);
    await sleep(POLL_MS);
  }
  log('keystone answering /v3');
  // Before the proxy starts, so its authtoken filter finds its service user at once.
  const previous = state.keystone && { id: state.keystone.applicationCredentialId, secret: state.keystone.applicationCredentialSecret };
  state.keystone = await provisionKeystone(ports.keystone, ports.proxy, previous);
}

async function stopLocked(dataDir: string, state: SandboxState, log: (l: string) => void): Promise<void> {
  const targets = procNames(state).flatMap((name) => {
    const pid = state.pids[name];
    return pid && isOurProcess(state, name) ? [{ name, pid }] : [];
  });
  for (const { name, pid } of targets) log(`stopping ${name} (pid ${pid})`);
  await terminate(targets.map((t) => t.pid));
  await writeState({ ...state, dataDir, pids: {}, stoppedNodes: [], stoppedAt: new Date().toISOString() });
}

/** SIGTERM, up to 10 s to exit, then SIGKILL. Only for pids isOurProcess vouched for. */
async function terminate(pids: readonly number[]): Promise<void> {
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (pids.some(pidAlive) && Date.now() < deadline) await sleep(50);
  for (const pid of pids) if (pidAlive(pid)) signal(pid, 'SIGKILL');
}

/** Swift servers fork workers; spawned detached they lead their own process group, so signal the group. */
function signal(pid: number, sig: NodeJS.Signals): void {
  const leadsGroup = processGroupOf(pid) === pid;
  try {
    process.kill(leadsGroup ? -pid : pid, sig);
  } catch {
    /* already gone */
  }
}

function processGroupOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return undefined;
  }
}

/** The recorded pid is alive and still runs what we started (guards against recycled pids). */
function isOurProcess(state: SandboxState, name: ProcName): boolean {
  const pid = state.pids[name];
  if (!pid || !pidAlive(pid)) return false;
  let argv: string[];
  try {
    argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return !existsSync('/proc/self');
  }
  if (name === 'memcached') {
    return argv.some((a) => a.endsWith('memcached')) && argv.includes(String(state.ports.memcached));
  }
  if (name === 'keystone') {
    return argv.some((a) => a.endsWith('uwsgi')) && argv.includes(`127.0.0.1:${state.ports.keystone}`);
  }
  if (name === 'container-updater') {
    return argv.some((a) => a.endsWith('swift-container-updater')) && argv.includes(updaterConf(state));
  }
  const node = nodesOf(state).find((n) => n.proc === name);
  return argv.includes(node ? join(state.dataDir, node.confFile) : confPath(state.dataDir, name as ServerKind));
}

// ---------- readiness & health ----------

interface AuthResult {
  token?: string;
  storageUrl?: string;
  problem?: string;
}

async function authenticate(proxyPort: number): Promise<AuthResult> {
  try {
    const res = await fetch(`http://127.0.0.1:${proxyPort}/auth/v1.0`, {
      headers: { 'X-Auth-User': SWIFT_USER, 'X-Auth-Key': SWIFT_KEY },
      signal: AbortSignal.timeout(5000),
    });
    await res.arrayBuffer();
    const token = res.headers.get('x-auth-token') ?? undefined;
    if (res.status !== 200 || !token) return { problem: `tempauth answered ${res.status} without a token` };
    return { token, storageUrl: res.headers.get('x-storage-url') ?? undefined };
  } catch (e) {
    return { problem: `tempauth request failed: ${errText(e)}` };
  }
}

async function probe(url: string, headers: Record<string, string> = {}, timeoutMs = 5000): Promise<number | string> {
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status;
  } catch (e) {
    return errText(e);
  }
}

/** Empty list means healthy: our processes are alive, the proxy is up, tempauth issues tokens, the account answers. */
async function checkHealth(state: SandboxState): Promise<string[]> {
  const dead = procNames(state).filter((n) => !isOurProcess(state, n) && !isStopped(state, n));
  if (dead.length) return dead.map((n) => `${n} (pid ${state.pids[n] ?? 'none'}) is not running`);
  const health = await probe(`http://127.0.0.1:${state.ports.proxy}/healthcheck`);
  if (health !== 200) return [`GET /healthcheck answered ${health}`];
  if (state.auth === 'keystone') {
    const keystone = await probe(`http://127.0.0.1:${state.ports.keystone}/v3`);
    if (keystone !== 200) return [`Keystone's GET /v3 answered ${keystone}`];
    if (!state.keystone) return ['Keystone was never provisioned'];
  }
  const auth = await authenticate(state.ports.proxy);
  if (!auth.token) return [auth.problem ?? 'no token'];
  const account = await probe(auth.storageUrl ?? storageUrlOf(state), { 'X-Auth-Token': auth.token }, probeTimeout(state));
  if (typeof account !== 'number' || account < 200 || account > 299) return [`GET of the account answered ${account}`];
  return [];
}

async function waitReady(state: SandboxState, exited: Map<ProcName, string>, log: (l: string) => void): Promise<void> {
  const deadline = Date.now() + readyTimeout(state);
  const port = state.ports.proxy;
  let phase = 'the proxy to answer /healthcheck';
  let last = '';
  const failIfExited = () => {
    for (const [name, how] of exited) {
      throw new Error(`The sandbox ${name} process exited during startup (${how}); see ${logFile(state.dataDir, name)}: ${lastLine(logFile(state.dataDir, name))}`);
    }
  };
  const until = async (step: () => Promise<boolean>) => {
    for (;;) {
      failIfExited();
      if (await step()) return;
      if (Date.now() > deadline) {
        throw new Error(`The Swift sandbox did not become ready within ${readyTimeout(state) / 1000} s while waiting for ${phase} (last answer: ${last}); see the logs in ${logDir(state.dataDir)}.`);
      }
      await sleep(POLL_MS);
    }
  };
  await until(async () => {
    const r = await probe(`http://127.0.0.1:${port}/healthcheck`);
    last = String(r);
    return r === 200;
  });
  log('proxy healthy; waiting for tempauth');
  phase = 'tempauth to issue a token';
  let auth: AuthResult = {};
  await until(async () => {
    auth = await authenticate(port);
    last = auth.problem ?? 'token';
    return Boolean(auth.token);
  });
  phase = 'the account to answer GET';
  await until(async () => {
    const r = await probe(auth.storageUrl ?? storageUrlOf(state), { 'X-Auth-Token': auth.token! }, probeTimeout(state));
    last = String(r);
    return typeof r === 'number' && r >= 200 && r < 300;
  });
}

// ---------- install, ports, rings, processes ----------

function missingPrograms(programs: readonly string[] = REQUIRED_PROGRAMS): string[] {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const onPath = (p: string) =>
    dirs.some((d) => {
      try {
        accessSync(join(d, p), fsConstants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
  return programs.filter((p) => !onPath(p));
}

interface Installable {
  what: string;
  programs: readonly string[];
  packages: readonly string[];
  aptFlags: readonly string[];
}

const SWIFT_INSTALL: Installable = { what: 'OpenStack Swift and memcached', programs: REQUIRED_PROGRAMS, packages: APT_PACKAGES.split(' '), aptFlags: [] };
// No recommends: they would pull in Apache.
const KEYSTONE_INSTALL: Installable = { what: 'Keystone', programs: KEYSTONE_PROGRAMS, packages: KEYSTONE_APT_PACKAGES, aptFlags: ['--no-install-recommends'] };

async function ensureInstalled(pkg: Installable, allowInstall: boolean, log: (l: string) => void): Promise<void> {
  const missing = missingPrograms(pkg.programs);
  if (!missing.length) return;
  const isRoot = process.getuid?.() === 0;
  const sudo = isRoot ? '' : 'sudo ';
  const install = ['install', '-y', ...pkg.aptFlags, ...pkg.packages];
  const command = `${sudo}apt-get update && ${sudo}apt-get ${install.join(' ')}`;
  if (!isRoot || !existsSync('/etc/debian_version') || !allowInstall) {
    throw new Error(`${pkg.what} is not installed (${missing.join(', ')} not on PATH); install it with: ${command}`);
  }
  log(`installing ${pkg.what} with apt-get (missing ${missing.join(', ')})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], install]) {
    const r = await run('apt-get', args, { env, log });
    if (r.code !== 0) throw new Error(`apt-get ${args[0]} failed with exit code ${r.code}; run it by hand: ${command}`);
  }
  const still = missingPrograms(pkg.programs);
  if (still.length) throw new Error(`${pkg.what} was installed but ${still.join(', ')} is still not on PATH.`);
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const srv = createServer();
    srv.once('error', () => ok(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => ok(true)));
  });
}

function ephemeralPort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? ok(addr.port) : fail(new Error('no port'))));
    });
  });
}

/**
 * Defaults first (stable URLs for users; skipped when freeOnly), then the ports used last time, then whatever the
 * kernel gives. Nodes 2..N of a replicated sandbox prefer SAIO's ports (6220-6222, 6230-6232, …) the same way.
 */
async function choosePorts(previous: SandboxState | undefined, replicas: number, freeOnly: boolean): Promise<{ ports: SandboxPorts; nodePorts: Record<StorageKind, number[]> }> {
  const taken = new Set<number>();
  const pick = async (preferred: (number | undefined)[]): Promise<number> => {
    let port: number | undefined;
    for (const candidate of freeOnly ? preferred.slice(1) : preferred) {
      if (candidate && !taken.has(candidate) && (await isPortFree(candidate))) port = candidate;
      if (port) break;
    }
    while (!port || taken.has(port)) port = await ephemeralPort();
    taken.add(port);
    return port;
  };
  const ports = { ...DEFAULT_PORTS };
  for (const key of Object.keys(DEFAULT_PORTS) as (keyof SandboxPorts)[]) ports[key] = await pick([DEFAULT_PORTS[key], previous?.ports[key]]);
  const nodePorts = { account: [ports.account], container: [ports.container], object: [ports.object] };
  for (let node = 2; node <= replicas; node++) {
    for (const kind of STORAGE_KINDS) nodePorts[kind].push(await pick([defaultNodePort(kind, node), previous?.nodePorts?.[kind][node - 1]]));
  }
  return { ports, nodePorts };
}

async function ensureRings(state: SandboxState, log: (l: string) => void): Promise<void> {
  const dir = state.dataDir;
  const replicas = state.replicas ?? 1;
  const devices = (kind: StorageKind) => nodesOf(state).filter((n) => n.kind === kind).map((n) => ringDevice(n.port, n.node));
  const spec = (kind: StorageKind) => `${replicas}:${devices(kind).join(',')}`;
  // Rings built before replicas existed recorded only their ports.
  const built = (kind: StorageKind) => state.rings?.[kind] ?? (state.ringPorts ? `1:${ringDevice(state.ringPorts[kind])}` : undefined);
  const same = STORAGE_KINDS.every((k) => built(k) === spec(k) && existsSync(join(dir, `${k}.ring.gz`)));
  if (same) return;
  log(`building rings (${replicas} replica${replicas === 1 ? '' : 's'})`);
  // One partition (part power 0): every replica of everything lives on the same devices d1..dN, so stored data
  // survives a port change, and what a replicated sandbox wrote is still on d1 for a one-replica one.
  await Promise.all(
    STORAGE_KINDS.map(async (kind) => {
      const builder = `${kind}.builder`;
      await rm(join(dir, builder), { force: true });
      await rm(join(dir, `${kind}.ring.gz`), { force: true });
      for (const args of [
        [builder, 'create', '0', String(replicas), '1'],
        ...devices(kind).map((d) => [builder, 'add', d, '1']),
        [builder, 'rebalance'],
      ]) {
        const r = await run('swift-ring-builder', args, { cwd: dir });
        // rebalance exits 1 for warnings; only 2+ is a real error.
        if (r.code !== 0 && !(args[1] === 'rebalance' && r.code === 1)) {
          throw new Error(`swift-ring-builder ${args.join(' ')} failed (exit ${r.code}): ${r.output.trim().split('\n').pop()}`);
        }
      }
    }),
  );
  state.ringPorts = { account: state.ports.account, container: state.ports.container, object: state.ports.object };
  state.rings = Object.fromEntries(STORAGE_KINDS.map((k) => [k, spec(k)]));
}

/** Environment for the Debian python: a user's PYTHONPATH/PYTHONHOME (pyenv, venvs) would break /usr/bin/python3. */
function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.PYTHONPATH;
  delete env.PYTHONHOME;
  return env;
}

async function spawnDetached(cmd: string, args: string[], cwd: string, logPath: string, env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
  const fd = openSync(logPath, 'a');
  try {
    const child = spawn(cmd, args, { cwd, detached: true, stdio: ['ignore', fd, fd], env: childEnv(env) });
    child.unref();
    return child;
  } finally {
    closeSync(fd);
  }
}

const logFile = (dataDir: string, name: ProcName): string => join(logDir(dataDir), `${name}.log`);

/** Keep one previous log per process: enough to debug a crash, bounded on disk. */
async function rotateLog(dataDir: string, name: ProcName): Promise<string> {
  const path = logFile(dataDir, name);
  if (existsSync(path)) await rename(path, `${path}.1`);
  return path;
}

function lastLine(path: string): string {
  try {
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    return lines[lines.length - 1] ?? '';
  } catch {
    return '(no log)';
  }
}

function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; log?: (l: string) => void } = {},
): Promise<{ code: number; output: string }> {
  return new Promise((ok) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: childEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (b: Buffer) => {
      output += b.toString();
      if (opts.log) for (const line of b.toString().split('\n')) if (line.trim()) opts.log(line);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (e) => ok({ code: 127, output: e.message }));
    child.on('close', (code) => ok({ code: code ?? 1, output }));
  });
}

// ---------- state & locks ----------

async function readState(dataDir: string): Promise<SandboxState | undefined> {
  try {
    const s = JSON.parse(await readFile(statePath(dataDir), 'utf8')) as SandboxState;
    if (s.version !== 1 || !s.ports) return undefined;
    return { ...s, dataDir }; // the directory may have moved; confs are rewritten on start
  } catch {
    return undefined;
  }
}

async function writeState(state: SandboxState): Promise<void> {
  const tmp = `${statePath(state.dataDir)}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(state, null, 2) + '\n');
  await rename(tmp, statePath(state.dataDir));
}

function toInfo(state: SandboxState, reused: boolean): SandboxInfo {
  const pids: Record<string, number> = {};
  for (const n of procNames(state)) if (state.pids[n]) pids[n] = state.pids[n]!;
  return {
    dataDir: state.dataDir,
    proxyPort: state.ports.proxy,
    authUrl: `http://127.0.0.1:${state.ports.proxy}/auth/v1.0`,
    user: SWIFT_USER,
    key: SWIFT_KEY,
    storageUrl: storageUrlOf(state),
    // The rings have one partition (part power 0) on device d1: see ensureRings.
    containerServer: { port: state.ports.container, device: 'd1', partition: 0, account: SWIFT_ACCOUNT },
    accountServer: { port: state.ports.account, device: 'd1', partition: 0 },
    ...(state.keystone ? { keystone: state.keystone } : {}),
    ...((state.replicas ?? 1) > 1 ? { nodes: nodesOf(state).map((n) => nodeInfo(state, n)) } : {}),
    pids,
    reused,
  };
}

const storageUrlOf = (state: SandboxState): string => `http://127.0.0.1:${state.ports.proxy}/v1/${SWIFT_ACCOUNT}`;

interface LockHolder {
  pid: number;
  host: string;
  at: number;
}

/** Exclusive lock via O_EXCL create; a lock whose holder died (or is absurdly old) is broken. */
async function withLock<T>(path: string, log: (l: string) => void, fn: () => Promise<T>): Promise<T> {
  const mine = JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now() } satisfies LockHolder);
  const deadline = Date.now() + LOCK_WAIT_MS;
  let told = false;
  for (;;) {
    try {
      const fh = await open(path, 'wx');
      await fh.writeFile(mine);
      await fh.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const content = await readFile(path, 'utf8').catch(() => undefined);
    if (content === undefined) continue; // released in between
    const holder = parseHolder(content);
    const age = holder ? Date.now() - holder.at : Date.now() - (await mtimeMs(path));
    const stale = holder
      ? (holder.host === hostname() && !pidAlive(holder.pid)) || age > LOCK_STALE_MS
      : age > 5_000; // empty or garbled: the writer crashed between create and write
    if (stale) {
      await breakLock(path, content);
      continue;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for the sandbox lock ${path} held by pid ${holder?.pid ?? '?'}.`);
    if (!told) {
      log(`waiting for another process (pid ${holder?.pid ?? '?'}) holding ${path}`);
      told = true;
    }
    await sleep(POLL_MS);
  }
  try {
    return await fn();
  } finally {
    const now = await readFile(path, 'utf8').catch(() => undefined);
    if (now === mine) await rm(path, { force: true });
  }
}

function parseHolder(content: string): LockHolder | undefined {
  try {
    const h = JSON.parse(content) as LockHolder;
    return typeof h.pid === 'number' ? h : undefined;
  } catch {
    return undefined;
  }
}

const mtimeMs = (path: string): Promise<number> => stat(path).then((s) => s.mtimeMs, () => Date.now());

/** A second O_EXCL file serialises breakers so two waiters cannot both delete a freshly taken lock. */
async function breakLock(path: string, staleContent: string): Promise<void> {
  const breaker = `${path}.break`;
  try {
    await (await open(breaker, 'wx')).close();
  } catch {
    if (Date.now() - (await mtimeMs(breaker)) > 10_000) await rm(breaker, { force: true });
    await sleep(POLL_MS);
    return;
  }
  try {
    const now = await readFile(path, 'utf8').catch(() => undefined);
    if (now === staleContent) await rm(path, { force: true });
  } finally {
    await rm(breaker, { force: true });
  }
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'root';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const errText = (e: unknown): string => {
  const err = e as { message?: string; cause?: { code?: string; message?: string } };
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
};
