// Case 2 — download the same SLO to disk: slo download (verifies every segment's MD5 and the SLO ETag) vs
// swift download -o (one GET through the proxy) vs one curl GET to a file (no checks at all). Each result's MD5 is
// compared with the source outside the timing; the file is then removed and the page cache flushed (`sync`) so a
// run does not pay for the previous run's writeback.
import { join } from 'node:path';
import { compete, connArgs, rmQuiet, sloBeforeArgv, timed, type Contender, type Ctx } from '../lib/context.ts';
import { fmtBytes, md5File, segmentMd5s, sloEtag, type DataFile } from '../lib/data.ts';
import { runOk } from '../lib/proc.ts';
import { RCLONE_REMOTE, rcloneEnv } from '../lib/rclone.ts';
import type { Endpoint } from '../lib/swift.ts';
import type { CaseResult, Profile } from '../lib/types.ts';
import { checkSlo } from './upload.ts';

/** The object every download case reads: uploaded once per run with python-swiftclient (the reference SLO). */
export async function ensureDownloadObject(ctx: Ctx, file: DataFile, segSize: number): Promise<string> {
  const key = `dl-${file.size}-${segSize}`;
  if (ctx.shared.has(key)) return key;
  ctx.log(`  (storing ${ctx.container}/${key} with swift upload --use-slo, untimed)`);
  await runOk('swift', [...connArgs.swift(ctx.direct), 'upload', '--use-slo', '--segment-size', String(segSize), '--segment-threads', String(ctx.opts.concurrency), '--object-name', key, ctx.container, file.path], { env: ctx.env });
  await checkSlo(ctx.direct, ctx.container, key, file.size, sloEtag(await segmentMd5s(file, segSize)));
  ctx.shared.set(key, true);
  return key;
}

export function downloadContenders(ctx: Ctx, ep: Endpoint, file: DataFile, object: string, conc: number, tag: string): Contender[] {
  const c = ctx.container;
  const out = (who: string, rep: number) => join(ctx.workDir, `${tag}-${who}-${rep}.bin`);
  const check = (who: string) => async (rep: number) => {
    const got = await md5File(out(who, rep));
    if (got !== file.md5) throw new Error(`MD5 of the downloaded file is ${got}, the source's is ${file.md5}`);
  };
  const cleanup = (who: string) => async (rep: number) => {
    const p = out(who, rep);
    await rmQuiet(p, `${p}.slo-partial`, `${p}.slo-partial.json`);
    await runOk('sync', []);
  };
  const sloWith = (who: string, argv: string[]): Contender => ({
    name: who,
    label: `slo download --concurrency ${conc} --json (verifies MD5s)${who === 'slo' ? '' : ' (the --slo-before build)'}`,
    ...(ctx.slo.available ? {} : { skip: ctx.slo.reason ?? 'slo download is not available' }),
    prepare: cleanup(who),
    run: (rep) => timed(ctx, [...argv, 'download', `${c}/${object}`, out(who, rep), '--concurrency', String(conc), '--json', ...connArgs.slo(ep)]),
    check: check(who),
    cleanup: cleanup(who),
  });
  const slo = sloWith('slo', ctx.slo.argv);
  const before = sloBeforeArgv(ctx);
  const swift: Contender = {
    name: 'swift',
    label: 'swift download -o <file>',
    prepare: cleanup('swift'),
    run: (rep) => timed(ctx, ['swift', ...connArgs.swift(ep), 'download', c, object, '-o', out('swift', rep)]),
    check: check('swift'),
    cleanup: cleanup('swift'),
  };
  const curl: Contender = {
    name: 'curl',
    label: 'curl -o <file> (one GET, unverified)',
    prepare: cleanup('curl'),
    run: (rep) => timed(ctx, ['curl', '-sS', '--fail', '-H', `X-Auth-Token: ${ep.token}`, '-o', out('curl', rep), `${ep.storageUrl}/${c}/${object}`]),
    check: check('curl'),
    cleanup: cleanup('curl'),
  };
  // rclone reads the SLO through the proxy in --multi-thread-streams ranged GETs; it has no MD5 to check for an SLO.
  const rclone: Contender = {
    name: 'rclone',
    label: `rclone copyto --multi-thread-streams ${conc} (unverified: no MD5 for an SLO)`,
    ...(ctx.rclone.available ? {} : { skip: ctx.rclone.reason ?? 'rclone is not available' }),
    prepare: cleanup('rclone'),
    run: (rep) => timed(ctx, ['rclone', 'copyto', `${RCLONE_REMOTE}:${c}/${object}`, out('rclone', rep), '--multi-thread-streams', String(conc)], { env: rcloneEnv(ctx.env, ep) }),
    check: check('rclone'),
    cleanup: cleanup('rclone'),
  };
  return [slo, ...(before ? [sloWith('slo-before', before)] : []), swift, curl, rclone];
}

export async function downloadCase(ctx: Ctx, profile: Profile, file: DataFile): Promise<CaseResult> {
  const ep = ctx.endpoints[profile]!;
  const { segmentSize: seg, concurrency: conc } = ctx.opts;
  const title = `download ${fmtBytes(file.size)} SLO (${fmtBytes(seg)} segments) to disk, concurrency ${conc}`;
  ctx.log(`[${profile}] ${title}`);
  const object = await ensureDownloadObject(ctx, file, seg);
  const competitors = await compete(ctx, `[${profile} download]`, downloadContenders(ctx, ep, file, object, conc, `dl-${profile}`), file.size);
  return { case: 'download', profile, title, bytes: file.size, segmentSize: seg, concurrency: conc, competitors };
}
