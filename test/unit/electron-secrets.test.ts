// Electron secrets with a stand-in safeStorage: encrypted per-key 0600 files, and a refusal without a real keychain.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keychainProblem, SafeStorageSecretStore, type SafeStorageLike } from '../../main/electron/secrets.ts';

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

  it('uses the async keychain calls where Electron has them, never the deprecated sync ones', async () => {
    const sync = fakeSafeStorage();
    const used: string[] = [];
    const asyncOnly: SafeStorageLike = {
      getSelectedStorageBackend: () => 'kwallet6',
      isEncryptionAvailable: () => { throw new Error('sync isEncryptionAvailable called'); },
      encryptString: () => { throw new Error('sync encryptString called'); },
      decryptString: () => { throw new Error('sync decryptString called'); },
      isAsyncEncryptionAvailable: async () => (used.push('available'), true),
      encryptStringAsync: async (s) => (used.push('encrypt'), sync.encryptString(s)),
      decryptStringAsync: async (b) => (used.push('decrypt'), { result: sync.decryptString(b), shouldReEncrypt: false }),
    };
    const store = new SafeStorageSecretStore(join(dir, 'secrets'), asyncOnly, 'linux');
    await store.set('k', 'hunter2');
    expect(await store.get('k')).toBe('hunter2');
    expect(used).toEqual(['available', 'encrypt', 'decrypt']);
    expect(await keychainProblem({ ...asyncOnly, isAsyncEncryptionAvailable: async () => false }, 'darwin')).toMatch(/no OS keychain/);
  });

  it('stores a secret again when the keychain says its key was rotated', async () => {
    const sync = fakeSafeStorage();
    let rotated = true;
    const rotating: SafeStorageLike = {
      ...sync,
      decryptStringAsync: async (b) => ({ result: sync.decryptString(b), shouldReEncrypt: rotated }),
      encryptStringAsync: async (s) => sync.encryptString(s),
    };
    const store = new SafeStorageSecretStore(dir, rotating, 'linux');
    await store.set('k', 'v1');
    const before = (await stat(store.fileFor('k'))).ino;
    expect(await store.get('k')).toBe('v1');
    rotated = false;
    expect((await stat(store.fileFor('k'))).ino).not.toBe(before); // rewritten through a new temp file
    expect(await store.get('k')).toBe('v1');
  });

  it('hashes key names so a key cannot become a path', () => {
    const store = new SafeStorageSecretStore(dir, fakeSafeStorage());
    expect(store.fileFor('../../etc/passwd')).toMatch(new RegExp(`^${dir}/[0-9a-f]{64}\\.secret$`));
  });
});
