// The object browser: filtering containers, folders and breadcrumbs, prefix search; the keyboard path (Tab to
// Upload…, the file chooser, Enter to open, Escape to come back); the dark theme.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MiB,
  cleanupContainers,
  collapseDock,
  createContainer,
  dismissToasts,
  expect,
  filterSidebar,
  md5,
  objectGrid,
  objectRow,
  openApp,
  openContainer,
  putObject,
  seededBytes,
  shot,
  sidebar,
  swift,
  test,
  transferItem,
  uniqueName,
} from './helpers.ts';

test('filter containers, folders and breadcrumbs, prefix search', async ({ page }) => {
  const container = uniqueName('nav');
  const other = `${container}-other`;
  try {
    await createContainer(container);
    await createContainer(other);
    for (const name of ['docs/guide/intro.txt', 'docs/readme.md', 'photos/cat.jpg', 'notes.txt', 'notes-2.txt']) {
      await putObject(container, name, `contents of ${name}\n`);
    }

    await openApp(page);
    await openContainer(page, container);
    const nav = sidebar(page);

    await test.step('filter the container list', async () => {
      const filter = nav.getByRole('searchbox', { name: 'Filter containers' });
      await filter.fill(container);
      await expect(nav.getByRole('list', { name: 'Container list' }).getByRole('listitem')).toHaveCount(2);
      await filter.fill(other);
      await expect(nav.getByRole('list', { name: 'Container list' }).getByRole('listitem')).toHaveCount(1);
      await expect(nav.getByRole('button', { name: other, exact: true })).toBeVisible();
      await filter.fill(`${container}-nothing`);
      await expect(nav.getByText(`No container matches “${container}-nothing”.`)).toBeVisible();
      await filter.fill(container);
      await shot(page, '50-containers-filtered');
      await filter.fill('');
      await expect(nav.getByRole('button', { name: container, exact: true })).toBeVisible();
    });

    await test.step('folders first, then objects', async () => {
      const rows = objectGrid(page, container).getByRole('rowgroup', { name: 'Object rows' }).getByRole('row');
      await expect(rows).toHaveCount(4);
      await expect(rows.nth(0)).toHaveAccessibleName('docs/');
      await expect(rows.nth(1)).toHaveAccessibleName('photos/');
      await expect(rows.nth(2)).toHaveAccessibleName('notes-2.txt');
      await expect(rows.nth(3)).toHaveAccessibleName('notes.txt');
      await expect(rows.nth(0)).toContainText('folder');
    });

    await test.step('into folders and back with breadcrumbs and the keyboard', async () => {
      await objectRow(page, container, 'docs/').dblclick();
      await expect(objectRow(page, container, 'readme.md', 'docs/')).toBeVisible();
      await objectRow(page, container, 'guide/', 'docs/').dblclick();
      await expect(objectRow(page, container, 'intro.txt', 'docs/guide/')).toBeVisible();
      const crumbs = page.getByRole('navigation', { name: 'Folder path' });
      await expect(crumbs.getByRole('button')).toHaveText([container, 'docs', 'guide'].map((t) => new RegExp(t)));
      await expect(crumbs.getByRole('button', { name: 'guide' })).toHaveAttribute('aria-current', 'location');
      await filterSidebar(page, container);
      await shot(page, '51-folders-breadcrumbs', { docs: true });

      await crumbs.getByRole('button', { name: 'docs', exact: true }).click();
      await expect(objectRow(page, container, 'guide/', 'docs/')).toBeVisible();
      await expect(crumbs.getByRole('button', { name: 'docs', exact: true })).toHaveAttribute('aria-current', 'location');
      // Backspace goes one folder up from the list.
      await objectGrid(page, container, 'docs/').getByRole('rowgroup', { name: 'Object rows' }).press('Backspace');
      await expect(objectRow(page, container, 'docs/')).toBeVisible();
      await expect(crumbs.getByRole('button')).toHaveCount(1);
    });

    await test.step('prefix search', async () => {
      const search = page.getByRole('searchbox', { name: 'Search by name prefix' });
      await search.fill('notes');
      const rows = objectGrid(page, container).getByRole('rowgroup', { name: 'Object rows' }).getByRole('row');
      await expect(rows).toHaveCount(2);
      await expect(rows).toHaveText([/notes-2\.txt/, /notes\.txt/]);
      await search.fill('zzz');
      await expect(page.getByRole('heading', { name: 'Nothing starts with “zzz”' })).toBeVisible();
      await search.fill('');
      await expect(rows).toHaveCount(4);
    });
  } finally {
    await cleanupContainers(container, other);
  }
});

test('keyboard: Tab to Upload…, the file chooser, Enter opens, Escape returns; dark theme', async ({ page }) => {
  test.setTimeout(5 * 60_000);
  const container = uniqueName('kbd');
  const dir = mkdtempSync(join(tmpdir(), 'slo-e2e-kbd-'));
  const file = 'keyboard-3m.bin';
  const bytes = seededBytes(0x6b6264, 3 * MiB + 4096);
  writeFileSync(join(dir, file), bytes);
  try {
    await createContainer(container);
    await putObject(container, 'a-first.txt', 'first\n');

    await openApp(page);
    await openContainer(page, container);
    await filterSidebar(page, container);
    await expect(objectRow(page, container, 'a-first.txt')).toBeVisible();

    await test.step('Tab reaches Upload… and Enter opens the file chooser', async () => {
      // Listen first: Playwright turns file-chooser interception on asynchronously when a listener appears, and a key
      // press sent right behind it can win that race (the chooser then opens natively and the event never comes).
      const chooser = page.waitForEvent('filechooser', { timeout: 60_000 });
      chooser.catch(() => undefined); // awaited below; this only keeps an early failure from also being "unhandled"
      await page.getByRole('searchbox', { name: 'Search by name prefix' }).focus();
      const visited: string[] = [];
      for (let i = 0; i < 15; i++) {
        await page.keyboard.press('Tab');
        const name = (await page.evaluate(`(() => {
          const el = document.activeElement;
          return el ? (el.getAttribute('aria-label') || el.textContent || el.tagName).trim() : '';
        })()`)) as string;
        visited.push(name);
        if (name === 'Upload…') break;
      }
      expect(visited, `Tab order from the search box: ${visited.join(' → ')}`).toContain('Upload…');
      expect(visited.indexOf('Upload…')).toBeLessThan(8);
      await expect(page.getByRole('button', { name: 'Upload…' })).toBeFocused();
      await shot(page, '52-keyboard-focus-upload');

      await page.keyboard.press('Enter');
      await (await chooser).setFiles(join(dir, file));
    });

    await test.step('the upload sheet is driven from the keyboard', async () => {
      const sheet = page.getByRole('dialog', { name: `Upload ${file}` });
      await expect(sheet).toBeVisible();
      const size = sheet.getByRole('spinbutton', { name: 'Segment size', exact: true });
      await size.focus();
      await size.press('ControlOrMeta+a');
      await page.keyboard.type('1');
      await expect(sheet.getByRole('group', { name: `Upload plan for ${file}` })).toContainText('4segments');
      await sheet.getByRole('button', { name: 'Upload', exact: true }).focus();
      await page.keyboard.press('Enter');
      const item = transferItem(page, 'Upload', file);
      await expect(item.getByText('Done', { exact: true })).toBeVisible({ timeout: 3 * 60_000 });
      await expect(item.getByTestId(/^segment-grid-/).locator('[data-state="verified"]')).toHaveCount(4);
      // What Swift serves back is the file.
      const got = await swift('GET', `${container}/${file}`);
      expect(got.status).toBe(200);
      expect(md5(got.body)).toBe(md5(bytes));
    });

    await test.step('arrow keys select, Enter opens the manifest, Escape comes back to the list', async () => {
      await collapseDock(page);
      await dismissToasts(page);
      const body = objectGrid(page, container).getByRole('rowgroup', { name: 'Object rows' });
      await expect(objectRow(page, container, file)).toBeVisible();
      await body.focus();
      await body.press('Home');
      await expect(objectRow(page, container, 'a-first.txt')).toHaveAttribute('aria-selected', 'true');
      await body.press('ArrowDown');
      await expect(objectRow(page, container, file)).toHaveAttribute('aria-selected', 'true');
      await body.press('Enter');
      const viewer = page.getByRole('main', { name: `Manifest of ${container}/${file}` });
      await expect(viewer).toBeFocused();
      await expect(viewer.getByRole('tab', { name: 'Segments (4)' })).toBeVisible();
      // Tabs follow the arrow keys.
      await viewer.getByRole('tab', { name: 'Segments (4)' }).focus();
      await page.keyboard.press('ArrowRight');
      await expect(viewer.getByRole('tab', { name: 'Tree' })).toBeFocused();
      await expect(viewer.getByRole('tab', { name: 'Tree' })).toHaveAttribute('aria-selected', 'true');
      await viewer.focus();
      await page.keyboard.press('Escape');
      await expect(viewer).toBeHidden();
      await expect(body).toBeFocused();
      await expect(objectRow(page, container, file)).toHaveAttribute('aria-selected', 'true');
    });

    await test.step('dark theme', async () => {
      const toggle = page.getByRole('button', { name: 'Switch to dark theme' });
      await toggle.focus();
      await page.keyboard.press('Enter');
      await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
      await expect(page.getByRole('button', { name: 'Switch to light theme' })).toBeVisible();
      await shot(page, '53-dark-browser');
      await objectRow(page, container, file).dblclick();
      const viewer = page.getByRole('main', { name: `Manifest of ${container}/${file}` });
      await viewer.getByRole('button', { name: 'Verify', exact: true }).click();
      await expect(viewer.getByRole('status').filter({ hasText: 'All segments verified ✓' })).toBeVisible({ timeout: 60_000 });
      await dismissToasts(page);
      await shot(page, '54-dark-manifest', { docs: true });
      // The choice survives a reload.
      await page.reload();
      await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await cleanupContainers(container);
  }
});
