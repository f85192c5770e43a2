// Case `ui-upload` — a file uploaded through the page (browser mode, Debian Chromium through playwright-core) against
// `slo upload` of the same file with the shipped CLI, in the same run, repetitions alternating (issue 18: browser-mode
// upload ≥ 0.8× the CLI's throughput). Both use the default plan (segment size and concurrency left alone).
// Page: the file goes in through the Upload… file input (setInputFiles of a hard link named per repetition, so no
// run meets a name conflict); timed from the click on the sheet's Upload button to the transfer's `done` state.
// CLI: `slo upload <file> <c>/<o> --json`, start-up included. Every SLO is checked afterwards (length and ETag).
import { spawn } from 'node:child_process';
import { existsSync, linkSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { DEFAULT_SEGMENT_SIZE } from '../../app/transfer/plan.ts';
import { compete, connArgs, rmQuiet, timed, type Contender, type Ctx } from '../lib/context.ts';
import { fmtBytes, segmentMd5s, sloEtag, type DataFile } from '../lib/data.ts';
import { run, treeCpuBy, treeCpuSec } from '../lib/proc.ts';

/** Chromium's processes by role (--type=renderer, utility = the network service, none = the browser process). */
// Zygote-forked children rewrite their command line into one space-separated string.
const chromiumRole = (cmd: string[]) => roleOf(cmd.join(' ').split(' '));
const roleOf = (argv: string[]) => (/chrom/.test(argv[0] ?? '') ? (argv.find((a) => a.startsWith('--type='))?.slice(7) ?? 'browser') + (argv.some((a) => a.includes('NetworkService')) ? '/network' : '') : 'other');
const roleDelta = (a: Record<string, number>, b: Record<string, number>) => Object.entries(b).map(([k, v]) => `${k} ${(v - (a[k] ?? 0)).toFixed(2)}`).join(', ');
import { deleteObjectDeep } from '../lib/swift.ts';
import type { CaseResult } from '../lib/types.ts';
import { checkSlo } from './upload.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** The host in its own process (bench/lib/browser-host.ts); resolves once it printed its URL. */
async function startHost(staticDir: string, dataDir: string): Promise<{ url: string; pid: number; close(): Promise<void> }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'run.mjs'), join(ROOT, 'bench', 'lib', 'browser-host.ts'), staticDir, dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) ok((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => fail(new Error(`the browser-mode host exited (${code}): ${err.trim().slice(-500)}`)));
  });
  const close = () =>
    new Promise<void>((ok) => {
      if (child.exitCode !== null) return ok();
      child.once('exit', () => ok());
      child.kill('SIGTERM');
    });
  return { url, pid: child.pid!, close };
}

async function openPage(ctx: Ctx, staticDir: string, dataDir: string) {
  const host = await startHost(staticDir, dataDir);
  const { chromium: pw } = await import('playwright-core');
  const browser = await pw.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(host.url);
  const nav = page.getByRole('navigation', { name: 'Containers' });
  const filter = nav.getByRole('searchbox', { name: 'Filter containers' });
  await filter.waitFor({ timeout: 60_000 });
  await filter.fill(ctx.container);
  await nav.getByRole('button', { name: ctx.container, exact: true }).click({ timeout: 60_000 });
  return { host, browser, page };
}

/** Chooses `path` in the Upload… input, accepts the default plan and returns seconds from the click to `done`. */
async function uploadThroughPage(page: Page, path: string, name: string): Promise<number> {
  await page.getByLabel('Choose files to upload').setInputFiles(path);
  const sheet = page.getByRole('dialog', { name: `Upload ${name}` });
  const start = sheet.getByRole('button', { name: 'Upload', exact: true });
  await start.waitFor({ timeout: 30_000 });
  const done = page.locator(`li.transfer.state-done[aria-label="Upload of ${name}"]`);
  const failed = page.locator(`li.transfer.state-failed[aria-label="Upload of ${name}"]`);
  const t0 = performance.now();
  await start.click();
  const outcome = await Promise.race([
    done.waitFor({ timeout: 600_000 }).then(() => 'done'),
    failed.waitFor({ timeout: 600_000 }).then(() => 'failed'),
  ]);
  const seconds = (performance.now() - t0) / 1000;
  if (outcome !== 'done') throw new Error(`the page's upload of ${name} failed: ${(await failed.innerText()).replace(/\s+/g, ' ').slice(0, 300)}`);
  await page.getByRole('button', { name: `Dismiss upload of ${name}` }).click({ timeout: 10_000 }).catch(() => undefined);
  return seconds;
}

export async function uiUploadCase(ctx: Ctx, file: DataFile): Promise<CaseResult> {
  const seg = DEFAULT_SEGMENT_SIZE;
  const title = `upload ${fmtBytes(file.size)} through the page (browser mode, Chromium) vs slo upload, default plan`;
  ctx.log(`[ui-upload] ${title}`);
  const skip = (why: string): CaseResult => {
    ctx.log(`  [ui-upload] skipped: ${why}`);
    return { case: 'ui-upload', profile: 'loopback', title, competitors: [], skipped: why };
  };
  if (!existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) return skip('no Chromium (set CHROMIUM_PATH)');
  if (!ctx.slo.available) return skip(ctx.slo.reason ?? 'slo is not available');
  const staticDir = join(ROOT, 'dist', 'bench', 'renderer-upload');
  const built = await run('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', staticDir, '--emptyOutDir'], { cwd: ROOT });
  if (built.code !== 0) return skip(`the renderer does not build: ${built.stderr.trim().split('\n').slice(-1)[0]}`);

  const etag = sloEtag(await segmentMd5s(file, seg));
  const c = ctx.container;
  const obj = (who: string, rep: number) => `ui-up-${who}-${rep}.bin`;
  const check = (who: string) => (rep: number) => checkSlo(ctx.direct, c, obj(who, rep), file.size, etag);
  const cleanup = (who: string) => (rep: number) => deleteObjectDeep(ctx.direct, c, obj(who, rep));
  const dataDir = mkdtempSync(join(ctx.workDir, 'ui-upload-'));
  const opened = await openPage(ctx, staticDir, dataDir);
  try {
    const browser: Contender = {
      name: 'browser',
      label: 'Upload… in the page (setInputFiles), default plan; click on Upload → transfer done; CPU = host process + Chromium',
      prepare: async (rep) => linkSync(file.path, join(dataDir, obj('browser', rep))),
      run: async (rep) => {
        // CPU of the host process and of Chromium's process tree (not of this process: Playwright's driver).
        const host0 = treeCpuSec(opened.host.pid);
        const tree0 = treeCpuSec(process.pid);
        const roles0 = treeCpuBy(process.pid, chromiumRole);
        const self0 = process.cpuUsage();
        const seconds = await uploadThroughPage(opened.page, join(dataDir, obj('browser', rep)), obj('browser', rep));
        const self = process.cpuUsage(self0);
        const hostCpu = treeCpuSec(opened.host.pid) - host0;
        const cpuSec = treeCpuSec(process.pid) - tree0 - (self.user + self.system) / 1e6;
        ctx.log(`    (browser rep ${rep + 1}: host ${hostCpu.toFixed(2)} CPU-s, Chromium ${(cpuSec - hostCpu).toFixed(2)} CPU-s: ${roleDelta(roles0, treeCpuBy(process.pid, chromiumRole))}; Playwright's driver ${((self.user + self.system) / 1e6).toFixed(2)})`);
        return { seconds, peakRss: 0, cpuSec };
      },
      check: check('browser'),
      cleanup: async (rep) => {
        await rmQuiet(join(dataDir, obj('browser', rep)));
        await cleanup('browser')(rep);
      },
    };
    const slo: Contender = {
      name: 'slo',
      label: 'slo upload <file> <c>/<o> --json (default plan; start-up included)',
      run: (rep) => timed(ctx, [...ctx.slo.argv, 'upload', file.path, `${c}/${obj('slo', rep)}`, '--json', ...connArgs.slo(ctx.direct)]),
      check: check('slo'),
      cleanup: cleanup('slo'),
    };
    const competitors = await compete(ctx, '[ui-upload]', [slo, browser], file.size, Math.max(3, ctx.opts.reps));
    const s = competitors.find((x) => x.name === 'slo')?.medianSec;
    const b = competitors.find((x) => x.name === 'browser')?.medianSec;
    const details: Record<string, unknown> = {};
    if (s && b) {
      details.browserVsCliThroughput = s / b;
      ctx.log(`  [ui-upload] browser throughput / CLI throughput = ${(s / b).toFixed(2)}× (target ≥ 0.8×)`);
    }
    return { case: 'ui-upload', profile: 'loopback', title, bytes: file.size, segmentSize: seg, competitors, details };
  } finally {
    await opened.browser.close().catch(() => undefined);
    await opened.host.close().catch(() => undefined);
    await rmQuiet(dataDir);
  }
}
