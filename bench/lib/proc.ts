// Running competitors: wall-clock timing, stdout/stderr line capture, and peak RSS of the whole process tree
// sampled from /proc/<pid>/status (VmRSS) — the process and every descendant, summed at each sample.
import { spawn, type SpawnOptions } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const GNU_TIME = '/usr/bin/time';
let timeSeq = 0;

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  seconds: number;
  /** Peak summed VmRSS of the tree, bytes (0 when not sampled). */
  peakRss: number;
  samples: number;
  /** user + system CPU seconds of the process and its waited-for children (GNU time), when measured. */
  cpuSec?: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** RSS sampling interval, ms; 0 = off. */
  sampleMs?: number;
  /** Called for each complete stdout line; may call `kill()`. */
  onStdoutLine?: (line: string, kill: (sig?: NodeJS.Signals) => void) => void;
  onStderrLine?: (line: string, kill: (sig?: NodeJS.Signals) => void) => void;
  timeoutMs?: number;
  /** Keep at most this many chars of each stream (the tail). Default 1 MB. */
  keepChars?: number;
  /** Measure user+sys CPU through /usr/bin/time (its own few hundred kB of RSS are left out of peakRss). */
  cpuTime?: boolean;
}

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)\s*kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const txt = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
        if (txt) for (const c of txt.split(/\s+/)) out.push(Number(c));
      } catch {
        /* thread gone */
      }
    }
  } catch {
    /* process gone */
  }
  return out;
}

/** Summed VmRSS of pid and all its descendants (without pid itself when skipRoot: a wrapper). */
export function treeRss(pid: number, skipRoot = false): number {
  let total = 0;
  const stack = [pid];
  const seen = new Set<number>();
  while (stack.length) {
    const p = stack.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    if (!(skipRoot && p === pid)) total += rssOf(p);
    stack.push(...childrenOf(p));
  }
  return total;
}

export async function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  if (!opts.cpuTime || !existsSync(GNU_TIME)) return runPlain(cmd, args, opts, false);
  const out = join(tmpdir(), `slo-bench-time-${process.pid}-${timeSeq++}.txt`);
  try {
    const r = await runPlain(GNU_TIME, ['-f', '%U %S', '-o', out, cmd, ...args], opts, true);
    const last = readFileSync(out, 'utf8').trim().split('\n').pop() ?? '';
    const m = /^([\d.]+) ([\d.]+)$/.exec(last);
    return m ? { ...r, cpuSec: Number(m[1]) + Number(m[2]) } : r;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && !existsSync(out)) return runPlain(cmd, args, opts, false);
    throw e;
  } finally {
    rmSync(out, { force: true });
  }
}

function runPlain(cmd: string, args: string[], opts: RunOptions, wrapped: boolean): Promise<RunResult> {
  const keep = opts.keepChars ?? 1_000_000;
  return new Promise((resolveRun, reject) => {
    const spawnOpts: SpawnOptions = { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env, ...(opts.cwd ? { cwd: opts.cwd } : {}) };
    const t0 = performance.now();
    const child = spawn(cmd, args, spawnOpts);
    let stdout = '';
    let stderr = '';
    let outBuf = '';
    let errBuf = '';
    let peak = 0;
    let samples = 0;
    let killed = false;
    const kill = (sig: NodeJS.Signals = 'SIGKILL') => {
      if (killed) return;
      killed = true;
      // Kill the tree we measured too, not just the root (a wrapper may have children).
      const pids = child.pid ? collectTree(child.pid) : [];
      for (const p of pids.reverse()) {
        try {
          process.kill(p, sig);
        } catch {
          /* gone */
        }
      }
    };
    const sample = () => {
      if (child.pid) {
        const r = treeRss(child.pid, wrapped);
        samples++;
        if (r > peak) peak = r;
      }
    };
    const timer = opts.sampleMs && opts.sampleMs > 0 ? setInterval(sample, opts.sampleMs) : null;
    if (timer) setImmediate(sample);
    const timeout = opts.timeoutMs ? setTimeout(() => kill('SIGKILL'), opts.timeoutMs) : null;
    const lines = (chunk: string, buf: string, cb?: (l: string, k: typeof kill) => void): string => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        cb?.(line, kill);
      }
      return buf;
    };
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (s: string) => {
      stdout = (stdout + s).slice(-keep);
      outBuf = lines(s, outBuf, opts.onStdoutLine);
    });
    child.stderr!.on('data', (s: string) => {
      stderr = (stderr + s).slice(-keep);
      errBuf = lines(s, errBuf, opts.onStderrLine);
    });
    child.on('error', (e) => {
      if (timer) clearInterval(timer);
      if (timeout) clearTimeout(timeout);
      reject(e);
    });
    child.on('close', (code, signal) => {
      const seconds = (performance.now() - t0) / 1000;
      if (timer) clearInterval(timer);
      if (timeout) clearTimeout(timeout);
      if (outBuf) opts.onStdoutLine?.(outBuf, kill);
      if (errBuf) opts.onStderrLine?.(errBuf, kill);
      resolveRun({ code, signal, seconds, peakRss: peak, samples, stdout, stderr });
    });
  });
}

function collectTree(pid: number): number[] {
  const out: number[] = [];
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    if (out.includes(p)) continue;
    out.push(p);
    stack.push(...childrenOf(p));
  }
  return out;
}

/** Runs and throws with the tail of stderr unless the exit code is 0. */
export async function runOk(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) {
    throw new Error(`${cmd} ${args.slice(0, 3).join(' ')}… exited ${r.code ?? r.signal}: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`);
  }
  return r;
}

/** Environment for competitors: ours minus every Swift/Keystone variable, so only explicit flags count. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(ST_|OS_|SWIFT_)/.test(k)) env[k] = v;
  return { ...env, ...extra };
}

const CLK_TCK = 100; // Linux USER_HZ

/** user+system CPU seconds of pid and its live descendants (from /proc/<pid>/stat). */
export function treeCpuSec(pid: number): number {
  let ticks = 0;
  for (const p of collectTree(pid)) {
    try {
      const st = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
    } catch {
      /* gone */
    }
  }
  return ticks / CLK_TCK;
}

/** Whole-machine CPU counters from /proc/stat: busy and total jiffies. */
export function machineCpu(): { busy: number; total: number } {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** user+system CPU seconds of pid's live descendants, summed by what `label` makes of each one's command line. */
export function treeCpuBy(pid: number, label: (cmdline: string[]) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of collectTree(pid).filter((x) => x !== pid)) {
    try {
      const st = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      const key = label(readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0'));
      out[key] = (out[key] ?? 0) + (Number(f[11]) + Number(f[12])) / CLK_TCK;
    } catch {
      /* gone */
    }
  }
  return out;
}
