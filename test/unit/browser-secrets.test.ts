// Browser-mode secrets: a 0600 JSON file, written atomically, safe under concurrent writes.
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../main/browser/platform.ts';
import { FileSecretStore, secretStorageNotice } from '../../main/browser/secrets.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slo-secrets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FileSecretStore', () => {
  it('stores, reads and deletes secrets in a 0600 file', async () => {
    const file = join(dir, 'nested', 'secrets.json');
    const store = new FileSecretStore(file);
    expect(await store.get('a')).toBeUndefined();
    await store.set('a', 'pässword');
    await store.set('b', 'two');
    expect(await store.get('a')).toBe('pässword');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'nested'))).mode & 0o077).toBe(0);
    await store.delete('a');
    expect(await new FileSecretStore(file).get('a')).toBeUndefined();
    expect(await new FileSecretStore(file).get('b')).toBe('two');
    expect(await store.get('toString')).toBeUndefined();
    expect((await readdir(join(dir, 'nested'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('tightens a file that was made readable by others on the next write', async () => {
    const file = join(dir, 'secrets.json');
    await writeFile(file, JSON.stringify({ version: 1, secrets: { x: '1' } }));
    await chmod(file, 0o644);
    await new FileSecretStore(file).set('y', '2');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('keeps every key under concurrent writes', async () => {
    const store = new FileSecretStore(join(dir, 'secrets.json'));
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`k${i}`, `v${i}`)));
    const saved = JSON.parse(await readFile(join(dir, 'secrets.json'), 'utf8')) as { secrets: Record<string, string> };
    expect(Object.keys(saved.secrets)).toHaveLength(20);
  });

  it("reports a corrupt file as an 'io' error naming it", async () => {
    const file = join(dir, 'secrets.json');
    await writeFile(file, '{nope');
    await expect(new FileSecretStore(file).get('a')).rejects.toMatchObject({ kind: 'io', message: expect.stringContaining(file) });
  });

  it('explains in one sentence pair where secrets live', () => {
    expect(secretStorageNotice('/x/secrets.json')).toBe(
      'Browser mode keeps secrets in /x/secrets.json, readable only by your user (mode 0600). The desktop app encrypts them with the OS keychain.',
    );
  });
});

describe('defaultDataDir', () => {
  it('prefers SLO_STUDIO_DATA_DIR, then XDG_CONFIG_HOME, then ~/.config', () => {
    expect(defaultDataDir({ SLO_STUDIO_DATA_DIR: '/data/slo', XDG_CONFIG_HOME: '/xdg' })).toBe('/data/slo');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/xdg' })).toBe('/xdg/slo-studio');
    expect(defaultDataDir({})).toMatch(/\.config\/slo-studio$/);
  });
});
