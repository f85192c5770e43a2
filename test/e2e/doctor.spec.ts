// The manifest doctor in the app, on THE STORY: three 4-byte segments uploaded by hand, then a hand-written manifest
// with "size bytes" instead of size_bytes, the container typed as contl instead of cont1, made-up etags and wrong
// sizes, PUT with ?multiaprt-manifest=put — which Swift ignores, storing the JSON as a plain object. The viewer offers
// the doctor, the doctor names every mistake, and "Fix it" (after a confirmation) turns the object into a real SLO
// whose GET returns the segments. Fixtures are made and checked through the Swift API directly.
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Locator, type Page } from '@playwright/test';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCREENSHOTS = resolve(ROOT, 'test-results/screenshots');
const DOCS_SCREENSHOTS = resolve(ROOT, 'docs/screenshots');

const md5 = (s: string | Buffer) => createHash('md5').update(s).digest('hex');

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run with \`npx playwright test\` (its global setup sets it)`);
  return v;
}

// ---------- the Swift API, for fixtures and for checking what really exists ----------

let session: { token: string; storageUrl: string } | null = null;

async function auth(fresh = false) {
  if (session && !fresh) return session;
  const res = await fetch(env('SLO_E2E_AUTH_URL'), { headers: { 'X-Auth-User': process.env.SLO_E2E_USER ?? 'test:tester', 'X-Auth-Key': process.env.SLO_E2E_KEY ?? 'testing' } });
  await res.arrayBuffer();
  const token = res.headers.get('x-auth-token');
  const storageUrl = res.headers.get('x-storage-url');
  if (!res.ok || !token || !storageUrl) throw new Error(`sandbox auth answered ${res.status}`);
  return (session = { token, storageUrl });
}

async function swift(method: string, path: string, opts: { body?: string; query?: Record<string, string>; headers?: Record<string, string> } = {}) {
  for (let attempt = 1; ; attempt++) {
    const { token, storageUrl } = await auth(attempt > 1);
    const url = new URL(path ? `${storageUrl}/${path.split('/').map(encodeURIComponent).join('/')}` : storageUrl);
    for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
    const res = await fetch(url, { method, headers: { 'X-Auth-Token': token, ...opts.headers }, ...(opts.body !== undefined ? { body: opts.body } : {}) });
    const body = Buffer.from(await res.arrayBuffer());
    if ((res.status >= 500 || res.status === 401) && attempt < 4) {
      await new Promise((r) => setTimeout(r, 400 * attempt));
      continue;
    }
    return { status: res.status, headers: res.headers, body };
  }
}

async function put(path: string, body: string, query: Record<string, string> = {}) {
  const r = await swift('PUT', path, { body, query });
  expect(r.status, `PUT ${path}`).toBe(201);
  return r.headers.get('etag')!.replace(/"/g, '');
}

async function removeContainer(container: string): Promise<void> {
  for (let attempt = 1; attempt <= 8; attempt++) {
    const list = await swift('GET', container, { query: { format: 'json' } });
    if (list.status === 404) return;
    const names = list.status === 200 ? (JSON.parse(list.body.toString()) as Array<{ name: string }>).map((o) => o.name) : [];
    // ?multipart-manifest=delete would also take an SLO's segments; they live here anyway.
    for (const n of names) await swift('DELETE', `${container}/${n}`);
    const r = await swift('DELETE', container);
    if (r.status === 204 || r.status === 404) return;
    await new Promise((res) => setTimeout(res, 400 * attempt));
  }
}

// ---------- the app ----------

/** A picture of one element (see shot). */
async function shotOf(locator: Locator, name: string, docs?: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  await locator.screenshot({ path: file, animations: 'disabled', caret: 'hide', scale: 'css' });
  if (docs && process.env.SLO_E2E_DOCS_SCREENSHOTS === '1') copyFileSync(file, join(DOCS_SCREENSHOTS, `${docs}.png`));
}

async function shot(page: Page, name: string, docs?: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide', scale: 'css' });
  // The committed pictures change only when asked: SLO_E2E_DOCS_SCREENSHOTS=1 npx playwright test
  if (docs && process.env.SLO_E2E_DOCS_SCREENSHOTS === '1') {
    mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
    copyFileSync(file, join(DOCS_SCREENSHOTS, `${docs}.png`));
  }
}

const test = base.extend<{ consoleErrors: string[] }>({
  viewport: { width: 1280, height: 800 },
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      await use(errors);
      expect(errors, 'console errors in the page').toEqual([]);
    },
    { auto: true },
  ],
});

async function openApp(page: Page): Promise<void> {
  await page.goto(env('SLO_E2E_URL'));
  const switcher = page.getByRole('button', { name: /^Connection: / });
  await expect(switcher).not.toHaveAccessibleName(/Starting…|Connecting|Not connected/, { timeout: 90_000 });
}

async function openContainer(page: Page, container: string): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Containers' });
  const button = nav.getByRole('button', { name: container, exact: true });
  await expect(async () => {
    if (!(await button.isVisible())) {
      await nav.getByRole('button', { name: 'Refresh containers' }).click();
      await expect(button).toBeVisible({ timeout: 3000 });
    }
  }).toPass({ timeout: 60_000 });
  await button.click();
  await expect(page.getByRole('main', { name: `Objects in ${container}` })).toBeVisible();
}

function row(page: Page, container: string, name: string) {
  return page.getByRole('grid', { name: `Objects in ${container}/` }).getByRole('row', { name, exact: true });
}

// ---------- the tests ----------

const RUN = randomBytes(3).toString('hex');
const SEGMENTS = ['seg1', 'seg2', 'seg3'];
const CONTENTS = ['aaaa', 'bbbb', 'cccc'];

/** Uploads the segments into `real` and PUTs the story's broken manifest (pointing at `typo`) as `object`. */
async function recreateStory(real: string, typo: string, object: string, opts: { skip?: number } = {}) {
  expect((await swift('PUT', real)).status).toBeLessThan(300);
  const etags: string[] = [];
  for (let i = 0; i < SEGMENTS.length; i++) {
    if (i === opts.skip) etags.push(md5(CONTENTS[i]!));
    else etags.push(await put(`${real}/${SEGMENTS[i]}`, CONTENTS[i]!));
  }
  const madeUp = SEGMENTS.map((_, i) => md5(`made-up-${i}-${RUN}`));
  const manifest = SEGMENTS.map((s, i) => ({ path: `/${typo}/${s}`, etag: madeUp[i], 'size bytes': 5 }));
  const body = JSON.stringify(manifest);
  await put(`${real}/${object}`, body, { 'multiaprt-manifest': 'put' }); // "201 Created": Swift ignored the query
  const head = await swift('HEAD', `${real}/${object}`);
  expect(head.headers.get('x-static-large-object')).toBeNull();
  expect(Number(head.headers.get('content-length'))).toBe(Buffer.byteLength(body));
  return { etags, madeUp };
}

test('THE STORY: a manifest stored as plain data is diagnosed entry by entry and fixed into a real SLO', async ({ page }) => {
  const real = `cont1-${RUN}`;
  const typo = `contl-${RUN}`;
  const object = 'story';
  try {
    const { etags, madeUp } = await recreateStory(real, typo, object);
    const sloEtag = md5(etags.join(''));

    await test.step('the viewer says it is not an SLO and offers the doctor', async () => {
      await openApp(page);
      await openContainer(page, real);
      await row(page, real, object).dblclick();
      const viewer = page.getByRole('main', { name: `Manifest of ${real}/${object}` });
      await expect(viewer.getByRole('group', { name: 'Kind' })).toContainText('plain');
      const offer = viewer.getByRole('note', { name: 'Not an SLO' });
      await expect(offer).toContainText('This looks like a manifest stored as ordinary data');
      await expect(offer).toContainText('multipart-manifest=put');
      await offer.getByRole('button', { name: 'Diagnose and fix…' }).click();
    });

    const doctor = page.getByRole('dialog', { name: `Doctor: ${real}/${object}` });
    await test.step('the doctor names every mistake, entry by entry', async () => {
      await expect(doctor).toBeVisible();
      await expect(doctor.getByRole('status', { name: 'Verdict' })).toContainText('Not an SLO — a manifest stored as ordinary data', { timeout: 60_000 });
      await expect(doctor.getByRole('status', { name: 'Verdict' })).toContainText('13 errors');
      const findings = doctor.getByRole('region', { name: 'Findings' });
      const theObject = findings.getByRole('region', { name: 'The object' });
      await expect(theObject.getByRole('listitem', { name: 'Error not-an-slo' })).toContainText('?multiaprt-manifest=put');
      for (let i = 0; i < SEGMENTS.length; i++) {
        const entry = findings.getByRole('region', { name: `Entry ${i}`, exact: true });
        const key = entry.getByRole('listitem', { name: 'Error misspelled-key' });
        await expect(key).toContainText(`"size bytes" is a misspelling of "size_bytes"`);
        await expect(key).toContainText(`Rename "size bytes" to "size_bytes".`);
        const container = entry.getByRole('listitem', { name: 'Error container-missing' });
        await expect(container).toContainText(`container "${typo}" does not exist`);
        await expect(container).toContainText(`Did you mean "${real}"?`);
        const etag = entry.getByRole('listitem', { name: 'Error etag-mismatch' });
        await expect(etag).toContainText(madeUp[i]!);
        await expect(etag).toContainText(`Use "${etags[i]}"`);
        const size = entry.getByRole('listitem', { name: 'Error size-mismatch' });
        await expect(size).toContainText('the manifest says size_bytes 5');
        await expect(size).toContainText('is 4 bytes');
      }
    });

    await test.step('the proposed fix shows what changes', async () => {
      const fix = doctor.getByRole('region', { name: 'Proposed fix' });
      await expect(fix).toContainText(`SLO ETag ${sloEtag}`);
      const table = fix.getByRole('table', { name: 'Proposed manifest entries' });
      await expect(table.getByRole('row')).toHaveCount(1 + SEGMENTS.length);
      for (let i = 0; i < SEGMENTS.length; i++) {
        const r = table.getByRole('row').nth(i + 1);
        await expect(r.locator('del')).toContainText([`/${typo}/${SEGMENTS[i]}`, '5', madeUp[i]!]);
        await expect(r.locator('ins')).toContainText([`/${real}/${SEGMENTS[i]}`, '4', etags[i]!]);
      }
      const json = fix.getByLabel(`Proposed manifest JSON for ${object}`);
      await expect(json).toContainText(`"path": "/${real}/seg1"`);
      await expect(json.locator('.diff-del').first()).toContainText(`"/${typo}/seg1"`);
      // The "as written" side shows the key the user really wrote, and the rename is one of the changes counted
      // (per entry: the key, the path, the etag and the size).
      await expect(json.locator('.diff-del')).toContainText([`"path": "/${typo}/seg1"`, `"etag": "${madeUp[0]}"`, '"size bytes": 5']);
      await expect(json.locator('.diff-add')).toContainText([`"path": "/${real}/seg1"`, `"etag": "${etags[0]}"`, '"size_bytes": 4']);
      await expect(fix).toContainText(`${4 * SEGMENTS.length} changes from what was written`);
      await json.scrollIntoViewIfNeeded();
      await shotOf(json, 'doctor-diff', 'doctor-diff');
      await shot(page, 'doctor', 'doctor');
    });

    await test.step('Fix it asks first, then Swift accepts the new manifest', async () => {
      await doctor.getByRole('button', { name: 'Fix it…' }).click();
      const confirm = page.getByRole('dialog', { name: `Replace ${object} with a valid SLO?` });
      await expect(confirm).toContainText('The original object is replaced only after Swift accepts the new manifest.');
      await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
      await shot(page, 'doctor-confirm');
      await confirm.getByRole('button', { name: 'Replace with SLO' }).click();
      await expect(confirm).toBeHidden({ timeout: 60_000 });
      const result = doctor.getByRole('status', { name: 'Fix result' });
      await expect(result).toContainText(`${object} is now a Static Large Object`);
      await expect(result.getByLabel('New SLO ETag')).toHaveText(sloEtag);
      await expect(doctor.getByRole('status', { name: 'Verdict' })).toContainText('Fixed: now a valid SLO');
      await expect(doctor.getByRole('listitem', { name: 'Info slo-ok' })).toBeVisible();
      await shot(page, 'doctor-fixed');
      await doctor.getByRole('button', { name: 'Open in manifest viewer' }).click();
      await expect(doctor).toBeHidden();
    });

    await test.step('the viewer shows an SLO of 3 segments, and Swift serves the segments', async () => {
      const viewer = page.getByRole('main', { name: `Manifest of ${real}/${object}` });
      await expect(viewer.getByRole('group', { name: 'Kind' })).toContainText('SLO');
      await expect(viewer.getByRole('group', { name: 'Segments', exact: true })).toContainText('3');
      await expect(viewer.getByRole('group', { name: 'Total size' })).toContainText('12 bytes');
      const rows = viewer.getByRole('grid', { name: 'Segments' }).getByRole('row', { name: /^Segment \d/ });
      await expect(rows).toHaveCount(3);
      for (let i = 0; i < 3; i++) await expect(rows.nth(i)).toContainText(`${real}/${SEGMENTS[i]}`);
      await expect(viewer.getByRole('note', { name: 'Not an SLO' })).toHaveCount(0);

      const head = await swift('HEAD', `${real}/${object}`);
      expect(head.headers.get('x-static-large-object')).toBe('True');
      expect(head.headers.get('etag')!.replace(/"/g, '')).toBe(sloEtag);
      const got = await swift('GET', `${real}/${object}`);
      expect(got.status).toBe(200);
      expect(got.body.toString()).toBe(CONTENTS.join(''));
    });
  } finally {
    await removeContainer(real);
  }
});

test('a missing segment blocks the fix until "leave out" is chosen; the doctor also runs from the browser toolbar', async ({ page }) => {
  const real = `cont1-m${RUN}`;
  const typo = `contl-m${RUN}`;
  const object = 'story-missing';
  try {
    const { etags } = await recreateStory(real, typo, object, { skip: 1 });
    await openApp(page);
    await openContainer(page, real);
    await row(page, real, object).click();
    await page.getByRole('button', { name: 'Diagnose selected object' }).click();
    const doctor = page.getByRole('dialog', { name: `Doctor: ${real}/${object}` });
    const entry1 = doctor.getByRole('region', { name: 'Entry 1', exact: true });
    await expect(entry1).toContainText('seg2', { timeout: 60_000 });
    await expect(doctor.getByRole('note').filter({ hasText: 'No automatic fix yet.' })).toContainText('cannot be found');
    await expect(doctor.getByRole('button', { name: 'Fix it…' })).toBeDisabled();

    await doctor.getByRole('checkbox', { name: /Leave out entries whose segment cannot be found/ }).check();
    const fix = doctor.getByRole('region', { name: 'Proposed fix' });
    await expect(fix).toContainText('A valid SLO of 2 entries');
    await expect(fix.getByRole('table', { name: 'Proposed manifest entries' })).toContainText('left out');
    await doctor.getByRole('button', { name: 'Fix it…' }).click();
    const confirm = page.getByRole('dialog', { name: `Replace ${object} with a valid SLO?` });
    await expect(confirm).toContainText('1 entry whose segment cannot be found will be left out');
    await confirm.getByRole('button', { name: 'Replace with SLO' }).click();
    await expect(doctor.getByRole('status', { name: 'Fix result' }).getByLabel('New SLO ETag')).toHaveText(md5(etags[0]! + etags[2]!));
    await doctor.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(doctor).toBeHidden();

    const got = await swift('GET', `${real}/${object}`);
    expect(got.body.toString()).toBe(CONTENTS[0]! + CONTENTS[2]!);
    // The browser listing shows the new kind.
    await expect(row(page, real, object)).toContainText('SLO');
  } finally {
    await removeContainer(real);
  }
});
