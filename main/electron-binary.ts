// Finds the Electron executable without require('electron'), which would try to download it when it is missing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `dist` is Electron's folder (what electron-builder's electronDist wants), `path` the executable inside it. */
export type ElectronBinary = { found: true; path: string; dist: string } | { found: false; reason: string };

export function findElectronBinary(root: string, env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  const pkg = join(root, 'node_modules', 'electron');
  if (!existsSync(join(pkg, 'package.json'))) return { found: false, reason: 'the electron package is not installed' };
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return { found: false, reason: 'its binary was never downloaded' };
  const relative = readFileSync(pathFile, 'utf8').trim();
  const dist = env.ELECTRON_OVERRIDE_DIST_PATH || join(pkg, 'dist');
  const path = join(dist, relative);
  return existsSync(path) ? { found: true, path, dist } : { found: false, reason: 'its binary was never downloaded' };
}
