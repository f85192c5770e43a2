// Case — scale (#15), opt in with `--cases scale`:
// 1. A 10⁹-leaf SLO (three levels of 1,000 references to one 1-byte segment: 3 manifest PUTs). A child process does
//    what the host does for the viewer — inspect, then the page at leaf 500,000,000 (cold: the graph measured again)
//    and at 731,000,000 (warm) — and its RSS is sampled from outside. Targets: inspect < 2 s with the right totals,
//    leaf 500,000,000 < 1 s, RSS < 300 MB.
// 2. A big upload and verified download (`--huge-size`, default 20 GiB) of a sparse file (zeros: no disk for the
//    source), with peak RSS sampled. Target < 200 MB. The download lands in the work dir and is removed at once.
import { open, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { connArgs, parseJsonLine, rmQuiet, timed, type Ctx } from '../lib/context.ts';
import { fmtBytes } from '../lib/data.ts';
import { deleteObjectDeep, swiftReq } from '../lib/swift.ts';
import type { CaseResult } from '../lib/types.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const N = 1000;

export interface ScaleDetails {
  exponential?: { ok: boolean; error?: string; inspectMs?: number; size?: number; leaves?: number; depth?: number; leafColdMs?: number; leafWarmMs?: number; leafIndex?: number; leafOffset?: number; peakRss?: number };
  huge?: { ok: boolean; error?: string; size: number; segmentSize?: number; uploadSec?: number; uploadPeakRss?: number; downloadSec?: number; downloadPeakRss?: number; verified?: boolean; message?: string };
}

async function putSlo(ctx: Ctx, container: string, name: string, path: string): Promise<void> {
  const body = JSON.stringify(Array.from({ length: N }, () => ({ path })));
  const r = await swiftReq(ctx.direct, 'PUT', `${container}/${name}`, { query: 'multipart-manifest=put', body });
  if (r.status !== 201) throw new Error(`PUT ${container}/${name}: HTTP ${r.status} ${await r.text()}`);
}

async function exponential(ctx: Ctx): Promise<NonNullable<ScaleDetails['exponential']>> {
  const { container: c, segContainer: s } = ctx;
  try {
    const one = await swiftReq(ctx.direct, 'PUT', `${s}/exp-one`, { body: 'x' });
    if (one.status !== 201) throw new Error(`PUT ${s}/exp-one: HTTP ${one.status}`);
    await putSlo(ctx, s, 'exp-l3', `/${s}/exp-one`);
    await putSlo(ctx, s, 'exp-l2', `/${s}/exp-l3`);
    await putSlo(ctx, c, 'exp-huge', `/${s}/exp-l2`);
    const probe = [process.execPath, join(ROOT, 'bin', 'run.mjs'), join(ROOT, 'bench', 'lib', 'scale-probe.ts'), ctx.direct.storageUrl, ctx.direct.token, c, 'exp-huge'];
    const r = await timed(ctx, probe, { sampleMs: 20 });
    const out = parseJsonLine(r.stdout.trim().split('\n').pop() ?? '') as Partial<NonNullable<ScaleDetails['exponential']>> | undefined;
    if (!out) throw new Error(`the probe printed no result: ${r.stdout.slice(-200)}`);
    const right = out.size === 1e9 && out.leaves === 1e9 && out.depth === 3 && out.leafIndex === 500_000_000 && out.leafOffset === 500_000_000;
    return { ok: right, ...(right ? {} : { error: 'wrong totals or leaf' }), ...out, peakRss: r.peakRss };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  } finally {
    for (const [cc, o] of [[c, 'exp-huge'], [s, 'exp-l2'], [s, 'exp-l3'], [s, 'exp-one']] as const) await swiftReq(ctx.direct, 'DELETE', `${cc}/${o}`).catch(() => undefined);
  }
}

async function huge(ctx: Ctx, size: number): Promise<NonNullable<ScaleDetails['huge']>> {
  const src = join(ctx.workDir, 'huge-sparse.bin');
  const dest = join(ctx.workDir, 'huge-down.bin');
  const obj = 'huge';
  const ep = ctx.direct;
  try {
    const fh = await open(src, 'w');
    await fh.truncate(size); // sparse: reads as zeros, takes no disk
    await fh.close();
    const up = await timed(ctx, [...ctx.slo.argv, 'upload', src, `${ctx.container}/${obj}`, '--concurrency', String(ctx.opts.concurrency), '--json', ...connArgs.slo(ep)], { sampleMs: 50, timeoutMs: 3 * 3600_000 });
    const upRes = up.stdout.trim().split('\n').map(parseJsonLine).find((x) => x?.type === 'result') as { plan?: { segmentSize?: number } } | undefined;
    ctx.log(`  [scale] uploaded ${fmtBytes(size)} in ${up.seconds.toFixed(1)} s, peak RSS ${(up.peakRss / 1e6).toFixed(0)} MB`);
    await rmQuiet(src);
    const down = await timed(ctx, [...ctx.slo.argv, 'download', `${ctx.container}/${obj}`, dest, '--concurrency', String(ctx.opts.concurrency), '--json', ...connArgs.slo(ep)], { sampleMs: 50, timeoutMs: 3 * 3600_000 });
    const res = down.stdout.trim().split('\n').map(parseJsonLine).find((x) => x?.type === 'result') as { verified?: boolean; message?: string; size?: number } | undefined;
    const got = (await stat(dest)).size;
    ctx.log(`  [scale] downloaded in ${down.seconds.toFixed(1)} s, peak RSS ${(down.peakRss / 1e6).toFixed(0)} MB: ${res?.message}`);
    const ok = res?.verified === true && got === size;
    return {
      ok, ...(ok ? {} : { error: `verified=${res?.verified}, ${got} of ${size} bytes` }), size,
      ...(upRes?.plan?.segmentSize ? { segmentSize: upRes.plan.segmentSize } : {}),
      uploadSec: up.seconds, uploadPeakRss: up.peakRss, downloadSec: down.seconds, downloadPeakRss: down.peakRss, verified: res?.verified === true, message: res?.message ?? '',
    };
  } catch (e) {
    return { ok: false, error: (e as Error).message, size };
  } finally {
    await rmQuiet(src, dest, `${dest}.slo-partial`, `${dest}.slo-partial.json`);
    await deleteObjectDeep(ep, ctx.container, obj).catch(() => undefined);
  }
}

export async function scaleCase(ctx: Ctx, hugeSize: number): Promise<CaseResult> {
  const title = `10⁹-leaf manifest in the host; ${fmtBytes(hugeSize)} upload + verified download, peak RSS`;
  ctx.log(`[loopback] scale: ${title}`);
  if (!ctx.slo.available) return { case: 'scale', profile: 'loopback', title, competitors: [], skipped: ctx.slo.reason ?? 'slo is not available' };
  const details: ScaleDetails = {};
  details.exponential = await exponential(ctx);
  ctx.log(`  [scale] 10⁹ leaves: ${JSON.stringify(details.exponential)}`);
  if (hugeSize > 0) details.huge = await huge(ctx, hugeSize);
  return { case: 'scale', profile: 'loopback', title, competitors: [], details: details as Record<string, unknown> };
}
