// Orphaned segments: objects in segment containers that no manifest references any more (left behind by a plain
// DELETE of a manifest, an overwrite, or an interrupted upload). The rule that matters: never call something an
// orphan that any manifest in the account references — so every SLO and DLO in every container is read.
import { uploadOfSegment } from '../transfer/segment-names.ts';
import { limiter } from '../pool.ts';
import type { Orphan, OrphanDeletion, OrphanReport } from '../domain/orphans.ts';
import type { SwiftClient } from '../swift/client.ts';
import { SwiftError, toSwiftError } from '../swift/errors.ts';
import { listContainers, listObjects } from '../swift/listing.ts';
import { headObject } from '../swift/objects.ts';
import { deletePaths, type DeleteOptions } from './delete.ts';
import { manifestReferences, parseDloHeader } from './resolve.ts';

export interface FindOrphansOptions {
  /** Where to look, as "name" or "name/prefix". Default: `<container>_segments` plus containers the manifests use. */
  segmentContainers?: string[];
  signal?: AbortSignal;
  /** HEADs / manifest GETs in flight (default 8). */
  concurrency?: number;
  /** Unreferenced objects younger than this are not reported: their manifest may not be written yet (default 1 h). */
  minAgeMs?: number;
  /** Clock for the age rule (tests). */
  now?: number;
}

const DEFAULT_MIN_AGE_MS = 60 * 60 * 1000;

interface References {
  paths: Set<string>;
  /** DLO prefixes: everything under them is referenced, including objects added later. */
  prefixes: { container: string; prefix: string }[];
  unreadable: string[];
  /** Container of each manifest → containers its manifest references point into. */
  usedBy: Map<string, Set<string>>;
}

/** Swift listings give UTC times without a zone ("2026-11-25T09:13:20.144290"). */
export function listingTime(lastModified: string): number {
  const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(lastModified) ? lastModified : `${lastModified}Z`);
  return Number.isFinite(t) ? t : 0;
}

export function isReferenced(path: string, refs: Pick<References, 'paths' | 'prefixes'>): boolean {
  if (refs.paths.has(path)) return true;
  const i = path.indexOf('/');
  const container = path.slice(0, i);
  const object = path.slice(i + 1);
  return refs.prefixes.some((p) => p.container === container && object.startsWith(p.prefix));
}

/**
 * Reads every SLO manifest in `containers` and collects what they reference. DLO manifests are 0-byte objects that
 * only a HEAD tells from empty files, and accounts can hold millions of those (folder markers, fixtures): they are
 * HEADed at once only in `eager` containers and otherwise returned in `deferred`, to be checked only when some
 * object still looks orphaned (see `addDloReferences`).
 */
type CollectedReferences = References & {
  deferred: { container: string; object: string }[];
  resolveDeferred: () => Promise<void>;
  /** Reads one manifest by name (if it exists and was not read yet): for manifests a lagging listing leaves out. */
  readNamed: (container: string, object: string) => Promise<void>;
};

async function collectReferences(client: SwiftClient, containers: readonly string[], opts: FindOrphansOptions, eager: (container: string) => boolean): Promise<CollectedReferences> {
  const signal = opts.signal;
  const gate = limiter(opts.concurrency ?? 8);
  const refs: CollectedReferences = {
    paths: new Set(), prefixes: [], unreadable: [], usedBy: new Map(), deferred: [], resolveDeferred: async () => undefined, readNamed: async () => undefined,
  };
  const use = (owner: string, path: string) => {
    let set = refs.usedBy.get(owner);
    if (!set) refs.usedBy.set(owner, (set = new Set()));
    set.add(path.slice(0, path.indexOf('/')));
  };
  // Sub-manifests are walked once however many manifests share them.
  const visited = new Set<string>();
  const work: Promise<void>[] = [];
  // Handled at once so a failure while we are still listing is not an unhandled rejection; rethrown below.
  let failure: unknown;
  const track = (p: Promise<void>) => work.push(p.catch((e) => void (failure ??= e)));
  const sloRefs = async (container: string, object: string) => {
    const r = await manifestReferences(client, container, object, { visited, ...(signal ? { signal } : {}), ...(opts.concurrency ? { concurrency: opts.concurrency } : {}) });
    for (const p of [...r.segments, ...r.subManifests]) {
      refs.paths.add(p);
      use(container, p);
    }
    refs.unreadable.push(...r.unreadable);
  };
  for (const container of containers) {
    try {
      await scanContainer(container);
    } catch (err) {
      // A container deleted since the account listing holds no manifests.
      if (toSwiftError(err).kind !== 'not-found') throw err;
    }
  }
  // Only a HEAD tells a DLO manifest from an empty file.
  async function headForManifest(container: string, object: string): Promise<void> {
    try {
      const stat = await headObject(client, container, object, signal ? { signal } : {});
      if (stat.kind === 'dlo') {
        const d = parseDloHeader(stat.headers['x-object-manifest'] ?? '');
        if (d) {
          refs.prefixes.push(d);
          use(container, `${d.container}/`);
        }
      } else if (stat.kind === 'slo') await sloRefs(container, object);
    } catch (err) {
      if (toSwiftError(err).kind !== 'not-found') throw err;
    }
  }
  refs.readNamed = async (container, object) => {
    if (!visited.has(`${container}/${object}`)) await gate(() => headForManifest(container, object));
  };
  refs.resolveDeferred = async () => {
    const deferred = refs.deferred.splice(0);
    const later: Promise<void>[] = [];
    for (const d of deferred) later.push(gate(() => headForManifest(d.container, d.object)));
    await Promise.all(later);
  };
  async function scanContainer(container: string): Promise<void> {
    for await (const e of listObjects(client, container, signal ? { signal } : {})) {
      if (e.type !== 'object') continue;
      if (e.kind === 'slo') {
        track(gate(() => sloRefs(container, e.name).catch((err) => {
          // Gone since the listing, or replaced by a plain object: it references nothing now.
          if ((err as SwiftError).kind !== 'not-found' && (err as SwiftError).kind !== 'invalid') throw err;
        })));
      } else if (e.bytes === 0) {
        if (eager(container)) track(gate(() => headForManifest(container, e.name)));
        else refs.deferred.push({ container, object: e.name });
      }
    }
  }
  // Every manifest must be read before anything is called an orphan; one failure aborts the scan.
  await Promise.all(work);
  if (failure !== undefined) throw failure;
  return refs;
}

function parseSpec(spec: string): { container: string; prefix: string } {
  const i = spec.indexOf('/');
  return i < 0 ? { container: spec, prefix: '' } : { container: spec.slice(0, i), prefix: spec.slice(i + 1) };
}

/**
 * Finds objects in the segment containers of `container` that no manifest in the account references.
 * Segments kept beside their manifests in `container` itself are only searched when asked explicitly (with a prefix
 * such as "photos/.segments/"), since they cannot be told apart from ordinary files.
 */
export async function findOrphans(client: SwiftClient, container: string, opts: FindOrphansOptions = {}): Promise<OrphanReport> {
  const signal = opts.signal;
  const notes: string[] = [];
  const all: string[] = [];
  for await (const c of listContainers(client)) all.push(c.name);
  if (!all.includes(container)) throw new SwiftError({ kind: 'not-found', message: `Container ${container} does not exist (404 Not Found).`, status: 404 });

  // The container's own 0-byte objects are HEADed now: its DLOs decide which segment containers to search.
  const refs = await collectReferences(client, all, opts, (c) => c === container);

  let specs: { container: string; prefix: string }[];
  if (opts.segmentContainers?.length) {
    specs = opts.segmentContainers.map(parseSpec);
    for (const s of specs) {
      if (!all.includes(s.container)) throw new SwiftError({ kind: 'not-found', message: `Segment container ${s.container} does not exist (404 Not Found).`, status: 404 });
    }
  } else {
    // <container>_segments (python-swiftclient's convention) plus containers this container's manifests point into.
    const names = new Set<string>();
    if (all.includes(`${container}_segments`)) names.add(`${container}_segments`);
    for (const c of refs.usedBy.get(container) ?? []) names.add(c);
    if (names.delete(container)) {
      notes.push(`Some manifests in ${container} keep their segments in ${container} itself; those are not searched unless you name "${container}/<segment prefix>" explicitly.`);
    }
    specs = [...names].filter((n) => all.includes(n)).sort().map((n) => ({ container: n, prefix: '' }));
  }

  const minAge = opts.minAgeMs ?? DEFAULT_MIN_AGE_MS;
  const now = opts.now ?? Date.now();
  const orphans: Orphan[] = [];
  let scanned = 0;
  let recent = 0;
  let manifests = 0;
  const listSpec = async function* (spec: { container: string; prefix: string }) {
    try {
      yield* listObjects(client, spec.container, { ...(spec.prefix ? { prefix: spec.prefix } : {}), ...(signal ? { signal } : {}) });
    } catch (err) {
      if (toSwiftError(err).kind !== 'not-found') throw err; // deleted meanwhile: nothing left to orphan
    }
  };
  const unreferenced: { container: string; object: string; bytes: number; lastModified: string; slo: boolean }[] = [];
  for (const spec of specs) {
    for await (const e of listSpec(spec)) {
      if (e.type !== 'object') continue;
      scanned++;
      if (!isReferenced(`${spec.container}/${e.name}`, refs)) unreferenced.push({ container: spec.container, object: e.name, bytes: e.bytes, lastModified: e.lastModified, slo: e.kind === 'slo' });
    }
  }
  // Something looks orphaned: only now find the DLO manifests elsewhere in the account that may still use it.
  if (unreferenced.length && refs.deferred.length) await refs.resolveDeferred();
  // A container listing can lag behind writes (a replica that missed the manifest's row while it was down), so a
  // finished upload's segments may be listed while its manifest is not. Before calling them orphans, ask for the
  // manifest their names point to (one HEAD per upload).
  const uploads = new Set(unreferenced.filter((u) => !isReferenced(`${u.container}/${u.object}`, refs)).map((u) => uploadOfSegment(u.object)));
  uploads.delete(null);
  await Promise.all([...uploads].map((object) => refs.readNamed(container, object!)));
  for (const u of unreferenced) {
    if (isReferenced(`${u.container}/${u.object}`, refs)) continue;
    if (now - listingTime(u.lastModified) < minAge) {
      recent++;
      continue;
    }
    orphans.push({ container: u.container, object: u.object, bytes: u.bytes, upload: uploadOfSegment(u.object) });
    if (u.slo) manifests++;
  }
  if (recent) notes.push(`${recent} unreferenced object${recent === 1 ? ' is' : 's are'} newer than ${Math.round(minAge / 60000)} minutes and may belong to an upload in progress; they are not listed.`);
  if (refs.unreadable.length) {
    notes.push(`${refs.unreadable.length} sub-manifest${refs.unreadable.length === 1 ? '' : 's'} could not be read (${refs.unreadable.slice(0, 3).join(', ')}${refs.unreadable.length > 3 ? ', …' : ''}); the SLOs using ${refs.unreadable.length === 1 ? 'it are' : 'them are'} broken.`);
  }
  if (manifests) {
    notes.push(`${manifests} of the orphans ${manifests === 1 ? 'is itself a manifest' : 'are themselves manifests'} (left by a nested SLO); once deleted, run the search again to find the segments only ${manifests === 1 ? 'it' : 'they'} referenced.`);
  }
  return {
    segmentContainers: specs.map((s) => (s.prefix ? `${s.container}/${s.prefix}` : s.container)),
    orphans,
    referenced: refs.paths.size,
    scanned,
    bytes: orphans.reduce((n, o) => n + o.bytes, 0),
    recent,
    notes,
  };
}

/** Deletes the given orphans (bulk delete when the cluster has it, else one by one). */
export async function deleteOrphans(
  client: SwiftClient,
  orphans: readonly Orphan[],
  opts: DeleteOptions & { onProgress?: (done: number, total: number) => void } = {},
): Promise<OrphanDeletion> {
  const counts = await deletePaths(client, orphans.map((o) => `${o.container}/${o.object}`), opts);
  const bytes = orphans.reduce((n, o) => n + o.bytes, 0);
  const summary = counts.errors.length
    ? `Deleted ${counts.deleted} of ${orphans.length} orphaned segments; ${counts.errors.length} could not be deleted (${counts.errors.slice(0, 3).map((e) => `${e.path}: ${e.message}`).join('; ')}).`
    : `Deleted ${counts.deleted} orphaned segment${counts.deleted === 1 ? '' : 's'} (${bytes} bytes)${counts.notFound ? `; ${counts.notFound} were already gone` : ''}.`;
  return { ...counts, summary };
}
