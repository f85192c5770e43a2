// Files named on the command line ("Open with SLO Studio", `npm start -- big.iso`, or a second launch whose argv
// Electron hands to the first): only existing regular files count. Chromium switches, the app folder Electron was
// started with in development, and anything that is not a file are skipped.
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

export function filesInArgv(argv: readonly string[], workingDirectory: string): string[] {
  const files: string[] = [];
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-') || arg.includes('\0')) continue;
    const path = isAbsolute(arg) ? arg : resolve(workingDirectory, arg);
    try {
      if (statSync(path).isFile()) files.push(path);
    } catch {
      // not a file: ignore
    }
  }
  return files;
}
