// The object browser: containers, the current container and pseudo-folder, the listing (marker-paginated),
// selection, sort and the lazily resolved kind of objects whose listing entry did not say.
import { create } from 'zustand';
import type { ContainerEntry, ErrorValue, ObjectEntry, ObjectKind } from '../../../app/rpc/contract.ts';
import { call, toErrorValue } from '../rpc/client.ts';
import { reportError, toast } from './ui.ts';
import { parseSwiftDate } from '../lib/format.ts';

export type SortKey = 'name' | 'size' | 'date';
export interface Sort {
  key: SortKey;
  dir: 'asc' | 'desc';
}

const PAGE = 1000;
const HIDE_KEY = 'slo-studio.hideSegmentContainers';

function initialHide(): boolean {
  try {
    return localStorage.getItem(HIDE_KEY) !== 'false';
  } catch {
    return true;
  }
}

interface BrowserStore {
  containers: ContainerEntry[];
  containersLoaded: boolean;
  containersLoading: boolean;
  containersError: ErrorValue | null;
  hideSegments: boolean;
  containerFilter: string;

  container: string | null;
  prefix: string;
  /** Prefix search within the current folder (sent to Swift as part of the prefix). */
  search: string;
  entries: ObjectEntry[];
  nextMarker: string | null;
  loading: boolean;
  loadingMore: boolean;
  listError: ErrorValue | null;
  /** Bumped on every fresh listing so stale responses are dropped. */
  gen: number;

  selection: ReadonlySet<string>;
  anchor: string | null;
  focused: string | null;
  sort: Sort;
  /** Kinds resolved with objects.stat for entries whose listing said 'unknown', keyed container/name. */
  kinds: Record<string, ObjectKind>;
  /** Sizes from the same stat: a DLO's listing says 0 bytes, its HEAD the size of the whole object. */
  statSizes: Record<string, number>;

  reset(): void;
  loadContainers(): Promise<void>;
  setHideSegments(v: boolean): void;
  setContainerFilter(v: string): void;
  createContainer(name: string): Promise<boolean>;
  deleteContainer(name: string): Promise<boolean>;

  openContainer(name: string | null): void;
  setPrefix(prefix: string): void;
  setSearch(search: string): void;
  refresh(): Promise<void>;
  loadMore(): Promise<void>;

  select(name: string, mode: 'replace' | 'toggle' | 'range', ordered: readonly string[]): void;
  setSelection(names: Iterable<string>): void;
  setFocused(name: string | null): void;
  setSort(key: SortKey): void;
  resolveKinds(names: string[]): void;
}

const inflightKinds = new Set<string>();
const kindQueue: Array<{ container: string; name: string }> = [];
let kindWorkers = 0;

export const useBrowser = create<BrowserStore>()((set, get) => ({
  containers: [],
  containersLoaded: false,
  containersLoading: false,
  containersError: null,
  hideSegments: initialHide(),
  containerFilter: '',
  container: null,
  prefix: '',
  search: '',
  entries: [],
  nextMarker: null,
  loading: false,
  loadingMore: false,
  listError: null,
  gen: 0,
  selection: new Set(),
  anchor: null,
  focused: null,
  sort: { key: 'name', dir: 'asc' },
  kinds: {},
  statSizes: {},

  reset() {
    set({
      containers: [],
      containersLoaded: false,
      containersError: null,
      container: null,
      prefix: '',
      search: '',
      entries: [],
      nextMarker: null,
      listError: null,
      gen: get().gen + 1,
      selection: new Set(),
      anchor: null,
      focused: null,
      kinds: {},
      statSizes: {},
    });
  },

  async loadContainers() {
    set({ containersLoading: true });
    try {
      const { containers } = await call('containers.list', { hideSegments: get().hideSegments });
      set({ containers, containersLoaded: true, containersLoading: false, containersError: null });
      const cur = get().container;
      if (cur === null && containers.length > 0) get().openContainer(containers[0]!.name);
    } catch (e) {
      set({ containersLoading: false, containersError: toErrorValue(e) });
      reportError('Could not list containers', e);
    }
  },

  setHideSegments(v) {
    try {
      localStorage.setItem(HIDE_KEY, String(v));
    } catch {
      /* ignore */
    }
    set({ hideSegments: v });
    void get().loadContainers();
  },

  setContainerFilter(v) {
    set({ containerFilter: v });
  },

  async createContainer(name) {
    try {
      const { created } = await call('containers.create', { container: name });
      toast({ kind: 'success', title: created ? `Created container ${name}` : `Container ${name} already exists` });
      await get().loadContainers();
      get().openContainer(name);
      return true;
    } catch (e) {
      reportError(`Could not create container ${name}`, e);
      return false;
    }
  },

  async deleteContainer(name) {
    try {
      await call('containers.delete', { container: name });
      toast({ kind: 'success', title: `Deleted container ${name}` });
      if (get().container === name) set({ container: null, entries: [], prefix: '', search: '', nextMarker: null });
      await get().loadContainers();
      return true;
    } catch (e) {
      reportError(`Could not delete container ${name}`, e);
      return false;
    }
  },

  openContainer(name) {
    set({ container: name, prefix: '', search: '', selection: new Set(), anchor: null, focused: null });
    void get().refresh();
  },

  setPrefix(prefix) {
    set({ prefix, search: '', selection: new Set(), anchor: null, focused: null });
    void get().refresh();
  },

  setSearch(search) {
    set({ search });
    void get().refresh();
  },

  async refresh() {
    const { container, prefix, search } = get();
    const gen = get().gen + 1;
    set({ gen, entries: [], nextMarker: null, listError: null, loading: container !== null, loadingMore: false });
    if (container === null) return;
    try {
      const r = await call('objects.list', { container, prefix: prefix + search, delimiter: '/', limit: PAGE });
      if (get().gen !== gen) return;
      set({ entries: r.entries, nextMarker: r.nextMarker, loading: false });
    } catch (e) {
      if (get().gen !== gen) return;
      set({ loading: false, listError: toErrorValue(e) });
      reportError(`Could not list ${container}/${prefix + search}`, e);
    }
  },

  async loadMore() {
    const { container, prefix, search, nextMarker, loadingMore, loading, gen } = get();
    if (!container || !nextMarker || loadingMore || loading) return;
    set({ loadingMore: true });
    try {
      const r = await call('objects.list', { container, prefix: prefix + search, delimiter: '/', marker: nextMarker, limit: PAGE });
      if (get().gen !== gen) return;
      set((s) => ({ entries: s.entries.concat(r.entries), nextMarker: r.nextMarker, loadingMore: false }));
    } catch (e) {
      if (get().gen !== gen) return;
      set({ loadingMore: false, listError: toErrorValue(e) });
      reportError('Could not load more objects', e);
    }
  },

  select(name, mode, ordered) {
    const { selection, anchor } = get();
    if (mode === 'replace') {
      set({ selection: new Set([name]), anchor: name, focused: name });
    } else if (mode === 'toggle') {
      const next = new Set(selection);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      set({ selection: next, anchor: name, focused: name });
    } else {
      const a = anchor !== null ? ordered.indexOf(anchor) : -1;
      const b = ordered.indexOf(name);
      if (a < 0 || b < 0) {
        set({ selection: new Set([name]), anchor: name, focused: name });
        return;
      }
      const [lo, hi] = a < b ? [a, b] : [b, a];
      set({ selection: new Set(ordered.slice(lo, hi + 1)), focused: name });
    }
  },

  setSelection(names) {
    set({ selection: new Set(names) });
  },

  setFocused(name) {
    set({ focused: name });
  },

  setSort(key) {
    const { sort } = get();
    set({ sort: sort.key === key ? { key, dir: sort.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: key === 'name' ? 'asc' : 'desc' } });
  },

  resolveKinds(names) {
    const container = get().container;
    if (!container) return;
    const kinds = get().kinds;
    for (const name of names) {
      const key = `${container}/${name}`;
      if (kinds[key] || inflightKinds.has(key)) continue;
      inflightKinds.add(key);
      kindQueue.push({ container, name });
    }
    const pump = async () => {
      kindWorkers++;
      try {
        for (let job = kindQueue.shift(); job; job = kindQueue.shift()) {
          // Skip work for a container the user has left.
          if (get().container !== job.container) {
            inflightKinds.delete(`${job.container}/${job.name}`);
            continue;
          }
          const key = `${job.container}/${job.name}`;
          let kind: ObjectKind = 'unknown';
          let size: number | undefined;
          try {
            ({ kind, size } = await call('objects.stat', { container: job.container, object: job.name }));
          } catch (e) {
            console.warn(`SLO Studio: could not stat ${key} for its kind`, e);
          }
          set((s) => ({ kinds: { ...s.kinds, [key]: kind }, ...(size !== undefined ? { statSizes: { ...s.statSizes, [key]: size } } : {}) }));
        }
      } finally {
        kindWorkers--;
      }
    };
    while (kindWorkers < 4 && kindQueue.length > 0) void pump();
  },
}));

/** Folders first, then by the chosen key; Swift's order (by name) is kept for ties. */
export function sortEntries(entries: readonly ObjectEntry[], sort: Sort): ObjectEntry[] {
  const folders = entries.filter((e) => e.type === 'folder');
  const objects = entries.filter((e) => e.type === 'object');
  const dir = sort.dir === 'asc' ? 1 : -1;
  if (sort.key === 'name') {
    if (dir === -1) {
      folders.reverse();
      objects.reverse();
    }
  } else if (sort.key === 'size') {
    objects.sort((a, b) => (a.type === 'object' && b.type === 'object' ? (a.bytes - b.bytes) * dir : 0));
  } else {
    const t = (e: ObjectEntry) => (e.type === 'object' ? parseSwiftDate(e.lastModified)?.getTime() ?? 0 : 0);
    objects.sort((a, b) => (t(a) - t(b)) * dir);
  }
  return [...folders, ...objects];
}

