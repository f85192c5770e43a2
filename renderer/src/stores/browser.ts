// The object browser: containers, the current container and pseudo-folder, the listing (a window of marker-paged
// rows around what is on screen; see lib/listing-window.ts), selection, sort and the lazily resolved kind of objects
// whose listing entry did not say.
import { create } from 'zustand';
import type { ContainerEntry, ErrorValue, ObjectEntry, ObjectKind } from '../../../app/rpc/contract.ts';
import { call, toErrorValue } from '../rpc/client.ts';
import { reportError, toast } from './ui.ts';
import { parseSwiftDate } from '../lib/format.ts';
import { emptyListing, normalise, rowAt, type Fetch, type Listing, type Page } from '../lib/listing-window.ts';
import { windowLoader, type WindowLoader } from '../lib/window-loader.ts';

export type SortKey = 'name' | 'size' | 'date';
export interface Sort {
  key: SortKey;
  dir: 'asc' | 'desc';
}

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
  /**
   * Accounts with more containers than one request lists get a window like the object list (null: every container
   * is in `containers`). In it, `containers` holds the window's rows and the filter is a name prefix sent to Swift.
   */
  containerWindow: Listing<ContainerEntry> | null;
  containerGen: number;
  containerScrollTo: { index: number; seq: number } | null;

  container: string | null;
  /** The open container's own count and bytes (HEAD), read with every listing: the account listing's lag behind. */
  containerStat: ContainerEntry | null;
  prefix: string;
  /** Prefix search within the current folder (sent to Swift as part of the prefix). */
  search: string;
  /** The window of rows in memory (listing.win.entries): what the rest of the app may look up by name. */
  entries: ObjectEntry[];
  /** The whole listing as far as it is known: total, how sure, the window and its position, anchors. */
  listing: Listing<ObjectEntry>;
  /** The first rows of a fresh listing are on their way. */
  loading: boolean;
  /** Some page is on its way. */
  fetching: boolean;
  listError: ErrorValue | null;
  /** A position the list should scroll to (bumped `seq` on every request); set by jumps. */
  scrollTo: { index: number; seq: number } | null;
  /** Substring filter over the loaded rows only (the prefix search goes to Swift). */
  rowFilter: string;
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
  ensureContainerRows(from: number, to: number): void;
  /** Home / End / a name in the windowed container list; resolves to the row's index, or null. */
  jumpContainers(to: 'start' | 'end' | { name: string }): Promise<number | null>;
  /** Scrolls the windowed container list to row `index` (and the list focuses it once it is there). */
  showContainerAt(index: number): void;
  createContainer(name: string): Promise<boolean>;
  deleteContainer(name: string): Promise<boolean>;

  openContainer(name: string | null): void;
  setPrefix(prefix: string): void;
  setSearch(search: string): void;
  /** Lists again; the selection keeps only names still listed, or becomes `select` when given and listed. */
  refresh(select?: string): Promise<void>;
  /** Rows [from, to) are on screen: fetch what they need (pages around them), dropping what is far. */
  ensureRows(from: number, to: number): void;
  /** Home / End / a name (the first row ≥ it, selected). Resolves to the row's index, or null if nothing is there. */
  jump(to: 'start' | 'end' | { name: string; select?: boolean }): Promise<number | null>;
  setRowFilter(v: string): void;

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
  containerWindow: null,
  containerGen: 0,
  containerScrollTo: null,
  container: null,
  containerStat: null,
  prefix: '',
  search: '',
  entries: [],
  listing: emptyListing(0, 'atLeast'),
  loading: false,
  fetching: false,
  listError: null,
  scrollTo: null,
  rowFilter: '',
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
      containerWindow: null,
      containerGen: get().containerGen + 1,
      containersLoaded: false,
      containersError: null,
      // Another account's names: a filter (a prefix in a windowed list) typed there would hide this one's.
      containerFilter: '',
      container: null,
      containerStat: null,
      prefix: '',
      search: '',
      entries: [],
      listing: emptyListing(0, 'atLeast'),
      listError: null,
      rowFilter: '',
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
      const account = await call('account.stat', {});
      if (account.containers > BIG_ACCOUNT) {
        await openContainerWindow(account.containers);
        return;
      }
      const { containers } = await call('containers.list', { hideSegments: get().hideSegments });
      set({ containerWindow: null });
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
    // In a windowed account the filter is a prefix Swift answers; a small account filters what it holds.
    if (get().containerWindow) {
      clearTimeout(prefixTimer);
      prefixTimer = setTimeout(() => void openContainerWindow(null), 250);
    }
  },

  ensureContainerRows(from, to) {
    void containerLoader.want(from, to);
  },

  showContainerAt(index) {
    const total = get().containerWindow?.total ?? 0;
    set({ containerScrollTo: { index: Math.max(0, Math.min(total - 1, index)), seq: ++scrollSeq } });
  },

  async jumpContainers(to) {
    const index = await containerLoader.jump(to);
    if (index !== null) set({ containerScrollTo: { index, seq: ++scrollSeq } });
    return index;
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
      if (get().container === name) set({ container: null, entries: [], listing: emptyListing(0, 'atLeast'), prefix: '', search: '' });
      await get().loadContainers();
      return true;
    } catch (e) {
      reportError(`Could not delete container ${name}`, e);
      return false;
    }
  },

  openContainer(name) {
    set({ container: name, containerStat: null, prefix: '', search: '', rowFilter: '', selection: new Set(), anchor: null, focused: null });
    void get().refresh();
  },

  setPrefix(prefix) {
    set({ prefix, search: '', rowFilter: '', selection: new Set(), anchor: null, focused: null });
    void get().refresh();
  },

  setSearch(search) {
    set({ search });
    void get().refresh();
  },

  async refresh(select) {
    const { container, prefix, search } = get();
    const gen = get().gen + 1;
    // The root of a container has a count (HEAD); a prefix has none, so its total grows as pages arrive.
    const counted = prefix + search === '';
    set({ gen, entries: [], listing: emptyListing(0, 'atLeast'), listError: null, loading: container !== null, fetching: false });
    if (container === null) return;
    const stat = call('containers.stat', { container })
      .then((st) => {
        if (get().gen !== gen) return;
        set({ containerStat: st });
        if (counted) setListing(withCount(get().listing, st.count));
      })
      .catch(() => undefined); // the listing reports the container's errors
    if (select !== undefined) {
      await stat;
      await get().jump({ name: select, select: true });
    } else await objects.want(0, 0);
    if (get().gen !== gen) return;
    set({ loading: false, ...selectionAfter(get(), get().entries, undefined) });
  },

  ensureRows(from, to) {
    void objects.want(from, to);
  },

  async jump(to) {
    const index = await objects.jump(typeof to === 'string' ? to : { name: to.name });
    if (index === null) return null;
    requestScroll(index);
    const row = rowAt(get().listing, index);
    if (row && typeof to !== 'string' && to.select && row.name === to.name) set({ selection: new Set([row.name]), anchor: row.name, focused: row.name });
    else if (row) set({ focused: row.name });
    return index;
  },

  setRowFilter(v) {
    set({ rowFilter: v });
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

// ---------- the listing window's pages ----------

let scrollSeq = 0;

const getB = (): BrowserStore => useBrowser.getState();
const setB = (p: Partial<BrowserStore>) => useBrowser.setState(p);

function setListing(listing: Listing<ObjectEntry>) {
  // A pseudo-folder collapses many objects into one row: the container's count is then an upper bound.
  const folders = listing.count === 'exact' && !(listing.win.atStart && listing.win.atEnd) && listing.win.entries.some((e) => e.type === 'folder');
  const l = folders ? { ...listing, count: 'about' as const } : listing;
  setB({ listing: l, entries: l.win.entries, ...(getB().loading && l.win.entries.length > 0 ? { loading: false } : {}) });
}

function withCount(l: Listing<ObjectEntry>, count: number): Listing<ObjectEntry> {
  if (l.win.atStart && l.win.atEnd) return l; // everything is loaded: the rows are the count
  return normalise({ ...l, total: count, count: 'exact' });
}

function requestScroll(index: number) {
  setB({ scrollTo: { index, seq: ++scrollSeq } });
}

/** One page of the current folder's listing for `f`, ascending. */
async function fetchPage(f: Fetch, limit: number): Promise<Page<ObjectEntry>> {
  const { container, prefix, search } = getB();
  if (!container) return { entries: [], more: false };
  const reverse = f.kind === 'last' || f.kind === 'before';
  const marker = f.kind === 'after' || f.kind === 'before' || f.kind === 'seek' ? f.marker : '';
  const r = await call('objects.list', { container, prefix: prefix + search, delimiter: '/', limit, ...(marker ? { marker } : {}), ...(reverse ? { reverse } : {}) });
  return { entries: reverse ? r.entries.slice().reverse() : r.entries, more: r.entries.length >= limit };
}

const objects: WindowLoader = windowLoader<ObjectEntry>({
  page: fetchPage,
  get: () => getB().listing,
  set: setListing,
  gen: () => getB().gen,
  busy: (fetching) => setB({ fetching }),
  fail: (e) => {
    const { container, prefix, search } = getB();
    const error = toErrorValue(e);
    setB({ loading: false, listError: error });
    if (error.kind !== 'not-found') {
      reportError(`Could not list ${container}/${prefix + search}`, e);
      return;
    }
    // Someone else deleted the open container: that is news, not a fault of the app, and the sidebar is now stale.
    toast({ kind: 'warning', title: `Container ${container ?? ''} no longer exists`, message: 'It was deleted elsewhere; the container list has been refreshed.' });
    void getB().loadContainers();
  },
});

// ---------- the container list's window (big accounts) ----------

/** Up to this many containers, the account listing is read whole (one request) and filtered by substring. */
const BIG_ACCOUNT = 10_000;
let prefixTimer: ReturnType<typeof setTimeout> | undefined;
let accountCount: number | null = null;

/** A fresh container window: the account's count (HEAD) when there is no prefix, the first rows, a container open. */
async function openContainerWindow(count: number | null): Promise<void> {
  if (count !== null) accountCount = count;
  const prefix = getB().containerFilter.trim();
  const counted = prefix === '' && accountCount !== null;
  // Hidden segment containers still count in the account's HEAD: the total is then an upper bound.
  const kind = getB().hideSegments ? 'about' : 'exact';
  const listing = counted ? normalise({ ...emptyListing<ContainerEntry>(0, 'atLeast'), total: accountCount!, count: kind }) : emptyListing<ContainerEntry>(0, 'atLeast');
  setB({ containerGen: getB().containerGen + 1, containerWindow: listing, containers: [], containersError: null });
  await containerLoader.want(0, 0);
  setB({ containersLoaded: true, containersLoading: false });
  const first = getB().containers[0];
  if (getB().container === null && first) getB().openContainer(first.name);
}

const containerLoader: WindowLoader = windowLoader<ContainerEntry>({
  async page(f, limit) {
    const reverse = f.kind === 'last' || f.kind === 'before';
    const marker = f.kind === 'after' || f.kind === 'before' || f.kind === 'seek' ? f.marker : '';
    const prefix = getB().containerFilter.trim();
    const r = await call('containers.page', { limit, hideSegments: getB().hideSegments, ...(prefix ? { prefix } : {}), ...(marker ? { marker } : {}), ...(reverse ? { reverse } : {}) });
    return { entries: reverse ? r.containers.slice().reverse() : r.containers, more: r.more };
  },
  get: () => getB().containerWindow ?? emptyListing<ContainerEntry>(0, 'atLeast'),
  set: (l) => setB({ containerWindow: l, containers: l.win.entries }),
  gen: () => getB().containerGen,
  busy: (containersLoading) => setB({ containersLoading }),
  fail: (e) => {
    setB({ containersLoading: false, containersError: toErrorValue(e) });
    reportError('Could not list containers', e);
  },
});

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

/** A deleted object must not stay "selected" with every action disabled: keep only names the new listing has. */
function selectionAfter(
  s: Pick<BrowserStore, 'selection' | 'anchor' | 'focused'>,
  entries: readonly ObjectEntry[],
  select: string | undefined,
): Pick<BrowserStore, 'selection' | 'anchor' | 'focused'> {
  const listed = new Set(entries.map((e) => e.name));
  if (select !== undefined && listed.has(select)) return { selection: new Set([select]), anchor: select, focused: select };
  const keep = (n: string | null) => (n !== null && listed.has(n) ? n : null);
  return { selection: new Set([...s.selection].filter((n) => listed.has(n))), anchor: keep(s.anchor), focused: keep(s.focused) };
}
