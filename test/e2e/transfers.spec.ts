// Transfers that do not go straight through: an upload whose bytes stop coming fails with the reason in words and
// resumes; a cancelled upload leaves no segments behind.
import {
  MiB,
  cleanupContainers,
  createContainer,
  dropFiles,
  expect,
  headObject,
  listObjects,
  md5,
  objectGrid,
  openApp,
  openContainer,
  seededBytes,
  seededFileTransfer,
  shot,
  swift,
  test,
  transferItem,
  uniqueName,
} from './helpers.ts';

const PULL = /\/pull\/[0-9a-f]+$/;

async function dropAndStart(page: import('@playwright/test').Page, container: string, file: string, seed: number, size: number, segmentMiB: number) {
  await dropFiles(objectGrid(page, container), await seededFileTransfer(page, file, seed, size));
  const sheet = page.getByRole('dialog', { name: `Upload ${file}` });
  await sheet.getByRole('spinbutton', { name: 'Segment size', exact: true }).fill(String(segmentMiB));
  await expect(sheet.getByRole('group', { name: `Upload plan for ${file}` })).toContainText(`${Math.ceil(size / (segmentMiB * MiB))}segments`);
  await sheet.getByRole('button', { name: 'Upload', exact: true }).click();
  await expect(sheet).toBeHidden();
}

test('an upload whose browser stops sending fails with the reason, then resumes', async ({ page, consoleGuard }) => {
  test.setTimeout(4 * 60_000);
  consoleGuard.allow(/SLO Studio: Upload of gone\.bin failed/);
  const container = uniqueName('fail');
  const file = 'gone.bin';
  const size = 4 * MiB;
  try {
    await createContainer(container);
    await openApp(page);
    await openContainer(page, container);

    // The page answers every byte pull with "file gone", as a tab that lost the File would.
    await page.route(PULL, (route) => route.continue({ headers: { ...route.request().headers(), 'x-slo-studio-error': 'file-gone' } }));
    await dropAndStart(page, container, file, 0xfa11, size, 1);
    const item = transferItem(page, 'Upload', file);
    await expect(item.getByText('Failed', { exact: true })).toBeVisible({ timeout: 120_000 });
    const reason = `The browser tab no longer holds ${file}; drop the file again to resume its upload.`;
    await expect(item.getByRole('alert')).toContainText(reason);
    const toast = page.getByRole('alert').filter({ hasText: `Upload of ${file} failed` });
    await expect(toast).toContainText(reason);
    await expect(toast).not.toContainText('[object Object]');
    await shot(page, '60-upload-failed');

    await page.unroute(PULL);
    await item.getByRole('button', { name: `Resume upload of ${file}` }).click();
    await expect(item.getByText('Done', { exact: true })).toBeVisible({ timeout: 120_000 });
    const got = await swift('GET', `${container}/${file}`);
    expect(md5(got.body)).toBe(md5(seededBytes(0xfa11, size)));
  } finally {
    await cleanupContainers(container);
  }
});

test('a cancelled upload leaves no segments behind', async ({ page }) => {
  test.setTimeout(4 * 60_000);
  const container = uniqueName('cancel');
  const file = 'cancel-me.bin';
  try {
    await createContainer(container);
    await openApp(page);
    await openContainer(page, container);

    // Two segments go through, then the pulls are held until the cancel.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held!: () => void;
    const firstHeld = new Promise<void>((r) => (held = r));
    let pulls = 0;
    await page.route(PULL, async (route) => {
      if (++pulls > 2) {
        held();
        await gate;
      }
      await route.continue().catch(() => undefined);
    });
    await dropAndStart(page, container, file, 0xca9c, 8 * MiB, 1);
    const item = transferItem(page, 'Upload', file);
    await firstHeld;
    await item.getByRole('button', { name: `Cancel upload of ${file}` }).click();
    await expect(item.getByText('Cancelled', { exact: true })).toBeVisible({ timeout: 60_000 });
    release();
    await page.unroute(PULL);
    await expect(item.getByRole('button', { name: `Dismiss upload of ${file}` })).toBeVisible();
    await shot(page, '61-upload-cancelled');

    expect((await headObject(container, file)).status).toBe(404);
    // The segments it had stored were deleted (listings may lag behind deletes on a busy Swift).
    await expect.poll(async () => (await listObjects(`${container}_segments`)) ?? [], { timeout: 60_000 }).toEqual([]);

    await item.getByRole('button', { name: `Dismiss upload of ${file}` }).click();
    await expect(item).toHaveCount(0);
  } finally {
    await cleanupContainers(container);
  }
});
