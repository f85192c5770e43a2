// Connections: a v1 profile with a wrong key fails "Test connection" with a sentence that says what is wrong, and
// connecting with it shows the same error while the app stays on its working connection. Fixing the key works.
import { authUrl, expect, newTempauthProfile, openApp, shot, switcher, test, SANDBOX_USER } from './helpers.ts';

const PROFILE = 'Sandbox with a wrong key';

test('a bad password shows a clear error, in the test and when connecting', async ({ page, consoleGuard }) => {
  // The failed connect is reported through the error toast, which also logs it.
  consoleGuard.allow(new RegExp(`SLO Studio: Could not connect to ${PROFILE}`));
  const rejected = `The user name or key for "${SANDBOX_USER}" was rejected by ${authUrl()}.`;

  await openApp(page);
  await switcher(page).click();
  const menu = page.getByRole('menu', { name: 'Connections' });
  await expect(menu.getByRole('menuitem', { name: /Local sandbox/ })).toHaveAttribute('aria-current', 'true');
  await shot(page, '30-connection-menu');
  await menu.getByRole('menuitem', { name: 'Manage connections…' }).click();

  const dialog = page.getByRole('dialog', { name: 'Connections' });
  const form = await newTempauthProfile(page, PROFILE, SANDBOX_USER, 'not-the-key');
  await shot(page, '31-connections-dialog', { docs: true });

  await test.step('Test connection explains the rejection', async () => {
    await form.getByRole('button', { name: 'Test connection' }).click();
    const failed = form.getByRole('alert').filter({ hasText: 'Connection test failed' });
    await expect(failed).toBeVisible({ timeout: 60_000 });
    await expect(failed).toContainText(rejected);
    await shot(page, '32-bad-password-test', { docs: true });
  });

  await test.step('Save and connect shows the error and keeps the working connection', async () => {
    await form.getByRole('button', { name: 'Save and connect' }).click();
    const edit = dialog.getByRole('form', { name: `Edit profile ${PROFILE}` });
    const callout = edit.getByRole('alert').filter({ hasText: 'Last connection attempt failed' });
    await expect(callout).toBeVisible({ timeout: 60_000 });
    await expect(callout).toContainText(rejected);
    await expect(callout).toContainText('HTTP 401');
    await expect(callout).toContainText('auth');
    const toast = page.getByRole('alert').filter({ hasText: `Could not connect to ${PROFILE}` });
    await expect(toast).toBeVisible();
    await expect(toast).toContainText(rejected);
    await expect(dialog.getByRole('list', { name: 'Profiles' }).getByRole('button', { name: new RegExp(PROFILE) })).toBeVisible();
    await expect(switcher(page)).toHaveAccessibleName(/^Connection: Local sandbox/);
    await shot(page, '33-bad-password-connect');
  });

  await test.step('the right key works; the profile is removed again', async () => {
    const edit = dialog.getByRole('form', { name: `Edit profile ${PROFILE}` });
    await edit.getByLabel('Key', { exact: true }).fill('testing');
    await edit.getByRole('button', { name: 'Test connection' }).click();
    await expect(edit.getByRole('status').filter({ hasText: 'Connection works.' })).toContainText('AUTH_test', { timeout: 60_000 });
    await edit.getByRole('button', { name: 'Remove profile' }).click();
    await edit.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect(dialog.getByRole('list', { name: 'Profiles' }).getByRole('button', { name: new RegExp(PROFILE) })).toHaveCount(0);
    await dialog.getByRole('button', { name: 'Close dialog' }).click();
    await expect(dialog).toBeHidden();
    await expect(switcher(page)).toHaveAccessibleName(/^Connection: Local sandbox/);
  });
});
