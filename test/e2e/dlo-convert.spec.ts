// A DLO opened in the viewer offers "Convert to SLO…": the object becomes an SLO over the same name that serves the
// same bytes, and its segments stay.
import { cleanupContainers, createContainer, expect, headObject, objectRow, openApp, openContainer, putObject, swift, test, uniqueName } from './helpers.ts';

test('a DLO converts to an SLO from the viewer and serves the same bytes', async ({ page }) => {
  const c = uniqueName('dlo');
  const parts = ['first ', 'second ', 'third\n'];
  try {
    await createContainer(c);
    for (const [i, text] of parts.entries()) await putObject(c, `parts/${i}`, text);
    await putObject(c, 'joined.txt', '', { 'X-Object-Manifest': `${c}/parts/` });

    await openApp(page);
    await openContainer(page, c);
    await objectRow(page, c, 'joined.txt').dblclick();
    const viewer = page.getByRole('main', { name: `Manifest of ${c}/joined.txt` });
    await expect(viewer.getByRole('group', { name: 'Kind' })).toContainText('DLO');
    await viewer.getByRole('button', { name: 'Convert to SLO…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Convert joined.txt to an SLO?' });
    await dialog.getByRole('button', { name: 'Convert' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'joined.txt is now an SLO' })).toBeVisible({ timeout: 60_000 });
    await expect(viewer.getByRole('group', { name: 'Kind' })).toContainText('SLO');

    expect((await headObject(c, 'joined.txt')).headers.get('x-static-large-object')).toBe('True');
    expect((await swift('GET', `${c}/joined.txt`)).body.toString()).toBe(parts.join(''));
    for (const i of [0, 1, 2]) expect((await headObject(c, `parts/${i}`)).status).toBe(200);
  } finally {
    await cleanupContainers(c);
  }
});
