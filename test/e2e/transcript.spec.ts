// The request transcript: every request the host sends to Swift is listed, and "Copy as curl" never carries the auth
// token unless the user asks for it ("Copy with token"); the token is not rendered anywhere on the page either.
import { cleanupContainers, createContainer, dismissToasts, expect, filterSidebar, openApp, openContainer, putObject, shot, test, uniqueName } from './helpers.ts';

const REDACTED = /-H 'x-auth-token: <redacted>'/i;

test('transcript lists requests; Copy as curl redacts the token', async ({ page }) => {
  const container = uniqueName('transcript');
  try {
    await createContainer(container);
    await putObject(container, 'hello.txt', 'hello, transcript\n', { 'Content-Type': 'text/plain' });

    await openApp(page);
    await openContainer(page, container);
    await filterSidebar(page, container);
    await page.getByRole('button', { name: 'Request transcript panel' }).click();
    const grid = page.getByRole('grid', { name: 'Request transcript' });
    await expect(grid).toBeVisible();
    await expect(page.getByRole('tab', { name: 'Requests' })).toHaveAttribute('aria-selected', 'true');

    // The listing of our container, as the host sent it.
    const listing = grid.getByRole('row', { name: new RegExp(`^GET /v1/AUTH_test/${container}\\?.* 200$`) }).last();
    await expect(listing).toBeVisible();
    await listing.click();
    const details = page.getByRole('complementary', { name: 'Request details' });
    await expect(details).toBeVisible();
    await expect(details).toContainText(`/v1/AUTH_test/${container}?`);
    const tokenHeader = details.getByRole('definition').filter({ hasText: '<redacted>' });
    await expect(tokenHeader).toHaveCount(1);

    const clipboard = async () => (await page.evaluate('navigator.clipboard.readText()')) as string;

    await details.getByRole('button', { name: 'Copy as curl' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Copied curl command' })).toContainText('The auth token is redacted.');
    const redacted = await clipboard();
    expect(redacted).toMatch(/^curl -i /);
    expect(redacted).toMatch(REDACTED);
    expect(redacted).toContain(`/v1/AUTH_test/${container}?`);

    // The row's own curl button is redacted too.
    await page.evaluate('navigator.clipboard.writeText("")');
    await listing.getByRole('button', { name: /^Copy GET .* as curl$/ }).click();
    await expect.poll(clipboard).toMatch(REDACTED);

    // Only the explicit action carries the token — and nothing else shows it.
    await details.getByRole('button', { name: 'Copy with token' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Includes the auth token' })).toBeVisible();
    const withToken = await clipboard();
    const token = /x-auth-token: (AUTH_tk[0-9a-f]+)/i.exec(withToken)?.[1];
    expect(token, 'Copy with token carries a real token').toBeTruthy();
    expect(redacted).not.toContain(token!);
    expect(await page.locator('body').innerText()).not.toContain(token!);
    expect(await page.content()).not.toContain(token!);

    await page.getByRole('checkbox', { name: 'Include token' }).check();
    await expect(page.getByRole('note').filter({ hasText: /curl commands .*auth token/i })).toBeVisible();
    await page.getByRole('checkbox', { name: 'Include token' }).uncheck();
    await page.evaluate('navigator.clipboard.writeText("")');
    await details.getByRole('button', { name: 'Copy as curl' }).click();
    await expect.poll(clipboard).toMatch(REDACTED);

    // Make room from the keyboard: the resize handle is a focusable separator.
    const resizer = page.getByRole('separator', { name: 'Resize bottom panel' });
    const before = Number(await resizer.getAttribute('aria-valuenow'));
    await resizer.focus();
    for (let i = 0; i < 8; i++) await resizer.press('ArrowUp');
    await expect(resizer).toHaveAttribute('aria-valuenow', String(before + 8 * 24));
    // Clicking its buttons scrolled the details pane; show it from the top (method, status, URL, transaction id).
    await details.evaluate(new Function('el', 'el.scrollTo(0, 0)') as (el: unknown) => void);
    await expect(details.getByRole('button', { name: 'Close request details' })).toBeInViewport();
    await dismissToasts(page);
    await shot(page, '40-transcript', { docs: true });
  } finally {
    await cleanupContainers(container);
  }
});
