// Case 4 — resume cost: start `slo upload --json --verbose`, SIGKILL it at about 50 % (watching its JSON
// progress lines on stdout; the verbose transcript on stderr is the fallback signal), list which segments Swift
// actually holds, re-run the same command and count what the second run sends again:
//   - re-sent segments: segments the second run PUT although Swift already had them after the kill (from the
//     --verbose transcript — the honest measure of wasted work; a kill can land between a segment's 201 and its
//     journal write, hence the target "≤ 1 segment");
//   - resentBytes / skippedSegments as the CLI's final JSON line reports them.
// Segments in flight at the kill were never stored; sending them again is unavoidable and not counted.
import { connArgs, findKey, parseJsonLine, type Ctx } from '../lib/context.ts';
import { fmtBytes, segmentMd5s, sloEtag, type DataFile } from '../lib/data.ts';
import { run } from '../lib/proc.ts';
import { deleteObjectDeep, deletePrefix, listNames } from '../lib/swift.ts';
import type { CaseResult, Profile } from '../lib/types.ts';
import { checkSlo } from './upload.ts';

export interface ResumeDetails {
  segments: number;
  segmentSize: number;
  killedAtPct?: number;
  killedBy?: string;
  firstRunSec?: number;
  storedAfterKill?: number;
  /** Segments whose 201 the first run had processed (and printed) before the kill. */
  acknowledgedBeforeKill?: number;
  secondRunSec?: number;
  secondRunSegmentsPut?: number;
  resentSegments?: number;
  resentBytesTranscript?: number;
  resentBytesReported?: number;
  skippedSegmentsReported?: number;
  ok: boolean;
  error?: string;
}

const segIndexOf = (url: string, segc: string): number | undefined => {
  let path: string;
  try {
    path = decodeURIComponent(new URL(url).pathname);
  } catch {
    return undefined;
  }
  if (!path.includes(`/${segc}/`)) return undefined;
  const m = /\/(\d{8})$/.exec(path);
  return m ? Number(m[1]) : undefined;
};

/** `PUT <url> → 201 12 ms …` (the CLI's --verbose line). */
const putLine = (line: string): { url: string; status: string } | undefined => {
  const m = /^PUT (\S+) → (\S+)/.exec(line.trim());
  return m ? { url: m[1]!, status: m[2]! } : undefined;
};

export async function resumeCase(ctx: Ctx, profile: Profile, file: DataFile): Promise<CaseResult> {
  const ep = ctx.endpoints[profile]!;
  const seg = ctx.opts.resumeSegmentSize;
  const conc = ctx.opts.concurrency;
  const count = Math.ceil(file.size / seg);
  const title = `resume: SIGKILL slo upload of ${fmtBytes(file.size)} (${count} × ${fmtBytes(seg)} segments, concurrency ${conc}) at ~50 %, re-run`;
  ctx.log(`[${profile}] ${title}`);
  if (!ctx.slo.available) return { case: 'resume', profile, title, competitors: [], skipped: ctx.slo.reason ?? 'slo is not available' };
  const obj = `resume-${profile}`;
  const argv = [...ctx.slo.argv, 'upload', file.path, `${ctx.container}/${obj}`, '--segment-size', String(seg), '--concurrency', String(conc), '--json', '--verbose', ...connArgs.slo(ep)];
  const d: ResumeDetails = { segments: count, segmentSize: seg, ok: false };
  try {
    // Run 1, killed at ~50 %.
    let killedAt: number | undefined;
    const done1 = new Set<number>();
    const r1 = await run(argv[0]!, argv.slice(1), {
      env: ctx.env,
      onStdoutLine: (line, kill) => {
        const j = parseJsonLine(line);
        const done = Number(findKey(j, 'bytesDone'));
        const total = Number(findKey(j, 'totalBytes'));
        if (killedAt === undefined && total > 0 && done / total >= 0.5) {
          killedAt = done / total;
          d.killedBy = 'progress line';
          kill('SIGKILL');
        }
      },
      onStderrLine: (line, kill) => {
        const p = putLine(line);
        const i = p && /^2\d\d$/.test(p.status) ? segIndexOf(p.url, ctx.segContainer) : undefined;
        if (i === undefined) return;
        done1.add(i);
        if (killedAt === undefined && done1.size >= count / 2) {
          killedAt = (done1.size * seg) / file.size;
          d.killedBy = 'transcript (half the segments stored)';
          kill('SIGKILL');
        }
      },
    });
    d.firstRunSec = r1.seconds;
    if (r1.signal !== 'SIGKILL') {
      throw new Error(r1.code === 0 ? 'the first run finished before it reached 50 % — use a larger --resume-size' : `the first run failed: ${r1.stderr.trim().split('\n').slice(-1)[0]}`);
    }
    d.killedAtPct = (killedAt ?? 0) * 100;
    d.acknowledgedBeforeKill = done1.size;

    // What Swift holds now.
    const names = await listNames(ctx.direct, ctx.segContainer, `${obj}/`);
    const stored = new Set(names.map((n) => /\/(\d{8})$/.exec(n)).filter((m): m is RegExpExecArray => !!m).map((m) => Number(m[1])));
    d.storedAfterKill = stored.size;

    // Run 2.
    const put2 = new Set<number>();
    let final: Record<string, unknown> | undefined;
    const r2 = await run(argv[0]!, argv.slice(1), {
      env: ctx.env,
      onStdoutLine: (line) => {
        const j = parseJsonLine(line);
        if (j && findKey(j, 'resentBytes') !== undefined && findKey(j, 'phase') === undefined) final = j;
        else if (j && findKey(j, 'skippedSegments') !== undefined) final = j;
      },
      onStderrLine: (line) => {
        const p = putLine(line);
        const i = p ? segIndexOf(p.url, ctx.segContainer) : undefined;
        if (i !== undefined) put2.add(i);
      },
    });
    d.secondRunSec = r2.seconds;
    if (r2.code !== 0) throw new Error(`the second run failed: ${r2.stderr.trim().split('\n').slice(-1)[0]}`);
    d.secondRunSegmentsPut = put2.size;
    const resent = [...put2].filter((i) => stored.has(i));
    d.resentSegments = resent.length;
    d.resentBytesTranscript = resent.reduce((s, i) => s + Math.min(seg, file.size - i * seg), 0);
    if (final) {
      const rb = Number(findKey(final, 'resentBytes'));
      const sk = Number(findKey(final, 'skippedSegments'));
      if (Number.isFinite(rb)) d.resentBytesReported = rb;
      if (Number.isFinite(sk)) d.skippedSegmentsReported = sk;
    }
    if (!put2.size && !final) throw new Error('the second run printed neither transcript lines nor a final JSON line');
    await checkSlo(ctx.direct, ctx.container, obj, file.size, sloEtag(await segmentMd5s(file, seg)));
    d.ok = true;
    ctx.log(`  [${profile} resume] killed at ${d.killedAtPct.toFixed(0)} % (${d.killedBy}); Swift held ${d.storedAfterKill}/${count} segments (the client had seen ${d.acknowledgedBeforeKill} of those 201s); the re-run PUT ${d.secondRunSegmentsPut} and re-sent ${d.resentSegments} already stored (${fmtBytes(d.resentBytesTranscript)}); reported resentBytes ${d.resentBytesReported ?? '?'}, skippedSegments ${d.skippedSegmentsReported ?? '?'}`);
  } catch (e) {
    d.error = (e as Error).message;
    ctx.log(`  [${profile} resume] not measured: ${d.error}`);
  } finally {
    await deleteObjectDeep(ctx.direct, ctx.container, obj).catch(() => undefined);
    await deletePrefix(ctx.direct, ctx.segContainer, `${obj}/`).catch(() => undefined);
  }
  return { case: 'resume', profile, title, bytes: file.size, segmentSize: seg, concurrency: conc, competitors: [], details: d as unknown as Record<string, unknown> };
}
