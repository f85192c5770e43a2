// Case 1 — upload the same file with the same segment size and concurrency:
//   slo upload  vs  swift upload --use-slo  vs  the ceiling: curl PUTs of pre-split segments in parallel (no
//   hashing; split before timing) followed by a manifest PUT.
// Every run must leave an SLO whose ETag equals the one computed from the source (checked outside the timing).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compete, connArgs, sloBeforeArgv, timed, unquote, type Contender, type Ctx } from '../lib/context.ts';
import { segmentMd5s, sloEtag, splitFile, type DataFile, fmtBytes } from '../lib/data.ts';
import { RCLONE_REMOTE, rcloneEnv } from '../lib/rclone.ts';
import { deleteObjectDeep, headObject, type Endpoint } from '../lib/swift.ts';
import type { CaseResult, Profile } from '../lib/types.ts';

export async function checkSlo(ep: Endpoint, c: string, o: string, size: number, etag: string): Promise<void> {
  const h = await headObject(ep, c, o);
  if (!h) throw new Error(`${c}/${o} is missing`);
  if (h.get('x-static-large-object') !== 'True') throw new Error(`${c}/${o} is not an SLO`);
  if (Number(h.get('content-length')) !== size) throw new Error(`${c}/${o} has ${h.get('content-length')} bytes, want ${size}`);
  if (unquote(h.get('etag')) !== etag) throw new Error(`${c}/${o} ETag ${unquote(h.get('etag'))}, want ${etag}`);
}

export function uploadContenders(ctx: Ctx, ep: Endpoint, file: DataFile, segSize: number, conc: number, etag: string, splits: string[], tag: string): Contender[] {
  const c = ctx.container;
  const obj = (who: string, rep: number) => `${tag}-${who}-${rep}`;
  const check = (who: string) => (rep: number) => checkSlo(ctx.direct, c, obj(who, rep), file.size, etag);
  const cleanup = (who: string) => (rep: number) => deleteObjectDeep(ctx.direct, c, obj(who, rep));

  const sloWith = (who: string, argv: string[]): Contender => ({
    name: who,
    label: `slo upload --segment-size ${segSize} --concurrency ${conc} --json${who === 'slo' ? '' : ' (the --slo-before build)'}`,
    ...(ctx.slo.available ? {} : { skip: ctx.slo.reason ?? 'slo upload is not available' }),
    run: (rep) => timed(ctx, [...argv, 'upload', file.path, `${c}/${obj(who, rep)}`, '--segment-size', String(segSize), '--concurrency', String(conc), '--json', ...connArgs.slo(ep)]),
    check: check(who),
    cleanup: cleanup(who),
  });
  const slo = sloWith('slo', ctx.slo.argv);
  const before = sloBeforeArgv(ctx);

  const swift: Contender = {
    name: 'swift',
    label: `swift upload --use-slo --segment-size ${segSize} --segment-threads ${conc}`,
    run: (rep) => timed(ctx, ['swift', ...connArgs.swift(ep), 'upload', '--use-slo', '--segment-size', String(segSize), '--segment-threads', String(conc), '--object-name', obj('swift', rep), c, file.path]),
    check: check('swift'),
    cleanup: cleanup('swift'),
  };

  // The ceiling: one curl process PUTting the pre-split segments `conc` at a time, then one manifest PUT.
  const manifestPath = (rep: number) => join(ctx.workDir, `${tag}-manifest-${rep}.json`);
  const segPath = (rep: number, i: number) => `${ctx.segContainer}/${obj('curl', rep)}/${String(i).padStart(8, '0')}`;
  const curl: Contender = {
    name: 'curl',
    label: `curl -Z --parallel-max ${conc} -T <pre-split segment>… (no hashing) + manifest PUT`,
    prepare: async (rep) => {
      const entries = splits.map((_, i) => ({ path: `/${segPath(rep, i)}` }));
      writeFileSync(manifestPath(rep), JSON.stringify(entries));
    },
    run: async (rep) => {
      const args = ['curl', '-sS', '--fail', '-Z', '--parallel-max', String(conc), '--parallel-immediate', '-H', `X-Auth-Token: ${ep.token}`, '-H', 'Expect:', '-w', '%{http_code}\n'];
      splits.forEach((f, i) => args.push('-T', f, '-o', '/dev/null', `${ep.storageUrl}/${segPath(rep, i)}`));
      const a = await timed(ctx, args);
      const codes = a.stdout.trim().split('\n');
      if (codes.length !== splits.length || codes.some((x) => x !== '201')) throw new Error(`segment PUTs answered ${codes.join(',')}`);
      const m = await timed(ctx, ['curl', '-sS', '--fail', '-X', 'PUT', '-H', `X-Auth-Token: ${ep.token}`, '-H', 'Expect:', '--data-binary', `@${manifestPath(rep)}`, '-o', '/dev/null', '-w', '%{http_code}', `${ep.storageUrl}/${c}/${obj('curl', rep)}?multipart-manifest=put`]);
      if (m.stdout.trim() !== '201') throw new Error(`manifest PUT answered ${m.stdout.trim()}`);
      return { seconds: a.seconds + m.seconds, peakRss: Math.max(a.peakRss, m.peakRss), ...(a.cpuSec !== undefined && m.cpuSec !== undefined ? { cpuSec: a.cpuSec + m.cpuSec } : {}) };
    },
    check: check('curl'),
    cleanup: cleanup('curl'),
  };
  // rclone's chunked upload (--swift-chunk-size, in bytes: a bare number means KiB): a DLO, no SLO ETag to check.
  const rclone: Contender = {
    name: 'rclone',
    label: `rclone copyto --swift-chunk-size ${segSize} --transfers ${conc} (a DLO; rclone checks each chunk's MD5)`,
    ...(ctx.rclone.available ? {} : { skip: ctx.rclone.reason ?? 'rclone is not available' }),
    run: (rep) => timed(ctx, ['rclone', 'copyto', file.path, `${RCLONE_REMOTE}:${c}/${obj('rclone', rep)}`, '--swift-chunk-size', `${segSize}B`, '--transfers', String(conc)], { env: rcloneEnv(ctx.env, ep) }),
    check: (rep) => checkDlo(ctx.direct, c, obj('rclone', rep), file.size),
    cleanup: cleanup('rclone'),
  };
  return [slo, ...(before ? [sloWith('slo-before', before)] : []), swift, curl, rclone];
}

async function checkDlo(ep: Endpoint, c: string, o: string, size: number): Promise<void> {
  const h = await headObject(ep, c, o);
  if (!h) throw new Error(`${c}/${o} is missing`);
  if (!h.get('x-object-manifest')) throw new Error(`${c}/${o} is not a DLO`);
  if (Number(h.get('content-length')) !== size) throw new Error(`${c}/${o} has ${h.get('content-length')} bytes, want ${size}`);
}

export async function uploadCase(ctx: Ctx, profile: Profile, file: DataFile): Promise<CaseResult> {
  const ep = ctx.endpoints[profile]!;
  const { segmentSize: seg, concurrency: conc } = ctx.opts;
  const etag = sloEtag(await segmentMd5s(file, seg));
  const splits = await splitFile(file, seg);
  const title = `upload ${fmtBytes(file.size)}, ${fmtBytes(seg)} segments, concurrency ${conc}`;
  ctx.log(`[${profile}] ${title}`);
  const competitors = await compete(ctx, `[${profile} upload]`, uploadContenders(ctx, ep, file, seg, conc, etag, splits, `up-${profile}`), file.size);
  return { case: 'upload', profile, title, bytes: file.size, segmentSize: seg, concurrency: conc, competitors };
}
