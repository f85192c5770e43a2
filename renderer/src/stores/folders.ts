// The folder upload sheet's state, so a drop on the object grid and the toolbar's "Upload folder…" open the same one.
import { create } from 'zustand';
import type { FolderBatch } from '../rpc/folder-files.ts';

interface FoldersStore {
  sheet: { prefix: string; batch: Promise<FolderBatch> } | null;
  open(prefix: string, batch: Promise<FolderBatch>): void;
  close(): void;
}

export const useFolders = create<FoldersStore>()((set) => ({
  sheet: null,
  open: (prefix, batch) => set({ sheet: { prefix, batch } }),
  close: () => set({ sheet: null }),
}));
