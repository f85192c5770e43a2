// Folders up and down through the page, by roles and accessible names: a tree of 110 files (nested folders, unicode
// names, one file larger than the segment size) picked with the folder input, planned as one batch, uploaded as one
// transfer group, and downloaded back as one verified tar whose every file matches byte for byte; the overwrite
// prompt's replace / keep both / skip, one name at a time and "for all".
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  cleanupContainers,
  createContainer,
  dismissToasts,
  dropFiles,
  expect,
  filterSidebar,
  headObject,
  listObjects,
  md5,
  objectGrid,
  objectRow,
  openApp,
  openContainer,
  putObject,
  seededBytes,
  seededFileTransfer,
  shot,
  swift,
  test,
  transferItem,
  uniqueName,
} from './helpers.ts';

const SEG_KIB = 256;

/** 110 files: 100 small ones spread over nested folders, unicode names, an empty file, one 3-segment file. */
function makeTree(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (let i = 0; i < 100; i++) files.set(`tree/d${i % 4}/sub${i % 3}/file-${String(i).padStart(3, '0')}.txt`, seededBytes(i, 40 + i * 8));
  const extra: [string, Buffer][] = [
    ['tree/été/plage ☀.txt', Buffer.from('soleil')],
    ['tree/日本/東京/地図.json', Buffer.from('{"東京":true}')],
    ['tree/Ünïcødé ñame.md', Buffer.from('# ü')],
    ['tree/space name/a b c.txt', Buffer.from('spaces')],
    ['tree/empty.bin', Buffer.alloc(0)],
    ['tree/big/large.bin', seededBytes(0xb16, 2 * SEG_KIB * 1024 + 12344)],
    ['tree/.hidden', Buffer.from('dot file')],
    ['tree/a/b/c/d/e/deep.txt', Buffer.from('deep')],
    ['tree/percent%20and+plus&amp.txt', Buffer.from('odd chars')],
    ['tree/README', Buffer.from('no extension')],
  ];
  for (const [k, v] of extra) files.set(k, v);
  for (const [rel, data] of files) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), data);
  }
  return files;
}

test('a folder of 110 files goes up as one batch and comes back byte-identical', async ({ page }) => {
  test.setTimeout(4 * 60_000);
  const container = uniqueName('folders');
  const local = mkdtempSync(join(tmpdir(), 'slo-e2e-folders-'));
  const files = makeTree(local);
  try {
    await createContainer(container);
    await openApp(page);
    await openContainer(page, container);
    await filterSidebar(page, container);

    await page.getByLabel('Choose a folder to upload').setInputFiles(join(local, 'tree'));
    const sheet = page.getByRole('dialog', { name: 'Upload tree/' });
    const plan = sheet.getByRole('group', { name: 'Batch plan' });
    await expect(plan).toContainText('110files');
    await sheet.getByRole('combobox', { name: 'Segment size unit' }).selectOption('KiB');
    await sheet.getByRole('spinbutton', { name: 'Segment size' }).fill(String(SEG_KIB));
    await expect(plan).toContainText('1become SLOs');
    await expect(plan).toContainText(`${SEG_KIB} KiBsegment size`);
    await expect(plan.getByRole('list', { name: 'Files in this upload' }).getByRole('listitem').filter({ hasText: 'tree/big/large.bin' })).toContainText('SLO · 3 segments');
    await shot(page, '86-folder-plan', { docs: true });

    const started = Date.now();
    await sheet.getByRole('button', { name: 'Upload 110 files' }).click();
    await expect(sheet).toBeHidden();
    const group = page.getByRole('list', { name: 'Transfers' }).getByRole('listitem', { name: 'Upload of tree/ (110 files)' });
    await expect(group).toBeVisible();
    await expect(group).toContainText('110 of 110 files uploaded', { timeout: 120_000 });
    const uploadMs = Date.now() - started;
    await group.getByRole('button', { name: 'Show 110 files' }).click();
    await expect(objectRow(page, container, 'tree/')).toBeVisible();
    await dismissToasts(page);
    await expect(group.getByRole('list', { name: 'Files of tree/ (110 files)' }).getByRole('listitem')).toHaveCount(110);
    await shot(page, '87-folder-transfer-group', { docs: true });

    const names = await listObjects(container, 'tree/');
    expect(names?.sort()).toEqual([...files.keys()].sort());
    const big = await headObject(container, 'tree/big/large.bin');
    expect(big.headers.get('x-static-large-object')).toBe('True');
    const uni = await swift('GET', `${container}/tree/日本/東京/地図.json`);
    expect(uni.body.toString()).toBe('{"東京":true}');

    // Down again: the folder row selected, one verified tar from the browser, every file compared.
    await page.getByRole('button', { name: 'Collapse bottom panel' }).click();
    await objectRow(page, container, 'tree/').click();
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download 1 selected item into a folder' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('tree.tar');
    const out = mkdtempSync(join(tmpdir(), 'slo-e2e-folders-back-'));
    await download.saveAs(join(out, 'back.tar'));
    expect(await download.failure()).toBeNull();
    execFileSync('tar', ['-xf', 'back.tar'], { cwd: out });
    for (const [rel, data] of files) expect(md5(readFileSync(join(out, rel))), rel).toBe(md5(data));
    console.log(`folders e2e: upload of 110 files ${uploadMs} ms, download and check ${Date.now() - started - uploadMs} ms`);
    rmSync(out, { recursive: true, force: true });
  } finally {
    rmSync(local, { recursive: true, force: true });
    await cleanupContainers(container, `${container}_segments`);
  }
});

test('uploading onto existing names asks: replace, keep both, skip — one at a time or for all', async ({ page }) => {
  test.setTimeout(3 * 60_000);
  const container = uniqueName('overwrite');
  const local = mkdtempSync(join(tmpdir(), 'slo-e2e-ow-'));
  const dir = join(local, 'docs');
  mkdirSync(dir);
  const write = (v: string) => ['x.txt', 'y.txt', 'z.txt'].forEach((n) => writeFileSync(join(dir, n), `${n} ${v}`));
  const body = async (name: string) => (await swift('GET', `${container}/docs/${name}`)).body.toString();
  try {
    await createContainer(container);
    await openApp(page);
    await openContainer(page, container);
    const input = page.getByLabel('Choose a folder to upload');
    const sheet = page.getByRole('dialog', { name: 'Upload docs/' });
    const group = page.getByRole('list', { name: 'Transfers' }).getByRole('listitem', { name: /^Upload of docs\// });
    const upload = async (expectPrompt: boolean) => {
      await input.setInputFiles(dir);
      await expect(sheet.getByRole('group', { name: 'Batch plan' })).toContainText('3files');
      if (expectPrompt) await expect(sheet.getByRole('group', { name: 'Batch plan' })).toContainText('3 names already exist');
      await sheet.getByRole('button', { name: 'Upload 3 files' }).click();
    };

    write('v1');
    await upload(false);
    await expect(group).toContainText('3 of 3 files uploaded');
    await group.getByRole('button', { name: /^Dismiss upload of docs\// }).click();

    write('v2');
    await upload(true);
    const prompt = page.getByRole('dialog', { name: '“x.txt” already exists' });
    await expect(prompt).toContainText(`${container}/docs/x.txt is already stored`);
    await shot(page, '88-overwrite-prompt', { docs: true });
    await prompt.getByRole('button', { name: 'Replace' }).click();
    const second = page.getByRole('dialog', { name: '“y.txt” already exists' });
    await expect(second).toContainText('the new file becomes y (2).txt');
    await second.getByRole('button', { name: 'Keep both' }).click();
    await page.getByRole('dialog', { name: '“z.txt” already exists' }).getByRole('button', { name: 'Skip' }).click();
    await expect(sheet).toBeHidden();
    await expect(group).toContainText('2 of 2 files uploaded');
    expect(await body('x.txt')).toBe('x.txt v2');
    expect(await body('y.txt')).toBe('y.txt v1');
    expect(await body('y (2).txt')).toBe('y.txt v2');
    expect(await body('z.txt')).toBe('z.txt v1');
    await group.getByRole('button', { name: /^Dismiss upload of docs\// }).click();

    // "For all": one answer settles every name.
    write('v3');
    await upload(true);
    const first = page.getByRole('dialog', { name: '“x.txt” already exists' });
    await first.getByRole('checkbox', { name: 'Do this for all 3 existing names' }).check();
    await first.getByRole('button', { name: 'Keep both' }).click();
    await expect(group).toContainText('3 of 3 files uploaded');
    expect(await body('x (2).txt')).toBe('x.txt v3');
    expect(await body('y (3).txt')).toBe('y.txt v3');
    expect(await body('z (2).txt')).toBe('z.txt v3');
    expect(await body('x.txt')).toBe('x.txt v2');
  } finally {
    await cleanupContainers(container);
  }
});

test('a single dropped file onto an existing name asks too; keep both uploads it as "name (2).ext"', async ({ page }) => {
  const container = uniqueName('overwrite1');
  try {
    await createContainer(container);
    await putObject(container, 'same.bin', 'old bytes');
    await openApp(page);
    await openContainer(page, container);
    await dropFiles(objectGrid(page, container), await seededFileTransfer(page, 'same.bin', 0x5a3e, 4096));
    await page.getByRole('dialog', { name: 'Upload same.bin' }).getByRole('button', { name: 'Upload', exact: true }).click();
    const prompt = page.getByRole('dialog', { name: '“same.bin” already exists' });
    await expect(prompt).toContainText('the new file becomes same (2).bin');
    await expect(prompt.getByRole('checkbox')).toHaveCount(0);
    await prompt.getByRole('button', { name: 'Keep both' }).click();
    await expect(transferItem(page, 'Upload', 'same (2).bin').getByText('Done', { exact: true })).toBeVisible();
    expect(md5((await swift('GET', `${container}/same (2).bin`)).body)).toBe(md5(seededBytes(0x5a3e, 4096)));
    expect((await swift('GET', `${container}/same.bin`)).body.toString()).toBe('old bytes');
  } finally {
    await cleanupContainers(container);
  }
});

test('a folder upload pauses, resumes and cancels as one group', async ({ page }) => {
  test.setTimeout(3 * 60_000);
  const container = uniqueName('group');
  const local = mkdtempSync(join(tmpdir(), 'slo-e2e-group-'));
  for (const d of ['g', 'h']) {
    mkdirSync(join(local, d));
    for (let i = 0; i < 6; i++) writeFileSync(join(local, d, `f${i}.bin`), seededBytes(i, 4096));
  }
  const PULL = /\/pull\/[0-9a-f]+$/;
  try {
    await createContainer(container);
    await openApp(page);
    await openContainer(page, container);
    const transfers = page.getByRole('list', { name: 'Transfers' });
    const start = async (d: string) => {
      await page.getByLabel('Choose a folder to upload').setInputFiles(join(local, d));
      const sheet = page.getByRole('dialog', { name: `Upload ${d}/` });
      await expect(sheet.getByRole('group', { name: 'Batch plan' })).toContainText('6files');
      await sheet.getByRole('button', { name: 'Upload 6 files' }).click();
      return transfers.getByRole('listitem', { name: `Upload of ${d}/ (6 files)` });
    };

    // The page holds every byte pull until told, so the whole group is in flight or queued.
    let release!: () => void;
    let gate = new Promise<void>((r) => (release = r));
    await page.route(PULL, async (route) => {
      await gate;
      await route.continue().catch(() => undefined);
    });
    const g = await start('g');
    await expect(g.getByText('Running', { exact: true })).toBeVisible();
    await g.getByRole('button', { name: 'Pause upload of g/ (6 files)' }).click();
    await expect(g.getByText('Paused', { exact: true })).toBeVisible();
    await expect(g).toContainText('0 of 6 files uploaded');
    release();
    await g.getByRole('button', { name: 'Resume upload of g/ (6 files)' }).click();
    await expect(g).toContainText('6 of 6 files uploaded');
    expect((await listObjects(container, 'g/'))?.length).toBe(6);

    gate = new Promise<void>((r) => (release = r));
    const h = await start('h');
    await expect(h.getByText('Running', { exact: true })).toBeVisible();
    await h.getByRole('button', { name: 'Cancel upload of h/ (6 files)' }).click();
    await expect(h.getByText('Cancelled', { exact: true })).toBeVisible();
    release();
    await page.unroute(PULL);
    await h.getByRole('button', { name: 'Dismiss upload of h/ (6 files)' }).click();
    await expect(h).toHaveCount(0);
    expect(await listObjects(container, 'h/')).toEqual([]);
  } finally {
    await cleanupContainers(container);
  }
});
