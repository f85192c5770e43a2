// The SLO composer: the target, the ordered entries (objects, byte ranges of them, inline data), the live
// preview from compose.preview and the outcome of compose.create.
import { create } from 'zustand';
import type { ComposeEntry, ComposePreview, ComposeResult, EditEntry, ErrorValue } from '../../../app/rpc/contract.ts';
import { call, toErrorValue } from '../rpc/client.ts';
import { useBrowser } from './browser.ts';
import { useManifest } from './manifest.ts';
import { reportError, toast } from './ui.ts';

export interface ComposerRow {
  /** Stable key for React and drag and drop; never sent anywhere. */
  id: number;
  kind: 'path' | 'data';
  /** "container/object" (path rows). */
  path: string;
  /** Optional byte range "first-last", "first-" or "-count" (path rows). */
  range: string;
  /** Inline data (data rows), in `encoding`. */
  data: string;
  encoding: 'utf8' | 'base64';
}

/** Objects added by "Add everything under prefix" at most; a manifest holds far fewer anyway. */
const PREFIX_LIMIT = 10_000;

interface ComposerStore {
  open: boolean;
  /** 'edit': the entries came from an existing SLO and are saved back to it (or elsewhere). */
  mode: 'new' | 'edit';
  /** The SLO being edited, when mode is 'edit'. */
  source: { container: string; object: string } | null;
  container: string;
  object: string;
  rows: ComposerRow[];
  adding: boolean;
  preview: ComposePreview | null;
  /** The rows the preview was computed for (to tell a current preview from a stale one). */
  previewKey: string;
  previewing: boolean;
  previewError: ErrorValue | null;
  creating: boolean;
  createError: ErrorValue | null;
  result: ComposeResult | null;
  /** Announced to screen readers after a move (aria-live). */
  announcement: string;

  openNew(container: string, paths: string[], prefixes?: string[]): void;
  openEdit(container: string, object: string): Promise<void>;
  close(): void;
  setTarget(t: { container?: string; object?: string }): void;
  addPath(path: string): void;
  addPrefix(spec: string): Promise<number>;
  addData(): number;
  update(id: number, patch: Partial<Omit<ComposerRow, 'id' | 'kind'>>): void;
  remove(id: number): void;
  move(id: number, delta: number): void;
  moveTo(id: number, index: number): void;
  runPreview(): Promise<void>;
  create(): Promise<void>;
}

let seq = 0;
let previewGen = 0;

function pathRow(path: string, range = ''): ComposerRow {
  return { id: ++seq, kind: 'path', path: path.replace(/^\/+/, ''), range, data: '', encoding: 'utf8' };
}

export function rowLabel(r: ComposerRow, index: number): string {
  return r.kind === 'path' ? r.path || `entry ${index}` : `inline data ${index}`;
}

/** What compose.preview/compose.create get for the rows. */
export function toEntries(rows: readonly ComposerRow[]): ComposeEntry[] {
  return rows.map((r): ComposeEntry =>
    r.kind === 'data'
      ? { data: r.data, ...(r.encoding === 'base64' ? { encoding: 'base64' as const } : {}) }
      : { path: r.path.trim() || ' ', ...(r.range.trim() ? { range: r.range.trim() } : {}) },
  );
}

export function entriesKey(s: { rows: readonly ComposerRow[]; container: string; object: string }): string {
  return JSON.stringify([toEntries(s.rows), s.container.trim(), s.object.trim()]);
}

/** Rows from the entries of an existing SLO (compose.load). */
function rowsFrom(entries: readonly EditEntry[]): ComposerRow[] {
  return entries.map((e) => ('data' in e ? { id: ++seq, kind: 'data', path: '', range: '', data: e.data, encoding: e.encoding } : pathRow(e.path, e.range ?? '')));
}

const CLOSED = {
  open: false,
  mode: 'new' as const,
  source: null,
  container: '',
  object: '',
  rows: [] as ComposerRow[],
  adding: false,
  preview: null,
  previewKey: '',
  previewing: false,
  previewError: null,
  creating: false,
  createError: null,
  result: null,
  announcement: '',
};

export const useComposer = create<ComposerStore>()((set, get) => ({
  ...CLOSED,

  openNew(container, paths, prefixes = []) {
    previewGen++;
    set({ ...CLOSED, open: true, container, rows: paths.map((p) => pathRow(p)) });
    for (const p of prefixes) void get().addPrefix(p);
  },

  async openEdit(container, object) {
    previewGen++;
    set({ ...CLOSED, open: true, mode: 'edit', source: { container, object }, container, object, adding: true });
    try {
      const { entries } = await call('compose.load', { container, object });
      if (!get().open) return;
      set({ rows: rowsFrom(entries), adding: false });
    } catch (e) {
      if (get().open) set({ adding: false, previewError: toErrorValue(e) });
    }
  },

  close() {
    previewGen++;
    set({ ...CLOSED });
  },

  setTarget(t) {
    set({ ...(t.container !== undefined ? { container: t.container } : {}), ...(t.object !== undefined ? { object: t.object } : {}), result: null, createError: null });
  },

  addPath(path) {
    const p = path.trim().replace(/^\/+/, '');
    if (!p) return;
    set((s) => ({ rows: [...s.rows, pathRow(p)], result: null, announcement: `Added ${p} as entry ${s.rows.length + 1}` }));
  },

  async addPrefix(spec) {
    const s = spec.trim().replace(/^\/+/, '');
    const i = s.indexOf('/');
    const container = i < 0 ? s : s.slice(0, i);
    const prefix = i < 0 ? '' : s.slice(i + 1);
    if (!container) return 0;
    set({ adding: true });
    const paths: string[] = [];
    let empty = 0;
    try {
      let marker: string | undefined;
      do {
        const r = await call('objects.list', { container, prefix, limit: 10000, ...(marker ? { marker } : {}) });
        for (const e of r.entries) {
          if (e.type !== 'object') continue;
          // A 0-byte object cannot be a segment (except the last); compose would skip it too.
          if (e.bytes === 0) empty++;
          else paths.push(`${container}/${e.name}`);
        }
        marker = r.nextMarker ?? undefined;
      } while (marker && paths.length < PREFIX_LIMIT && get().open);
    } catch (e) {
      set({ adding: false });
      reportError(`Could not list ${container}/${prefix}`, e);
      return 0;
    }
    if (!get().open) return 0;
    const added = paths.slice(0, PREFIX_LIMIT);
    set((st) => ({ rows: [...st.rows, ...added.map((p) => pathRow(p))], adding: false, result: null, announcement: `Added ${added.length} objects under ${container}/${prefix}` }));
    if (added.length === 0) toast({ kind: 'warning', title: `Nothing under ${container}/${prefix}`, message: empty ? `Only ${empty} empty objects, which cannot be segments.` : 'No objects start with that prefix.' });
    else if (empty) toast({ kind: 'info', title: `Added ${added.length} objects`, message: `Skipped ${empty} empty object${empty === 1 ? '' : 's'} (a 0-byte segment is not allowed).` });
    return added.length;
  },

  addData() {
    const row: ComposerRow = { id: ++seq, kind: 'data', path: '', range: '', data: '', encoding: 'utf8' };
    set((s) => ({ rows: [...s.rows, row], result: null }));
    return row.id;
  },

  update(id, patch) {
    set((s) => ({ rows: s.rows.map((r) => (r.id === id ? { ...r, ...patch } : r)), result: null }));
  },

  remove(id) {
    set((s) => {
      const i = s.rows.findIndex((r) => r.id === id);
      if (i < 0) return {};
      return { rows: s.rows.filter((r) => r.id !== id), result: null, announcement: `Removed ${rowLabel(s.rows[i]!, i)}` };
    });
  },

  move(id, delta) {
    const i = get().rows.findIndex((r) => r.id === id);
    if (i >= 0) get().moveTo(id, i + delta);
  },

  moveTo(id, index) {
    set((s) => {
      const from = s.rows.findIndex((r) => r.id === id);
      const to = Math.max(0, Math.min(s.rows.length - 1, index));
      if (from < 0 || from === to) return {};
      const rows = s.rows.slice();
      const [row] = rows.splice(from, 1);
      rows.splice(to, 0, row!);
      return { rows, result: null, announcement: `Moved ${rowLabel(row!, to)} to position ${to + 1} of ${rows.length}` };
    });
  },

  async runPreview() {
    const s = get();
    if (!s.open) return;
    const key = entriesKey(s);
    const g = ++previewGen;
    if (s.rows.length === 0) {
      set({ preview: null, previewKey: key, previewing: false, previewError: null });
      return;
    }
    const container = s.container.trim();
    const object = s.object.trim();
    set({ previewing: true });
    try {
      const preview = await call('compose.preview', {
        entries: toEntries(s.rows),
        ...(container && object && !container.includes('/') ? { container, object } : {}),
      });
      if (g !== previewGen) return;
      set({ preview, previewKey: key, previewing: false, previewError: null });
    } catch (e) {
      if (g !== previewGen) return;
      set({ previewing: false, previewError: toErrorValue(e), previewKey: key });
    }
  },

  async create() {
    const s = get();
    if (s.creating) return;
    const container = s.container.trim();
    const object = s.object.trim();
    if (!container || !object) return;
    set({ creating: true, createError: null, result: null });
    try {
      const result = await call('compose.create', { container, object, entries: toEntries(s.rows) });
      if (!get().open) return;
      set({ creating: false, result });
      toast({ kind: 'success', title: `${s.mode === 'edit' ? 'Saved' : 'Created'} ${container}/${object}`, message: `SLO ETag ${result.etag}` });
      const b = useBrowser.getState();
      if (b.container === container) void b.refresh();
      // An SLO open in the viewer behind the dialog (edited in place) shows its new manifest.
      const m = useManifest.getState();
      if (m.target?.container === container && m.target.object === object) void m.reload();
    } catch (e) {
      if (!get().open) return;
      set({ creating: false, createError: toErrorValue(e) });
    }
  },
}));
