// Deleting a DLO whose prefix points into another container: the confirmation names every container that loses
// objects and how many, and warns about the one outside the object's own — before anything is deleted.
import { cleanupContainers, createContainer, expect, listObjects, objectRow, openApp, openContainer, putObject, test, uniqueName } from './helpers.ts';

test('the delete dialog shows the objects per container of a DLO that reaches into another container', async ({ page }) => {
  const home = uniqueName('plan-home');
  const other = uniqueName('plan-other');
  await createContainer(home);
  await createContainer(other);
  try {
    for (const n of ['p/1', 'p/2', 'p/3']) await putObject(other, n, `part ${n}`);
    await putObject(home, 'd', '', { 'x-object-manifest': `${other}/p/` });
    await openApp(page);
    await openContainer(page, home);
    const row = objectRow(page, home, 'd');
    await row.click();
    await row.press('Delete');
    const dialog = page.getByRole('dialog', { name: /^Delete d/ });
    const plan = dialog.getByLabel('Objects deleted per container');
    await expect(plan).toContainText(`1 object in ${home}`);
    await expect(plan).toContainText(`3 objects in ${other}`);
    await expect(dialog).toContainText(`Segments live in ${other}, outside the object's container`);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await listObjects(other)).toEqual(['p/1', 'p/2', 'p/3']);
  } finally {
    await cleanupContainers(home, other);
  }
});
