// The connection form against a real Keystone v3 (the Keystone tests' shared sandbox): password and application-
// credential profiles test successfully, the region field chooses the endpoint, and a wrong project or region is
// explained. Skipped, with the install command, where Keystone's packages are missing and cannot be installed.
import type { Locator } from '@playwright/test';
import type { SandboxInfo } from '../../app/sandbox/manager.ts';
import { keystoneSandbox } from '../helpers/keystone-sandbox.ts';
import { expect, newProfile, openApp, shot, switcher, test } from './helpers.ts';

let sb: SandboxInfo | undefined;
let skipReason = '';

test.beforeAll(async () => {
  test.setTimeout(400_000);
  const started = await keystoneSandbox();
  if ('skip' in started) skipReason = started.skip;
  else sb = started.info;
});

async function testConnection(form: Locator): Promise<Locator> {
  await form.getByRole('button', { name: 'Test connection' }).click();
  const outcome = form.getByRole('status').filter({ hasText: 'Connection works.' }).or(form.getByRole('alert').filter({ hasText: 'Connection test failed' }));
  await expect(outcome).toBeVisible({ timeout: 90_000 });
  return outcome;
}

test('Keystone profiles: password and application credential test against a real Keystone; region and project mistakes are explained', async ({ page }) => {
  test.skip(Boolean(skipReason), skipReason);
  test.setTimeout(5 * 60_000);
  const k = sb!.keystone!;
  await openApp(page);

  await test.step('password, any region, then each region by name', async () => {
    const form = await newProfile(page, 'Keystone password', 'Keystone v3 — password');
    await form.getByRole('textbox', { name: 'Keystone URL' }).fill(k.authUrl);
    await form.getByRole('textbox', { name: 'Username' }).fill(k.username);
    await form.getByLabel('Password', { exact: true }).fill(k.password);
    await form.getByRole('textbox', { name: 'Project', exact: true }).fill(k.projectName);
    await expect(await testConnection(form)).toContainText('KEY_');
    await shot(page, '34-keystone-profile', { docs: true });

    await form.getByRole('textbox', { name: 'Region' }).fill('RegionTwo');
    await expect(await testConnection(form)).toContainText('Connection works.');
    await form.getByRole('textbox', { name: 'Region' }).fill('Atlantis');
    await expect(await testConnection(form)).toContainText('No public object-store endpoint in region "Atlantis"; the catalog has regions: RegionOne, RegionTwo.');

    await form.getByRole('textbox', { name: 'Region' }).fill('');
    await form.getByRole('textbox', { name: 'Project', exact: true }).fill('no-such-project');
    await expect(await testConnection(form)).toContainText(`but not project "no-such-project" in domain "Default"`);
  });

  await test.step('application credential', async () => {
    const form = await newProfile(page, 'Keystone app credential', 'Keystone v3 — application credential');
    await form.getByRole('textbox', { name: 'Keystone URL' }).fill(k.authUrl);
    await form.getByRole('textbox', { name: 'Application credential ID' }).fill(k.applicationCredentialId);
    await form.getByLabel('Secret', { exact: true }).fill(k.applicationCredentialSecret);
    await expect(await testConnection(form)).toContainText('KEY_');
  });

  const dialog = page.getByRole('dialog', { name: 'Connections' });
  await dialog.getByRole('button', { name: 'Close dialog' }).click();
  await expect(switcher(page)).toHaveAccessibleName(/^Connection: Local sandbox/);
});
