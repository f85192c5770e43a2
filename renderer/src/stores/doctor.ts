// The manifest doctor: which object is being examined, its report, the proposed fix (optionally leaving out
// entries whose segment is missing) and the outcome of writing it.
import { create } from 'zustand';
import type { DoctorFixResult, DoctorReport, ErrorValue } from '../../../app/rpc/contract.ts';
import { call, toErrorValue } from '../rpc/client.ts';
import { useBrowser } from './browser.ts';
import { useManifest } from './manifest.ts';
import { toast } from './ui.ts';

interface DoctorStore {
  target: { container: string; object: string } | null;
  report: DoctorReport | null;
  loading: boolean;
  error: ErrorValue | null;
  /** Leave out entries whose segment cannot be found (only offered when that is what blocks the fix). */
  dropMissing: boolean;
  confirming: boolean;
  fixing: boolean;
  fixError: ErrorValue | null;
  /** Set once Swift accepted the new manifest. */
  fixed: DoctorFixResult | null;
  /** The report of the object as it is after the fix (a fresh doctor.run). */
  after: DoctorReport | null;
  open(container: string, object: string): Promise<void>;
  rerun(): Promise<void>;
  setDropMissing(v: boolean): Promise<void>;
  askFix(): void;
  cancelFix(): void;
  fix(): Promise<void>;
  /** Closes the doctor and shows the object in the manifest viewer. */
  openInViewer(): void;
  close(): void;
}

let gen = 0;

/** Opens (or reloads) the manifest viewer on an object and gives it focus once the dialog is gone. */
export async function showInViewer(container: string, object: string): Promise<void> {
  const m = useManifest.getState();
  const p = m.target?.container === container && m.target.object === object && m.inspect ? Promise.resolve() : m.open(container, object);
  requestAnimationFrame(() => document.querySelector<HTMLElement>('main.viewer')?.focus());
  await p;
}

export const useDoctor = create<DoctorStore>()((set, get) => ({
  target: null,
  report: null,
  loading: false,
  error: null,
  dropMissing: false,
  confirming: false,
  fixing: false,
  fixError: null,
  fixed: null,
  after: null,

  async open(container, object) {
    set({ target: { container, object }, report: null, error: null, dropMissing: false, confirming: false, fixing: false, fixError: null, fixed: null, after: null });
    await get().rerun();
  },

  async rerun() {
    const t = get().target;
    if (!t) return;
    const g = ++gen;
    const dropMissing = get().dropMissing;
    set({ loading: true, error: null, fixError: null });
    try {
      // With dropMissing the proposal differs, and only doctor.fix (without confirm) computes that one.
      const report = dropMissing ? (await call('doctor.fix', { ...t, confirm: false, dropMissing: true })).report : await call('doctor.run', t);
      if (g !== gen) return;
      set({ report, loading: false });
    } catch (e) {
      if (g !== gen) return;
      set({ loading: false, error: toErrorValue(e) });
    }
  },

  async setDropMissing(v) {
    set({ dropMissing: v });
    await get().rerun();
  },

  askFix() {
    if (get().report?.manifest) set({ confirming: true, fixError: null });
  },

  cancelFix() {
    if (!get().fixing) set({ confirming: false });
  },

  async fix() {
    const t = get().target;
    if (!t || get().fixing) return;
    const g = gen;
    set({ fixing: true, fixError: null });
    try {
      const result = await call('doctor.fix', { ...t, confirm: true, dropMissing: get().dropMissing });
      if (g !== gen) return;
      if (!result.replaced) {
        // Nothing was written (the object changed since the report, or nothing is left to fix): show why.
        set({ fixing: false, confirming: false, fixError: { kind: 'invalid', message: result.message }, report: result.report });
        return;
      }
      set({ fixing: false, confirming: false, fixed: result });
      toast({ kind: 'success', title: `Fixed ${t.object}`, message: result.message });
      // The object is an SLO now: refresh what is on screen behind the dialog, and check it once more.
      const m = useManifest.getState();
      if (m.target?.container === t.container && m.target.object === t.object) void m.reload();
      const b = useBrowser.getState();
      if (b.container === t.container) void b.refresh();
      try {
        const after = await call('doctor.run', t);
        if (g === gen) set({ after });
      } catch {
        /* the fix itself succeeded; the re-check is a courtesy */
      }
    } catch (e) {
      if (g !== gen) return;
      set({ fixing: false, confirming: false, fixError: toErrorValue(e) });
    }
  },

  openInViewer() {
    const t = get().target;
    get().close();
    if (t) void showInViewer(t.container, t.object);
  },

  close() {
    gen++;
    set({ target: null, report: null, error: null, loading: false, confirming: false, fixing: false, fixError: null, fixed: null, after: null });
  },
}));
