// Case "sink" — the client's own ceiling: slo upload and slo download (still verifying every segment's MD5 and the
// SLO ETag) against bench/sink.ts, a local stand-in for Swift that hashes nothing and serves the bench file from
// memory, next to curl doing the same transfers unverified. The sink's CPU is reported in the "Swift CPU" column.
// slo-1t is slo with MD5 forced into the main thread (SLO_MD5_WORKERS=0), so both hashing paths are compared.
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { compete, rmQuiet, sloBeforeArgv, timed, type Contender, type Ctx } from '../lib/context.ts';
import { fmtBytes, md5File, segmentMd5s, splitFile, type DataFile } from '../lib/data.ts';
import type { Endpoint } from '../lib/swift.ts';
import type { CaseResult } from '../lib/types.ts';

const ROOT = join(import.meta.dirname, '..', '..');

async function startSink(file: DataFile, seg: number, md5s: string[]): Promise<{ pid: number; port: number; stop(): void }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'run.mjs'), join(ROOT, 'bench', 'sink.ts'), '--file', file.path, '--segment-size', String(seg), '--md5s', md5s.join(','), '--stdin-lifeline'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((ok, fail) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (l) => {
      rl.close();
      ok(l);
    });
    child.once('exit', (code) => fail(new Error(`the sink exited (${code}) before it listened`)));
  });
  return { pid: child.pid!, port: (JSON.parse(line) as { port: number }).port, stop: () => child.kill('SIGTERM') };
}

export async function sinkCase(ctx: Ctx, file: DataFile): Promise<CaseResult[]> {
  const { segmentSize: seg, concurrency: conc } = ctx.opts;
  const base = `${fmtBytes(file.size)}, ${fmtBytes(seg)} segments, concurrency ${conc}, against a local sink (no Swift)`;
  ctx.log(`[client-only] ${base}`);
  if (!ctx.slo.available) return [{ case: 'sink', profile: 'loopback', title: base, competitors: [], skipped: ctx.slo.reason ?? 'slo is not available' }];
  const md5s = await segmentMd5s(file, seg);
  const splits = await splitFile(file, seg);
  const sink = await startSink(file, seg, md5s);
  const ep: Endpoint = { profile: 'loopback', storageUrl: `http://127.0.0.1:${sink.port}/v1/AUTH_sink`, token: 'sink' };
  const conn = ['--storage-url', ep.storageUrl, '--token', ep.token];
  const sctx: Ctx = { ...ctx, swiftPids: [sink.pid] };
  // Both hashing paths in the same run: worker threads (the default with ≥ 2 cores) and in-thread.
  const inThread = { ...ctx.env, SLO_MD5_WORKERS: '0' };
  const before = sloBeforeArgv(ctx);
  try {
    const upload: Contender[] = [
      {
        name: 'slo',
        label: `slo upload --segment-size ${seg} --concurrency ${conc} --json (hashes every byte)`,
        run: (rep) => timed(sctx, [...ctx.slo.argv, 'upload', file.path, `sink/up-slo-${rep}`, '--segment-size', String(seg), '--concurrency', String(conc), '--json', ...conn]),
      },
      ...(before
        ? [{ name: 'slo-before', label: 'the same with the --slo-before build', run: (rep: number) => timed(sctx, [...before, 'upload', file.path, `sink/up-before-${rep}`, '--segment-size', String(seg), '--concurrency', String(conc), '--json', ...conn]) }]
        : []),
      {
        name: 'slo-1t',
        label: 'the same with SLO_MD5_WORKERS=0 (MD5 in the main thread)',
        run: (rep) => timed(sctx, [...ctx.slo.argv, 'upload', file.path, `sink/up-slo1t-${rep}`, '--segment-size', String(seg), '--concurrency', String(conc), '--json', ...conn], { env: inThread }),
      },
      {
        name: 'curl',
        label: `curl -Z --parallel-max ${conc} -T <pre-split segment>… (no hashing)`,
        run: async (rep) => {
          const args = ['curl', '-sS', '--fail', '-Z', '--parallel-max', String(conc), '--parallel-immediate', '-H', 'X-Auth-Token: sink', '-H', 'Expect:'];
          splits.forEach((f, i) => args.push('-T', f, '-o', '/dev/null', `${ep.storageUrl}/sink_segments/up-curl-${rep}/${String(i).padStart(8, '0')}`));
          return timed(sctx, args);
        },
      },
    ];
    const out = (who: string, rep: number) => join(ctx.workDir, `sink-${who}-${rep}.bin`);
    const check = (who: string) => async (rep: number) => {
      const got = await md5File(out(who, rep));
      if (got !== file.md5) throw new Error(`MD5 of the downloaded file is ${got}, the source's is ${file.md5}`);
    };
    const clean = (who: string) => async (rep: number) => {
      const p = out(who, rep);
      await rmQuiet(p, `${p}.slo-partial`, `${p}.slo-partial.json`);
      await timed(ctx, ['sync']);
    };
    const download: Contender[] = [
      {
        name: 'slo',
        label: `slo download --concurrency ${conc} --json (verifies MD5s)`,
        prepare: clean('slo'),
        run: (rep) => timed(sctx, [...ctx.slo.argv, 'download', 'sink/dl', out('slo', rep), '--concurrency', String(conc), '--json', ...conn]),
        check: check('slo'),
        cleanup: clean('slo'),
      },
      ...(before
        ? [{ name: 'slo-before', label: 'the same with the --slo-before build', prepare: clean('slo-before'), run: (rep: number) => timed(sctx, [...before, 'download', 'sink/dl', out('slo-before', rep), '--concurrency', String(conc), '--json', ...conn]), check: check('slo-before'), cleanup: clean('slo-before') }]
        : []),
      {
        name: 'slo-1t',
        label: 'the same with SLO_MD5_WORKERS=0 (MD5 in the main thread)',
        prepare: clean('slo-1t'),
        run: (rep) => timed(sctx, [...ctx.slo.argv, 'download', 'sink/dl', out('slo-1t', rep), '--concurrency', String(conc), '--json', ...conn], { env: inThread }),
        check: check('slo-1t'),
        cleanup: clean('slo-1t'),
      },
      {
        name: 'curl',
        label: 'curl -o <file> (one GET, unverified)',
        prepare: clean('curl'),
        run: (rep) => timed(sctx, ['curl', '-sS', '--fail', '-H', 'X-Auth-Token: sink', '-o', out('curl', rep), `${ep.storageUrl}/sink/dl`]),
        check: check('curl'),
        cleanup: clean('curl'),
      },
    ];
    const up = await compete(sctx, '[client-only upload]', upload, file.size);
    const down = await compete(sctx, '[client-only download]', download, file.size);
    const details = { nproc: availableParallelism(), loadAtEnd: loadavg()[0], note: 'Swift CPU = the sink process' };
    return [
      { case: 'sink', profile: 'loopback', title: `client-only upload ${base}`, bytes: file.size, segmentSize: seg, concurrency: conc, competitors: up, details: { ...details, op: 'upload' } },
      { case: 'sink', profile: 'loopback', title: `client-only download ${base}`, bytes: file.size, segmentSize: seg, concurrency: conc, competitors: down, details: { ...details, op: 'download' } },
    ];
  } finally {
    sink.stop();
  }
}
