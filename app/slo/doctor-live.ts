// What the doctor and the composer ask Swift, asked once each: the account's container names (listed once), HEADs
// of segments (cached, bounded parallelism), bounded listings for name suggestions, and the nesting depth of
// sub-SLOs. Also the rule for correcting a mistyped segment path when the correction is unambiguous.
import { limiter } from '../pool.ts';
import type { ObjectKind } from '../rpc/contract.ts';
import type { SwiftClient } from '../swift/client.ts';
import { SwiftError } from '../swift/errors.ts';
import { listContainers, listObjects } from '../swift/listing.ts';
import { kindFromHeaders, unquote } from '../swift/objects.ts';
import { closestNames, type NameCandidate } from './doctor-keys.ts';
import { readManifest } from './resolve.ts';

export interface SegmentInfo {
  container: string;
  object: string;
  status: 'found' | 'missing' | 'forbidden' | 'error';
  /** Content-Length as HEAD reports it (an SLO: its total size). */
  size?: number;
  /** Unquoted ETag as HEAD reports it (an SLO: its SLO ETag — what a manifest entry must name). */
  etag?: string;
  kind?: ObjectKind;
  message?: string;
}

export interface LookupOptions {
  signal?: AbortSignal;
  /** HEADs and listings in flight at once. */
  concurrency?: number;
  /** At most this many names are listed per container/prefix for suggestions. */
  listLimit?: number;
  /** At most this many container names are read from the account listing. */
  containerLimit?: number;
}

export class SwiftLookup {
  private readonly gate: <T>(fn: () => Promise<T>) => Promise<T>;
  private containerList: Promise<{ names: Set<string>; complete: boolean }> | undefined;
  private readonly heads = new Map<string, Promise<SegmentInfo>>();
  private readonly listings = new Map<string, Promise<{ name: string; bytes: number }[]>>();
  private readonly existence = new Map<string, Promise<boolean>>();
  private readonly depths = new Map<string, Promise<number>>();
  readonly listLimit: number;
  readonly containerLimit: number;

  constructor(readonly client: SwiftClient, readonly opts: LookupOptions = {}) {
    this.gate = limiter(opts.concurrency ?? 8);
    this.listLimit = opts.listLimit ?? 10_000;
    this.containerLimit = opts.containerLimit ?? 50_000;
  }

  private get signalOpt(): { signal?: AbortSignal } {
    return this.opts.signal ? { signal: this.opts.signal } : {};
  }

  /** The account's container names, listed once (bounded). */
  containers(): Promise<{ names: Set<string>; complete: boolean }> {
    if (!this.containerList) {
      this.containerList = (async () => {
        const names = new Set<string>();
        for await (const c of listContainers(this.client)) {
          names.add(c.name);
          if (names.size >= this.containerLimit) return { names, complete: false };
        }
        return { names, complete: true };
      })();
    }
    return this.containerList;
  }

  async containerExists(name: string): Promise<boolean> {
    const { names, complete } = await this.containers();
    if (names.has(name)) return true;
    if (complete) return false;
    let p = this.existence.get(name);
    if (!p) {
      p = this.gate(async () => {
        const res = await this.client.request({ method: 'HEAD', container: name, ok: (s) => s === 404 || (s >= 200 && s < 300), ...this.signalOpt });
        return res.status !== 404;
      });
      this.existence.set(name, p);
    }
    return p;
  }

  /** HEAD of a segment, cached; never throws for 404/401/403 (those become a status). */
  head(container: string, object: string): Promise<SegmentInfo> {
    const key = `${container}/${object}`;
    let p = this.heads.get(key);
    if (!p) {
      p = this.gate(async (): Promise<SegmentInfo> => {
        try {
          const res = await this.client.request({ method: 'HEAD', container, object, ok: (s) => (s >= 200 && s < 300) || s === 404 || s === 403 || s === 401, ...this.signalOpt });
          if (res.status === 404) return { container, object, status: 'missing' };
          if (res.status === 401 || res.status === 403) return { container, object, status: 'forbidden', message: `${res.status} Forbidden` };
          const h = res.headers;
          return { container, object, status: 'found', size: Number(h['content-length'] ?? 0), etag: unquote(h['etag']), kind: kindFromHeaders(h) };
        } catch (e) {
          if (e instanceof SwiftError && e.kind === 'cancelled') throw e;
          return { container, object, status: 'error', message: (e as Error).message };
        }
      });
      this.heads.set(key, p);
    }
    return p;
  }

  /** Objects under `prefix` in `container` with their listed sizes (bounded by listLimit), cached; [] when the container is missing. */
  listing(container: string, prefix: string): Promise<{ name: string; bytes: number }[]> {
    const key = `${container}\n${prefix}`;
    let p = this.listings.get(key);
    if (!p) {
      p = this.gate(async () => {
        const out: { name: string; bytes: number }[] = [];
        try {
          for await (const e of listObjects(this.client, container, { prefix, limit: Math.min(this.listLimit, 10_000), ...this.signalOpt })) {
            if (e.type === 'object') out.push({ name: e.name, bytes: e.bytes });
            if (out.length >= this.listLimit) break;
          }
        } catch (e) {
          if (e instanceof SwiftError && e.kind === 'not-found') return [];
          throw e;
        }
        return out;
      });
      this.listings.set(key, p);
    }
    return p;
  }

  /** Object names under `prefix` in `container` (bounded by listLimit). */
  async names(container: string, prefix: string): Promise<string[]> {
    return (await this.listing(container, prefix)).map((e) => e.name);
  }

  /** Existing containers a typo or two away from `name`, best first. */
  async suggestContainers(name: string, limit = 5): Promise<NameCandidate[]> {
    const { names } = await this.containers();
    return closestNames(name, names, { limit });
  }

  /**
   * Objects in `container` a typo or two away from `object`, listing only names that share its directory part
   * ("dir/sub/" of "dir/sub/seg01"). `exclude` removes names the manifest already uses elsewhere.
   */
  async suggestObjects(container: string, object: string, exclude: ReadonlySet<string> = new Set(), limit = 5): Promise<NameCandidate[]> {
    const slash = object.lastIndexOf('/');
    const prefix = slash >= 0 ? object.slice(0, slash + 1) : '';
    const names = (await this.names(container, prefix)).filter((n) => !exclude.has(n));
    let found = closestNames(object, names, { limit });
    if (!found.length && prefix) {
      // The typo may be in the directory part: look at the parent's listing too (still bounded).
      const up = prefix.slice(0, -1).lastIndexOf('/');
      const parent = up >= 0 ? prefix.slice(0, up + 1) : '';
      const more = (await this.names(container, parent)).filter((n) => !exclude.has(n));
      found = closestNames(object, more, { limit });
    }
    return found;
  }

  /**
   * Nesting depth of an SLO: 1 when its entries are plain segments, 1 + the deepest sub-SLO otherwise. Stops counting
   * past `cap` (and on a cycle) and returns cap + 1.
   */
  sloDepth(container: string, object: string, cap = 10, chain: readonly string[] = []): Promise<number> {
    const key = `${container}/${object}`;
    if (chain.includes(key) || chain.length > cap) return Promise.resolve(cap + 1);
    let p = this.depths.get(key);
    if (!p) {
      p = (async () => {
        let entries;
        try {
          entries = await this.gate(() => readManifest(this.client, container, object, this.signalOpt));
        } catch (e) {
          if (e instanceof SwiftError && (e.kind === 'invalid' || e.kind === 'not-found')) return 0;
          throw e;
        }
        let depth = 1;
        for (const e of entries) {
          if (!e.sub_slo || !e.name) continue;
          const s = e.name.replace(/^\/+/, '');
          const i = s.indexOf('/');
          if (i <= 0) continue;
          depth = Math.max(depth, 1 + (await this.sloDepth(s.slice(0, i), s.slice(i + 1), cap, [...chain, key])));
          if (depth > cap) break;
        }
        return Math.min(depth, cap + 1);
      })();
      this.depths.set(key, p);
    }
    return p;
  }
}

/** Where a (possibly mistyped) segment path really points, and how sure we are. */
export interface PathResolution {
  /** As written. */
  container: string;
  object: string;
  containerExists: boolean;
  /** Existing containers close to a missing one, best first. */
  containerCandidates: string[];
  /** Existing "container/object" paths the written one may have meant, best first (when it does not exist). */
  candidates: string[];
  /** The path to use: as written when it exists, else the single unambiguous correction. */
  resolved?: { container: string; object: string };
  /** HEAD of `resolved`. */
  info?: SegmentInfo;
}

/**
 * Resolves a segment path. With `suggest`, existing paths a typo or two away are listed as candidates; with `correct`
 * (which implies suggest), a path that does not exist is replaced by the only existing path a typo
 * or two away: the same object in a close container (a missing container with one close name, or the only close
 * container that holds the object), or a close object name in the container — never when there are several.
 * `exclude` ("container/object") keeps paths the manifest already uses from being offered.
 */
export async function resolvePath(look: SwiftLookup, container: string, object: string, opts: { correct: boolean; suggest?: boolean; exclude?: ReadonlySet<string> }): Promise<PathResolution> {
  const suggest = opts.suggest ?? opts.correct;
  const exclude = opts.exclude ?? new Set<string>();
  const r: PathResolution = { container, object, containerExists: await look.containerExists(container), containerCandidates: [], candidates: [] };
  const closeObjects = async (c: string): Promise<string[]> => {
    const skip = new Set([...exclude].filter((p) => p.startsWith(`${c}/`)).map((p) => p.slice(c.length + 1)));
    return (await look.suggestObjects(c, object, skip)).map((x) => `${c}/${x.name}`);
  };
  const holding = async (names: string[]): Promise<string[]> => {
    const heads = await Promise.all(names.slice(0, 5).map((n) => look.head(n, object)));
    return heads.filter((h) => h.status === 'found').map((h) => h.container);
  };

  if (r.containerExists) {
    const info = await look.head(container, object);
    if (info.status !== 'missing') {
      r.resolved = { container, object };
      r.info = info;
      return r;
    }
    const sameContainer = suggest ? await closeObjects(container) : [];
    const otherContainers = suggest ? (await holding((await look.suggestContainers(container)).map((x) => x.name))).map((c) => `${c}/${object}`) : [];
    r.candidates = [...sameContainer, ...otherContainers].filter((p) => !exclude.has(p));
  } else {
    r.containerCandidates = (await look.suggestContainers(container)).map((x) => x.name);
    if (suggest && r.containerCandidates.length) {
      const hits = await holding(r.containerCandidates);
      if (hits.length) r.candidates = hits.map((c) => `${c}/${object}`);
      else if (r.containerCandidates.length === 1) r.candidates = await closeObjects(r.containerCandidates[0]!);
    }
  }
  if (opts.correct && r.candidates.length === 1) {
    const p = r.candidates[0]!;
    const slash = p.indexOf('/');
    r.resolved = { container: p.slice(0, slash), object: p.slice(slash + 1) };
    r.info = await look.head(r.resolved.container, r.resolved.object);
  }
  return r;
}
