// Electron secrets: each value encrypted with safeStorage (the OS keychain: Keychain, DPAPI, libsecret/kwallet) and
// written to its own 0600 file. Storing is refused when no real keychain is available — on Linux safeStorage would
// otherwise fall back to a hard-coded key ('basic_text'), which is obfuscation, not encryption.
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SafeStorage } from 'electron';
import type { SecretStore } from '../../app/rpc/handlers.ts';
import { SwiftError, toSwiftError } from '../../app/swift/errors.ts';

// The async calls (Electron ≥ 38) are used where present: the sync ones are deprecated and can block on Linux while
// the keyring answers (electron#43479). The sync ones remain the fallback for older Electrons and simple fakes.
export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend' | 'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync'>>;

/** Null when secrets can be encrypted with a real OS keychain, else the sentence telling the user why not. */
export async function keychainProblem(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): Promise<string | null> {
  const noKeychain =
    'SLO Studio will not store this secret: no OS keychain is available to encrypt it (on Linux, install and unlock GNOME Keyring or KWallet). Use browser mode, or enter the secret each time.';
  const available = safeStorage.isAsyncEncryptionAvailable ? await safeStorage.isAsyncEncryptionAvailable() : safeStorage.isEncryptionAvailable();
  if (!available) return noKeychain;
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') return noKeychain;
  return null;
}

async function encrypt(safeStorage: SafeStorageLike, value: string): Promise<Buffer> {
  return safeStorage.encryptStringAsync ? await safeStorage.encryptStringAsync(value) : safeStorage.encryptString(value);
}

async function decrypt(safeStorage: SafeStorageLike, data: Buffer): Promise<{ value: string; reEncrypt: boolean }> {
  if (!safeStorage.decryptStringAsync) return { value: safeStorage.decryptString(data), reEncrypt: false };
  const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(data);
  return { value: result, reEncrypt: shouldReEncrypt };
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
    let plain: { value: string; reEncrypt: boolean };
    try {
      plain = await decrypt(this.safeStorage, data);
    } catch (e) {
      throw new SwiftError({
        kind: 'io',
        message: 'A stored secret could not be decrypted with the OS keychain (was the keychain reset?); enter it again.',
        cause: e,
      });
    }
    // The keychain rotated its key: store the value again under the new one (it was read either way).
    if (plain.reEncrypt) await this.set(key, plain.value).catch(() => undefined);
    return plain.value;
  }

  async set(key: string, value: string): Promise<void> {
    const problem = await keychainProblem(this.safeStorage, this.platform);
    if (problem) throw new SwiftError({ kind: 'io', message: problem });
    const file = this.fileFor(key);
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(await encrypt(this.safeStorage, value));
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
