// What every case gets: options, where to send requests per profile, how to run `slo`, and the alternating-order
// repetition loop that turns runs into medians.
import { rm } from 'node:fs/promises';
import type { Rclone } from './rclone.ts';
import type { Endpoint } from './swift.ts';
import { summarize, addRatios } from './stats.ts';
import type { CaseName, CompetitorResult, Profile, RunRecord } from './types.ts';
import { machineCpu, run as runProc, treeCpuSec, type RunOptions, type RunResult } from './proc.ts';

export interface BenchOptions {
  mode: 'full' | 'quick' | 'smoke' | 'custom';
  size: number;
  segmentSize: number;
  concurrency: number;
  reps: number;
  memSizes: number[];
  memReps: number;
  resumeSize: number;
  resumeSegmentSize: number;
  profiles: Profile[];
  cases: CaseName[];
  delayMs: number;
  rate: number;
  outDir: string;
  save: boolean;
  readmeTable: boolean;
  dataDir: string;
  sloTsx: boolean;
  /** Another build's bin/slo.mjs, run as the competitor "slo-before". */
  sloBefore?: string;
  keep: boolean;
  /** RSS sampling for the timed cases, ms (the memory case always samples every 20 ms). */
  sampleMs: number;
  waitQuietSec: number;
  /** The scale case's big upload + download (0: skip it). */
  hugeSize: number;
  /** Replicas of the sandbox the bench runs against (default 1: the user's sandbox; more: a private one, see bench.ts). */
  replicas: number;
}

export interface SloCli {
  available: boolean;
  reason?: string;
  /** argv prefix: [node, <bundle or bin/slo.mjs>] */
  argv: string[];
  how: string;
}

export interface Ctx {
  opts: BenchOptions;
  runId: string;
  container: string;
  segContainer: string;
  /** Scratch dir for downloads and manifests (removed at the end). */
  workDir: string;
  direct: Endpoint;
  endpoints: Partial<Record<Profile, Endpoint>>;
  slo: SloCli;
  rclone: Rclone;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  shared: Map<string, unknown>;
  /** The sandbox's server pids (their trees are summed for Swift's CPU use). */
  swiftPids: number[];
  /** The WAN shaper's pid, when it runs. */
  shaperPid?: number;
}

export const connArgs = {
  slo: (ep: Endpoint) => ['--storage-url', ep.storageUrl, '--token', ep.token],
  swift: (ep: Endpoint) => ['--os-storage-url', ep.storageUrl, '--os-auth-token', ep.token],
};

/** argv prefix of the --slo-before build, when one was given. */
export function sloBeforeArgv(ctx: Ctx): string[] | undefined {
  return ctx.opts.sloBefore ? [process.execPath, ctx.opts.sloBefore] : undefined;
}

export interface Contender {
  name: string;
  label: string;
  skip?: string;
  prepare?(rep: number): Promise<void>;
  /** The timed part. Throws when the run failed. */
  run(rep: number): Promise<{ seconds: number; peakRss: number; cpuSec?: number }>;
  /** Untimed correctness check of what the run produced. */
  check?(rep: number): Promise<void>;
  cleanup?(rep: number): Promise<void>;
}

/** Runs the contenders `reps` times, rotating the order each repetition, and summarizes. */
export async function compete(ctx: Ctx, tag: string, contenders: Contender[], bytes: number | undefined, reps = ctx.opts.reps): Promise<CompetitorResult[]> {
  const active = contenders.filter((c) => !c.skip);
  const runs = new Map<string, RunRecord[]>(contenders.map((c) => [c.name, []]));
  for (let rep = 0; rep < reps; rep++) {
    const order = active.map((_, i) => active[(i + rep) % active.length]!);
    for (const [pos, c] of order.entries()) {
      let rec: RunRecord;
      try {
        await c.prepare?.(rep);
        const swift0 = ctx.swiftPids.reduce((a, p) => a + treeCpuSec(p), 0);
        const m0 = machineCpu();
        const sh0 = ctx.shaperPid ? treeCpuSec(ctx.shaperPid) : 0;
        const r = await c.run(rep);
        const sh1 = ctx.shaperPid ? treeCpuSec(ctx.shaperPid) : 0;
        const swift1 = ctx.swiftPids.reduce((a, p) => a + treeCpuSec(p), 0);
        const m1 = machineCpu();
        rec = { rep, order: pos, seconds: r.seconds, peakRss: r.peakRss, ...(r.cpuSec !== undefined ? { cpuSec: r.cpuSec } : {}), ok: true };
        if (ctx.swiftPids.length) rec.swiftCpuSec = swift1 - swift0;
        if (ctx.shaperPid && tag.includes('wan')) rec.shaperCpuSec = sh1 - sh0;
        if (m1.total > m0.total) rec.machineBusyPct = (100 * (m1.busy - m0.busy)) / (m1.total - m0.total);
        try {
          await c.check?.(rep);
        } catch (e) {
          rec = { ...rec, ok: false, error: `check failed: ${(e as Error).message}` };
        }
      } catch (e) {
        rec = { rep, order: pos, seconds: NaN, peakRss: 0, ok: false, error: (e as Error).message };
      }
      try {
        await c.cleanup?.(rep);
      } catch (e) {
        ctx.log(`    (cleanup after ${c.name}: ${(e as Error).message})`);
      }
      runs.get(c.name)!.push(rec);
      ctx.log(`  ${tag} rep ${rep + 1}/${reps} ${c.name.padEnd(6)} ${rec.ok ? `${rec.seconds.toFixed(2)} s${rec.cpuSec !== undefined ? ` (CPU ${rec.cpuSec.toFixed(2)} s${rec.swiftCpuSec !== undefined ? `, Swift CPU ${rec.swiftCpuSec.toFixed(2)} s` : ''}${rec.shaperCpuSec !== undefined ? `, shaper CPU ${rec.shaperCpuSec.toFixed(2)} s` : ''}${rec.machineBusyPct !== undefined ? `, box ${rec.machineBusyPct.toFixed(0)} % busy` : ''})` : ''}${rec.peakRss ? `, peak RSS ${(rec.peakRss / 1e6).toFixed(0)} MB` : ''}` : `FAILED: ${rec.error}`}`);
    }
  }
  const results = contenders.map((c) => (c.skip ? { name: c.name, label: c.label, runs: [], skipped: c.skip } : summarize(c.name, c.label, runs.get(c.name)!, bytes)));
  addRatios(results);
  return results;
}

/** Runs a process; throws unless it exits 0. Returns the RunResult for callers that parse output. */
export async function timed(ctx: Ctx, argv: string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await runProc(argv[0]!, argv.slice(1), { env: ctx.env, sampleMs: ctx.opts.sampleMs, timeoutMs: 30 * 60_000, cpuTime: true, ...opts });
  if (r.code !== 0) {
    const tail = (r.stderr || r.stdout).trim().split('\n').slice(-2).join(' | ').slice(0, 400);
    throw new Error(`exit ${r.code ?? r.signal}: ${tail}`);
  }
  return r;
}

export async function rmQuiet(...paths: string[]): Promise<void> {
  await Promise.all(paths.map((p) => rm(p, { recursive: true, force: true })));
}

export const unquote = (s: string | null | undefined) => (s ?? '').replace(/^"|"$/g, '');

/** Depth-first search for a key in parsed JSON (the CLI's line shapes are not fixed yet). */
export function findKey(v: unknown, key: string, depth = 3): unknown {
  if (!v || typeof v !== 'object' || depth < 0) return undefined;
  const o = v as Record<string, unknown>;
  if (key in o) return o[key];
  for (const x of Object.values(o)) {
    const f = findKey(x, key, depth - 1);
    if (f !== undefined) return f;
  }
  return undefined;
}

export function parseJsonLine(line: string): Record<string, unknown> | undefined {
  const t = line.trim();
  if (!t.startsWith('{')) return undefined;
  try {
    return JSON.parse(t) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
