// The CA certificate is picked as a file in the connection dialog; the renderer reads it and the host stores its
// text (no path goes to the host). Editing the profile keeps it, and it can be removed.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, newTempauthProfile, openApp, test, SANDBOX_USER } from './helpers.ts';

const PROFILE = 'Sandbox with a picked CA';
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBpicked\n-----END CERTIFICATE-----\n';

test('a picked CA file is sent as text, kept on edit, and can be removed', async ({ page }) => {
  await openApp(page);
  const form = await newTempauthProfile(page, PROFILE, SANDBOX_USER, 'testing');
  const dialog = page.getByRole('dialog', { name: 'Connections' });
  await form.getByText('TLS and performance').click();
  await form.getByLabel('CA certificate file').setInputFiles({ name: 'my-ca.pem', mimeType: 'application/x-pem-file', buffer: Buffer.from(PEM) });
  await expect(form).toContainText('CA certificate (PEM): my-ca.pem');
  await expect(form).toContainText("Trusted in addition to the system's certificate authorities");
  await form.getByRole('button', { name: 'Save', exact: true }).click();

  const edit = dialog.getByRole('form', { name: `Edit profile ${PROFILE}` });
  await expect(edit).toBeVisible();
  const saved = async () => {
    const data = JSON.parse(await readFile(join(process.env.SLO_E2E_DATA_DIR!, 'profiles.json'), 'utf8')) as { profiles: { name: string; caPem?: string }[] };
    return data.profiles.find((p) => p.name === PROFILE);
  };
  await expect.poll(async () => (await saved())?.caPem).toBe(PEM);
  await expect(edit).toContainText(/CA certificate \(PEM\): (my-ca\.pem|saved certificate)/);

  const removeCa = edit.getByRole('button', { name: 'Remove the CA certificate' });
  if (!(await removeCa.isVisible())) await edit.getByText('TLS and performance').click();
  await removeCa.click();
  await edit.getByLabel('Key', { exact: true }).fill('testing'); // the CA is part of what the key is bound to
  await edit.getByRole('button', { name: 'Save', exact: true }).click();
  await expect.poll(async () => (await saved())?.caPem ?? 'none').toBe('none');

  await edit.getByRole('button', { name: 'Remove profile' }).click();
  await edit.getByRole('button', { name: 'Remove', exact: true }).click();
});
