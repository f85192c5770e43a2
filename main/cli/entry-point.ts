// "Was this module started as the program?" — true for `node dist/cli/slo.mjs` or `tsx main/cli/slo.ts`, false when
// bin/slo.mjs (or a test) imports it. Compared as paths, not by a pattern on argv[1]: Windows spells
// C:\…\main\cli\slo.ts with backslashes and may change the drive letter's case, and npm's bin links are symlinks.
import { realpathSync } from 'node:fs';
import { posix, win32 } from 'node:path';
import { fileURLToPath } from 'node:url';

export function isEntryPoint(argv1: string | undefined, moduleUrl: string, windows = process.platform === 'win32'): boolean {
  if (!argv1 || !moduleUrl.startsWith('file:')) return false;
  const path = windows ? win32 : posix;
  const started = path.resolve(realpathOr(argv1));
  const self = fileURLToPath(moduleUrl, { windows });
  return windows ? started.toLowerCase() === self.toLowerCase() : started === self;
}

function realpathOr(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
