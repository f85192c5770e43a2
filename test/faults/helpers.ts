// Fault-test helpers: clients that go through a fault proxy, and a timeout for steps that must not hang. Sandbox
// clients, names, listing, cleanup and test bytes are shared with the integration tests (../helpers/).
import { SwiftClient, type ClientOptions } from '../../app/swift/client.ts';
import type { SandboxCredentials } from '../helpers/sandbox-env.ts';
import { startFaultProxy, type FaultProxy, type FaultProxyOptions } from './fault-proxy.ts';

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

export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (t = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(t);
  }
}
