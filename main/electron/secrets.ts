// Electron secrets: each value encrypted with safeStorage (the OS keychain: Keychain, DPAPI, libsecret/kwallet) and
// written to its own 0600 file. Storing is refused when no real keychain is available — on Linux safeStorage would
// otherwise fall back to a hard-coded key ('basic_text'), which is obfuscation, not encryption.
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SafeStorage } from 'electron';
import type { SecretStore } from '../../app/rpc/handlers.ts';
import { SwiftError, toSwiftError } from '../../app/swift/errors.ts';

export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

export function keychainProblem(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): string | null {
  const noKeychain =
    'SLO Studio will not store this secret: no OS keychain is available to encrypt it (on Linux, install and unlock GNOME Keyring or KWallet). Use browser mode, or enter the secret each time.';
  if (!safeStorage.isEncryptionAvailable()) return noKeychain;
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') return noKeychain;
  return null;
}

export class SafeStorageSecretStore implements SecretStore {
  constructor(
    readonly dir: string,
    private readonly safeStorage: SafeStorageLike,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  /** Key names are hashed into file names so no key can form a path. */
  fileFor(key: string): string {
    return join(this.dir, `${createHash('sha256').update(key).digest('hex')}.secret`);
  }

  async get(key: string): Promise<string | undefined> {
    let data: Buffer;
    try {
      data = await readFile(this.fileFor(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw toSwiftError(e, 'Reading a stored secret');
    }
    try {
      return this.safeStorage.decryptString(data);
    } catch (e) {
      throw new SwiftError({
        kind: 'io',
        message: 'A stored secret could not be decrypted with the OS keychain (was the keychain reset?); enter it again.',
        cause: e,
      });
    }
  }

  async set(key: string, value: string): Promise<void> {
    const problem = keychainProblem(this.safeStorage, this.platform);
    if (problem) throw new SwiftError({ kind: 'io', message: problem });
    const file = this.fileFor(key);
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(this.safeStorage.encryptString(value));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, file);
      await chmod(file, 0o600);
    } catch (e) {
      await rm(temp, { force: true }).catch(() => undefined);
      throw toSwiftError(e, 'Saving a secret');
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.fileFor(key), { force: true });
  }
}

export function keychainNotice(dir: string): string {
  return `The desktop app encrypts secrets with the OS keychain and keeps the encrypted values in ${dir}.`;
}
