// Electron secrets with a stand-in safeStorage: encrypted per-key 0600 files, and a refusal without a real keychain.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SafeStorageSecretStore, type SafeStorageLike } from '../../main/electron/secrets.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slo-keychain-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function fakeSafeStorage(available = true, backend: ReturnType<NonNullable<SafeStorageLike['getSelectedStorageBackend']>> = 'gnome_libsecret'): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (s) => Buffer.from(`enc:${Buffer.from(s).toString('base64')}`),
    decryptString: (b) => Buffer.from(b.toString().slice(4), 'base64').toString(),
  };
}

describe('SafeStorageSecretStore', () => {
  it('round-trips through the keychain into one 0600 file per key, never in plain text', async () => {
    const store = new SafeStorageSecretStore(join(dir, 'secrets'), fakeSafeStorage(), 'linux');
    await store.set('profile:1', 'hunter2');
    expect(await store.get('profile:1')).toBe('hunter2');
    expect(await store.get('profile:2')).toBeUndefined();
    const file = store.fileFor('profile:1');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file)).toString()).not.toContain('hunter2');
    expect(await readdir(join(dir, 'secrets'))).toHaveLength(1);
    await store.delete('profile:1');
    expect(await store.get('profile:1')).toBeUndefined();
  });

  it('refuses to store without encryption, or with Linux basic_text, saying why', async () => {
    for (const store of [
      new SafeStorageSecretStore(dir, fakeSafeStorage(false), 'darwin'),
      new SafeStorageSecretStore(dir, fakeSafeStorage(true, 'basic_text'), 'linux'),
    ]) {
      await expect(store.set('k', 'v')).rejects.toMatchObject({ kind: 'io', message: expect.stringContaining('no OS keychain is available') });
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('hashes key names so a key cannot become a path', () => {
    const store = new SafeStorageSecretStore(dir, fakeSafeStorage());
    expect(store.fileFor('../../etc/passwd')).toMatch(new RegExp(`^${dir}/[0-9a-f]{64}\\.secret$`));
  });
});
