// A 10⁹-leaf SLO in the GUI (three levels of 1,000 references to one 1-byte segment): the viewer shows its counts and
// top-level entries instead of a leaf list, the delete dialog opens with the count, deleting with segments is refused
// with the limit sentence, and deleting the manifest alone works.
import { cleanupContainers, collapseDock, createContainer, dismissToasts, expect, headObject, md5, objectRow, openApp, openContainer, putObject, swift, test, uniqueName } from './helpers.ts';

const N = 1000;

async function putSlo(container: string, object: string, path: string): Promise<void> {
  const body = JSON.stringify(Array.from({ length: N }, () => ({ path })));
  const r = await swift('PUT', `${container}/${object}`, { query: { 'multipart-manifest': 'put' }, body });
  if (r.status !== 201) throw new Error(`PUT ${container}/${object}: HTTP ${r.status} ${r.body.toString()}`);
}

test('a manifest of 10⁹ leaves opens with counts, and only its manifest can be deleted', async ({ page }) => {
  test.setTimeout(5 * 60_000);
  const container = uniqueName('exp');
  const segs = `${container}_segments`;
  try {
    await createContainer(container);
    await createContainer(segs);
    await putObject(segs, 'one', 'x', { ETag: md5(Buffer.from('x')) });
    await putSlo(segs, 'l3', `/${segs}/one`);
    await putSlo(segs, 'l2', `/${segs}/l3`);
    await putSlo(container, 'huge', `/${segs}/l2`);

    await openApp(page);
    await openContainer(page, container);
    await objectRow(page, container, 'huge').dblclick();
    const viewer = page.getByRole('main', { name: `Manifest of ${container}/huge` });
    await expect(viewer.getByRole('tab', { name: 'Segments (1,000,000,000)' })).toBeVisible({ timeout: 10_000 });
    await expect(viewer.getByRole('group', { name: 'Total size', exact: true })).toContainText('1,000,000,000 bytes');
    await expect(viewer.getByRole('group', { name: 'Nesting depth', exact: true })).toContainText('3');
    await expect(viewer.getByText('1,000,000,000 segments — too many to list; showing the top-level entries.')).toBeVisible();
    const first = viewer.getByRole('treeitem', { name: `Sub-manifest ${segs}/l2` }).first();
    await expect(first).toContainText('1,000,000 segments · depth 2');
    await expect(viewer.getByTestId(/^segment-block-/)).toHaveCount(0);

    await collapseDock(page);
    await dismissToasts(page);
    await viewer.getByRole('button', { name: 'Delete huge' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete huge and its 1,000,000,000 segments?' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    const done = page.getByRole('dialog', { name: 'Deleted with problems' });
    await expect(done.getByRole('alert')).toContainText(/1,000,000,000 segment pieces .* limit of 10,000,000 .* Delete the manifest alone/);
    await done.getByRole('button', { name: 'Done' }).click();
    expect((await headObject(container, 'huge')).status).toBe(200);

    await viewer.getByRole('button', { name: 'Delete huge' }).click();
    const again = page.getByRole('dialog', { name: /^Delete huge/ });
    await again.getByRole('checkbox', { name: 'Keep the segments (delete only the manifest)' }).check();
    await expect(page.getByRole('dialog', { name: 'Delete huge?' })).toBeVisible();
    await again.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog', { name: 'Deleted' }).getByRole('button', { name: 'Done' }).click();
    expect((await headObject(container, 'huge')).status).toBe(404);
    expect((await headObject(segs, 'one')).status).toBe(200);
  } finally {
    await cleanupContainers(container);
  }
});
