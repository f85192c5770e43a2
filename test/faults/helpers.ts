// Shared bits for the fault tests: a client that goes through a fault proxy, unique names, cleanup, byte sources.
import { createHash, randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { SwiftClient, type ClientOptions } from '../../app/swift/client.ts';
import { listObjects } from '../../app/swift/listing.ts';
import { createContainer, deleteContainer, deleteObject } from '../../app/swift/objects.ts';
import type { SandboxCredentials } from '../helpers/sandbox-env.ts';
import { startFaultProxy, type FaultProxy, type FaultProxyOptions } from './fault-proxy.ts';

export const KiB = 1024;
export const MiB = 1024 * 1024;

export function sandbox(): SandboxCredentials {
  return inject('sandbox');
}

export function upstreamOf(creds: SandboxCredentials): string {
  return `http://127.0.0.1:${creds.proxyPort}`;
}

export async function proxyFor(creds: SandboxCredentials, opts: Omit<FaultProxyOptions, 'upstream'> = {}): Promise<FaultProxy> {
  return startFaultProxy({ upstream: upstreamOf(creds), ...opts });
}

/** A v1 client that authenticates (and so stores, lists, downloads) through the fault proxy. */
export function clientVia(proxy: FaultProxy, creds: SandboxCredentials, opts: Partial<ClientOptions> = {}): SwiftClient {
  return new SwiftClient({
    auth: { type: 'v1', authUrl: proxy.rewrite(creds.authUrl), user: creds.user, key: creds.key },
    backoffMs: 50,
    maxWaitMs: 3_000,
    ...opts,
  });
}

/** A client straight to Swift, for setup, checks and cleanup that must not see faults. */
export function directClient(creds: SandboxCredentials): SwiftClient {
  return new SwiftClient({ auth: { type: 'v1', authUrl: creds.authUrl, user: creds.user, key: creds.key } });
}

let counter = 0;
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}-${randomBytes(2).toString('hex')}`;
}

export function md5(b: Uint8Array): string {
  return createHash('md5').update(b).digest('hex');
}

/** Deterministic, incompressible-looking bytes (so a shifted or repeated run is caught by a byte compare). */
export function patternBytes(size: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

export async function makeContainer(client: SwiftClient, name = uniqueName('fx')): Promise<string> {
  await createContainer(client, name);
  return name;
}

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

/** Deletes every object of the containers, then the containers; never throws (cleanup). */
export async function removeContainers(client: SwiftClient, ...containers: string[]): Promise<void> {
  for (const c of containers) {
    try {
      for (const name of await listNames(client, c)) await deleteObject(client, c, name, { missingOk: true });
      await deleteContainer(client, c);
    } catch {
      // best effort
    }
  }
}

export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (t = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(t);
  }
}
