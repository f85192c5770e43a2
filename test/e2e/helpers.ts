// Shared pieces of the Playwright end-to-end suite: the Swift API of the sandbox (for fixtures and for checking what
// really exists), deterministic test data, screenshots, and a `test` whose page is the browser-mode app, connected,
// with console errors failing the test.
//
// These files are type-checked without the DOM library (tsconfig.node.json), so code that runs inside the page is
// passed to Playwright as strings or written against `globalThis` casts.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type JSHandle, type Locator, type Page } from '@playwright/test';
import { writeListingRows, type ContainerServer } from '../helpers/listing-rows.ts';
import { ensureManyContainers, MANY } from '../helpers/many-containers.ts';
import { ensureMillion, MILLION } from '../helpers/million-listing.ts';

export { expect };
export { MILLION, millionName } from '../helpers/million-listing.ts';
export { MANY, manyName } from '../helpers/many-containers.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SCREENSHOT_DIR = resolve(ROOT, 'test-results/screenshots');
export const DOCS_SCREENSHOT_DIR = resolve(ROOT, 'docs/screenshots');
/** `SLO_E2E_DOCS_SCREENSHOTS=1 npx playwright test` also refreshes the committed README screenshots. */
const WRITE_DOCS = process.env.SLO_E2E_DOCS_SCREENSHOTS === '1';

export const MiB = 1024 * 1024;

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the suite with \`npx playwright test\` (its global setup sets it)`);
  return v;
}

export const appUrl = () => env('SLO_E2E_URL');
export const authUrl = () => env('SLO_E2E_AUTH_URL');
export const SANDBOX_USER = 'test:tester';
export const SANDBOX_KEY = 'testing';

// ---------------------------------------------------------------------------------------------------------------
// Swift API (fetch = undici in Node 20)

let session: { token: string; storageUrl: string } | null = null;

export async function swiftAuth(fresh = false): Promise<{ token: string; storageUrl: string }> {
  if (session && !fresh) return session;
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(authUrl(), { headers: { 'X-Auth-User': SANDBOX_USER, 'X-Auth-Key': SANDBOX_KEY } });
      await res.arrayBuffer();
      const token = res.headers.get('x-auth-token');
      const storageUrl = res.headers.get('x-storage-url');
      if (res.ok && token && storageUrl) return (session = { token, storageUrl });
      if (attempt >= 5) throw new Error(`sandbox auth answered ${res.status}`);
    } catch (e) {
      if (attempt >= 5) throw e;
    }
    await new Promise((r) => setTimeout(r, 500 * attempt));
  }
}

const enc = (s: string) => s.split('/').map(encodeURIComponent).join('/');

export interface SwiftRequest {
  headers?: Record<string, string>;
  body?: string | Buffer;
  query?: Record<string, string>;
}

/** One request to the sandbox account; `path` is "container" or "container/object" (unencoded). Retries 5xx/network. */
export async function swift(method: string, path: string, req: SwiftRequest = {}): Promise<{ status: number; headers: Headers; body: Buffer }> {
  for (let attempt = 1; ; attempt++) {
    const { token, storageUrl } = await swiftAuth(attempt > 1);
    const url = new URL(path ? `${storageUrl}/${enc(path)}` : storageUrl);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    try {
      const res = await fetch(url, {
        method,
        headers: { 'X-Auth-Token': token, ...req.headers },
        ...(req.body !== undefined ? { body: req.body } : {}),
        signal: AbortSignal.timeout(600_000),
      });
      const body = Buffer.from(await res.arrayBuffer());
      if ((res.status >= 500 || res.status === 401) && attempt < 5) throw new Error(`HTTP ${res.status}`);
      return { status: res.status, headers: res.headers, body };
    } catch (e) {
      if (attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 400 * attempt));
    }
  }
}

export async function createContainer(name: string): Promise<void> {
  const r = await swift('PUT', name);
  if (r.status !== 201 && r.status !== 202) throw new Error(`PUT ${name}: HTTP ${r.status}`);
}

export async function putObject(container: string, object: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<void> {
  const r = await swift('PUT', `${container}/${object}`, { body, headers });
  if (r.status !== 201) throw new Error(`PUT ${container}/${object}: HTTP ${r.status} ${r.body.toString()}`);
}

/** Every object name in a container (marker pagination); null when the container does not exist. */
export async function listObjects(container: string, prefix = ''): Promise<string[] | null> {
  const names: string[] = [];
  let marker = '';
  for (;;) {
    const r = await swift('GET', container, { query: { format: 'json', limit: '10000', ...(prefix ? { prefix } : {}), ...(marker ? { marker } : {}) } });
    if (r.status === 404) return null;
    if (r.status === 204) return names;
    if (r.status !== 200) throw new Error(`GET ${container}: HTTP ${r.status}`);
    const page = JSON.parse(r.body.toString()) as Array<{ name: string }>;
    if (page.length === 0) return names;
    names.push(...page.map((o) => o.name));
    marker = page[page.length - 1]!.name;
  }
}

export async function headObject(container: string, object: string): Promise<{ status: number; headers: Headers }> {
  const r = await swift('HEAD', `${container}/${object}`);
  return { status: r.status, headers: r.headers };
}

/** Deletes a container and everything in it (bulk delete), retrying while listings lag behind deletes. */
export async function deleteContainerDeep(container: string): Promise<void> {
  for (let attempt = 1; attempt <= 10; attempt++) {
    const names = await listObjects(container);
    if (names === null) return;
    for (let i = 0; i < names.length; i += 5000) {
      const body = names
        .slice(i, i + 5000)
        .map((n) => `/${enc(container)}/${enc(n)}`)
        .join('\n');
      await swift('POST', '', { query: { 'bulk-delete': '1' }, headers: { 'Content-Type': 'text/plain', Accept: 'application/json' }, body });
    }
    const r = await swift('DELETE', container);
    if (r.status === 204 || r.status === 404) return;
    await new Promise((res) => setTimeout(res, 500 * attempt));
  }
  throw new Error(`could not delete container ${container}`);
}

/** Removes test containers and their default segment containers; never throws (cleanup must not mask a failure). */
export async function cleanupContainers(...names: string[]): Promise<void> {
  for (const n of names.flatMap((c) => [c, `${c}_segments`])) {
    await deleteContainerDeep(n).catch((e: unknown) => console.warn(`cleanup of ${n} failed:`, e));
  }
}

/** A ustar archive (for `?extract-archive=tar`): regular files only, names ≤ 100 bytes. */
export function tarArchive(files: Iterable<{ name: string; data: Buffer }>): Buffer {
  const parts: Buffer[] = [];
  for (const { name, data } of files) {
    const h = Buffer.alloc(512);
    if (Buffer.byteLength(name) > 100) throw new Error(`tar name too long: ${name}`);
    h.write(name, 0, 100, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(data.length.toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += h[i]!;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    parts.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** Bulk upload: every file of the archive becomes an object of `container`. Returns how many Swift created. */
export async function extractArchive(container: string, tar: Buffer): Promise<number> {
  const r = await swift('PUT', container, { query: { 'extract-archive': 'tar' }, headers: { Accept: 'application/json', 'Content-Type': 'application/x-tar' }, body: tar });
  const text = r.body.toString().trim();
  const result = JSON.parse(text) as { 'Number Files Created': number; 'Response Status': string; Errors: unknown[] };
  if (!/^2/.test(result['Response Status'])) throw new Error(`extract-archive into ${container}: ${result['Response Status']} ${JSON.stringify(result.Errors).slice(0, 500)}`);
  return result['Number Files Created'];
}

// ---------------------------------------------------------------------------------------------------------------
// Deterministic test data: a xorshift32 stream, written once as source so the page and Node run the same code.

const FILL_WORDS = `(function fillWords(words, seed) {
  let x = (seed >>> 0) || 1;
  for (let i = 0; i < words.length; i++) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    words[i] = x;
  }
})`;
const fillWords = new Function(`return ${FILL_WORDS}`)() as (words: Uint32Array, seed: number) => void;

/** The bytes the page builds for (seed, size): size must be a multiple of 4. */
export function seededBytes(seed: number, size: number): Buffer {
  if (size % 4 !== 0) throw new Error('size must be a multiple of 4');
  const words = new Uint32Array(size / 4);
  fillWords(words, seed);
  return Buffer.from(words.buffer, words.byteOffset, size);
}

export function md5(data: Buffer | Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

/**
 * A DataTransfer in the page holding one File of `size` seeded bytes, built in the page (nothing that big crosses
 * the Playwright wire). Pass it to dispatchEvent('drop', { dataTransfer }).
 */
export async function seededFileTransfer(page: Page, name: string, seed: number, size: number): Promise<JSHandle> {
  if (size % 4 !== 0) throw new Error('size must be a multiple of 4');
  return page.evaluateHandle(`(() => {
    const words = new Uint32Array(${size / 4});
    ${FILL_WORDS}(words, ${seed});
    const file = new File([words], ${JSON.stringify(name)}, { type: 'application/octet-stream', lastModified: Date.now() });
    const dt = new DataTransfer();
    dt.items.add(file);
    return dt;
  })()`);
}

/** What a user's drag-and-drop of the DataTransfer's files onto `target` looks like to the page. */
export async function dropFiles(target: Locator, dataTransfer: JSHandle): Promise<void> {
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
}

// ---------------------------------------------------------------------------------------------------------------
// Screenshots

/**
 * Saves a screenshot of the whole window under test-results/screenshots/<name>.png; with `docs`, and when
 * SLO_E2E_DOCS_SCREENSHOTS=1, also under docs/screenshots/ (the README's pictures).
 */
export async function shot(page: Page, name: string, opts: { docs?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, `${name}.png`);
  // Let transitions and the caret settle so pictures are stable; animations frozen.
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide', scale: 'css' });
  if (opts.docs && WRITE_DOCS) {
    mkdirSync(DOCS_SCREENSHOT_DIR, { recursive: true });
    copyFileSync(file, join(DOCS_SCREENSHOT_DIR, `${name}.png`));
  }
  return file;
}


// ---------------------------------------------------------------------------------------------------------------
// The app

/** The connection switcher in the top bar; its name reads "Connection: <profile>" once connected. */
export function switcher(page: Page): Locator {
  return page.getByRole('button', { name: /^Connection: / });
}

/** Opens the browser-mode app and waits until it is connected (to the sandbox unless the host already is elsewhere). */
export async function openApp(page: Page): Promise<void> {
  await page.goto(appUrl());
  await expect(page).toHaveTitle('SLO Studio');
  const sw = switcher(page);
  await expect(sw).not.toHaveAccessibleName(/Starting…|Connecting/, { timeout: 90_000 });
  if ((await sw.getAttribute('aria-label')) === 'Connection: Not connected') {
    await page.getByRole('main', { name: 'Objects' }).getByRole('button', { name: 'Connect to local sandbox' }).click();
    await expect(sw).not.toHaveAccessibleName(/Not connected|Connecting/, { timeout: 90_000 });
  }
  // Listed: the container list, or the empty state of an account with none (a fresh sandbox before any spec made one).
  const nav = page.getByRole('navigation', { name: 'Containers' });
  await expect(nav.getByRole('list', { name: 'Container list' }).or(nav.getByText('No containers yet'))).toBeVisible();
}

/** The Connections dialog, opened from the switcher's menu unless it is open already. */
export async function openConnections(page: Page): Promise<Locator> {
  const dialog = page.getByRole('dialog', { name: 'Connections' });
  if (!(await dialog.isVisible())) {
    await switcher(page).click();
    await page.getByRole('menu', { name: 'Connections' }).getByRole('menuitem', { name: 'Manage connections…' }).click();
  }
  await expect(dialog).toBeVisible();
  return dialog;
}

/** Starts a new profile in the Connections dialog: its name, and its kind when given (e.g. 'TempAuth (v1)'). */
export async function newProfile(page: Page, name: string, kind?: string): Promise<Locator> {
  const dialog = await openConnections(page);
  await dialog.getByRole('button', { name: 'New profile' }).click();
  const form = dialog.getByRole('form', { name: 'New profile' });
  await form.getByRole('textbox', { name: 'Profile name' }).fill(name);
  if (kind) await form.getByRole('combobox', { name: 'Authentication' }).selectOption({ label: kind });
  return form;
}

/** A new tempauth profile with the sandbox's auth URL and the given account. */
/** Back to the local sandbox, and the profile removed, so later specs find the app as they expect it. */
export async function leaveProfile(page: Page, name: string): Promise<void> {
  const dialog = await openConnections(page);
  const profile = dialog.getByRole('list', { name: 'Profiles' }).getByRole('button', { name: new RegExp(name) });
  if (await profile.isVisible()) {
    await profile.click();
    const edit = dialog.getByRole('form', { name: `Edit profile ${name}` });
    await edit.getByRole('button', { name: 'Remove profile' }).click();
    await edit.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect(profile).toHaveCount(0);
  }
  await dialog.getByRole('button', { name: 'Close dialog' }).click();
  await switcher(page).click();
  const sandbox = page.getByRole('menu', { name: 'Connections' }).getByRole('menuitem', { name: /Local sandbox/ });
  if ((await sandbox.getAttribute('aria-current')) !== 'true') await sandbox.click();
  else await page.keyboard.press('Escape');
  await expect(switcher(page)).toHaveAccessibleName(/^Connection: Local sandbox/, { timeout: 60_000 });
}

export async function newTempauthProfile(page: Page, name: string, user: string, key: string): Promise<Locator> {
  const form = await newProfile(page, name, 'TempAuth (v1)');
  await form.getByRole('textbox', { name: 'Auth URL' }).fill(authUrl());
  await form.getByRole('textbox', { name: 'User', exact: true }).fill(user);
  await form.getByLabel('Key', { exact: true }).fill(key);
  return form;
}

export function sidebar(page: Page): Locator {
  return page.getByRole('navigation', { name: 'Containers' });
}

/**
 * Narrows the sidebar to containers matching `text` — for pictures: the shared sandbox holds other suites' containers,
 * which would otherwise crowd (and change) every screenshot.
 */
export async function filterSidebar(page: Page, text: string): Promise<void> {
  await sidebar(page).getByRole('searchbox', { name: 'Filter containers' }).fill(text);
  await expect(sidebar(page).getByRole('list', { name: 'Container list' }).getByRole('listitem').first()).toContainText(text);
}

/** Selects a container in the sidebar (refreshing the list first, for containers made behind the app's back). */
export async function openContainer(page: Page, name: string, opts: { refresh?: boolean } = {}): Promise<void> {
  const nav = sidebar(page);
  const button = nav.getByRole('button', { name, exact: true });
  if (opts.refresh !== false) {
    await expect(async () => {
      if (!(await button.isVisible())) {
        await nav.getByRole('button', { name: 'Refresh containers' }).click();
        await expect(button).toBeVisible({ timeout: 3000 });
      }
    }).toPass({ timeout: 60_000 });
  }
  await button.click();
  await expect(button).toHaveAttribute('aria-current', 'true');
  await expect(page.getByRole('main', { name: `Objects in ${name}` })).toBeVisible();
}

/** The object grid of the current folder. */
export function objectGrid(page: Page, container: string, prefix = ''): Locator {
  return page.getByRole('grid', { name: `Objects in ${container}/${prefix}` });
}

export function objectRow(page: Page, container: string, name: string, prefix = ''): Locator {
  return objectGrid(page, container, prefix).getByRole('row', { name, exact: true });
}

export function transferItem(page: Page, direction: 'Upload' | 'Download', object: string): Locator {
  return page.getByRole('list', { name: 'Transfers' }).getByRole('listitem', { name: `${direction} of ${object}`, exact: true });
}

/** A unique, container-safe name for one test's container. */
export function uniqueName(purpose: string): string {
  return `e2e-${purpose}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// `test`: 1280×800 pages (the README's screenshot size), clipboard permission, and console errors fail the test.

/** Console errors that are part of the design: a pull answered after its transfer was paused or cancelled gets 410. */
const ALWAYS_ALLOWED = [/status of 410/];

export interface ConsoleGuard {
  /** Errors matching `re` are expected in this test (e.g. the error toast's console.error for a bad password). */
  allow(re: RegExp): void;
  errors(): string[];
}

export const test = base.extend<{ consoleGuard: ConsoleGuard }>({
  viewport: { width: 1280, height: 800 },
  permissions: ['clipboard-read', 'clipboard-write'],
  consoleGuard: [
    async ({ page }, use, testInfo) => {
      const seen: string[] = [];
      const allowed: RegExp[] = [...ALWAYS_ALLOWED];
      page.on('console', (m) => {
        if (m.type() === 'error') seen.push(m.text());
      });
      page.on('pageerror', (e) => seen.push(`pageerror: ${e.message}`));
      await use({ allow: (re) => allowed.push(re), errors: () => [...seen] });
      const unexpected = seen.filter((t) => !allowed.some((re) => re.test(t)));
      if (unexpected.length && testInfo.status === testInfo.expectedStatus) {
        expect(unexpected, 'console errors in the page').toEqual([]);
      }
    },
    { auto: true },
  ],
});

/**
 * Closes every notification on screen (they would cover part of a screenshot). Gives up quietly when one cannot be
 * clicked — e.g. while a modal dialog is open, which sits above the notifications.
 */
export async function dismissToasts(page: Page): Promise<void> {
  const buttons = page.getByRole('button', { name: /^Dismiss notification: / });
  for (let i = 0; i < 12 && (await buttons.count()) > 0; i++) {
    const ok = await buttons
      .first()
      .click({ timeout: 2000 })
      .then(() => true, () => false);
    if (!ok) return;
  }
}

/** Collapses the bottom panel (transfers / requests) if it is open. */
export async function collapseDock(page: Page): Promise<void> {
  const collapse = page.getByRole('button', { name: 'Collapse bottom panel' });
  if (await collapse.isVisible()) await collapse.click();
  await expect(page.getByRole('button', { name: 'Expand bottom panel' })).toBeVisible();
}

// ---------------------------------------------------------------------------------------------------------------
// Reusable fixtures (named fixture-*, kept between runs; rebuilt when missing or incomplete)

export const FIXTURE_1000 = { container: 'fixture-e2e-1000seg', object: 'manifest-1000.bin', segments: 1000, segmentSize: 1024 };

function fixtureSegment(i: number): Buffer {
  // 1 KiB of text that differs per segment, so every segment has its own MD5.
  return Buffer.from(`segment ${String(i).padStart(5, '0')} `.repeat(80).slice(0, FIXTURE_1000.segmentSize));
}

/**
 * An SLO with 1,000 segments of 1 KiB: one bulk extract-archive request for the segments, one manifest PUT. Returns
 * how long building it took (0 when it was already there).
 */
export async function ensureFixture1000(): Promise<number> {
  const { container, object, segments, segmentSize } = FIXTURE_1000;
  const head = await headObject(container, object);
  if (head.status === 200 && head.headers.get('x-static-large-object') === 'True' && head.headers.get('content-length') === String(segments * segmentSize)) return 0;
  const started = Date.now();
  const segc = `${container}_segments`;
  await createContainer(container);
  await createContainer(segc);
  const files = Array.from({ length: segments }, (_, i) => ({ name: `seg/${String(i).padStart(5, '0')}`, data: fixtureSegment(i) }));
  const created = await extractArchive(segc, tarArchive(files));
  if (created !== segments) throw new Error(`extract-archive created ${created} of ${segments} segments`);
  const manifest = files.map((f) => ({ path: `/${segc}/${f.name}`, etag: md5(f.data), size_bytes: f.data.length }));
  const r = await swift('PUT', `${container}/${object}`, { query: { 'multipart-manifest': 'put' }, body: JSON.stringify(manifest), headers: { 'Content-Type': 'application/octet-stream' } });
  if (r.status !== 201) throw new Error(`manifest PUT: HTTP ${r.status} ${r.body.toString().slice(0, 500)}`);
  return Date.now() - started;
}

export const FIXTURE_20K = { container: 'fixture-e2e-20k-listing', count: 20_000 };
export const fixture20kName = (i: number) => `obj-${String(i).padStart(5, '0')}`;

/**
 * A container listing of 20,000 one-byte objects, written through the container server (~20 s on a fresh sandbox;
 * real objects would take ~3.5 min). The objects exist only in the listing, which is all the scrolling test reads.
 * Returns ms spent (0 if the sandbox already has it, checked by count).
 */
export async function ensureFixture20k(): Promise<number> {
  const { container, count } = FIXTURE_20K;
  const head = await swift('HEAD', container);
  if (head.status === 204 && head.headers.get('x-container-object-count') === String(count)) return 0;
  const started = Date.now();
  await createContainer(container);
  const server = JSON.parse(env('SLO_E2E_CONTAINER_SERVER')) as ContainerServer;
  const rows = Array.from({ length: count }, (_, i) => ({ name: fixture20kName(i), size: 1 }));
  const written = await writeListingRows(server, container, rows);
  if (written !== count) throw new Error(`wrote ${written} of ${count} listing rows`);
  return Date.now() - started;
}

/**
 * The million-object listing (test/helpers/million-listing.ts), written through the container server: ~20 s on an
 * idle machine, kept between runs and checked by count. Returns ms spent (0 if it was there).
 */
export async function ensureFixtureMillion(): Promise<number> {
  const server = JSON.parse(env('SLO_E2E_CONTAINER_SERVER')) as ContainerServer;
  const auth = await fetch(authUrl(), { headers: { 'X-Auth-User': MILLION.user, 'X-Auth-Key': MILLION.key } });
  await auth.arrayBuffer();
  if (!auth.ok) throw new Error(`${MILLION.user} cannot log in (HTTP ${auth.status}): is the sandbox's proxy config current?`);
  const headers = { 'X-Auth-Token': auth.headers.get('x-auth-token')! };
  const url = `${auth.headers.get('x-storage-url')!}/${MILLION.container}`;
  return ensureMillion(server, {
    count: async () => {
      const r = await fetch(url, { method: 'HEAD', headers });
      return r.status === 204 ? Number(r.headers.get('x-container-object-count')) : null;
    },
    create: async () => {
      const r = await fetch(url, { method: 'PUT', headers });
      await r.arrayBuffer();
      if (r.status >= 300) throw new Error(`PUT ${MILLION.container}: HTTP ${r.status}`);
    },
  });
}

/** Connects the page to the account that holds the million-object fixture (a profile named `name`; leaveProfile ends it). */
export async function connectMillionAccount(page: Page, name: string): Promise<void> {
  const form = await newTempauthProfile(page, name, MILLION.user, MILLION.key);
  await form.getByRole('button', { name: 'Save and connect' }).click();
  await expect(switcher(page)).toHaveAccessibleName(new RegExp(`^Connection: ${name}`), { timeout: 60_000 });
  const dialog = page.getByRole('dialog', { name: 'Connections' });
  if (await dialog.isVisible()) await dialog.getByRole('button', { name: 'Close dialog' }).click();
}

/** The account of 100,001 containers (test/helpers/many-containers.ts; ~12 s to build, kept, checked by count). */
export async function ensureFixtureManyContainers(): Promise<number> {
  const auth = await fetch(authUrl(), { headers: { 'X-Auth-User': MANY.user, 'X-Auth-Key': MANY.key } });
  await auth.arrayBuffer();
  const headers = { 'X-Auth-Token': auth.headers.get('x-auth-token')! };
  const base = auth.headers.get('x-storage-url')!;
  return ensureManyContainers(JSON.parse(env('SLO_E2E_ACCOUNT_SERVER')) as Parameters<typeof ensureManyContainers>[0], {
    count: async () => {
      const r = await fetch(base, { method: 'HEAD', headers });
      return Number(r.headers.get('x-account-container-count') ?? 0);
    },
    createReal: async () => {
      const r = await fetch(`${base}/${MANY.real}`, { method: 'PUT', headers });
      await r.arrayBuffer();
      if (r.status >= 300) throw new Error(`PUT ${MANY.real}: HTTP ${r.status}`);
    },
  });
}
