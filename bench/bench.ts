// `npm run bench [-- options]` — SLO Studio against python-swiftclient and curl on the local Swift sandbox, over
// loopback and over a shaped "WAN" link. See docs/performance.md for the method; `--help` for the options.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { defaultSandboxDir, startSandbox, stopSandbox } from '../app/sandbox/manager.ts';
import { downloadCase } from './cases/download.ts';
import { memoryCase } from './cases/memory.ts';
import { resumeCase } from './cases/resume.ts';
import { uploadCase } from './cases/upload.ts';
import { uiCase } from './cases/ui.ts';
import { sinkCase } from './cases/sink.ts';
import { probeRclone } from './lib/rclone.ts';
import { scaleCase } from './cases/scale.ts';
import { listingCase } from './cases/listing.ts';
import { uiUploadCase } from './cases/ui-upload.ts';
import { rmQuiet, type BenchOptions, type Ctx, type SloCli } from './lib/context.ts';
import { ensureRandomFile, fmtBytes, type DataFile } from './lib/data.ts';
import { cleanEnv, run } from './lib/proc.ts';
import { markdownReport, evaluateTargets, textReport } from './lib/report.ts';
import { median } from './lib/stats.ts';
import { authV1, deleteContainerDeep, ensureContainer, type Endpoint } from './lib/swift.ts';
import type { BenchResult, CaseName, CaseResult, Machine, Profile } from './lib/types.ts';
import { parseSize, MiB } from './shaper.ts';

const ROOT = resolve(import.meta.dirname, '..');
const GiB = 1024 * MiB;

const HELP = `usage: npm run bench -- [options]

  --quick               64 MiB file, 16 MiB segments; memory 64 MiB vs 256 MiB (a few minutes)
  --smoke               8 MiB, 1 rep, loopback only (< 1 minute; what the integration test runs)
  --reps N              repetitions per competitor (default 3)
  --size SIZE           file size for upload/download (default 1GiB)
  --segment-size SIZE   segment size (default 64MiB; --quick 16MiB)
  --concurrency N       connections for every competitor (default 4)
  --mem-sizes A,B       memory case sizes (default 256MiB,2GiB)
  --resume-size SIZE    resume case file (default 256MiB) and --resume-segment-size (default 16MiB)
  --profiles LIST       loopback,wan (default both)
  --cases LIST          upload,download,sink,memory,resume (default all; sink = client-only against a local
                        stand-in for Swift); add ui with --ui; scale (opt in: a 10⁹-leaf manifest in the host, and a
                        --huge-size upload + verified download)
                        listing (opt in: a 1,000,000-object container in the GUI)
                        ui-upload (opt in: --size uploaded through the page vs slo upload, default plan)
  --huge-size SIZE      the scale case's big file, sparse (default 20GiB; 0 skips it; needs that much free disk twice)
  --ui                  also run the UI case (Playwright, browser mode)
  --delay-ms N          WAN one-way delay (default 10)
  --rate SIZE           WAN cap per connection per direction, bytes/s (default 40MiB)
  --out DIR             where results go (default bench/results; a --smoke run saves only with --out)
  --no-save             print only
  --slo-tsx             run slo's TypeScript source through tsx instead of the shipped build
  --slo-before FILE     also run another build of slo (e.g. an older checkout's bin/slo.mjs) as "slo-before" in the
                        upload, download and client-only cases: before/after measured in the same run
  --keep                keep the benchmark containers
  --wait-quiet SEC      before each case wait up to SEC seconds for the load average to drop below nproc
  --replicas N          run against a sandbox with N replicas (N object/container/account servers) in its own
                        directory beside the default one, on free ports; stopped at the end if the bench started it
  --report [FILE]       print a saved result (default bench/results/latest.json) and regenerate bench/README-table.md
`;

function parseOptions(argv: string[]): BenchOptions {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}"`);
    const [k, v] = a.slice(2).split('=', 2) as [string, string | undefined];
    const boolean = ['quick', 'smoke', 'ui', 'no-save', 'slo-tsx', 'keep', 'help'].includes(k);
    if (boolean) flags.set(k, true);
    else if (v !== undefined) flags.set(k, v);
    else if (argv[i + 1] !== undefined) flags.set(k, argv[++i]!);
    else throw new Error(`--${k} needs a value`);
  }
  const known = ['quick', 'smoke', 'ui', 'no-save', 'slo-tsx', 'keep', 'help', 'reps', 'size', 'segment-size', 'concurrency', 'mem-sizes', 'mem-reps', 'resume-size', 'resume-segment-size', 'profiles', 'cases', 'delay-ms', 'rate', 'out', 'data-dir', 'sample-ms', 'wait-quiet', 'huge-size', 'replicas', 'slo-before'];
  for (const k of flags.keys()) if (!known.includes(k)) throw new Error(`unknown option --${k} (see --help)`);
  if (flags.has('help')) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const str = (k: string) => (typeof flags.get(k) === 'string' ? (flags.get(k) as string) : undefined);
  const smoke = flags.has('smoke');
  const quick = flags.has('quick');
  const mode: BenchOptions['mode'] = smoke ? 'smoke' : quick ? 'quick' : 'full';
  const d = smoke
    ? { size: 8 * MiB, seg: 2 * MiB, mem: [8 * MiB, 32 * MiB], resume: 32 * MiB, resumeSeg: 2 * MiB, reps: 1, profiles: ['loopback'] as Profile[] }
    : quick
      ? { size: 64 * MiB, seg: 16 * MiB, mem: [64 * MiB, 256 * MiB], resume: 256 * MiB, resumeSeg: 16 * MiB, reps: 3, profiles: ['loopback', 'wan'] as Profile[] }
      : { size: GiB, seg: 64 * MiB, mem: [256 * MiB, 2 * GiB], resume: 256 * MiB, resumeSeg: 16 * MiB, reps: 3, profiles: ['loopback', 'wan'] as Profile[] };
  const customized = ['size', 'segment-size', 'reps', 'mem-sizes', 'profiles', 'cases', 'concurrency', 'delay-ms', 'rate', 'replicas'].some((k) => flags.has(k));
  const replicas = Number(str('replicas') ?? 1);
  if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`--replicas takes a whole number of at least 1, not "${str('replicas')}"`);
  const outGiven = str('out');
  const cases = (str('cases') ?? 'upload,download,sink,memory,resume').split(',').map((x) => x.trim()) as CaseName[];
  if (flags.has('ui') && !cases.includes('ui')) cases.push('ui');
  for (const c of cases) if (!['upload', 'download', 'memory', 'resume', 'ui', 'scale', 'listing', 'sink', 'ui-upload'].includes(c)) throw new Error(`unknown case "${c}"`);
  const profiles = (str('profiles') ?? d.profiles.join(',')).split(',').map((x) => x.trim()) as Profile[];
  for (const p of profiles) if (p !== 'loopback' && p !== 'wan') throw new Error(`unknown profile "${p}"`);
  const outDir = resolve(outGiven ?? join(ROOT, 'bench', 'results'));
  return {
    mode: customized ? 'custom' : mode,
    size: str('size') ? parseSize(str('size')!) : d.size,
    segmentSize: str('segment-size') ? parseSize(str('segment-size')!) : d.seg,
    concurrency: Number(str('concurrency') ?? 4),
    reps: Number(str('reps') ?? d.reps),
    memSizes: str('mem-sizes') ? str('mem-sizes')!.split(',').map(parseSize) : d.mem,
    memReps: Number(str('mem-reps') ?? 1),
    resumeSize: str('resume-size') ? parseSize(str('resume-size')!) : d.resume,
    resumeSegmentSize: str('resume-segment-size') ? parseSize(str('resume-segment-size')!) : d.resumeSeg,
    profiles,
    cases,
    delayMs: Number(str('delay-ms') ?? 10),
    rate: str('rate') ? parseSize(str('rate')!) : 40 * MiB,
    outDir,
    save: !flags.has('no-save') && (!smoke || !!outGiven),
    readmeTable: !flags.has('no-save') && !outGiven && !smoke,
    dataDir: resolve(str('data-dir') ?? join(ROOT, 'bench', 'data')),
    sloTsx: flags.has('slo-tsx'),
    ...(str('slo-before') ? { sloBefore: resolve(str('slo-before')!) } : {}),
    keep: flags.has('keep'),
    sampleMs: Number(str('sample-ms') ?? 50),
    waitQuietSec: Number(str('wait-quiet') ?? 0),
    hugeSize: str('huge-size') === '0' ? 0 : str('huge-size') ? parseSize(str('huge-size')!) : 20 * GiB,
    replicas,
  };
}

const log = (line: string) => process.stderr.write(line + '\n');

/** Waits (up to `maxSec`) until the 1-minute load average drops below the core count: a shared box skews numbers. */
async function waitQuiet(maxSec: number): Promise<void> {
  if (maxSec <= 0) return;
  const until = Date.now() + maxSec * 1000;
  let said = false;
  while (loadavg()[0]! >= availableParallelism() && Date.now() < until) {
    if (!said) log(`  (waiting up to ${maxSec} s for the load average ${loadavg()[0]!.toFixed(1)} to drop below ${availableParallelism()})`);
    said = true;
    await new Promise((r) => setTimeout(r, 2000));
  }
}

async function sh(cmd: string, args: string[]): Promise<string> {
  try {
    const r = await run(cmd, args, { env: cleanEnv() });
    return (r.stdout || r.stderr).trim();
  } catch {
    return '';
  }
}

async function machine(sandboxDir: string, rclone?: string): Promise<Machine> {
  let proxyWorkers = 1;
  let replicas = 1;
  try {
    const state = JSON.parse(readFileSync(join(sandboxDir, 'state.json'), 'utf8')) as { proxyWorkers?: number; replicas?: number };
    proxyWorkers = state.proxyWorkers ?? 1;
    replicas = state.replicas ?? 1;
  } catch {
    /* default */
  }
  return {
    nproc: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memTotalBytes: totalmem(),
    node: process.version,
    swift: (await sh('dpkg-query', ['-W', '-f', '${Version}', 'swift'])) || 'unknown',
    swiftclient: (await sh('swift', ['--version'])).replace(/^python-swiftclient\s*/, '') || 'unknown',
    curl: (await sh('curl', ['--version'])).split('\n')[0]?.split(' ')[1] ?? 'unknown',
    ...(rclone ? { rclone } : {}),
    kernel: release(),
    proxyWorkers,
    replicas,
    gitCommit: (await sh('git', ['-C', ROOT, 'rev-parse', 'HEAD'])) || 'unknown',
  };
}

/** Builds the shipped CLI (as `npm run build` does) and finds out whether `slo upload/download` exist yet. The timed
 *  runs start bin/slo.mjs exactly as `npx slo` does; --slo-tsx runs the TypeScript source through tsx instead. */
async function prepareSlo(opts: BenchOptions): Promise<SloCli> {
  const built = await run(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')], { env: cleanEnv() });
  if (built.code !== 0) throw new Error(`the slo CLI did not build: ${(built.stderr || built.stdout).trim()}`);
  const argv = opts.sloTsx ? TSX_SLO : SHIPPED_SLO;
  const how = opts.sloTsx ? 'tsx (main/cli/slo.ts)' : 'shipped (bin/slo.mjs → dist/cli/slo.mjs)';
  for (const cmd of ['upload', 'download']) {
    const r = await run(argv[0]!, [...argv.slice(1), cmd, '--help'], { env: cleanEnv() });
    if (r.code !== 0) {
      return { available: false, argv, how, reason: `\`slo ${cmd}\` is not available yet (${(r.stderr || r.stdout).trim().split('\n')[0]})` };
    }
  }
  return { available: true, argv, how };
}

const SHIPPED_SLO = [process.execPath, join(ROOT, 'bin', 'slo.mjs')];
const TSX_SLO = [process.execPath, join(ROOT, 'bin', 'run.mjs'), join(ROOT, 'main', 'cli', 'slo.ts')];

async function startupTimes(slo: SloCli, rclone: boolean): Promise<Record<string, number | string>> {
  const t = async (argv: string[]) => {
    const xs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await run(argv[0]!, argv.slice(1), { env: cleanEnv() });
      if (r.code === 0) xs.push(r.seconds);
    }
    return xs.length ? median(xs) : NaN;
  };
  const out: Record<string, number | string> = { 'slo ran as': slo.how };
  out['slo --help shipped'] = await t([...SHIPPED_SLO, '--help']);
  out['slo --help via tsx'] = await t([...TSX_SLO, '--help']);
  out['swift --version'] = await t(['swift', '--version']);
  out['curl --version'] = await t(['curl', '--version']);
  if (rclone) out['rclone version'] = await t(['rclone', 'version']);
  return out;
}

async function startShaperProcess(target: URL, opts: BenchOptions): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'run.mjs'), join(ROOT, 'bench', 'shaper.ts'), '--target', `${target.hostname}:${target.port}`, '--delay-ms', String(opts.delayMs), '--rate', String(opts.rate), '--stdin-lifeline'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const first = await new Promise<string>((ok, fail) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (l) => {
      rl.close();
      ok(l);
    });
    child.once('exit', (code) => fail(new Error(`the shaper exited (${code}) before it listened`)));
  });
  return { child, port: (JSON.parse(first) as { port: number }).port };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const ri = argv.indexOf('--report');
  if (ri >= 0) {
    // Re-render a saved result: print it, and (unless --no-save) regenerate bench/README-table.md from it.
    const result = JSON.parse(readFileSync(resolve(argv[ri + 1] ?? join(ROOT, 'bench', 'results', 'latest.json')), 'utf8')) as BenchResult;
    result.targets = evaluateTargets(result.cases, result.startup);
    process.stdout.write(textReport(result) + '\n');
    if (!argv.includes('--no-save')) writeFileSync(join(ROOT, 'bench', 'README-table.md'), markdownReport(result));
    return;
  }
  const opts = parseOptions(argv);
  const started = new Date();
  log(`SLO Studio bench: ${opts.mode} — ${fmtBytes(opts.size)} file, ${fmtBytes(opts.segmentSize)} segments, concurrency ${opts.concurrency}, ${opts.reps} reps, profiles ${opts.profiles.join('+')}, cases ${opts.cases.join(',')}`);

  // More than one replica: a sandbox of its own (the user's keeps its ring), reused across runs while it runs.
  const replicated = opts.replicas > 1 ? { dataDir: `${defaultSandboxDir()}-replicas`, replicas: opts.replicas, freePorts: true } : {};
  const sandbox = await startSandbox({ ...replicated, log: (l) => log(`[sandbox] ${l}`) });
  const auth = await authV1(sandbox.authUrl, sandbox.user, sandbox.key);
  const direct: Endpoint = { profile: 'loopback', storageUrl: auth.storageUrl, token: auth.token };
  const slo = await prepareSlo(opts);
  log(slo.available ? `slo: ${slo.how}` : `slo: SKIPPED — ${slo.reason}; running the other competitors only`);
  const rclone = await probeRclone();
  log(rclone.available ? `rclone: ${rclone.version}` : `rclone: SKIPPED — ${rclone.reason}`);
  const startup = await startupTimes(slo, rclone.available);
  const mach = await machine(sandbox.dataDir, rclone.version);

  // Data first, nothing timed yet.
  const files = new Map<number, DataFile>();
  const file = async (size: number) => {
    if (!files.has(size)) files.set(size, await ensureRandomFile(opts.dataDir, size, log));
    return files.get(size)!;
  };
  const main = await file(opts.size);
  if (opts.cases.includes('memory')) for (const s of opts.memSizes) await file(s);
  if (opts.cases.includes('resume')) await file(opts.resumeSize);

  const runId = `${started.toISOString().replace(/[-:]/g, '').slice(0, 15)}-${Math.random().toString(36).slice(2, 6)}`;
  const container = `slo-bench-${runId}`;
  const workDir = mkdtempSync(join(opts.dataDir, 'work-'));
  const ctx: Ctx = {
    opts,
    runId,
    container,
    segContainer: `${container}_segments`,
    workDir,
    direct,
    endpoints: { loopback: direct },
    slo,
    rclone,
    env: cleanEnv(),
    log,
    shared: new Map(),
    swiftPids: Object.entries(sandbox.pids).filter(([n]) => n !== 'memcached').map(([, p]) => p),
  };
  await ensureContainer(direct, container);
  await ensureContainer(direct, ctx.segContainer);

  let shaper: ChildProcess | undefined;
  const cases: CaseResult[] = [];
  try {
    if (opts.profiles.includes('wan')) {
      const target = new URL(auth.storageUrl);
      const s = await startShaperProcess(target, opts);
      shaper = s.child;
      if (s.child.pid) ctx.shaperPid = s.child.pid;
      ctx.endpoints.wan = { profile: 'wan', storageUrl: `http://127.0.0.1:${s.port}${target.pathname}`, token: auth.token };
      log(`WAN shaper on 127.0.0.1:${s.port} → ${target.host}: ${opts.delayMs} ms one-way, ${fmtBytes(opts.rate)}/s per connection per direction`);
    }
    const measure = async (f: () => Promise<CaseResult>) => {
      await waitQuiet(opts.waitQuietSec);
      const l0 = loadavg()[0]!;
      const c = await f();
      c.load = [l0, loadavg()[0]!];
      cases.push(c);
    };
    for (const profile of opts.profiles) {
      if (opts.cases.includes('upload')) await measure(() => uploadCase(ctx, profile, main));
      if (opts.cases.includes('download')) await measure(() => downloadCase(ctx, profile, main));
      if (opts.cases.includes('memory')) await measure(async () => memoryCase(ctx, profile, await Promise.all(opts.memSizes.map(file))));
      if (opts.cases.includes('resume')) await measure(async () => resumeCase(ctx, profile, await file(opts.resumeSize)));
    }
    if (opts.cases.includes('sink')) {
      await waitQuiet(opts.waitQuietSec);
      const l0 = loadavg()[0]!;
      for (const c of await sinkCase(ctx, main)) cases.push({ ...c, load: [l0, loadavg()[0]!] });
    }
    if (opts.cases.includes('ui')) await measure(() => uiCase(ctx));
    if (opts.cases.includes('scale')) await measure(() => scaleCase(ctx, opts.hugeSize));
    if (opts.cases.includes('listing')) await measure(() => listingCase(ctx));
    if (opts.cases.includes('ui-upload')) await measure(() => uiUploadCase(ctx, main));
  } finally {
    if (shaper?.pid) shaper.kill('SIGTERM');
    if (!opts.keep) {
      await deleteContainerDeep(direct, container).catch((e: unknown) => log(`cleanup: ${(e as Error).message}`));
      await deleteContainerDeep(direct, ctx.segContainer).catch((e: unknown) => log(`cleanup: ${(e as Error).message}`));
    }
    await rmQuiet(workDir);
    if (opts.replicas > 1 && !sandbox.reused) await stopSandbox({ dataDir: sandbox.dataDir, log: (l) => log(`[sandbox] ${l}`) });
  }

  const finished = new Date();
  const result: BenchResult = {
    version: 1,
    mode: opts.mode,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationSec: (finished.getTime() - started.getTime()) / 1000,
    machine: mach,
    options: { ...opts, outDir: undefined, dataDir: undefined },
    startup,
    cases,
    targets: evaluateTargets(cases, startup),
  };
  process.stdout.write('\n' + textReport(result) + '\n');
  if (opts.save) {
    mkdirSync(opts.outDir, { recursive: true });
    const stamp = result.startedAt.replace(/[:]/g, '-').replace(/\.\d+Z$/, 'Z');
    const json = JSON.stringify(result, null, 2) + '\n';
    writeFileSync(join(opts.outDir, `${stamp}-${opts.mode}.json`), json);
    writeFileSync(join(opts.outDir, 'latest.json'), json);
    log(`\nsaved ${join(opts.outDir, `${stamp}-${opts.mode}.json`)} and latest.json`);
    if (opts.readmeTable) {
      writeFileSync(join(ROOT, 'bench', 'README-table.md'), markdownReport(result));
      log('updated bench/README-table.md');
    }
  }
  log(`done in ${result.durationSec.toFixed(0)} s`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
