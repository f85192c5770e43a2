// Connection profiles: settings in profiles.json, secrets only in the host's SecretStore (safeStorage in Electron,
// a 0600 file in browser mode). The renderer only ever sees ProfileSummary — no secret goes back.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Profile, type AuthConfig, type ProfileSummary } from '../rpc/contract.ts';
import type { SecretStore } from '../rpc/handlers.ts';
import { SwiftError } from '../swift/errors.ts';

interface StoredFile {
  profiles: Profile[];
  lastUsed: string | null;
}

const SECRET_FIELD = { v1: 'key', 'keystone-password': 'password', 'keystone-appcred': 'secret', token: 'token' } as const;

export function secretOf(auth: AuthConfig): string {
  return (auth as Record<string, unknown>)[SECRET_FIELD[auth.type]] as string;
}

function withSecret(auth: AuthConfig, secret: string): AuthConfig {
  return { ...auth, [SECRET_FIELD[auth.type]]: secret } as AuthConfig;
}

/**
 * What a secret was given for: auth type, where it is sent, who it identifies, and the TLS trust used to send it.
 * A stored secret is only ever filled in for exactly these settings; any change needs the secret typed again.
 */
function secretBinding(p: Profile): string {
  const a = p.auth;
  const where = a.type === 'token' ? a.storageUrl : a.authUrl;
  const who =
    a.type === 'v1' ? [a.user]
    : a.type === 'keystone-password' ? [a.username, a.userDomain, a.projectName, a.projectDomain]
    : a.type === 'keystone-appcred' ? [a.id]
    : [];
  return JSON.stringify([a.type, where, who, p.insecure, p.caPem ?? '']);
}

function rebindError(p: Profile): SwiftError {
  const what = p.auth.type === 'v1' ? 'key' : p.auth.type === 'keystone-password' ? 'password' : p.auth.type;
  return new SwiftError({
    kind: 'auth',
    message: `The saved ${what} of "${p.name}" was given for other settings (endpoint, identity, project or TLS); enter the ${what} again to use these.`,
  });
}

export function summarize(p: Profile, hasSecret: boolean): ProfileSummary {
  const a = p.auth;
  const endpoint = a.type === 'token' ? a.storageUrl : a.authUrl;
  const identity = a.type === 'v1' ? a.user : a.type === 'keystone-password' ? `${a.username} @ ${a.projectName}` : a.type === 'keystone-appcred' ? `app credential ${a.id}` : 'token';
  const keystone =
    a.type === 'keystone-password' ? { userDomain: a.userDomain, projectDomain: a.projectDomain, interface: a.interface, ...(a.region ? { region: a.region } : {}) }
    : a.type === 'keystone-appcred' ? { interface: a.interface, ...(a.region ? { region: a.region } : {}) }
    : undefined;
  return { id: p.id, name: p.name, authType: a.type, endpoint, identity, insecure: p.insecure, sandbox: p.sandbox, hasSecret, ...(p.caPem ? { caPem: p.caPem } : {}), ...(keystone ? { keystone } : {}) };
}

export class ProfileStore {
  private readonly file: string;
  constructor(private readonly dataDir: string, private readonly secrets: SecretStore) {
    this.file = join(dataDir, 'profiles.json');
  }

  private async load(): Promise<StoredFile> {
    try {
      const data = JSON.parse(await readFile(this.file, 'utf8')) as StoredFile;
      return { profiles: (data.profiles ?? []).map((p) => Profile.parse(p)), lastUsed: data.lastUsed ?? null };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: [], lastUsed: null };
      throw new SwiftError({ kind: 'io', message: `Could not read saved connections from ${this.file}: ${(e as Error).message}`, cause: e });
    }
  }

  private async store(data: StoredFile): Promise<void> {
    await mkdir(this.dataDir, { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(data, null, 2), { mode: 0o600 });
    await rename(tmp, this.file);
  }

  async list(): Promise<{ profiles: ProfileSummary[]; lastUsed: string | null }> {
    const data = await this.load();
    const profiles = await Promise.all(data.profiles.map(async (p) => summarize(p, (await this.secrets.get(`profile:${p.id}`)) !== undefined)));
    return { profiles, lastUsed: data.lastUsed };
  }

  /** Saves settings; the secret goes to the SecretStore. An empty secret on an existing profile keeps the old one. */
  async save(profile: Profile): Promise<ProfileSummary> {
    const data = await this.load();
    const secret = secretOf(profile.auth);
    if (!secret) await this.checkBinding(data, profile);
    if (secret) await this.secrets.set(`profile:${profile.id}`, secret);
    const stripped: Profile = { ...profile, auth: withSecret(profile.auth, '') };
    const i = data.profiles.findIndex((p) => p.id === profile.id);
    if (i >= 0) data.profiles[i] = stripped;
    else data.profiles.push(stripped);
    await this.store(data);
    return summarize(stripped, secret !== '' || (await this.secrets.get(`profile:${profile.id}`)) !== undefined);
  }

  async remove(id: string): Promise<boolean> {
    const data = await this.load();
    const before = data.profiles.length;
    data.profiles = data.profiles.filter((p) => p.id !== id);
    if (data.lastUsed === id) data.lastUsed = null;
    await this.store(data);
    await this.secrets.delete(`profile:${id}`);
    return data.profiles.length < before;
  }

  /** The full profile with its secret, for connecting. */
  async get(id: string): Promise<Profile> {
    const data = await this.load();
    const p = data.profiles.find((x) => x.id === id);
    if (!p) throw new SwiftError({ kind: 'not-found', message: `There is no saved connection with id "${id}".` });
    const secret = (await this.secrets.get(`profile:${id}`)) ?? '';
    return { ...p, auth: withSecret(p.auth, secret) };
  }

  /** Fills an empty secret from the store (the edit form sends profiles without their secret). */
  async withStoredSecret(profile: Profile): Promise<Profile> {
    if (secretOf(profile.auth)) return profile;
    await this.checkBinding(await this.load(), profile);
    const secret = await this.secrets.get(`profile:${profile.id}`);
    return secret ? { ...profile, auth: withSecret(profile.auth, secret) } : profile;
  }

  /** Throws when a stored secret exists for `profile.id` but was given for other settings than `profile`'s. */
  private async checkBinding(data: StoredFile, profile: Profile): Promise<void> {
    const stored = data.profiles.find((p) => p.id === profile.id);
    if (!stored || (await this.secrets.get(`profile:${profile.id}`)) === undefined) return;
    if (secretBinding(stored) !== secretBinding(profile)) throw rebindError(profile);
  }

  async setLastUsed(id: string): Promise<void> {
    const data = await this.load();
    data.lastUsed = id;
    await this.store(data);
  }
}
