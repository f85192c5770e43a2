// Metadata, temp URLs, copy / rename / move and the rows' context menu, by roles and accessible names against the
// sandbox; results are checked with plain Swift requests (HEAD, GET ?multipart-manifest=get) and curl without a token.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { cleanupContainers, createContainer, dismissToasts, expect, headObject, md5, objectRow, openApp, openContainer, putObject, shot, swift, test, uniqueName } from './helpers.ts';

const run = promisify(execFile);
const SEGS = [Buffer.alloc(3000, 1), Buffer.alloc(2000, 2)];

async function putSlo(c: string, name: string): Promise<void> {
  for (const [i, s] of SEGS.entries()) await putObject(`${c}_segments`, `${name}/${i}`, s);
  const manifest = JSON.stringify(SEGS.map((s, i) => ({ path: `/${c}_segments/${name}/${i}`, etag: md5(s), size_bytes: s.length })));
  const r = await swift('PUT', `${c}/${name}`, { query: { 'multipart-manifest': 'put' }, body: manifest, headers: { 'X-Object-Meta-Origin': 'e2e' } });
  expect(r.status).toBe(201);
}

async function manifestPaths(c: string, o: string): Promise<string[]> {
  const r = await swift('GET', `${c}/${o}`, { query: { 'multipart-manifest': 'get' } });
  return (JSON.parse(r.body.toString()) as { name: string }[]).map((e) => e.name);
}

async function setup(page: Page, purpose: string): Promise<string> {
  const c = uniqueName(purpose);
  await createContainer(c);
  await createContainer(`${c}_segments`);
  await putSlo(c, 'movie.bin');
  await openApp(page);
  await openContainer(page, c);
  return c;
}

test('metadata of an SLO and of its container: edited in the dialog, read back with HEAD', async ({ page }) => {
  const c = await setup(page, 'meta');
  try {
    await objectRow(page, c, 'movie.bin').click();
    await page.getByRole('button', { name: 'Metadata of selected object' }).click();
    const dialog = page.getByRole('dialog', { name: `Metadata of ${c}/movie.bin` });
    await expect(dialog.getByRole('note')).toContainText("POST changes the manifest's metadata");
    await expect(dialog.getByRole('textbox', { name: 'Value of origin' })).toHaveValue('e2e');
    await dialog.getByRole('button', { name: 'Add item' }).click();
    await dialog.getByRole('textbox', { name: 'Metadata name' }).last().fill('bad_name');
    await expect(dialog.getByRole('list', { name: 'Problems' })).toContainText('underscore');
    await expect(dialog.getByRole('button', { name: 'Save metadata' })).toBeDisabled();
    await dialog.getByRole('textbox', { name: 'Metadata name' }).last().fill('Reviewer');
    await dialog.getByRole('textbox', { name: 'Value of Reviewer' }).fill('ana');
    await dialog.getByRole('button', { name: 'Remove origin' }).click();
    await dialog.getByRole('textbox', { name: 'Content-Type' }).fill('video/mp4');
    await dialog.getByRole('textbox', { name: 'Content-Disposition' }).fill('attachment; filename="movie.bin"');
    await dialog.getByRole('checkbox', { name: /Delete automatically/ }).check();
    await dialog.getByLabel('Expiry date').fill('2031-03-04T05:06');
    await shot(page, '90-metadata-dialog', { docs: true });
    await dialog.getByRole('button', { name: 'Save metadata' }).click();
    await expect(dialog).toBeHidden();
    const h = (await headObject(c, 'movie.bin')).headers;
    expect(h.get('x-object-meta-reviewer')).toBe('ana');
    expect(h.get('x-object-meta-origin')).toBeNull();
    expect(h.get('content-type')).toBe('video/mp4');
    expect(h.get('content-disposition')).toBe('attachment; filename="movie.bin"');
    expect(h.get('x-delete-at')).toBe(String(new Date('2031-03-04T05:06').getTime() / 1000));
    expect(h.get('x-static-large-object')).toBe('True');

    // Nothing selected: the container's metadata.
    await objectRow(page, c, 'movie.bin').click({ modifiers: ['ControlOrMeta'] });
    await page.getByRole('button', { name: `Metadata of container ${c}` }).click();
    const cdialog = page.getByRole('dialog', { name: `Metadata of container ${c}` });
    await cdialog.getByRole('button', { name: 'Add item' }).click();
    await cdialog.getByRole('textbox', { name: 'Metadata name' }).fill('project');
    await cdialog.getByRole('textbox', { name: 'Value of project' }).fill('apollo');
    await shot(page, '96-container-metadata', { docs: true });
    await cdialog.getByRole('button', { name: 'Save metadata' }).click();
    await expect(cdialog).toBeHidden();
    expect((await swift('HEAD', c)).headers.get('x-container-meta-project')).toBe('apollo');

    // The viewer offers the same dialog, showing what was saved.
    await objectRow(page, c, 'movie.bin').dblclick();
    await page.getByRole('button', { name: 'Metadata of movie.bin' }).click();
    const again = page.getByRole('dialog', { name: `Metadata of ${c}/movie.bin` });
    await expect(again.getByRole('textbox', { name: 'Value of reviewer' })).toHaveValue('ana');
    await expect(again.getByRole('textbox', { name: 'Content-Type' })).toHaveValue('video/mp4');
    await again.getByRole('button', { name: 'Cancel' }).click();
    await expect(again).toBeHidden();
  } finally {
    await cleanupContainers(c, `${c}_segments`);
  }
});

test('a temp URL made in the GUI serves the whole SLO to curl without a token', async ({ page }) => {
  const c = await setup(page, 'tempurl');
  try {
    // Start from an account without a key, so the dialog offers to set one.
    await swift('POST', '', { headers: { 'X-Remove-Account-Meta-Temp-URL-Key': '1' } });
    await objectRow(page, c, 'movie.bin').click({ button: 'right' });
    const menu = page.getByRole('menu', { name: 'Object actions' });
    await menu.getByRole('menuitem', { name: 'Temp URL…' }).click();
    const dialog = page.getByRole('dialog', { name: `Temp URL for ${c}/movie.bin` });
    // A container key only authorizes its own container: this SLO's segments live in another one, so no URL.
    await dialog.getByRole('button', { name: 'Set a random container key' }).click();
    await expect(dialog.getByRole('button', { name: 'Set a random container key' })).toBeHidden();
    await dialog.getByRole('button', { name: 'Create URL' }).click();
    await expect(dialog.getByRole('alert')).toContainText(`segments live in ${c}_segments`);
    await dialog.getByRole('button', { name: 'Set a random account key' }).click();
    await expect(dialog.getByRole('region', { name: 'Temp-URL keys' })).toContainText('(hidden)');
    await dialog.getByRole('button', { name: 'Reveal keys' }).click();
    await expect(dialog.getByRole('region', { name: 'Temp-URL keys' })).toContainText(/[0-9a-f]{64}/);
    await dialog.getByRole('button', { name: 'Hide keys' }).click();
    await dialog.getByRole('combobox', { name: 'Expires after' }).selectOption({ label: '15 minutes' });
    await dialog.getByRole('button', { name: 'Create URL' }).click();
    const field = dialog.getByRole('textbox', { name: 'Temporary URL' });
    await expect(field).toHaveValue(/temp_url_sig=/);
    await expect(dialog).toContainText('It serves the whole SLO');
    await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(page.getByText('Copied temp URL')).toBeVisible();
    await shot(page, '91-temp-url-dialog', { docs: true });
    const url = await field.inputValue();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(url);
    const { stdout } = await run('curl', ['-sf', url], { encoding: 'buffer' });
    expect(md5(stdout)).toBe(md5(Buffer.concat(SEGS)));
  } finally {
    await cleanupContainers(c, `${c}_segments`);
  }
});

test('copy an SLO as its manifest (segments shared), rename and move from the toolbar and the keyboard menu', async ({ page }) => {
  const c = await setup(page, 'copy');
  const d = uniqueName('copy-to');
  try {
    await createContainer(d);
    await objectRow(page, c, 'movie.bin').click();
    await page.getByRole('button', { name: 'Copy selected object' }).click();
    const copy = page.getByRole('dialog', { name: `Copy ${c}/movie.bin` });
    await expect(copy.getByRole('radio', { name: /The manifest: the copy shares the segments/ })).toBeChecked();
    await expect(copy.getByRole('textbox', { name: 'Name' })).toHaveValue('movie copy.bin');
    await shot(page, '92-copy-dialog', { docs: true });
    await copy.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(copy).toBeHidden();
    await expect(objectRow(page, c, 'movie copy.bin')).toHaveAttribute('aria-selected', 'true');
    expect(await manifestPaths(c, 'movie copy.bin')).toEqual(await manifestPaths(c, 'movie.bin'));
    expect((await headObject(c, 'movie copy.bin')).headers.get('x-object-meta-origin')).toBe('e2e');

    // The keyboard: Shift+F10 on the focused row opens the menu; arrows and Enter pick Rename….
    await dismissToasts(page);
    await objectRow(page, c, 'movie.bin').click();
    await page.keyboard.press('Shift+F10');
    const menu = page.getByRole('menu', { name: 'Object actions' });
    await expect(menu.getByRole('menuitem', { name: 'Inspect' })).toBeFocused();
    await shot(page, '93-context-menu', { docs: true });
    await page.keyboard.press('Escape');
    await expect(menu).toBeHidden();
    await expect(page.getByRole('rowgroup', { name: 'Object rows' })).toBeFocused();
    await page.keyboard.press('Shift+F10');
    await expect(menu.getByRole('menuitem', { name: 'Inspect' })).toBeFocused();
    for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowDown');
    await expect(menu.getByRole('menuitem', { name: 'Rename…' })).toBeFocused();
    await page.keyboard.press('Enter');
    const rename = page.getByRole('dialog', { name: `Rename ${c}/movie.bin` });
    await expect(rename.getByRole('note').or(rename.getByRole('status'))).toContainText('segments stay');
    await rename.getByRole('textbox', { name: 'New name' }).fill('film.bin');
    await shot(page, '94-rename-dialog', { docs: true });
    await rename.getByRole('button', { name: 'Rename', exact: true }).click();
    await expect(rename).toBeHidden();
    expect((await headObject(c, 'movie.bin')).status).toBe(404);
    expect((await headObject(`${c}_segments`, 'movie.bin/0')).status).toBe(200);
    // The original's manifest is gone; the copy still reads every byte.
    expect(md5((await swift('GET', `${c}/movie copy.bin`)).body)).toBe(md5(Buffer.concat(SEGS)));

    // Move to another container with the ContextMenu key.
    await objectRow(page, c, 'film.bin').click();
    await page.keyboard.press('ContextMenu');
    await menu.getByRole('menuitem', { name: 'Move…' }).click();
    const move = page.getByRole('dialog', { name: `Move ${c}/film.bin` });
    await move.getByRole('combobox', { name: 'To container' }).selectOption(d);
    await shot(page, '95-move-dialog', { docs: true });
    await move.getByRole('button', { name: 'Move', exact: true }).click();
    await expect(move).toBeHidden();
    expect((await headObject(c, 'film.bin')).status).toBe(404);
    expect(await manifestPaths(d, 'film.bin')).toEqual([`/${c}_segments/movie.bin/0`, `/${c}_segments/movie.bin/1`]);
    expect(md5((await swift('GET', `${d}/film.bin`)).body)).toBe(md5(Buffer.concat(SEGS)));
  } finally {
    await cleanupContainers(c, `${c}_segments`, d);
  }
});
