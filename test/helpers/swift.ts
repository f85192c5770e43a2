// Test helpers around the real sandbox: a client from the provided credentials, unique container names, listing
// and cleanup.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { deletePaths } from '../../app/slo/delete.ts';
import { SwiftClient } from '../../app/swift/client.ts';
import { listObjects } from '../../app/swift/listing.ts';
import { createContainer, deleteContainer, headObject } from '../../app/swift/objects.ts';

export function sandboxCreds() {
  return inject('sandbox');
}

export function sandboxClient(extra: Partial<ConstructorParameters<typeof SwiftClient>[0]> = {}): SwiftClient {
  const s = sandboxCreds();
  return new SwiftClient({ auth: { type: 'v1', authUrl: s.authUrl, user: s.user, key: s.key }, ...extra });
}

export function uniqueName(purpose: string): string {
  return `t-${purpose}-${randomBytes(4).toString('hex')}`;
}

export async function makeContainer(client: SwiftClient, name = uniqueName('fx')): Promise<string> {
  await createContainer(client, name);
  return name;
}

/** Object names in a container (under `prefix`); a container that does not exist has none. */
export async function listNames(client: SwiftClient, container: string, prefix?: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of listObjects(client, container, prefix ? { prefix } : {})) if (e.type === 'object') names.push(e.name);
  } catch (e) {
    if ((e as { kind?: string }).kind === 'not-found') return [];
    throw e;
  }
  return names;
}

/** Listed names that really exist: after deletes, a busy Swift's listing can still show objects that are gone. */
export async function storedNames(client: SwiftClient, container: string, prefix?: string): Promise<string[]> {
  const out: string[] = [];
  for (const n of await listNames(client, container, prefix)) {
    if (await headObject(client, container, n).then(() => true, () => false)) out.push(n);
  }
  return out;
}

/**
 * Deletes containers and everything in them; never throws (cleanup). Listings can lag behind deletes on a busy
 * Swift, so a 409 from the container DELETE is retried.
 */
export async function removeContainers(client: SwiftClient, ...containers: string[]): Promise<void> {
  for (const c of containers) {
    for (let i = 0; i < 10; i++) {
      const err = await listNames(client, c)
        .then((names) => deletePaths(client, names.map((n) => `${c}/${n}`)))
        .then(() => deleteContainer(client, c))
        .then(() => undefined, (e: unknown) => e as { kind?: string });
      if (err?.kind !== 'conflict') break;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** Environment for python-swiftclient and `slo` children. */
export function swiftEnv(): NodeJS.ProcessEnv {
  const s = sandboxCreds();
  return { ...process.env, ST_AUTH: s.authUrl, ST_USER: s.user, ST_KEY: s.key };
}
