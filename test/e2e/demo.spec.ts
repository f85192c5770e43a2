// A first run that teaches: an account with no containers offers "Create a demo container", and one click fills it with
// an SLO, a nested SLO, a DLO and the story's manifest stored as plain data. Uses the sandbox's second tempauth account
// (test2:tester2), emptied of demo containers before and after, and switches back to the local sandbox at the end.
import { authUrl, expect, leaveProfile, newTempauthProfile, openApp, openContainer, objectRow, shot, sidebar, switcher, test } from './helpers.ts';

const PROFILE = 'Empty account';
const USER = 'test2:tester2';
const KEY = 'testing2';
const DEMO = 'slo-studio-demo';

/** Removes the demo containers of the second account through Swift's bulk delete (everything, then the containers). */
async function emptyDemo(): Promise<void> {
  const auth = await fetch(authUrl(), { headers: { 'X-Auth-User': USER, 'X-Auth-Key': KEY } });
  await auth.arrayBuffer();
  const token = auth.headers.get('x-auth-token')!;
  const base = auth.headers.get('x-storage-url')!;
  for (const c of [DEMO, `${DEMO}_segments`]) {
    const list = await fetch(`${base}/${c}?format=json`, { headers: { 'X-Auth-Token': token } });
    if (list.status === 404) continue;
    const names = ((await list.json()) as { name: string }[]).map((o) => `/${c}/${o.name.split('/').map(encodeURIComponent).join('/')}`);
    const body = [...names, `/${c}`].join('\n');
    const r = await fetch(`${base}?bulk-delete`, { method: 'POST', headers: { 'X-Auth-Token': token, 'Content-Type': 'text/plain', Accept: 'application/json' }, body });
    await r.arrayBuffer();
  }
}

test('an empty account offers a demo container, and one click fills it', async ({ page }) => {
  test.setTimeout(4 * 60_000);
  await emptyDemo();
  await openApp(page);
  const dialog = page.getByRole('dialog', { name: 'Connections' });
  try {
    const form = await newTempauthProfile(page, PROFILE, USER, KEY);
    await form.getByRole('button', { name: 'Save and connect' }).click();
    await expect(switcher(page)).toHaveAccessibleName(new RegExp(`^Connection: ${PROFILE}`), { timeout: 60_000 });
    if (await dialog.isVisible()) await dialog.getByRole('button', { name: 'Close dialog' }).click();

    const nav = sidebar(page);
    await expect(nav.getByRole('heading', { name: 'No containers yet' })).toBeVisible({ timeout: 30_000 });
    await shot(page, '02-first-run-empty', { docs: true });
    await nav.getByRole('button', { name: 'Create a demo container' }).click();
    await expect(page.getByRole('status').filter({ hasText: `Demo container ${DEMO} is ready` })).toBeVisible({ timeout: 120_000 });
    await openContainer(page, DEMO);
    for (const name of ['big.bin', 'nested.bin', 'small.bin', 'dlo.txt']) await expect(objectRow(page, DEMO, name)).toBeVisible();
    // The DLO's listing says 0 bytes; the row shows the whole object's size once its HEAD is in (not "0 B").
    await expect(objectRow(page, DEMO, 'dlo.txt')).toContainText('DLO');
    await expect(objectRow(page, DEMO, 'dlo.txt')).toContainText('21 B');
    await shot(page, '03-first-run-demo', { docs: true });
  } finally {
    await leaveProfile(page, PROFILE);
    await emptyDemo();
  }
});
