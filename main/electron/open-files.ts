// Files named on the command line ("Open with SLO Studio", `npm start -- big.iso`, or a second launch whose argv
// Electron hands to the first) or by macOS's open-file: only existing regular files count. Chromium switches and
// anything that is not a file are skipped, and so is the app path when Electron was started as `electron <app>`
// (process.defaultApp): that path may be a script, which is no file the user asked to upload.
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

export function filesInArgv(argv: readonly string[], workingDirectory: string, defaultApp = Boolean(process.defaultApp)): string[] {
  return existingFiles(argv.slice(defaultApp ? 2 : 1).filter((arg) => !arg.startsWith('-')), workingDirectory);
}

/** Absolute paths of those of `paths` (relative ones taken from `workingDirectory`) that are regular files. */
export function existingFiles(paths: readonly string[], workingDirectory: string): string[] {
  const files: string[] = [];
  for (const arg of paths) {
    if (arg.includes('\0')) continue;
    const path = isAbsolute(arg) ? arg : resolve(workingDirectory, arg);
    try {
      if (statSync(path).isFile()) files.push(path);
    } catch {
      // not a file: ignore
    }
  }
  return files;
}
