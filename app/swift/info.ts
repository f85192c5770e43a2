// GET /info: the cluster's limits, read at runtime and never hard-coded. Cached per client.
import type { Capabilities } from '../domain/cluster.ts';
import type { SwiftClient } from './client.ts';

/** /info lives beside /v1 on the proxy, e.g. https://host/swift/v1/AUTH_x → https://host/swift/info. */
export function infoUrl(storageUrl: string): string {
  const u = new URL(storageUrl);
  const i = u.pathname.search(/\/v1(\/|$)/);
  const prefix = i >= 0 ? u.pathname.slice(0, i) : '';
  return `${u.origin}${prefix}/info`;
}

export const DEFAULT_CAPABILITIES: Capabilities = {
  slo: { maxManifestSegments: 1000, maxManifestSize: 8 * 1024 * 1024, minSegmentSize: 1 },
  maxFileSize: 5 * 1024 ** 3,
  maxObjectNameLength: 1024,
  maxContainerNameLength: 256,
  containerListingLimit: 10000,
  bulkDelete: true,
  dlo: true,
  maxNestingDepth: 10,
};

export type RawInfo = {
  swift?: { version?: string; max_file_size?: number; max_object_name_length?: number; max_container_name_length?: number; container_listing_limit?: number };
  slo?: { max_manifest_segments?: number; max_manifest_size?: number; min_segment_size?: number; yield_frequency?: number; allow_async_delete?: boolean };
  bulk_delete?: { max_deletes_per_request?: unknown };
  dlo?: unknown;
};

export function parseCapabilities(raw: RawInfo): Capabilities {
  const d = DEFAULT_CAPABILITIES;
  const s = raw.swift ?? {};
  return {
    slo: raw.slo
      ? {
          maxManifestSegments: raw.slo.max_manifest_segments ?? d.slo!.maxManifestSegments,
          maxManifestSize: raw.slo.max_manifest_size ?? d.slo!.maxManifestSize,
          minSegmentSize: raw.slo.min_segment_size ?? d.slo!.minSegmentSize,
          ...(raw.slo.yield_frequency !== undefined ? { yieldFrequency: raw.slo.yield_frequency } : {}),
          ...(raw.slo.allow_async_delete !== undefined ? { allowAsyncDelete: raw.slo.allow_async_delete } : {}),
        }
      : null,
    maxFileSize: s.max_file_size ?? d.maxFileSize,
    maxObjectNameLength: s.max_object_name_length ?? d.maxObjectNameLength,
    maxContainerNameLength: s.max_container_name_length ?? d.maxContainerNameLength,
    containerListingLimit: s.container_listing_limit ?? d.containerListingLimit,
    bulkDelete: raw.bulk_delete !== undefined,
    // dlo does not register in /info, and the proxy inserts it automatically: every Swift reads DLOs.
    dlo: true,
    ...(s.version ? { swiftVersion: s.version } : {}),
    maxNestingDepth: 10,
  };
}

const infoCache = new WeakMap<SwiftClient, Promise<RawInfo | null>>();

/** The /info document of the cluster behind `client`, fetched once per client; null when the cluster hides it. */
export function clusterInfo(client: SwiftClient): Promise<RawInfo | null> {
  let p = infoCache.get(client);
  if (!p) {
    p = (async () => {
      const { storageUrl } = await client.auth();
      const res = await client.getUnauthenticated(infoUrl(storageUrl));
      return res.status === 200 ? (JSON.parse(res.text) as RawInfo) : null;
    })();
    p.catch(() => infoCache.delete(client));
    infoCache.set(client, p);
  }
  return p;
}

const cache = new WeakMap<SwiftClient, Promise<Capabilities>>();

/** Capabilities of the cluster behind `client`; clusters with /info disabled get Swift's defaults. */
export function capabilities(client: SwiftClient): Promise<Capabilities> {
  let p = cache.get(client);
  if (!p) {
    p = clusterInfo(client).then((raw) => {
      if (raw) return parseCapabilities(raw);
      client.warnings.push('This cluster does not publish /info; SLO Studio assumes Swift\'s default limits.');
      return DEFAULT_CAPABILITIES;
    });
    p.catch(() => cache.delete(client));
    cache.set(client, p);
  }
  return p;
}
