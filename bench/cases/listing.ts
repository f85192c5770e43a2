// Case 6 — a million-object listing in the GUI (issue #15; browser mode, Debian Chromium through playwright-core;
// `--cases listing`). On the listing-only fixture of test/helpers/million-listing.ts (built once through the container
// server, kept, checked by count) it measures, inside the page from the input event to the first frame where the row
// is laid out: click on the container → first rows; End → the last object; a name typed in the middle (type-to-jump)
// → that row; the scrollbar dragged to the middle → rows there. Then 10 more jumps, and the JS heap (after a forced
// GC, over the empty app's) and the DOM rows. Targets: first rows < 1 s, any jump < 1 s, heap < 100 MB over the empty
// app, DOM rows constant.
import { existsSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { startSandbox } from '../../app/sandbox/manager.ts';
import { ensureMillion, MILLION, millionName } from '../../test/helpers/million-listing.ts';
import { rmQuiet, type Ctx } from '../lib/context.ts';
import { run } from '../lib/proc.ts';
import { median } from '../lib/stats.ts';
import { swiftReq } from '../lib/swift.ts';
import type { CaseResult } from '../lib/types.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const MB = 1024 * 1024;

// In-page probes are plain JavaScript strings (functions would carry tsx's helpers; the page's CSP forbids eval).
/** Arms a probe: from the next `event` (capture phase) to the first frame where a row named `name` is laid out. */
const ARM = `([event, name]) => {
  let done;
  globalThis.__probe = new Promise((r) => (done = r));
  const sel = '[role="rowgroup"][aria-label="Object rows"] [role="row"][aria-label="' + name + '"]';
  const start = (t0) => {
    const tick = () => {
      const el = document.querySelector(sel);
      const r = el && el.getBoundingClientRect();
      if (r && r.height > 0) done(performance.now() - t0);
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  };
  if (event === 'now') start(performance.now());
  else document.addEventListener(event, () => start(performance.now()), { capture: true, once: true });
}`;
/** Sets the object rows' scroll position to fraction f and times until the rows there are on screen (none loading). */
const SCROLL_TO = `async (f) => {
  const el = document.querySelector('[role="rowgroup"][aria-label="Object rows"]');
  const total = Number(el.closest('[role="grid"]').getAttribute('aria-rowcount')) - 1;
  const want = Math.round(f * total);
  const t0 = performance.now();
  el.scrollTop = (el.scrollHeight - el.clientHeight) * f;
  for (;;) {
    await new Promise((r) => requestAnimationFrame(() => r()));
    const rows = [...el.querySelectorAll('[role="row"]')];
    const there = rows.some((r) => Math.abs(Number(r.getAttribute('aria-rowindex')) - 2 - want) < 60);
    if (there && !rows.some((r) => r.getAttribute('aria-busy') === 'true')) {
      const first = rows.filter((r) => r.getBoundingClientRect().top >= el.getBoundingClientRect().top)[0];
      return { ms: performance.now() - t0, first: first ? first.getAttribute('aria-label') : null };
    }
    if (performance.now() - t0 > 30000) return { ms: NaN, first: null };
  }
}`;
const HEAP = `(async () => { if (globalThis.gc) { globalThis.gc(); globalThis.gc(); } await new Promise((r) => setTimeout(r, 200)); return performance.memory.usedJSHeapSize; })()`;
const DOM_ROWS = `document.querySelectorAll('[role="rowgroup"][aria-label="Object rows"] [role="row"]').length`;

async function probe(page: Page, event: string, name: string, act: () => Promise<unknown>): Promise<number> {
  await page.evaluate(`(${ARM})(${JSON.stringify([event, name])})`);
  await act();
  const ms = (await Promise.race([page.evaluate('globalThis.__probe'), new Promise((_, no) => setTimeout(() => no(new Error(`${name} did not appear within 30 s`)), 30_000))])) as number;
  return ms;
}

export async function listingCase(ctx: Ctx): Promise<CaseResult> {
  const title = 'GUI on a 1,000,000-object container: first rows, End, jumps, heap and DOM';
  ctx.log(`[listing] ${title}`);
  const skip = (why: string): CaseResult => {
    ctx.log(`  [listing] skipped: ${why}`);
    return { case: 'listing', profile: 'loopback', title, competitors: [], skipped: why };
  };
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) return skip(`no Chromium at ${chromium} (set CHROMIUM_PATH)`);
  const staticDir = join(ROOT, 'dist', 'bench', 'renderer-listing');
  const built = await run('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', staticDir, '--emptyOutDir'], { cwd: ROOT });
  if (built.code !== 0) return skip(`the renderer does not build: ${built.stderr.trim().split('\n').slice(-1)[0]}`);

  const details: Record<string, unknown> = {};
  const sandbox = await startSandbox();
  const buildMs = await ensureMillion(sandbox.containerServer, {
    count: async () => {
      const r = await swiftReq(ctx.direct, 'HEAD', MILLION.container);
      await r.arrayBuffer();
      return r.status === 204 ? Number(r.headers.get('x-container-object-count')) : null;
    },
    create: async () => {
      const r = await swiftReq(ctx.direct, 'PUT', MILLION.container);
      await r.arrayBuffer();
    },
  });
  details.fixtureBuildMs = buildMs || undefined;
  if (buildMs) ctx.log(`  [listing] built ${MILLION.container} (1,000,000 listing rows) in ${(buildMs / 1000).toFixed(1)} s`);

  const dataDir = mkdtempSync(join(ctx.workDir, 'listing-'));
  let host: { url: string; close(): Promise<void> } | undefined;
  let browser: { close(): Promise<void>; newPage(o?: unknown): Promise<Page> } | undefined;
  try {
    const { startBrowserMode } = (await import('../../main/browser/main.ts')) as { startBrowserMode(o: Record<string, unknown>): Promise<{ url: string; close(): Promise<void> }> };
    host = await startBrowserMode({ port: 0, dataDir, staticDir, handleSignals: false, log: () => undefined });
    const { chromium: pw } = await import('playwright-core');
    browser = await pw.launch({
      executablePath: chromium,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-precise-memory-info', '--js-flags=--expose-gc'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(host.url);
    const nav = page.getByRole('navigation', { name: 'Containers' });
    await nav.getByRole('list', { name: 'Container list' }).waitFor({ timeout: 120_000 });
    await nav.getByRole('searchbox', { name: 'Filter containers' }).fill(MILLION.container);
    const button = nav.getByRole('button', { name: MILLION.container, exact: true });
    await button.waitFor({ timeout: 60_000 });
    // The empty app: connected, the first container open, nothing big loaded yet.
    await page.waitForTimeout(1000);
    const heapEmpty = (await page.evaluate(HEAP)) as number;

    details.firstRowsMs = await probe(page, 'click', millionName(0), () => button.click());
    const body = page.getByRole('rowgroup', { name: 'Object rows' });
    await page.getByRole('row', { name: millionName(0), exact: true }).click();
    details.endMs = await probe(page, 'keydown', millionName(MILLION.count - 1), () => body.press('End'));
    // Type-to-jump waits 120 ms after the last key for more letters; the figure is from the last key.
    const mid = millionName(500_000);
    await page.waitForTimeout(800);
    await body.pressSequentially(mid.slice(0, -1), { delay: 5 });
    details.typeJumpMs = await probe(page, 'keydown', mid, () => body.press(mid.at(-1)!));
    const drag = (await page.evaluate(`(${SCROLL_TO})(0.37)`)) as { ms: number; first: string | null };
    details.scrollbarJumpMs = drag.ms;
    details.scrollbarJumpFirstRow = drag.first;

    const jumps: number[] = [];
    const domRows: number[] = [];
    for (let k = 1; k <= 10; k++) {
      if (k % 2) {
        const r = (await page.evaluate(`(${SCROLL_TO})(${(k / 11).toFixed(3)})`)) as { ms: number };
        jumps.push(r.ms);
      } else {
        const name = millionName(k * 97_531);
        await page.waitForTimeout(800);
        await body.pressSequentially(name.slice(0, -1), { delay: 5 });
        jumps.push(await probe(page, 'keydown', name, () => body.press(name.at(-1)!)));
      }
      domRows.push((await page.evaluate(DOM_ROWS)) as number);
    }
    const heapAfter = (await page.evaluate(HEAP)) as number;
    Object.assign(details, {
      tenJumpsMs: jumps,
      tenJumpsMedianMs: median(jumps),
      tenJumpsMaxMs: Math.max(...jumps),
      domRowsAfterJumps: domRows,
      heapEmptyMB: heapEmpty / MB,
      heapAfterJumpsMB: heapAfter / MB,
      heapOverEmptyMB: (heapAfter - heapEmpty) / MB,
    });
    const worstJump = Math.max(details.endMs as number, details.typeJumpMs as number, drag.ms, ...jumps);
    details.targets = {
      firstRowsUnder1s: (details.firstRowsMs as number) < 1000,
      anyJumpUnder1s: worstJump < 1000,
      heapUnder100MBOverEmpty: heapAfter - heapEmpty < 100 * MB,
      domRowsConstant: Math.max(...domRows) - Math.min(...domRows) <= 2,
    };
    const f = (n: unknown) => `${(n as number).toFixed(0)} ms`;
    ctx.log(`  [listing] first rows ${f(details.firstRowsMs)}; End ${f(details.endMs)}; type-to-jump ${f(details.typeJumpMs)}; scrollbar to 37% ${f(drag.ms)} (${drag.first})`);
    ctx.log(`  [listing] 10 jumps: median ${f(details.tenJumpsMedianMs)}, worst ${f(details.tenJumpsMaxMs)}; DOM rows ${domRows.join(',')}; heap ${(heapEmpty / MB).toFixed(1)} → ${(heapAfter / MB).toFixed(1)} MB`);
  } catch (e) {
    details.error = (e as Error).message.split('\n')[0]!;
    ctx.log(`  [listing] failed: ${details.error as string}`);
  } finally {
    await browser?.close().catch(() => undefined);
    await host?.close().catch(() => undefined);
    await rmQuiet(dataDir);
  }
  return { case: 'listing', profile: 'loopback', title, competitors: [], details };
}
