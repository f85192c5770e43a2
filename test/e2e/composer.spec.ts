// The SLO composer in the app: three objects selected in the browser (click, ctrl-click) become an SLO after moving
// the last one first with the keyboard; the live preview predicts size and SLO ETag, and Swift's ETag must equal the
// prediction. Then: drag-and-drop reordering, live problems that block "Create SLO", and editing an existing SLO's
// manifest from the viewer. Fixtures and results are checked through the Swift API directly.
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

async function swift(method: string, path: string, opts: { body?: string; query?: Record<string, string> } = {}) {
  for (let attempt = 1; ; attempt++) {
    const { token, storageUrl } = await auth(attempt > 1);
    const url = new URL(path ? `${storageUrl}/${path.split('/').map(encodeURIComponent).join('/')}` : storageUrl);
    for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
    const res = await fetch(url, { method, headers: { 'X-Auth-Token': token }, ...(opts.body !== undefined ? { body: opts.body } : {}) });
    const body = Buffer.from(await res.arrayBuffer());
    if ((res.status >= 500 || res.status === 401) && attempt < 4) {
      await new Promise((r) => setTimeout(r, 400 * attempt));
      continue;
    }
    return { status: res.status, headers: res.headers, body };
  }
}

async function put(path: string, body: string): Promise<string> {
  const r = await swift('PUT', path, { body });
  expect(r.status, `PUT ${path}`).toBe(201);
  return r.headers.get('etag')!.replace(/"/g, '');
}

async function removeContainer(container: string): Promise<void> {
  for (let attempt = 1; attempt <= 8; attempt++) {
    const list = await swift('GET', container, { query: { format: 'json' } });
    if (list.status === 404) return;
    const names = list.status === 200 ? (JSON.parse(list.body.toString()) as Array<{ name: string }>).map((o) => o.name) : [];
    for (const n of names) await swift('DELETE', `${container}/${n}`);
    const r = await swift('DELETE', container);
    if (r.status === 204 || r.status === 404) return;
    await new Promise((res) => setTimeout(res, 400 * attempt));
  }
}

// ---------- the app ----------

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

/** The entries of the composer, in order, as their paths. */
async function entryOrder(dialog: Locator): Promise<string[]> {
  const items = await dialog.getByRole('list', { name: 'Manifest entries in order' }).getByRole('listitem', { name: /^Entry \d+: / }).all();
  const labels = await Promise.all(items.map((i) => i.getAttribute('aria-label')));
  return labels.map((l) => (l ?? '').replace(/^Entry \d+: /, ''));
}

// ---------- the tests ----------

const RUN = randomBytes(3).toString('hex');
// Different sizes, so the order is visible in the total and in the offsets.
const PARTS: Array<[string, string]> = [
  ['a.txt', 'alpha-'],
  ['b.txt', 'bravo--'],
  ['c.txt', 'charlie---'],
];

test('compose an SLO from three selected objects, the last moved first by keyboard; Swift ETag equals the prediction', async ({ page }) => {
  const c = `compose-${RUN}`;
  const target = 'joined.txt';
  try {
    expect((await swift('PUT', c)).status).toBeLessThan(300);
    const etags: Record<string, string> = {};
    for (const [name, body] of PARTS) etags[name] = await put(`${c}/${name}`, body);
    const order = ['c.txt', 'a.txt', 'b.txt'];
    const predicted = md5(order.map((n) => etags[n]).join(''));
    const total = order.reduce((n, name) => n + PARTS.find((p) => p[0] === name)![1].length, 0);

    const dialog = page.getByRole('dialog', { name: 'Compose SLO' });
    await test.step('select three objects and open the composer', async () => {
      await openApp(page);
      await openContainer(page, c);
      await row(page, c, 'a.txt').click();
      await row(page, c, 'b.txt').click({ modifiers: ['ControlOrMeta'] });
      await row(page, c, 'c.txt').click({ modifiers: ['ControlOrMeta'] });
      await page.getByRole('button', { name: 'Compose SLO from 3 selected items' }).click();
      await expect(dialog).toBeVisible();
      expect(await entryOrder(dialog)).toEqual(['a.txt', 'b.txt', 'c.txt'].map((n) => `${c}/${n}`));
      await expect(dialog.getByRole('combobox', { name: 'Container', exact: true })).toHaveValue(c);
      await expect(dialog.getByRole('textbox', { name: 'Object name', exact: true })).toBeFocused();
    });

    await test.step('move the last entry first with the keyboard', async () => {
      await dialog.getByRole('textbox', { name: 'Object name', exact: true }).fill(target);
      const up = dialog.getByRole('button', { name: `Move ${c}/c.txt up` });
      await up.focus();
      await page.keyboard.press('Enter');
      await expect(up).toBeFocused(); // focus follows the moved entry
      await page.keyboard.press('Enter');
      expect(await entryOrder(dialog)).toEqual(order.map((n) => `${c}/${n}`));
      await expect(up).toBeDisabled();
    });

    await test.step('the live preview predicts size, segment count and SLO ETag', async () => {
      const preview = dialog.getByRole('group', { name: 'Preview' });
      await expect(preview.getByLabel('Predicted SLO ETag')).toHaveText(predicted);
      await expect(preview.getByLabel('Total size')).toHaveText(`${total} B`);
      await expect(preview.getByLabel('Segment count')).toHaveText('3');
      await expect(preview).toContainText('Valid');
      await shot(page, 'composer', 'composer');
    });

    await test.step('create it: Swift reports the predicted ETag', async () => {
      await dialog.getByRole('button', { name: 'Create SLO' }).click();
      const result = dialog.getByRole('status', { name: 'Compose result' });
      await expect(result).toContainText(`Created ${c}/${target}`);
      await expect(result.getByLabel('Created SLO ETag')).toHaveText(predicted);
      const head = await swift('HEAD', `${c}/${target}`);
      expect(head.headers.get('x-static-large-object')).toBe('True');
      expect(head.headers.get('etag')!.replace(/"/g, '')).toBe(predicted);
      const got = await swift('GET', `${c}/${target}`);
      expect(got.body.toString()).toBe(order.map((n) => PARTS.find((p) => p[0] === n)![1]).join(''));
      await shot(page, 'composer-created');
    });

    const viewer = page.getByRole('main', { name: `Manifest of ${c}/${target}` });
    await test.step('open it in the manifest viewer: order and total size', async () => {
      await dialog.getByRole('button', { name: 'Open in manifest viewer' }).click();
      await expect(dialog).toBeHidden();
      await expect(viewer.getByRole('group', { name: 'Kind' })).toContainText('SLO');
      await expect(viewer.getByRole('group', { name: 'Total size' })).toContainText(`${total} bytes`);
      await expect(viewer.getByRole('group', { name: 'ETag' })).toContainText(predicted);
      const rows = viewer.getByRole('grid', { name: 'Segments' }).getByRole('row', { name: /^Segment \d/ });
      await expect(rows).toHaveCount(3);
      for (let i = 0; i < order.length; i++) await expect(rows.nth(i)).toContainText(`${c}/${order[i]}`);
    });

    await test.step('edit the manifest from the viewer: remove an entry and save in place', async () => {
      await viewer.getByRole('button', { name: `Edit manifest of ${target}` }).click();
      const edit = page.getByRole('dialog', { name: `Edit manifest of ${target}` });
      await expect.poll(() => entryOrder(edit)).toEqual(order.map((n) => `${c}/${n}`));
      await expect(edit.getByRole('region', { name: 'Problems' })).toContainText(`${c}/${target} already exists`);
      await edit.getByRole('button', { name: `Remove ${c}/a.txt` }).click();
      const kept = md5(etags['c.txt']! + etags['b.txt']!);
      await expect(edit.getByRole('group', { name: 'Preview' }).getByLabel('Predicted SLO ETag')).toHaveText(kept);
      await edit.getByRole('button', { name: 'Save SLO' }).click();
      await expect(edit.getByRole('status', { name: 'Compose result' }).getByLabel('Created SLO ETag')).toHaveText(kept);
      await edit.getByRole('button', { name: 'Close', exact: true }).click();
      await expect(edit).toBeHidden();
      await expect(viewer.getByRole('grid', { name: 'Segments' }).getByRole('row', { name: /^Segment \d/ })).toHaveCount(2);
      expect((await swift('GET', `${c}/${target}`)).body.toString()).toBe('charlie---bravo--');
    });
  } finally {
    await removeContainer(c);
  }
});

test('drag and drop reorders entries; problems show live and block Create SLO until fixed', async ({ page }) => {
  const c = `compose-dnd-${RUN}`;
  try {
    expect((await swift('PUT', c)).status).toBeLessThan(300);
    const etags: Record<string, string> = {};
    for (const [name, body] of PARTS) etags[name] = await put(`${c}/${name}`, body);
    await put(`${c}/parts/x1`, 'x-one');
    await put(`${c}/parts/x2`, 'x-two');

    await openApp(page);
    await openContainer(page, c);
    await page.getByRole('button', { name: 'Compose SLO', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Compose SLO' });
    await expect(dialog.getByText('No entries yet.')).toBeVisible();
    await dialog.getByRole('textbox', { name: 'Object name', exact: true }).fill('dnd.txt');

    // Add by path (the current container is prefilled) and everything under a prefix.
    const add = dialog.getByRole('textbox', { name: 'Path or prefix to add (container/object)' });
    await expect(add).toHaveValue(`${c}/`);
    for (const name of ['a.txt', 'b.txt']) {
      await add.fill(`${c}/${name}`);
      await add.press('Enter');
    }
    await add.fill(`${c}/parts/`);
    await dialog.getByRole('button', { name: 'Add everything under prefix' }).click();
    await expect.poll(() => entryOrder(dialog)).toEqual([`${c}/a.txt`, `${c}/b.txt`, `${c}/parts/x1`, `${c}/parts/x2`]);

    // Drag the last entry onto the top half of the first: it goes first.
    const list = dialog.getByRole('list', { name: 'Manifest entries in order' });
    await list.getByRole('listitem', { name: `Entry 3: ${c}/parts/x2` }).dragTo(list.getByRole('listitem', { name: `Entry 0: ${c}/a.txt` }), { targetPosition: { x: 40, y: 4 } });
    await expect.poll(() => entryOrder(dialog)).toEqual([`${c}/parts/x2`, `${c}/a.txt`, `${c}/b.txt`, `${c}/parts/x1`]);

    // A name that does not exist: the problem shows on its row, and nothing can be written.
    await add.fill(`${c}/nope.txt`);
    await add.press('Enter');
    const bad = list.getByRole('listitem', { name: `Entry 4: ${c}/nope.txt` });
    await expect(bad).toContainText(`${c}/nope.txt does not exist`);
    await expect(dialog.getByRole('button', { name: 'Create SLO' })).toBeDisabled();
    await expect(dialog.getByRole('group', { name: 'Preview' })).toContainText('1 problem');
    // A range outside its object too.
    await dialog.getByRole('textbox', { name: `Byte range of ${c}/a.txt` }).fill('100-200');
    await expect(list.getByRole('listitem', { name: `Entry 1: ${c}/a.txt` })).toContainText('lies outside');
    await shot(page, 'composer-problems');

    await dialog.getByRole('button', { name: `Remove ${c}/nope.txt` }).click();
    await dialog.getByRole('textbox', { name: `Byte range of ${c}/a.txt` }).fill('0-2');
    // A ranged entry counts as "etag:range;" in the SLO ETag.
    const predicted = md5(md5('x-two') + etags['a.txt'] + ':0-2;' + etags['b.txt'] + md5('x-one'));
    const preview = dialog.getByRole('group', { name: 'Preview' });
    await expect(preview.getByLabel('Predicted SLO ETag')).toHaveText(predicted);
    await expect(preview.getByLabel('Total size')).toHaveText('20 B');
    const create = dialog.getByRole('button', { name: 'Create SLO' });
    await expect(create).toBeEnabled();
    await create.click();
    await expect(dialog.getByRole('status', { name: 'Compose result' }).getByLabel('Created SLO ETag')).toHaveText(predicted);
    const head = await swift('HEAD', `${c}/dnd.txt`);
    expect(head.headers.get('etag')!.replace(/"/g, '')).toBe(predicted);
    expect((await swift('GET', `${c}/dnd.txt`)).body.toString()).toBe('x-two' + 'alp' + 'bravo--' + 'x-one');
  } finally {
    await removeContainer(c);
  }
});
