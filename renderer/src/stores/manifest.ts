// The manifest viewer: which object is open, its inspect result, a verify result and the selected segment.
import { create } from 'zustand';
import type { ErrorValue, InspectResult, SegmentCheck, VerifyResult } from '../../../app/rpc/contract.ts';
import { call, toErrorValue } from '../rpc/client.ts';
import { reportError, toast } from './ui.ts';

export type ManifestTab = 'segments' | 'tree' | 'raw' | 'resolved';

interface ManifestStore {
  target: { container: string; object: string } | null;
  inspect: InspectResult | null;
  loading: boolean;
  error: ErrorValue | null;
  verify: VerifyResult | null;
  /** Verify results by flat segment index. */
  checks: ReadonlyMap<number, SegmentCheck>;
  verifying: boolean;
  verifyError: ErrorValue | null;
  selected: number | null;
  /** Bumped when something asks the table to scroll to the selected row. */
  scrollRequest: number;
  tab: ManifestTab;
  open(container: string, object: string): Promise<void>;
  reload(): Promise<void>;
  close(): void;
  runVerify(): Promise<void>;
  select(index: number | null, scroll?: boolean): void;
  setTab(tab: ManifestTab): void;
}

let gen = 0;

export const useManifest = create<ManifestStore>()((set, get) => ({
  target: null,
  inspect: null,
  loading: false,
  error: null,
  verify: null,
  checks: new Map(),
  verifying: false,
  verifyError: null,
  selected: null,
  scrollRequest: 0,
  tab: 'segments',

  async open(container, object) {
    const g = ++gen;
    set({
      target: { container, object },
      inspect: null,
      loading: true,
      error: null,
      verify: null,
      checks: new Map(),
      verifyError: null,
      verifying: false,
      selected: null,
      tab: 'segments',
    });
    try {
      const inspect = await call('slo.inspect', { container, object });
      if (g !== gen) return;
      set({ inspect, loading: false });
    } catch (e) {
      if (g !== gen) return;
      set({ loading: false, error: toErrorValue(e) });
      reportError(`Could not inspect ${container}/${object}`, e);
    }
  },

  async reload() {
    const t = get().target;
    if (t) await get().open(t.container, t.object);
  },

  close() {
    gen++;
    set({ target: null, inspect: null, error: null, verify: null, checks: new Map(), selected: null, loading: false, verifying: false });
    // Back to where the user came from: the object list keeps its selection and scroll position.
    requestAnimationFrame(() => document.querySelector<HTMLElement>('.objects-grid .grid-body')?.focus());
  },

  async runVerify() {
    const t = get().target;
    if (!t || get().verifying) return;
    const g = gen;
    set({ verifying: true, verifyError: null });
    try {
      const verify = await call('slo.verify', t);
      if (g !== gen) return;
      set({ verify, checks: new Map(verify.segments.map((c) => [c.index, c])), verifying: false });
      toast({ kind: verify.ok ? 'success' : 'warning', title: verify.ok ? 'Verified ✓' : 'Verification found problems', message: verify.summary });
    } catch (e) {
      if (g !== gen) return;
      set({ verifying: false, verifyError: toErrorValue(e) });
      reportError(`Could not verify ${t.container}/${t.object}`, e);
    }
  },

  select(index, scroll = false) {
    set((s) => ({ selected: index, scrollRequest: scroll ? s.scrollRequest + 1 : s.scrollRequest }));
  },

  setTab(tab) {
    set({ tab });
  },
}));
