// Orphaned segments from the GUI: a container whose segment container holds the segments of an upload whose manifest
// is gone (and one segment a manifest still uses). The dialog leaves fresh segments alone by default, finds the
// orphans once asked to include them, groups them by the upload they came from, and deletes only those.
import { cleanupContainers, createContainer, expect, headObject, listObjects, md5, openApp, openContainer, putObject, shot, swift, test, uniqueName } from './helpers.ts';

test('find orphaned segments of a container, grouped by upload, and delete only them', async ({ page }) => {
  const c = uniqueName('orphans');
  const segs = `${c}_segments`;
  const gone = (n: number) => `big.bin/slo/1795000000.000000/3000/1000/${String(n).padStart(8, '0')}`;
  const keptSeg = 'kept.bin/slo/1795000000.000000/1000/1000/00000000';
  try {
    await createContainer(c);
    await createContainer(segs);
    for (const n of [0, 1, 2]) await putObject(segs, gone(n), Buffer.alloc(1000, n));
    const kept = Buffer.alloc(1000, 9);
    await putObject(segs, keptSeg, kept);
    const manifest = JSON.stringify([{ path: `/${segs}/${keptSeg}`, etag: md5(kept), size_bytes: 1000 }]);
    const r = await swift('PUT', `${c}/kept.bin`, { query: { 'multipart-manifest': 'put' }, body: manifest });
    expect(r.status).toBe(201);

    await openApp(page);
    await openContainer(page, c);
    await page.getByRole('main', { name: `Objects in ${c}` }).getByRole('button', { name: 'Orphans…' }).click();
    const dialog = page.getByRole('dialog', { name: `Orphaned segments of ${c}` });
    // By default segments younger than an hour are left alone: these were written a moment ago.
    await expect(dialog.getByRole('status').filter({ hasText: 'no orphans' })).toContainText('3 newer segments left alone', { timeout: 60_000 });

    await dialog.getByRole('spinbutton', { name: 'Minimum age in minutes' }).fill('0');
    await dialog.getByRole('button', { name: 'Search again' }).click();
    await expect(dialog.getByRole('status').filter({ hasText: '3 orphans' })).toBeVisible({ timeout: 60_000 });
    const group = dialog.getByRole('list', { name: 'Orphans from big.bin' });
    await expect(group.getByRole('checkbox')).toHaveCount(3);
    await expect(dialog.getByRole('list', { name: /Orphans from kept\.bin/ })).toHaveCount(0);
    await shot(page, '77-orphans', { docs: true });

    await dialog.getByRole('button', { name: /^Delete 3 segments/ }).click();
    await expect(dialog.getByText(/Deleted 3/)).toBeVisible({ timeout: 60_000 });
    for (const n of [0, 1, 2]) expect((await headObject(segs, gone(n))).status).toBe(404);
    expect((await headObject(segs, keptSeg)).status).toBe(200);
    expect(await listObjects(c)).toEqual(['kept.bin']);
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await expect(dialog).toBeHidden();
  } finally {
    await cleanupContainers(c, segs);
  }
});
