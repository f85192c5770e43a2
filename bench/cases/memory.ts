// Case 3 — memory: peak RSS of `slo upload` and `slo download` for a small and a large file, sampled every 20 ms
// from /proc/<pid>/status (VmRSS of the process and all its children, summed). A streaming engine's peak must not
// grow with the file size.
import { join } from 'node:path';
import { connArgs, rmQuiet, timed, type Ctx } from '../lib/context.ts';
import { fmtBytes, md5File, type DataFile } from '../lib/data.ts';
import { runOk } from '../lib/proc.ts';
import { deleteObjectDeep } from '../lib/swift.ts';
import type { CaseResult, Profile } from '../lib/types.ts';
import { checkSlo } from './upload.ts';
import { segmentMd5s, sloEtag } from '../lib/data.ts';

export interface MemoryRow {
  op: 'upload' | 'download';
  size: number;
  rep: number;
  seconds: number;
  peakRss: number;
  samples: number;
  ok: boolean;
  error?: string;
}

export async function memoryCase(ctx: Ctx, profile: Profile, files: DataFile[]): Promise<CaseResult> {
  const ep = ctx.endpoints[profile]!;
  const { segmentSize: seg, concurrency: conc } = ctx.opts;
  const title = `peak RSS of slo upload/download, ${files.map((f) => fmtBytes(f.size)).join(' vs ')} (${fmtBytes(seg)} segments, concurrency ${conc})`;
  ctx.log(`[${profile}] memory: ${title}`);
  if (!ctx.slo.available) return { case: 'memory', profile, title, competitors: [], skipped: ctx.slo.reason ?? 'slo is not available' };
  const rows: MemoryRow[] = [];
  for (let rep = 0; rep < ctx.opts.memReps; rep++) {
    for (const file of files) {
      const obj = `mem-${profile}-${file.size}-${rep}`;
      const dest = join(ctx.workDir, `${obj}.bin`);
      for (const op of ['upload', 'download'] as const) {
        const argv =
          op === 'upload'
            ? [...ctx.slo.argv, 'upload', file.path, `${ctx.container}/${obj}`, '--segment-size', String(seg), '--concurrency', String(conc), '--json', ...connArgs.slo(ep)]
            : [...ctx.slo.argv, 'download', `${ctx.container}/${obj}`, dest, '--concurrency', String(conc), '--json', ...connArgs.slo(ep)];
        let row: MemoryRow;
        try {
          const r = await timed(ctx, argv, { sampleMs: 20 });
          row = { op, size: file.size, rep, seconds: r.seconds, peakRss: r.peakRss, samples: r.samples, ok: true };
          if (op === 'upload') await checkSlo(ctx.direct, ctx.container, obj, file.size, sloEtag(await segmentMd5s(file, seg)));
          else if ((await md5File(dest)) !== file.md5) throw new Error('downloaded MD5 differs from the source');
        } catch (e) {
          row = { op, size: file.size, rep, seconds: NaN, peakRss: 0, samples: 0, ok: false, error: (e as Error).message };
        }
        rows.push(row);
        ctx.log(`  [${profile} memory] ${op} ${fmtBytes(file.size)}: ${row.ok ? `peak RSS ${(row.peakRss / 1e6).toFixed(1)} MB over ${row.samples} samples, ${row.seconds.toFixed(2)} s` : `FAILED: ${row.error}`}`);
        if (!row.ok) break;
      }
      await rmQuiet(dest, `${dest}.slo-partial`, `${dest}.slo-partial.json`);
      await runOk('sync', []);
      await deleteObjectDeep(ctx.direct, ctx.container, obj).catch(() => undefined);
    }
  }
  return { case: 'memory', profile, title, segmentSize: seg, concurrency: conc, competitors: [], details: { rows } };
}

/** Peak RSS per op and size (max over reps). */
export function memoryPeaks(c: CaseResult): Array<{ op: string; size: number; peakRss: number }> {
  const rows = ((c.details?.rows ?? []) as MemoryRow[]).filter((r) => r.ok);
  const out = new Map<string, { op: string; size: number; peakRss: number }>();
  for (const r of rows) {
    const k = `${r.op}:${r.size}`;
    const cur = out.get(k);
    if (!cur || r.peakRss > cur.peakRss) out.set(k, { op: r.op, size: r.size, peakRss: r.peakRss });
  }
  return [...out.values()].sort((a, b) => a.op.localeCompare(b.op) || a.size - b.size);
}
