// The two calls Electron answers with native dialogs. Whatever the user picks becomes trusted: the only way, besides
// dropping files on the window, for a path to reach transfers.upload / transfers.download.
import { basename } from 'node:path';
import type { Handlers } from '../../app/rpc/handlers.ts';
import type { TrustedSets } from './trusted-paths.ts';

export interface NativeDialogs {
  /** Absolute paths, or [] when cancelled. */
  pickFiles(multiple: boolean): Promise<string[]>;
  /** Absolute path, or null when cancelled. `defaultName` is a bare file name. */
  pickSaveTarget(defaultName: string): Promise<string | null>;
  /** Absolute path of a folder, or null when cancelled. */
  pickFolder(purpose: 'upload' | 'download'): Promise<string | null>;
}

export function dialogHandlers(dialogs: NativeDialogs, trusted: TrustedSets): Pick<Handlers, 'dialog.openFiles' | 'dialog.saveFile' | 'dialog.pickFolder'> {
  return {
    'dialog.openFiles': async ({ multiple }) => {
      const paths = await dialogs.pickFiles(multiple);
      trusted.readable.add(paths);
      return { paths };
    },
    'dialog.saveFile': async ({ defaultName }) => {
      // Only the name is a suggestion from the renderer; the folder is the user's choice in the dialog.
      const path = await dialogs.pickSaveTarget(basename(defaultName.replaceAll('\\', '/')) || 'download');
      if (path) trusted.writable.add([path]);
      return { path };
    },
    'dialog.pickFolder': async ({ purpose }) => {
      // A folder to upload is read (with everything in it); a download folder is written into.
      const path = await dialogs.pickFolder(purpose);
      if (path) (purpose === 'upload' ? trusted.readable : trusted.writable).add([path]);
      return { path };
    },
  };
}
