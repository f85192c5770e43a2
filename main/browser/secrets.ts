// Browser mode has no OS keychain to talk to, so secrets live in one JSON file only the user can read (0600), in a
// 0700 directory. Writes are atomic (temp file + rename) so a crash never leaves a half-written file.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SecretStore } from '../../app/rpc/handlers.ts';
import { SwiftError, toSwiftError } from '../../app/swift/errors.ts';

export const SECRETS_FILE_NAME = 'secrets.json';

export function secretStorageNotice(file: string): string {
  return `Browser mode keeps secrets in ${file}, readable only by your user (mode 0600). The desktop app encrypts them with the OS keychain.`;
}

interface SecretsFile {
  version: 1;
  secrets: Record<string, string>;
}

export class FileSecretStore implements SecretStore {
  /** Serialises read-modify-write cycles so concurrent set() calls cannot lose each other's keys. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(readonly file: string) {}

  async get(key: string): Promise<string | undefined> {
    const all = await this.#read();
    return Object.prototype.hasOwnProperty.call(all, key) ? all[key] : undefined;
  }

  set(key: string, value: string): Promise<void> {
    return this.#update((all) => {
      all[key] = value;
    });
  }

  delete(key: string): Promise<void> {
    return this.#update((all) => {
      delete all[key];
    });
  }

  #update(change: (all: Record<string, string>) => void): Promise<void> {
    const run = this.#queue.then(async () => {
      const all = await this.#read();
      change(all);
      await this.#write(all);
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #read(): Promise<Record<string, string>> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return Object.create(null) as Record<string, string>;
      throw toSwiftError(e, 'Reading the secrets file');
    }
    try {
      const parsed = JSON.parse(text) as Partial<SecretsFile>;
      const out = Object.create(null) as Record<string, string>;
      for (const [k, v] of Object.entries(parsed.secrets ?? {})) if (typeof v === 'string') out[k] = v;
      return out;
    } catch (e) {
      throw new SwiftError({ kind: 'io', message: `The secrets file ${this.file} is not valid JSON; fix or delete it.`, cause: e });
    }
  }

  async #write(all: Record<string, string>): Promise<void> {
    const body: SecretsFile = { version: 1, secrets: { ...all } };
    const temp = join(dirname(this.file), `.${SECRETS_FILE_NAME}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
      // 'wx' + 0600: the temp file is never readable by others, not even for a moment.
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify(body, null, 2) + '\n', 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await chmod(temp, 0o600); // in case a umask or ACL interfered
      await rename(temp, this.file);
      await chmod(this.file, 0o600);
    } catch (e) {
      await rm(temp, { force: true }).catch(() => undefined);
      throw toSwiftError(e, 'Saving the secrets file');
    }
  }
}
