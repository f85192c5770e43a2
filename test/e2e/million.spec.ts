// A container of 1,000,000 objects (issue #15): the list is a window. The count comes from the container's HEAD, the
// scrollbar spans every row, End reaches the last object with a reverse listing, a name is one marker away, and the
// DOM keeps the same few rows however far the list jumps. The fixture is listing-only (written through the container
// server, built once per sandbox and checked by count): its objects exist only in the listing, which is all this reads.
import {
  cleanupContainers,
  collapseDock,
  connectMillionAccount,
  createContainer,
  dismissToasts,
  ensureFixtureManyContainers,
  ensureFixtureMillion,
  expect,
  filterSidebar,
  leaveProfile,
  MANY,
  manyName,
  MILLION,
  millionName,
  newTempauthProfile,
  objectGrid,
  objectRow,
  openApp,
  openContainer,
  shot,
  sidebar,
  swift,
  switcher,
  test,
  uniqueName,
} from './helpers.ts';
import type { Page } from '@playwright/test';

/** The fixture lives in its own account (see million-listing.ts): each test connects there and leaves again. */
const PROFILE = 'Million objects';

test('a container of 1,000,000 objects: first rows, End, a jump by name, type-to-jump, a bounded DOM', async ({ page }) => {
  test.setTimeout(6 * 60_000);
  const built = await ensureFixtureMillion();
  if (built) console.log(`built ${MILLION.container} (1,000,000 listing rows) in ${built} ms`);
  const { container, count } = MILLION;

  await openApp(page);
  await connectMillionAccount(page, PROFILE);
  try {
    await millionTour(page, container, count);
  } finally {
    await leaveProfile(page, PROFILE);
  }
});

async function millionTour(page: Page, container: string, count: number) {
  const last = millionName(count - 1);
  await filterSidebar(page, MILLION.container);
  await openContainer(page, container);
  const grid = objectGrid(page, container);
  const body = grid.getByRole('rowgroup', { name: 'Object rows' });
  const domRows = body.getByRole('row');
  const status = page.getByRole('main', { name: `Objects in ${container}` }).getByRole('status');

  await expect(objectRow(page, container, millionName(0))).toBeVisible();
  await expect(status).toHaveText(/^1,000,000 items/);
  await expect(grid).toHaveAttribute('aria-rowcount', String(count + 1));
  const rowsAtStart = await domRows.count();
  expect(rowsAtStart).toBeLessThan(100);

  // End: the last object, selected, at the last row index, after one reverse listing.
  await objectRow(page, container, millionName(0)).click();
  await body.press('End');
  await expect(objectRow(page, container, last)).toBeVisible();
  await expect(objectRow(page, container, last)).toHaveAttribute('aria-selected', 'true');
  await expect(objectRow(page, container, last)).toHaveAttribute('aria-rowindex', String(count + 1));
  await expect(objectRow(page, container, millionName(0))).toHaveCount(0);
  await collapseDock(page);
  await dismissToasts(page);
  await shot(page, '23-container-1m-end', { docs: true });

  // Type-to-jump: letters typed together jump to the first name at or after them (here obj-0500000).
  await body.pressSequentially('obj-05', { delay: 30 });
  await expect(objectRow(page, container, millionName(500_000))).toBeVisible();
  await expect(objectRow(page, container, millionName(500_000))).toHaveAttribute('aria-selected', 'true');
  // The rows around it are the real neighbours, in order.
  await expect(objectRow(page, container, millionName(499_999))).toBeVisible();
  await expect(objectRow(page, container, millionName(500_001))).toBeVisible();

  // Keyboard paging inside the window and across its edge.
  await body.press('PageDown');
  await expect(body.getByRole('row', { selected: true })).toHaveAttribute('aria-label', /^obj-05000\d\d$/);
  await body.press('Home');
  await expect(objectRow(page, container, millionName(0))).toHaveAttribute('aria-selected', 'true');

  // Ten jumps across the container (the scrollbar dragged to a spot, then names typed): the DOM stays the same size
  // and the list in memory stays a window. Each count is read once the drawing has settled (the same count 250 ms
  // apart): right after the dock collapses or a window lands, the view may still be growing to its new height.
  const settledCount = async () => {
    await expect
      .poll(async () => {
        const a = await domRows.count();
        await page.waitForTimeout(250);
        return a === (await domRows.count());
      })
      .toBe(true);
    return domRows.count();
  };
  const counts: number[] = [];
  for (let k = 1; k <= 10; k++) {
    const target = millionName(k * 97_531);
    if (k % 2) {
      await body.evaluate((el, f) => {
        el.scrollTop = (el.scrollHeight - el.clientHeight) * f;
      }, k / 11);
      await expect(body.getByRole('row', { name: /^obj-\d{7}$/ }).first()).toBeVisible();
      await expect(body.getByRole('row', { name: 'Loading row' })).toHaveCount(0);
    } else {
      await body.focus();
      // Letters typed within ¾ s of each other add up to one name: let the last burst expire first.
      await page.waitForTimeout(800);
      await body.pressSequentially(target, { delay: 10 });
      await expect(objectRow(page, container, target)).toHaveAttribute('aria-selected', 'true');
    }
    counts.push(await settledCount());
  }
  console.log(`1,000,000 objects: DOM rows after each of 10 jumps: ${counts.join(', ')} (at the start: ${rowsAtStart})`);
  expect(Math.max(...counts)).toBeLessThan(100);
  expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(2);
  await expect(page.getByText(/^rows [\d,]+–[\d,]+ (\(position estimated\) )?in memory$/)).toBeVisible();
  const inMemory = (await page.getByText(/^rows [\d,]+–[\d,]+/).textContent())!.match(/rows ([\d,]+)–([\d,]+)/)!;
  const held = Number(inMemory[2]!.replaceAll(',', '')) - Number(inMemory[1]!.replaceAll(',', '')) + 1;
  expect(held).toBeLessThanOrEqual(4000);

  // A prefix has no count: the total grows as pages arrive ("at least"), and End still reaches the last name at once.
  await page.getByRole('searchbox', { name: 'Search by name prefix' }).fill('obj-05');
  await expect(objectRow(page, container, millionName(500_000))).toBeVisible();
  await expect(status).toHaveText(/^at least 1,001 items/);
  await objectRow(page, container, millionName(500_000)).click();
  await body.press('End');
  await expect(objectRow(page, container, millionName(599_999))).toHaveAttribute('aria-selected', 'true');
  await expect(status).toHaveText(/^at least [\d,]+ items/);
  await body.press('Home');
  await expect(objectRow(page, container, millionName(500_000))).toHaveAttribute('aria-selected', 'true');
}

test('the filter narrows the loaded rows by a part of their name, and says so', async ({ page }) => {
  await ensureFixtureMillion();
  const { container, count } = MILLION;
  await openApp(page);
  await connectMillionAccount(page, PROFILE);
  try {
    await filterTour(page, container, count);
  } finally {
    await leaveProfile(page, PROFILE);
  }
});

async function filterTour(page: Page, container: string, count: number) {
  await filterSidebar(page, MILLION.container);
  await openContainer(page, container);
  const grid = objectGrid(page, container);
  const body = grid.getByRole('rowgroup', { name: 'Object rows' });
  await expect(objectRow(page, container, millionName(0))).toBeVisible();
  await objectRow(page, container, millionName(0)).click();
  await body.press('End');
  await expect(objectRow(page, container, millionName(count - 1))).toBeVisible();

  const filter = page.getByRole('searchbox', { name: 'Filter loaded rows' });
  await filter.fill('0999999');
  await expect(objectRow(page, container, millionName(999_999))).toBeVisible();
  await expect(objectRow(page, container, millionName(999_998))).toHaveCount(0);
  const status = page.getByRole('main', { name: `Objects in ${container}` }).getByRole('status');
  await expect(status).toHaveText(/^1 of [\d,]+ loaded rows match “0999999”/);
  await collapseDock(page);
  await dismissToasts(page);
  await shot(page, '24-filter-loaded-rows', { docs: true });

  // Nothing loaded matches: the empty state says the filter looked only at what is loaded.
  await filter.fill('zzz');
  await expect(grid.getByText('No loaded row contains “zzz”')).toBeVisible();
  await filter.fill('');
  await expect(status).toHaveText(/^1,000,000 items/);
}

test('an account of 100,001 containers: the container list is a window too', async ({ page }) => {
  test.setTimeout(4 * 60_000);
  const built = await ensureFixtureManyContainers();
  if (built) console.log(`built ${MANY.count + 1} containers in ${MANY.user}'s account in ${built} ms`);
  const PROFILE = 'Many containers';
  // A container of the sandbox account, so there is one to come back to: the list must load again after the switch
  // (and the filter typed here must not hide the other account's containers).
  const home = uniqueName('home');
  await createContainer(home);
  expect((await swift('PUT', `${home}/one.txt`, { body: 'one' })).status).toBe(201);
  await openApp(page);
  await filterSidebar(page, home);
  await openContainer(page, home);
  try {
    const form = await newTempauthProfile(page, PROFILE, MANY.user, MANY.key);
    await form.getByRole('button', { name: 'Save and connect' }).click();
    await expect(switcher(page)).toHaveAccessibleName(new RegExp(`^Connection: ${PROFILE}`), { timeout: 60_000 });
    const dialog = page.getByRole('dialog', { name: 'Connections' });
    if (await dialog.isVisible()) await dialog.getByRole('button', { name: 'Close dialog' }).click();

    const nav = sidebar(page);
    const list = nav.getByRole('list', { name: 'Container list' });
    // The count is the account's (HEAD); hidden segment containers would count in it, hence "about".
    await expect(nav.getByRole('status').filter({ hasText: /containers$/ })).toHaveText('about 100,001 containers');
    await expect(list.getByRole('button', { name: MANY.real, exact: true })).toBeVisible();
    await expect(list.getByRole('button', { name: MANY.real, exact: true })).toHaveAttribute('aria-current', 'true');
    const items = list.getByRole('listitem');
    expect(await items.count()).toBeLessThan(60);

    // End from the keyboard: the last container, one reverse listing away.
    await list.getByRole('button', { name: MANY.real, exact: true }).focus();
    await page.keyboard.press('End');
    await expect(list.getByRole('button', { name: manyName(MANY.count - 1), exact: true })).toBeFocused();
    expect(await items.count()).toBeLessThan(60);

    // PageUp moves a page of containers; typed letters jump to the first name at or after them (by marker).
    await page.keyboard.press('PageUp');
    await expect(list.locator(':focus')).toHaveAttribute('aria-label', /^bulk-0999[0-8]\d$/);
    await page.waitForTimeout(800); // letters typed within ¾ s add up: start a fresh name
    await page.keyboard.type('bulk-0314', { delay: 20 });
    await expect(list.getByRole('button', { name: manyName(31_400), exact: true })).toBeFocused();

    // The filter is a prefix Swift answers: the first of 1,000 names under bulk-0500.
    await nav.getByRole('searchbox', { name: 'Filter containers' }).fill('bulk-0500');
    await expect(list.getByRole('button', { name: manyName(50_000), exact: true })).toBeVisible();
    await expect(nav.getByRole('status').filter({ hasText: /containers$/ })).toHaveText('100 containers');
    await nav.getByRole('searchbox', { name: 'Filter containers' }).fill('');
    await expect(nav.getByRole('status').filter({ hasText: /containers$/ })).toHaveText('about 100,001 containers');
    await collapseDock(page);
    await dismissToasts(page);
    await shot(page, '25-account-100k-containers');
  } finally {
    await leaveProfile(page, PROFILE);
  }
  // Back on the sandbox account, the container opened there lists (no row stays "loading" across the switch).
  await expect(page.getByRole('main', { name: /^Objects in / }).getByRole('row', { name: 'Loading row' })).toHaveCount(0);
  await expect(page.getByRole('main', { name: /^Objects in / }).getByRole('status').filter({ hasText: /items?$/ })).toHaveText(/^(1 item|[\d,]+ items)$/);
  await cleanupContainers(home);
});
