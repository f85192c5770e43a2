// Median and spread over repetitions, and the head-to-head ratio.
import type { CompetitorResult, RunRecord } from './types.ts';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (!n) return NaN;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

export function summarize(name: string, label: string, runs: RunRecord[], bytes?: number): CompetitorResult {
  const ok = runs.filter((r) => r.ok).map((r) => r.seconds);
  const out: CompetitorResult = { name, label, runs };
  if (!ok.length) return out;
  const med = median(ok);
  out.medianSec = med;
  out.minSec = Math.min(...ok);
  out.maxSec = Math.max(...ok);
  out.spreadPct = med > 0 ? ((out.maxSec - out.minSec) / med) * 100 : 0;
  if (bytes) out.mibPerSec = bytes / (1024 * 1024) / med;
  const rss = runs.map((r) => r.peakRss).filter((x) => x > 0);
  if (rss.length) out.peakRss = Math.max(...rss);
  const cpu = runs.filter((r) => r.ok && r.cpuSec !== undefined).map((r) => r.cpuSec!);
  if (cpu.length) out.cpuSec = median(cpu);
  if (cpu.length && bytes) out.cpuPerGiB = out.cpuSec! / (bytes / 2 ** 30);
  const sw = runs.filter((r) => r.ok && r.swiftCpuSec !== undefined).map((r) => r.swiftCpuSec!);
  if (sw.length) out.swiftCpuSec = median(sw);
  const busy = runs.filter((r) => r.ok && r.machineBusyPct !== undefined).map((r) => r.machineBusyPct!);
  if (busy.length) out.machineBusyPct = median(busy);
  const sh = runs.filter((r) => r.ok && r.shaperCpuSec !== undefined).map((r) => r.shaperCpuSec!);
  if (sh.length) out.shaperCpuSec = median(sh);
  return out;
}

/** Fills `ratio` on every competitor relative to the one named `us` (their median / ours). */
export function addRatios(results: CompetitorResult[], us = 'slo'): void {
  const ours = results.find((r) => r.name === us)?.medianSec;
  for (const r of results) {
    if (r.name === us || !ours || !r.medianSec) continue;
    r.ratio = r.medianSec / ours;
  }
}
