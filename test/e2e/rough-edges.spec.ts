// Rough edges a new user met (issue 17), each shown fixed: the tempauth path hint and the new profile's kind; sidebar
// names cut in the middle and the open container's count from its HEAD; a plain object's own view (headers, preview)
// and its delete; the segment map's smallest segment; the Composer's paths; a small file uploaded as an SLO anyway.
import type { Page } from '@playwright/test';
import {
  authUrl,
  cleanupContainers,
  createContainer,
  dismissToasts,
  dropFiles,
  expect,
  filterSidebar,
  headObject,
  md5,
  objectGrid,
  objectRow,
  openApp,
  openConnections,
  openContainer,
  putObject,
  SANDBOX_USER,
  seededBytes,
  seededFileTransfer,
  shot,
  sidebar,
  swift,
  test,
  transferItem,
  uniqueName,
} from './helpers.ts';

test("a tempauth URL without /auth says where auth lives; a new profile starts with the last profile's kind", async ({ page }) => {
  await openApp(page);
  const dialog = await openConnections(page);
  await dialog.getByRole('button', { name: 'New profile' }).click();
  const form = dialog.getByRole('form', { name: 'New profile' });
  // The only saved profile is the sandbox (tempauth), so the new one starts as tempauth too.
  await expect(form.getByRole('combobox', { name: 'Authentication' })).toHaveValue('v1');
  const origin = new URL(authUrl()).origin;
  await form.getByRole('textbox', { name: 'Profile name' }).fill('Wrong path');
  await form.getByRole('textbox', { name: 'Auth URL' }).fill(`${origin}/v1.0`);
  await form.getByRole('textbox', { name: 'User', exact: true }).fill(SANDBOX_USER);
  await form.getByLabel('Key', { exact: true }).fill('testing');
  await form.getByRole('button', { name: 'Test connection' }).click();
  const failed = form.getByRole('alert').filter({ hasText: 'Connection test failed' });
  await expect(failed).toContainText('failed with status 412', { timeout: 60_000 });
  await expect(failed).toContainText(`Tempauth URLs usually end in /auth/v1.0 (try ${origin}/auth/v1.0).`);
  await shot(page, '70-tempauth-path-hint', { docs: true });

  // Saved as a Keystone profile, it is now the last one: the next new profile starts as Keystone.
  await form.getByRole('combobox', { name: 'Authentication' }).selectOption('keystone-password');
  await form.getByRole('textbox', { name: 'Keystone URL' }).fill('https://keystone.example.com:5000/v3');
  await form.getByRole('textbox', { name: /^Username/ }).fill('demo');
  await form.getByLabel('Password', { exact: true }).fill('secret');
  await form.getByRole('textbox', { name: /^Project(?! domain)/ }).fill('demo');
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  const edit = dialog.getByRole('form', { name: 'Edit profile Wrong path' });
  await expect(edit).toBeVisible();
  await dialog.getByRole('button', { name: 'New profile' }).click();
  await expect(dialog.getByRole('form', { name: 'New profile' }).getByRole('combobox', { name: 'Authentication' })).toHaveValue('keystone-password');
  await dialog.getByRole('list', { name: 'Profiles' }).getByRole('button', { name: /Wrong path/ }).click();
  await edit.getByRole('button', { name: 'Remove profile' }).click();
  await edit.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(dialog.getByRole('list', { name: 'Profiles' }).getByRole('button', { name: /Wrong path/ })).toHaveCount(0);
});

test('sidebar: twin names stay apart, the open container counts from its HEAD', async ({ page }) => {
  const stem = uniqueName('twins-bars-d-22965-17959625');
  const [a, b] = [`${stem}-first-0001`, `${stem}-second-0002`];
  try {
    await createContainer(a);
    await createContainer(b);
    await putObject(a, 'one.txt', 'one');
    await openApp(page);
    await openContainer(page, a);
    await filterSidebar(page, stem);
    for (const name of [a, b]) {
      const button = sidebar(page).getByRole('button', { name, exact: true });
      await expect(button.locator('[title]').first()).toHaveAttribute('title', name);
      // The end of the name (what tells the twins apart) is on screen, inside the row.
      const tail = button.getByText(name.slice(-12), { exact: true });
      const [t, r] = [await tail.boundingBox(), await button.boundingBox()];
      expect(t && r && t.x + t.width <= r.x + r.width).toBe(true);
    }
    // Swift's account listing still says 0 objects (its container updater runs later); the HEAD says 1.
    const meta = sidebar(page).getByRole('button', { name: a, exact: true });
    await expect(meta).toHaveAccessibleDescription(/^1 object · 3 B/);
    await expect(meta).toHaveAccessibleDescription(/listing stale \(0\)/);
    await shot(page, '71-sidebar-twins', { docs: true });

    // Deleted elsewhere while open: a refresh says so (a warning, not an error) and the sidebar drops it.
    await swift('DELETE', `${a}/one.txt`);
    await swift('DELETE', a);
    await page.getByRole('button', { name: 'Refresh listing' }).click();
    await expect(page.getByRole('alert').or(page.getByRole('status')).filter({ hasText: `Container ${a} no longer exists` }).first()).toBeVisible();
    await expect(sidebar(page).getByRole('button', { name: a, exact: true })).toHaveCount(0);
    await expect(sidebar(page).getByRole('button', { name: b, exact: true })).toBeVisible();
  } finally {
    await cleanupContainers(a, b);
  }
});

test('a plain object opens as an object with headers and a preview; deleting it leaves nothing selected', async ({ page }) => {
  const c = uniqueName('plain');
  const text = 'Hello from a plain object.\nSecond line ünïcødé.\n';
  try {
    await createContainer(c);
    await putObject(c, 'notes.txt', text, { 'content-type': 'text/plain', 'x-object-meta-color': 'blue' });
    await putObject(c, 'blob.bin', Buffer.from([0, 1, 2, 0xff, 0x41, 0x42]));
    await openApp(page);
    await openContainer(page, c);

    await objectRow(page, c, 'blob.bin').dblclick();
    const blob = page.getByRole('main', { name: `Object ${c}/blob.bin` });
    await expect(blob.getByRole('region', { name: 'Preview' }).getByLabel('Hex preview')).toContainText('00000000  00 01 02 ff 41 42');
    await blob.getByRole('button', { name: `Back to ${c}/` }).click();

    await objectRow(page, c, 'notes.txt').click();
    await objectRow(page, c, 'notes.txt').dblclick();
    const viewer = page.getByRole('main', { name: `Object ${c}/notes.txt` });
    await expect(viewer.getByRole('button', { name: 'Reload', exact: true })).toBeVisible();
    const headers = viewer.getByRole('region', { name: 'Headers' });
    await expect(headers.getByRole('row', { name: /x-object-meta-color/ })).toContainText('blue');
    await expect(headers.getByRole('row', { name: /content-type/ })).toContainText('text/plain');
    await expect(viewer.getByLabel('Text preview')).toHaveText(text);
    await viewer.getByRole('radio', { name: 'Hex' }).check();
    await expect(viewer.getByLabel('Hex preview')).toContainText('48 65 6c 6c 6f');
    await viewer.getByRole('radio', { name: 'Text' }).check();
    await dismissToasts(page);
    await shot(page, '72-plain-object-view', { docs: true });

    await viewer.getByRole('button', { name: 'Delete notes.txt' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete notes.txt?' });
    await expect(confirm).toBeVisible();
    await expect(confirm.getByRole('checkbox', { name: /Keep the segments/ })).toHaveCount(0);
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog', { name: 'Deleted' }).getByRole('button', { name: 'Done' }).click();
    await expect(objectRow(page, c, 'notes.txt')).toHaveCount(0);
    await expect(objectRow(page, c, 'blob.bin')).toBeVisible();
    await expect(page.getByText(/items? selected/)).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Delete selected item' })).toBeDisabled();
  } finally {
    await cleanupContainers(c);
  }
});

/** An SLO of 6 × 64 KiB and one 100-byte segment (0.03 % of the total), with swiftclient-style segment paths. */
async function sevenSegmentSlo(c: string, object: string): Promise<string[]> {
  const seg = `${c}_segments`;
  await createContainer(seg);
  const sizes = [...Array(6).fill(64 * 1024), 100] as number[];
  const paths: string[] = [];
  const manifest = [];
  for (const [i, size] of sizes.entries()) {
    const name = `${object}/slo/1764400000.000000/3500000/1048576/${String(i).padStart(8, '0')}`;
    const body = seededBytes(0x5e9 + i, Math.ceil(size / 4) * 4).subarray(0, size);
    await putObject(seg, name, body);
    paths.push(`${seg}/${name}`);
    manifest.push({ path: `/${seg}/${name}`, etag: md5(body), size_bytes: size });
  }
  const r = await swift('PUT', `${c}/${object}`, { query: { 'multipart-manifest': 'put' }, body: JSON.stringify(manifest) });
  expect(r.status).toBe(201);
  return paths;
}

test('every segment has a block in the map, and the Composer shows the end of segment paths', async ({ page }) => {
  const c = uniqueName('tiny-seg');
  try {
    await createContainer(c);
    const paths = await sevenSegmentSlo(c, 'seven.bin');
    await openApp(page);
    await openContainer(page, c);
    await objectRow(page, c, 'seven.bin').dblclick();
    const viewer = page.getByRole('main', { name: `Manifest of ${c}/seven.bin` });
    const map = viewer.getByRole('group', { name: 'Map of 7 segments' });
    await expect(map).toBeVisible();
    for (let i = 0; i < 7; i++) {
      const box = await map.getByTestId(`segment-block-${i}`).boundingBox();
      expect(box?.width, `block of segment ${i}`).toBeGreaterThanOrEqual(3);
    }
    await dismissToasts(page);
    await shot(page, '73-segment-map-tiny-segment', { docs: true });

    await viewer.getByRole('button', { name: 'Edit manifest of seven.bin' }).click();
    const composer = page.getByRole('dialog', { name: 'Edit manifest of seven.bin' });
    const last = composer.getByRole('listitem', { name: `Entry 6: ${paths[6]}` });
    await expect(last).toBeVisible();
    // The path is cut at its start: the segment number at its end is what shows.
    const code = last.locator('.entry-path code > span');
    const clipped = await code.evaluate((el) => ({
      cut: el.scrollWidth > el.clientWidth,
      // (runs in the page; the test tsconfig has no DOM lib)
      dir: (globalThis as unknown as { getComputedStyle(e: unknown): { direction: string } }).getComputedStyle(el).direction,
    }));
    expect(clipped).toEqual({ cut: true, dir: 'rtl' });
    await shot(page, '74-composer-paths-cut-left', { docs: true });
  } finally {
    await cleanupContainers(c, `${c}_segments`);
  }
});

async function dropSmallFile(page: Page, container: string, file: string, size: number) {
  await dropFiles(objectGrid(page, container), await seededFileTransfer(page, file, 0x5a11, size));
  return page.getByRole('dialog', { name: `Upload ${file}` });
}

test('a file under the segment size: the plan says so, and it can go up as an SLO anyway, selected when done', async ({ page }) => {
  const c = uniqueName('small-slo');
  const file = 'small.bin';
  const size = 256 * 1024;
  try {
    await createContainer(c);
    await openApp(page);
    await openContainer(page, c);
    const sheet = await dropSmallFile(page, c, file, size);
    const plan = sheet.getByRole('group', { name: `Upload plan for ${file}` });
    await expect(plan).toContainText('Not an SLO: at 256 KiB it is no larger than the segment size (64 MiB), so it is uploaded as one ordinary (plain) object');
    await shot(page, '75-upload-small-plain-said', { docs: true });
    await plan.getByRole('checkbox', { name: /Upload as SLO anyway/ }).check();
    await expect(plan).toContainText('1segments');
    await shot(page, '75-upload-small-as-slo', { docs: true });
    await sheet.getByRole('button', { name: 'Upload', exact: true }).click();
    await expect(sheet).toBeHidden();

    await expect(transferItem(page, 'Upload', file).getByText('Done', { exact: true })).toBeVisible({ timeout: 120_000 });
    const head = await headObject(c, file);
    expect(head.headers.get('x-static-large-object')).toBe('True');
    // The new row is selected, and the toast stands clear of the transfers panel.
    await expect(objectRow(page, c, file)).toHaveAttribute('aria-selected', 'true');
    const toast = page.getByRole('status').filter({ hasText: `Uploaded ${file}` });
    await expect(toast).toBeVisible();
    const [t, dock, status] = [
      await toast.boundingBox(),
      await page.getByRole('region', { name: 'Bottom panel' }).boundingBox(),
      await page.getByText('1 item selected').boundingBox(),
    ];
    expect(t && dock && t.y + t.height <= dock.y).toBe(true);
    expect(t && status && t.y + t.height <= status.y).toBe(true);
    await shot(page, '76-upload-done-selected', { docs: true });
  } finally {
    await cleanupContainers(c, `${c}_segments`);
  }
});
