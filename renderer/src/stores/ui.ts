// UI chrome: theme (persisted), toasts, which dialogs/panels are open.
import { create } from 'zustand';
import type { ErrorValue } from '../../../app/rpc/contract.ts';
import { toErrorValue } from '../rpc/client.ts';

export type Theme = 'light' | 'dark';
export type ToastKind = 'error' | 'success' | 'info' | 'warning';

export interface Toast {
  id: number;
  kind: ToastKind;
  title: string;
  message?: string | undefined;
  error?: ErrorValue | undefined;
}

export type DockTab = 'transfers' | 'requests';

const THEME_KEY = 'slo-studio.theme';
const DOCK_KEY = 'slo-studio.dock';

function initialTheme(): Theme {
  try {
    const t = localStorage.getItem(THEME_KEY);
    if (t === 'light' || t === 'dark') return t;
  } catch {
    /* storage unavailable */
  }
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function initialDock(): { open: boolean; tab: DockTab; height: number } {
  try {
    const raw = localStorage.getItem(DOCK_KEY);
    if (raw) {
      const v = JSON.parse(raw) as { open?: unknown; tab?: unknown; height?: unknown };
      return {
        open: v.open !== false,
        tab: v.tab === 'requests' ? 'requests' : 'transfers',
        height: typeof v.height === 'number' && v.height >= 120 && v.height <= 2000 ? v.height : 220,
      };
    }
  } catch {
    /* ignore */
  }
  // Closed until there is something to show: starting a transfer opens it.
  return { open: false, tab: 'transfers', height: 220 };
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme;
}

interface UiState {
  theme: Theme;
  toasts: Toast[];
  connectionsOpen: boolean;
  createContainerOpen: boolean;
  dock: { open: boolean; tab: DockTab; height: number };
  toggleTheme(): void;
  toast(t: Omit<Toast, 'id'>): number;
  dismissToast(id: number): void;
  /** Shows an error toast with the message and transaction id. Returns the ErrorValue. */
  reportError(title: string, e: unknown): ErrorValue;
  setConnectionsOpen(open: boolean): void;
  setCreateContainerOpen(open: boolean): void;
  setDock(d: Partial<UiState['dock']>): void;
  showDock(tab: DockTab): void;
}

let toastSeq = 0;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

export const useUi = create<UiState>()((set, get) => ({
  theme: initialTheme(),
  toasts: [],
  connectionsOpen: false,
  createContainerOpen: false,
  dock: initialDock(),
  toggleTheme() {
    const theme: Theme = get().theme === 'dark' ? 'light' : 'dark';
    try {
      localStorage.setItem(THEME_KEY, theme);
    } catch {
      /* ignore */
    }
    applyTheme(theme);
    set({ theme });
  },
  toast(t) {
    const id = ++toastSeq;
    set((s) => ({ toasts: [...s.toasts.slice(-5), { ...t, id }] }));
    // Errors stay until dismissed; everything else fades.
    if (t.kind !== 'error') timers.set(id, setTimeout(() => get().dismissToast(id), t.kind === 'warning' ? 9000 : 4500));
    return id;
  },
  dismissToast(id) {
    const timer = timers.get(id);
    if (timer) clearTimeout(timer);
    timers.delete(id);
    set((s) => ({ toasts: s.toasts.filter((x) => x.id !== id) }));
  },
  reportError(title, e) {
    const error = toErrorValue(e);
    console.error(`SLO Studio: ${title}`, error);
    get().toast({ kind: error.kind === 'cancelled' ? 'info' : 'error', title, error });
    return error;
  },
  setConnectionsOpen(open) {
    set({ connectionsOpen: open });
  },
  setCreateContainerOpen(open) {
    set({ createContainerOpen: open });
  },
  setDock(d) {
    const dock = { ...get().dock, ...d };
    try {
      localStorage.setItem(DOCK_KEY, JSON.stringify(dock));
    } catch {
      /* ignore */
    }
    set({ dock });
  },
  showDock(tab) {
    get().setDock({ open: true, tab });
  },
}));

export const reportError = (title: string, e: unknown): ErrorValue => useUi.getState().reportError(title, e);
export const toast = (t: Omit<Toast, 'id'>): number => useUi.getState().toast(t);
