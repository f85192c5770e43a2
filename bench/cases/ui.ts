// Case 5 — UI (browser mode, Debian Chromium through playwright-core; only with --ui):
//   a) time from opening a 1,000-segment manifest (double-click on its row) until its segment table has rows and
//      its segment map is on screen — measured inside the page from the dblclick event to the first animation frame
//      where both are laid out, so Playwright's own polling adds nothing;
//   b) DOM row count of the object grid while scrolling a 20,000-object container top to bottom (virtualization).
// The fixtures (an SLO of 1,000 1 KiB segments; 20,000 empty objects) are made once with Swift's bulk
// extract-archive and kept in the containers `slo-bench-ui` / `slo-bench-ui-20k` for later runs.
// Skips with a reason when something it needs (Chromium, the renderer build, the browser host, a selector) is not
// there yet.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { rmQuiet, type Ctx } from '../lib/context.ts';
import { run } from '../lib/proc.ts';
import { median } from '../lib/stats.ts';
import { swiftReq, type Endpoint } from '../lib/swift.ts';
import type { CaseResult } from '../lib/types.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
export const UI_CONTAINER = 'slo-bench-ui';
// 1-byte objects: 0-byte ones might be DLO manifests, which account-wide scans (orphans) must HEAD one by one.
export const UI_BIG_CONTAINER = 'slo-bench-ui-20k-1b';
const MANIFEST = 'manifest-1000';
const SEGMENTS = 1000;
const BIG = 20_000;

/** A minimal ustar archive (regular files only) for Swift's extract-archive. */
export function tarOf(files: Array<{ name: string; data: Buffer }>): Buffer {
  const parts: Buffer[] = [];
  const oct = (n: number, width: number) => n.toString(8).padStart(width - 1, '0') + '\0';
  for (const f of files) {
    const h = Buffer.alloc(512, 0);
    h.write(f.name, 0, 100, 'utf8');
    h.write(oct(0o644, 8), 100, 'ascii');
    h.write(oct(0, 8), 108, 'ascii');
    h.write(oct(0, 8), 116, 'ascii');
    h.write(oct(f.data.length, 12), 124, 'ascii');
    h.write(oct(Math.floor(Date.now() / 1000), 12), 136, 'ascii');
    h.write('        ', 148, 'ascii');
    h.write('0', 156, 'ascii');
    h.write('ustar\0', 257, 'ascii');
    h.write('00', 263, 'ascii');
    let sum = 0;
    for (const b of h) sum += b;
    h.write(oct(sum, 7) + ' ', 148, 'ascii');
    parts.push(h, f.data);
    const padLen = (512 - (f.data.length % 512)) % 512;
    if (padLen) parts.push(Buffer.alloc(padLen));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

async function extract(ep: Endpoint, container: string, files: Array<{ name: string; data: Buffer }>): Promise<void> {
  const r = await swiftReq(ep, 'PUT', container, { query: 'extract-archive=tar', headers: { Accept: 'application/json' }, body: tarOf(files) });
  const text = await r.text();
  const j = JSON.parse(text.trim()) as { 'Number Files Created'?: number; Errors?: unknown[]; 'Response Status'?: string };
  if ((j['Number Files Created'] ?? 0) !== files.length) throw new Error(`extract-archive created ${j['Number Files Created']} of ${files.length} (${j['Response Status']}; ${JSON.stringify(j.Errors).slice(0, 200)})`);
}

async function objectCount(ep: Endpoint, c: string): Promise<number> {
  const r = await swiftReq(ep, 'HEAD', c);
  await r.arrayBuffer();
  return r.ok ? Number(r.headers.get('x-container-object-count') ?? 0) : -1;
}

async function ensureFixtures(ctx: Ctx): Promise<void> {
  const ep = ctx.direct;
  const head = await swiftReq(ep, 'HEAD', `${UI_CONTAINER}/${MANIFEST}`);
  await head.arrayBuffer();
  if (!(head.ok && head.headers.get('x-static-large-object') === 'True')) {
    ctx.log(`  (creating ${UI_CONTAINER}/${MANIFEST}: ${SEGMENTS} segments of 1 KiB)`);
    const segc = `${UI_CONTAINER}_segments`;
    for (const c of [UI_CONTAINER, segc]) await (await swiftReq(ep, 'PUT', c)).arrayBuffer();
    const segs = Array.from({ length: SEGMENTS }, (_, i) => ({ name: `${MANIFEST}/${String(i).padStart(8, '0')}`, data: randomBytes(1024) }));
    await extract(ep, segc, segs);
    const manifest = segs.map((s) => ({ path: `/${segc}/${s.name}`, etag: createHash('md5').update(s.data).digest('hex'), size_bytes: s.data.length }));
    const r = await swiftReq(ep, 'PUT', `${UI_CONTAINER}/${MANIFEST}`, { query: 'multipart-manifest=put', body: JSON.stringify(manifest) });
    await r.arrayBuffer();
    if (r.status !== 201) throw new Error(`manifest PUT answered ${r.status}`);
  }
  if ((await objectCount(ep, UI_BIG_CONTAINER)) !== BIG) {
    ctx.log(`  (creating ${UI_BIG_CONTAINER}: ${BIG} 1-byte objects with extract-archive; once)`);
    await (await swiftReq(ep, 'PUT', UI_BIG_CONTAINER)).arrayBuffer();
    const names = Array.from({ length: BIG }, (_, i) => ({ name: `object-${String(i).padStart(6, '0')}`, data: Buffer.from('x') }));
    for (let i = 0; i < BIG; i += 5000) await extract(ep, UI_BIG_CONTAINER, names.slice(i, i + 5000));
  }
}

// In-page probes are plain JavaScript strings: functions passed to page.evaluate would carry tsx's __name helpers.

/** Arms a one-shot probe: from the next dblclick to the first frame where the segment table has a row and the map
 *  of n segments is laid out (both with a non-empty box). Result in globalThis.__benchT. */
const ARM_PROBE = `(n) => {
  const t = (globalThis.__benchT = { start: 0, end: 0 });
  let done;
  globalThis.__benchDone = new Promise((r) => (done = r));
  const visible = (el) => { if (!el) return false; const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  document.addEventListener('dblclick', () => {
    t.start = performance.now();
    const tick = () => {
      const table = document.querySelector('[role="grid"][aria-label="Segments"] [role="row"][aria-rowindex]')
        ?? document.querySelector('[role="grid"][aria-label="Segments"] [role="rowgroup"]:not(.grid-head) [role="row"]');
      const map = document.querySelector('[aria-label="Map of ' + n + ' segments"]');
      if (visible(table) && visible(map)) { t.end = performance.now(); done(t.end - t.start); }
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }, { capture: true, once: true });
}`;

/** Scrolls the object rows to the end until the marker-paginated listing stops growing (~1 s), then sweeps the
 *  whole list in 40 steps, counting [role=row] elements in the DOM at every step. Stops loading at `expected` rows
 *  or after 15 s without growth. */
const SCROLL_SCAN = `async (sel, expected) => {
  const el = document.querySelector(sel);
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const grid = el.closest('[role="grid"]');
  const total = () => Number(grid.getAttribute('aria-rowcount') || 0) - 1;
  const counts = [];
  const started = performance.now();
  let last = -1, grewAt = performance.now();
  while (performance.now() - started < 180000) {
    el.scrollTop = el.scrollHeight;
    await frame(); await frame();
    counts.push(el.querySelectorAll('[role="row"]').length);
    const n = total();
    if (n !== last) grewAt = performance.now();
    last = n;
    if (n >= expected || performance.now() - grewAt > 15000) break;
  }
  const loadedMs = performance.now() - started;
  for (let i = 0; i <= 40; i++) {
    el.scrollTop = ((el.scrollHeight - el.clientHeight) * i) / 40;
    await frame(); await frame();
    counts.push(el.querySelectorAll('[role="row"]').length);
  }
  const rows = el.querySelectorAll('[role="row"]');
  const lastRow = rows.length ? rows[rows.length - 1].getAttribute('aria-label') : '';
  return { rowsListed: total(), loadedMs, maxDomRows: Math.max(...counts), minDomRows: Math.min(...counts), samples: counts.length, lastRow };
}`;

/** Init script: records, for every slo.inspect request sent on a WebSocket, the time until its answer arrives. */
const RPC_TIMER = `(() => {
  const send = WebSocket.prototype.send;
  const pending = new Map();
  globalThis.__benchRpc = [];
  WebSocket.prototype.send = function (data) {
    if (typeof data === 'string' && data.includes('"slo.inspect"')) {
      const m = /"id":(\\d+)/.exec(data);
      if (m) pending.set(Number(m[1]), performance.now());
      if (!this.__benchHooked) {
        this.__benchHooked = true;
        this.addEventListener('message', (ev) => {
          if (typeof ev.data !== 'string') return;
          const r = /^\\{"id":(\\d+)/.exec(ev.data.slice(0, 40));
          const t0 = r ? pending.get(Number(r[1])) : undefined;
          if (t0 === undefined) return;
          pending.delete(Number(r[1]));
          globalThis.__benchRpc.push({ ms: performance.now() - t0, bytes: ev.data.length });
        });
      }
    }
    return send.call(this, data);
  };
})()`;

interface Page {
  addInitScript(script: string): Promise<void>;
  goto(url: string): Promise<unknown>;
  evaluate(expression: string): Promise<unknown>;
  getByRole(role: string, opts?: { name?: string | RegExp; exact?: boolean }): Locator;
  locator(sel: string): Locator;
}
interface Locator {
  first(): Locator;
  click(opts?: { timeout?: number }): Promise<void>;
  dblclick(opts?: { timeout?: number }): Promise<void>;
  fill(v: string, opts?: { timeout?: number }): Promise<void>;
  waitFor(opts?: { timeout?: number; state?: string }): Promise<void>;
  getByRole(role: string, opts?: { name?: string | RegExp; exact?: boolean }): Locator;
  count(): Promise<number>;
}

export async function uiCase(ctx: Ctx): Promise<CaseResult> {
  const title = `UI (browser mode, Chromium): open a ${SEGMENTS.toLocaleString('en')}-segment manifest; scroll a ${BIG.toLocaleString('en')}-object container`;
  ctx.log(`[ui] ${title}`);
  const skip = (why: string): CaseResult => {
    ctx.log(`  [ui] skipped: ${why}`);
    return { case: 'ui', profile: 'loopback', title, competitors: [], skipped: why };
  };
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) return skip(`no Chromium at ${chromium} (set CHROMIUM_PATH)`);
  if (!existsSync(join(ROOT, 'main', 'browser', 'main.ts')) || !existsSync(join(ROOT, 'renderer', 'index.html'))) return skip('the browser-mode host or the renderer is not in this tree yet');

  const staticDir = join(ROOT, 'dist', 'bench', 'renderer');
  const built = await run('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', staticDir, '--emptyOutDir'], { cwd: ROOT });
  if (built.code !== 0) return skip(`the renderer does not build: ${built.stderr.trim().split('\n').slice(-1)[0]}`);
  try {
    await ensureFixtures(ctx);
  } catch (e) {
    return skip(`could not create the UI fixtures: ${(e as Error).message}`);
  }

  const dataDir = mkdtempSync(join(ctx.workDir, 'ui-'));
  let host: { url: string; close(): Promise<void> } | undefined;
  let browser: { close(): Promise<void>; newPage(o?: unknown): Promise<unknown> } | undefined;
  const details: Record<string, unknown> = {};
  try {
    const { startBrowserMode } = (await import('../../main/browser/main.ts')) as { startBrowserMode(o: Record<string, unknown>): Promise<{ url: string; close(): Promise<void> }> };
    host = await startBrowserMode({ port: 0, dataDir, staticDir, handleSignals: false, log: () => undefined });
    const { chromium: pw } = await import('playwright-core');
    browser = (await pw.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] })) as unknown as typeof browser;
    const page = (await browser!.newPage({ viewport: { width: 1400, height: 900 } })) as Page;
    // Time the slo.inspect RPC inside the page, to split the total into host+Swift time and renderer time.
    await page.addInitScript(RPC_TIMER);
    await page.goto(host.url);
    const nav = page.getByRole('navigation', { name: 'Containers' });
    const openContainer = async (name: string) => {
      const filter = nav.getByRole('searchbox', { name: 'Filter containers' });
      if (await filter.count()) await filter.fill(name, { timeout: 5000 });
      await nav.getByRole('button', { name, exact: true }).click({ timeout: 60_000 });
    };

    // a) the manifest
    await openContainer(UI_CONTAINER);
    const row = page.getByRole('row', { name: MANIFEST, exact: true });
    await row.waitFor({ timeout: 30_000 });
    const times: number[] = [];
    const rpcTimes: number[] = [];
    const reps = Math.max(3, ctx.opts.reps);
    for (let i = 0; i < reps; i++) {
      await page.evaluate(`(${ARM_PROBE})(${SEGMENTS})`);
      await row.dblclick();
      // The page's CSP forbids eval, so no waitForFunction: evaluate awaits the probe's promise instead.
      const t = (await Promise.race([page.evaluate('globalThis.__benchDone'), new Promise((_, no) => setTimeout(() => no(new Error('the manifest table and map did not appear within 30 s')), 30_000))])) as number;
      times.push(t);
      const r = (await page.evaluate('globalThis.__benchRpc.at(-1) ?? null')) as { ms: number; bytes: number } | null;
      rpcTimes.push(r?.ms ?? NaN);
      ctx.log(`  [ui] manifest of ${SEGMENTS} segments: table and map visible after ${t.toFixed(0)} ms${r ? ` (of which the slo.inspect RPC ${r.ms.toFixed(0)} ms, ${(r.bytes / 1024).toFixed(0)} KiB reply)` : ''}`);
      details.inspectReplyBytes = r?.bytes;
      await page.getByRole('button', { name: new RegExp(`^Back to ${UI_CONTAINER}`) }).click({ timeout: 10_000 });
      await row.waitFor({ timeout: 30_000 });
    }
    details.manifestVisibleMsRuns = times;
    details.manifestVisibleMs = median(times);
    details.inspectRpcMsRuns = rpcTimes;
    details.inspectRpcMs = median(rpcTimes);

    // b) 20,000 rows
    const t0 = Date.now();
    await openContainer(UI_BIG_CONTAINER);
    const body = '[role="rowgroup"][aria-label="Object rows"]';
    await page.locator(`${body} [role="row"]`).first().waitFor({ timeout: 60_000 });
    details.firstRowsMs = Date.now() - t0;
    // Scroll to the end repeatedly so the marker-paginated listing loads every page; count rows in the DOM each step.
    const scan = (await page.evaluate(`(${SCROLL_SCAN})(${JSON.stringify(body)}, ${BIG})`)) as { rowsListed: number; loadedMs: number; maxDomRows: number; minDomRows: number; samples: number; lastRow: string };
    Object.assign(details, scan);
    ctx.log(`  [ui] ${UI_BIG_CONTAINER}: ${scan.rowsListed} rows listed (all pages in ${(scan.loadedMs / 1000).toFixed(1)} s); DOM rows while scrolling ${scan.minDomRows}–${scan.maxDomRows} over ${scan.samples} samples; last row ${scan.lastRow}`);
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0]!;
    if (!details.manifestVisibleMs) return skip(`the UI flow did not complete (${msg}); the renderer may not have these parts yet`);
    details.error = msg;
  } finally {
    await browser?.close().catch(() => undefined);
    await host?.close().catch(() => undefined);
    await rmQuiet(dataDir);
  }
  return { case: 'ui', profile: 'loopback', title, competitors: [], details };
}
