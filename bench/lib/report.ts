// Turning a run into the printed table, the PASS/MISS targets and the Markdown the README includes.
import type { ScaleDetails } from '../cases/scale.ts';
import { memoryPeaks } from '../cases/memory.ts';
import type { ResumeDetails } from '../cases/resume.ts';
import { fmtBytes } from './data.ts';
import type { BenchResult, CaseResult, CompetitorResult, Machine, Profile, TargetResult } from './types.ts';

const MB = 1e6;
const s = (x?: number) => (x === undefined || !Number.isFinite(x) ? '—' : x < 10 ? `${x.toFixed(2)} s` : `${x.toFixed(1)} s`);
const ratio = (x?: number) => (x === undefined || !Number.isFinite(x) ? '—' : `${x.toFixed(2)}×`);
const mb = (x?: number) => (x ? `${(x / MB).toFixed(0)} MB` : '—');

const find = (cases: CaseResult[], name: CaseResult['case'], profile: Profile) => cases.find((c) => c.case === name && c.profile === profile);
const comp = (c: CaseResult | undefined, name: string) => c?.competitors.find((x) => x.name === name);

// ---------- targets ----------

export const TARGETS = {
  loopbackUploadVsSwift: 1.2,
  loopbackDownloadVsSwift: 1.1,
  loopbackUploadVsRclone: 1.0,
  loopbackDownloadVsRclone: 1.0,
  wanDownloadVsSwift: 2.8,
  wanUploadVsSwift: 1.0,
  /** Client CPU-seconds per GiB: the MD5 floor (≈ 1.4) + 0.5. */
  cpuPerGiB: 1.9,
  /** Client-only (against the sink), MiB/s, with verification. */
  clientOnlyMiBps: 1024,
  helpSec: 0.3,
  peakRssBytes: 200 * MB,
  /** "flat": the large file's peak may exceed the small file's by at most this factor. */
  rssFlatFactor: 1.25,
  resentSegments: 1,
  manifestVisibleMs: 150,
  browserVsCli: 0.8,
};

export function evaluateTargets(cases: CaseResult[], startup: Record<string, number | string> = {}): TargetResult[] {
  const out: TargetResult[] = [];
  const ratioTarget = (id: string, description: string, c: CaseResult | undefined, vs: string, want: number) => {
    const r = comp(c, vs)?.ratio;
    const why = !c ? 'case not run' : c.skipped ?? comp(c, 'slo')?.skipped ?? comp(c, vs)?.skipped ?? (comp(c, 'slo')?.medianSec === undefined ? 'slo failed' : comp(c, vs)?.medianSec === undefined ? `${vs} failed` : undefined);
    out.push(
      r === undefined
        ? { id, description, want: `≥ ${want}×`, display: '—', status: 'N/A', ...(why ? { note: why } : {}) }
        : { id, description, want: `≥ ${want}×`, value: r, display: ratio(r), status: r >= want ? 'PASS' : 'MISS' },
    );
  };
  const upper = (id: string, description: string, value: number | undefined, want: number, unit: string, note?: string) =>
    out.push(value === undefined || !Number.isFinite(value)
      ? { id, description, want: `≤ ${want} ${unit}`, display: '—', status: 'N/A', note: note ?? 'not measured' }
      : { id, description, want: `≤ ${want} ${unit}`, value, display: `${value.toFixed(2)} ${unit}`, status: value <= want ? 'PASS' : 'MISS' });
  ratioTarget('loopback-upload-vs-swift', 'loopback upload vs swiftclient', find(cases, 'upload', 'loopback'), 'swift', TARGETS.loopbackUploadVsSwift);
  ratioTarget('loopback-download-vs-swift', 'loopback verified download vs swiftclient', find(cases, 'download', 'loopback'), 'swift', TARGETS.loopbackDownloadVsSwift);
  ratioTarget('loopback-upload-vs-rclone', 'loopback upload vs rclone (chunked, a DLO)', find(cases, 'upload', 'loopback'), 'rclone', TARGETS.loopbackUploadVsRclone);
  ratioTarget('loopback-download-vs-rclone', 'loopback verified download vs rclone (unverified)', find(cases, 'download', 'loopback'), 'rclone', TARGETS.loopbackDownloadVsRclone);
  ratioTarget('wan-download-vs-swift', 'WAN verified download vs swiftclient', find(cases, 'download', 'wan'), 'swift', TARGETS.wanDownloadVsSwift);
  ratioTarget('wan-upload-vs-swift', 'WAN upload vs swiftclient at equal concurrency', find(cases, 'upload', 'wan'), 'swift', TARGETS.wanUploadVsSwift);
  upper('cpu-upload', 'slo upload client CPU per GiB (loopback)', comp(find(cases, 'upload', 'loopback'), 'slo')?.cpuPerGiB, TARGETS.cpuPerGiB, 'CPU-s/GiB');
  upper('cpu-download', 'slo verified download client CPU per GiB (loopback)', comp(find(cases, 'download', 'loopback'), 'slo')?.cpuPerGiB, TARGETS.cpuPerGiB, 'CPU-s/GiB');
  for (const op of ['upload', 'download']) {
    const c = cases.find((x) => x.case === 'sink' && x.details?.op === op);
    const rate = comp(c, 'slo')?.mibPerSec;
    const nproc = c?.details?.nproc as number | undefined;
    out.push(rate === undefined
      ? { id: `client-only-${op}`, description: `client-only verified ${op} (local sink)`, want: `≥ ${TARGETS.clientOnlyMiBps} MiB/s`, display: '—', status: 'N/A', note: c ? 'slo failed' : 'case not run' }
      : { id: `client-only-${op}`, description: `client-only verified ${op} (local sink)`, want: `≥ ${TARGETS.clientOnlyMiBps} MiB/s with 4 free cores`, value: rate, display: `${rate.toFixed(0)} MiB/s`, status: rate >= TARGETS.clientOnlyMiBps ? 'PASS' : 'MISS', note: `${nproc ?? '?'} cores in all, shared with the sink and other work` });
  }
  const help = startup['slo --help shipped'];
  upper('help', '`slo --help` (shipped bundle)', typeof help === 'number' ? help : undefined, TARGETS.helpSec, 's');

  const mem = cases.filter((c) => c.case === 'memory' && !c.skipped);
  const peaks = mem.flatMap((c) => memoryPeaks(c).map((p) => ({ ...p, profile: c.profile })));
  if (!peaks.length) {
    out.push({ id: 'peak-rss', description: 'peak RSS of slo upload/download', want: '< 200 MB', display: '—', status: 'N/A', note: mem.length ? 'no successful run' : 'case not run' });
    out.push({ id: 'rss-flat', description: 'peak RSS flat in file size', want: `large ≤ ${TARGETS.rssFlatFactor}× small`, display: '—', status: 'N/A' });
  } else {
    const worst = peaks.reduce((a, b) => (b.peakRss > a.peakRss ? b : a));
    out.push({ id: 'peak-rss', description: 'peak RSS of slo upload/download (max over sizes and profiles)', want: '< 200 MB', value: worst.peakRss, display: `${mb(worst.peakRss)} (${worst.profile} ${worst.op} ${fmtBytes(worst.size)})`, status: worst.peakRss < TARGETS.peakRssBytes ? 'PASS' : 'MISS' });
    let worstGrowth = 0;
    let worstLabel = '';
    for (const c of mem) {
      const ps = memoryPeaks(c);
      for (const op of ['upload', 'download']) {
        const byOp = ps.filter((p) => p.op === op);
        if (byOp.length < 2) continue;
        const g = byOp[byOp.length - 1]!.peakRss / byOp[0]!.peakRss;
        if (g > worstGrowth) {
          worstGrowth = g;
          worstLabel = `${c.profile} ${op} ${fmtBytes(byOp[byOp.length - 1]!.size)} vs ${fmtBytes(byOp[0]!.size)}`;
        }
      }
    }
    out.push(
      worstGrowth
        ? { id: 'rss-flat', description: 'peak RSS flat in file size (largest / smallest)', want: `≤ ${TARGETS.rssFlatFactor}×`, value: worstGrowth, display: `${worstGrowth.toFixed(2)}× (${worstLabel})`, status: worstGrowth <= TARGETS.rssFlatFactor ? 'PASS' : 'MISS' }
        : { id: 'rss-flat', description: 'peak RSS flat in file size', want: `≤ ${TARGETS.rssFlatFactor}×`, display: '—', status: 'N/A', note: 'needs two sizes' },
    );
  }

  for (const c of cases.filter((x) => x.case === 'resume')) {
    const d = c.details as ResumeDetails | undefined;
    const id = `resume-${c.profile}`;
    const description = `${c.profile}: segments re-sent after SIGKILL at ~50 % + re-run`;
    if (c.skipped || !d?.ok) {
      out.push({ id, description, want: '≤ 1 segment', display: '—', status: 'N/A', note: c.skipped ?? d?.error ?? 'not measured' });
      continue;
    }
    const n = d.resentSegments ?? Math.ceil((d.resentBytesReported ?? 0) / d.segmentSize);
    out.push({ id, description, want: '≤ 1 segment', value: n, display: `${n} segment(s), ${fmtBytes(d.resentBytesTranscript ?? 0)}; reported resentBytes ${d.resentBytesReported ?? '?'}`, status: n <= TARGETS.resentSegments ? 'PASS' : 'MISS' });
  }

  out.push(...scaleTargets(cases));

  const ui = cases.find((x) => x.case === 'ui');
  const ms = ui?.details?.manifestVisibleMs as number | undefined;
  out.push(
    ms === undefined
      ? { id: 'ui-manifest', description: '1,000-segment manifest: table and map visible', want: `< ${TARGETS.manifestVisibleMs} ms`, display: '—', status: 'N/A', note: ui ? ui.skipped ?? String(ui.details?.error ?? 'not measured') : 'not run (use --ui)' }
      : { id: 'ui-manifest', description: '1,000-segment manifest: table and map visible', want: `< ${TARGETS.manifestVisibleMs} ms`, value: ms, display: `${ms.toFixed(0)} ms`, status: ms < TARGETS.manifestVisibleMs ? 'PASS' : 'MISS' },
  );
  const uiUp = cases.find((x) => x.case === 'ui-upload');
  const br = (uiUp?.details?.browserVsCliThroughput ?? ui?.details?.browserUploadVsCli) as number | undefined;
  out.push(br === undefined
    ? { id: 'ui-browser-upload', description: 'browser-mode upload throughput / the CLI\'s', want: `≥ ${TARGETS.browserVsCli}×`, display: '—', status: 'N/A', note: ui ? String(ui.details?.browserUploadError ?? 'not measured') : 'not run (use --cases ui-upload)' }
    : { id: 'ui-browser-upload', description: 'browser-mode upload throughput / the CLI\'s', want: `≥ ${TARGETS.browserVsCli}×`, value: br, display: ratio(br), status: br >= TARGETS.browserVsCli ? 'PASS' : 'MISS' });
  const dom = ui?.details?.maxDomRows as number | undefined;
  const listed = ui?.details?.rowsListed as number | undefined;
  if (dom !== undefined) {
    out.push({ id: 'ui-dom-rows', description: `DOM rows while scrolling ${listed?.toLocaleString('en') ?? '?'} listed objects (virtualized)`, want: '< 500', value: dom, display: `${dom} rows`, status: dom < 500 && (listed ?? 0) >= 20_000 ? 'PASS' : 'MISS', ...((listed ?? 0) < 20_000 ? { note: `only ${listed} rows were listed` } : {}) });
  }
  return out;
}

// ---------- text ----------

/** Aligns columns; `align` has one letter per column, l or r (default: first left, the rest right). */
function pad(rows: string[][], align?: string): string[] {
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const left = (i: number) => (align ? align[i] === 'l' : i === 0);
  return rows.map((r) => r.map((c, i) => (left(i) ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ').trimEnd());
}

function competitorRows(cs: CompetitorResult[]): string[][] {
  return cs.map((c) => {
    if (c.skipped) return [c.name, 'skipped', '', '', '', '', '', '', '', '', c.skipped];
    if (c.medianSec === undefined) return [c.name, 'failed', '', '', '', '', '', '', '', '', c.runs.find((r) => r.error)?.error?.slice(0, 80) ?? ''];
    const busy = c.machineBusyPct === undefined ? '—' : `${c.machineBusyPct.toFixed(0)}%`;
    return [c.name, s(c.medianSec), `${s(c.minSec)}–${s(c.maxSec)}`, `±${(c.spreadPct! / 2).toFixed(0)}%`, c.mibPerSec ? `${c.mibPerSec.toFixed(0)} MiB/s` : '', s(c.cpuSec), c.cpuPerGiB === undefined ? '—' : c.cpuPerGiB.toFixed(2), s(c.swiftCpuSec), busy, mb(c.peakRss), c.name === 'slo' ? '(us)' : ratio(c.ratio)];
  });
}

export function textReport(r: BenchResult): string {
  const lines: string[] = [];
  lines.push(`SLO Studio benchmarks — ${r.mode} run, ${r.startedAt}`);
  lines.push(machineLine(r.machine));
  lines.push(`slo CLI start-up: ${Object.entries(r.startup).map(([k, v]) => `${k} ${typeof v === 'number' ? s(v) : v}`).join(', ')}`);
  for (const c of r.cases) {
    lines.push('', `${c.profile.toUpperCase()} — ${c.title}${c.load ? `  (load ${c.load[0].toFixed(1)} → ${c.load[1].toFixed(1)})` : ''}`);
    if (c.skipped) {
      lines.push(`  skipped: ${c.skipped}`);
      continue;
    }
    if (c.case === 'upload' || c.case === 'download' || c.case === 'sink' || c.case === 'ui-upload') {
      lines.push(...pad([['competitor', 'median', 'min–max', 'spread', 'rate', 'CPU', 'CPU-s/GiB', c.case === 'sink' ? 'sink CPU' : 'Swift CPU', 'box busy', 'peak RSS', 'ratio (them/us)'], ...competitorRows(c.competitors)]).map((l) => `  ${l}`));
      for (const x of c.competitors) if (x.label) lines.push(`    ${x.name}: ${x.label}`);
    } else if (c.case === 'memory') {
      const rows = memoryPeaks(c).map((p) => [p.op, fmtBytes(p.size), mb(p.peakRss)]);
      lines.push(...pad([['op', 'size', 'peak RSS'], ...rows]).map((l) => `  ${l}`));
    } else if (c.case === 'resume') {
      const d = c.details as ResumeDetails | undefined;
      if (!d?.ok) lines.push(`  not measured: ${d?.error}`);
      else
        lines.push(
          `  killed at ${d.killedAtPct!.toFixed(0)} % after ${s(d.firstRunSec)}; Swift held ${d.storedAfterKill}/${d.segments} segments, the client had seen ${d.acknowledgedBeforeKill ?? '?'} of those 201s`,
          `  re-run: ${s(d.secondRunSec)}, PUT ${d.secondRunSegmentsPut} segments, re-sent ${d.resentSegments} already-stored segment(s) (${fmtBytes(d.resentBytesTranscript ?? 0)}); CLI reported resentBytes=${d.resentBytesReported ?? '?'} skippedSegments=${d.skippedSegmentsReported ?? '?'}`,
        );
    } else if (c.case === 'ui') {
      for (const [k, v] of Object.entries(c.details ?? {})) lines.push(`  ${k}: ${typeof v === 'number' ? v.toFixed(0) : JSON.stringify(v)}`);
    } else if (c.case === 'scale') {
      const d = c.details as ScaleDetails | undefined;
      const e = d?.exponential;
      if (e) lines.push(e.inspectMs === undefined ? `  10⁹ leaves: not measured: ${e.error}` : `  10⁹ leaves: inspect ${e.inspectMs.toFixed(0)} ms (${e.leaves?.toLocaleString('en')} leaves, ${e.size?.toLocaleString('en')} bytes, depth ${e.depth}); leaf 500,000,000 cold ${e.leafColdMs?.toFixed(0)} ms, leaf 731,000,000 warm ${e.leafWarmMs?.toFixed(0)} ms; peak RSS ${mb(e.peakRss)}${e.ok ? '' : ` — ${e.error}`}`);
      const h = d?.huge;
      if (h) lines.push(h.uploadSec === undefined ? `  ${fmtBytes(h.size)}: not measured: ${h.error}` : `  ${fmtBytes(h.size)}: upload ${s(h.uploadSec)} (peak RSS ${mb(h.uploadPeakRss)}), verified download ${s(h.downloadSec)} (peak RSS ${mb(h.downloadPeakRss)}): ${h.message}${h.ok ? '' : ` — ${h.error}`}`);
    }
  }
  lines.push('', 'Targets (ratios are competitor time / slo time, i.e. how many times faster slo is):');
  lines.push(...pad(r.targets.map((t) => [t.status, t.description, t.want, t.display, t.note ?? '']), 'lllll').map((l) => `  ${l}`));
  return lines.join('\n');
}

export function machineLine(m: Machine): string {
  return `machine: ${m.nproc} cores (${m.cpuModel}), ${(m.memTotalBytes / 2 ** 30).toFixed(0)} GiB RAM, Linux ${m.kernel}, Node ${m.node}, Swift ${m.swift} (${m.proxyWorkers} proxy worker, ${m.replicas ?? 1} replica${(m.replicas ?? 1) === 1 ? '' : 's'}, loopback), python-swiftclient ${m.swiftclient}, curl ${m.curl}${m.rclone ? `, rclone ${m.rclone}` : ', rclone not installed'}`;
}

// ---------- markdown (bench/README-table.md) ----------

export function markdownReport(r: BenchResult): string {
  const o = r.options as { reps?: number; delayMs?: number; rate?: number };
  const L: string[] = [];
  L.push('<!-- Generated by `npm run bench`; do not edit by hand. Source: bench/results/latest.json -->');
  L.push(`### Latest benchmark (${r.mode} run, ${r.startedAt.slice(0, 10)}, commit ${r.machine.gitCommit.slice(0, 8)})`, '');
  L.push(`${machineLine(r.machine).replace(/^machine: /, 'Machine: ')}.`, '');
  const loads = r.cases.flatMap((c) => c.load ?? []);
  if (loads.length) L.push(`The machine is shared: the 1-minute load average (2 cores) ran from ${Math.min(...loads).toFixed(1)} to ${Math.max(...loads).toFixed(1)} during this run, and ratios move with it — see docs/performance.md.`, '');
  L.push(`Median wall time of ${o.reps ?? '?'} repetitions per competitor (± half the min–max spread; CPU = user+sys seconds of the competitor's processes), order rotated each repetition. **Ratio = competitor time / slo time** (how many times faster \`slo\` is; > 1 means slo wins). WAN = through the bench link shaper: ${o.delayMs} ms one-way delay, ${fmtBytes(o.rate ?? 0)}/s per connection per direction.`, '');
  const tx = r.cases.filter((c) => (c.case === 'upload' || c.case === 'download' || c.case === 'sink') && !c.skipped);
  if (tx.length) {
    L.push('Cells: median wall time ± half the spread, then the client\'s CPU-seconds per GiB moved.', '');
    L.push('| Profile | Case | slo | swiftclient | curl | rclone | vs swiftclient | vs curl | vs rclone |', '|---|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const c of tx) {
      const cell = (n: string) => {
        const x = comp(c, n);
        if (!x) return '—';
        if (x.skipped) return 'skipped';
        if (x.medianSec === undefined) return 'failed';
        return `${s(x.medianSec)} ±${(x.spreadPct! / 2).toFixed(0)}%${x.cpuPerGiB !== undefined ? `, ${x.cpuPerGiB.toFixed(2)} CPU-s/GiB` : ''}`;
      };
      L.push(`| ${c.case === 'sink' ? 'client-only' : c.profile} | ${c.title} | ${cell('slo')} | ${cell('swift')} | ${cell('curl')} | ${cell('rclone')} | ${ratio(comp(c, 'swift')?.ratio)} | ${ratio(comp(c, 'curl')?.ratio)} | ${ratio(comp(c, 'rclone')?.ratio)} |`);
    }
    L.push('');
  }
  const mem = r.cases.filter((c) => c.case === 'memory' && !c.skipped);
  if (mem.length) {
    L.push('| Profile | Peak RSS | ' + memoryPeaks(mem[0]!).map((p) => `${p.op} ${fmtBytes(p.size)}`).join(' | ') + ' |');
    L.push('|---|---|' + memoryPeaks(mem[0]!).map(() => '---:').join('|') + '|');
    for (const c of mem) L.push(`| ${c.profile} | slo | ${memoryPeaks(c).map((p) => mb(p.peakRss)).join(' | ')} |`);
    L.push('');
  }
  L.push('| Target | Want | Got | |', '|---|---|---|---|');
  for (const t of r.targets) L.push(`| ${t.description} | ${t.want} | ${t.display}${t.note ? ` — ${t.note}` : ''} | **${t.status}** |`);
  L.push('', `Start-up of the \`slo\` CLI (not part of the medians above unless it is the way slo ran): ${Object.entries(r.startup).map(([k, v]) => `${k} ${typeof v === 'number' ? s(v) : v}`).join(', ')}.`);
  L.push('', 'Method, caveats and where the time goes: [docs/performance.md](docs/performance.md).');
  return L.join('\n') + '\n';
}

/** The scale case's targets (#15), only when the case ran. */
function scaleTargets(cases: CaseResult[]): TargetResult[] {
  const c = cases.find((x) => x.case === 'scale' && !x.skipped);
  const d = c?.details as ScaleDetails | undefined;
  const out: TargetResult[] = [];
  const e = d?.exponential;
  if (e) {
    const na = (id: string, description: string, want: string): TargetResult => ({ id, description, want, display: '—', status: 'N/A', note: e.error ?? 'not measured' });
    out.push(e.inspectMs === undefined ? na('exp-inspect', '10⁹-leaf SLO: inspect with the right totals', '< 2 s') : { id: 'exp-inspect', description: '10⁹-leaf SLO: inspect with the right totals', want: '< 2 s', value: e.inspectMs, display: `${e.inspectMs.toFixed(0)} ms`, status: e.ok && e.inspectMs < 2000 ? 'PASS' : 'MISS' });
    out.push(e.leafColdMs === undefined ? na('exp-leaf', '10⁹-leaf SLO: page at leaf 500,000,000 (cold)', '< 1 s') : { id: 'exp-leaf', description: '10⁹-leaf SLO: page at leaf 500,000,000 (cold)', want: '< 1 s', value: e.leafColdMs, display: `${e.leafColdMs.toFixed(0)} ms`, status: e.ok && e.leafColdMs < 1000 ? 'PASS' : 'MISS' });
    out.push(!e.peakRss ? na('exp-rss', '10⁹-leaf SLO: host process peak RSS', '< 300 MB') : { id: 'exp-rss', description: '10⁹-leaf SLO: host process peak RSS', want: '< 300 MB', value: e.peakRss, display: mb(e.peakRss), status: e.peakRss < 300e6 ? 'PASS' : 'MISS' });
  }
  const h = d?.huge;
  if (h) {
    const peak = Math.max(h.uploadPeakRss ?? 0, h.downloadPeakRss ?? 0);
    out.push(!peak || !h.ok ? { id: 'huge-rss', description: `${fmtBytes(h.size)} upload + verified download: peak RSS`, want: '< 200 MB', display: peak ? mb(peak) : '—', status: peak ? 'MISS' : 'N/A', note: h.error ?? 'not measured' } : { id: 'huge-rss', description: `${fmtBytes(h.size)} upload + verified download: peak RSS`, want: '< 200 MB', value: peak, display: mb(peak), status: peak < TARGETS.peakRssBytes ? 'PASS' : 'MISS' });
  }
  return out;
}
