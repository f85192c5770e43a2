// Which object dialog is open (metadata, temp URL, copy / rename / move), so the toolbar, the context menu and the
// viewer open the same dialogs the same way.
import { create } from 'zustand';

export type CopyKind = 'copy' | 'rename' | 'move';

export type ObjOpsDialog =
  | { kind: 'metadata'; container: string; object?: string | undefined }
  | { kind: 'tempurl'; container: string; object: string }
  | { kind: CopyKind; container: string; object: string };

interface ObjOpsState {
  dialog: ObjOpsDialog | null;
  /** Bumped after a change to Swift (metadata saved, object copied) so views showing the object read it again. */
  changed: number;
  open(d: ObjOpsDialog): void;
  close(): void;
  markChanged(): void;
}

export const useObjOps = create<ObjOpsState>()((set) => ({
  dialog: null,
  changed: 0,
  open: (dialog) => set({ dialog }),
  close: () => set({ dialog: null }),
  markChanged: () => set((s) => ({ changed: s.changed + 1 })),
}));
