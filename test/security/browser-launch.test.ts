// Browser mode opens the page through another process (xdg-open, then the browser), whose argv any local user can
// read in /proc. So the URL it passes is a one-time launch URL without the session token: the first GET redirects
// to the token URL, later ones are refused. A fake xdg-open on PATH records its argv.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserMode, type BrowserMode } from '../../main/browser/main.ts';

describe('browser mode: the token never goes into argv', () => {
  let dir: string;
  let mode: BrowserMode;
  const oldPath = process.env.PATH;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slo-launch-'));
    await writeFile(join(dir, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${join(dir, 'argv.txt')}'\n`);
    await chmod(join(dir, 'xdg-open'), 0o755);
    process.env.PATH = `${dir}:${oldPath ?? ''}`;
    mode = await startBrowserMode({ port: 0, open: true, dataDir: join(dir, 'data'), staticDir: dir, handleSignals: false, log: () => {} });
  });
  afterAll(async () => {
    process.env.PATH = oldPath;
    await mode?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('xdg-open gets a one-time URL without the token; it redirects once to the page, then is refused', async () => {
    const argvFile = join(dir, 'argv.txt');
    let argv = '';
    for (let i = 0; i < 50 && !argv; i++) {
      argv = await readFile(argvFile, 'utf8').catch(() => '');
      if (!argv) await new Promise((r) => setTimeout(r, 100));
    }
    expect(argv).not.toBe('');
    expect(argv).not.toContain(mode.token);
    const url = argv.trim();
    const first = await fetch(url, { redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe(`/${mode.token}/`);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const again = await fetch(url, { redirect: 'manual' });
    expect(again.status).toBe(403);
  });
});
