// Bundles the Electron main process and preload to CommonJS (Electron loads a sandboxed preload only as a script).
// `electron` stays external: Electron provides it at runtime.
import { build, type BuildOptions } from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22', // Electron 45 ships Node 22
  external: ['electron'],
  sourcemap: 'linked',
  logLevel: 'warning',
};

/** Shared modules may use import.meta.url; in main, give them the bundle's own URL rather than undefined. */
const mainOnly: BuildOptions = {
  define: { 'import.meta.url': '__slo_import_meta_url' },
  banner: { js: "const __slo_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
};

/** `outDir` other than dist/electron is for tests, which run the bundle from a folder of their own. */
export async function buildElectron(root = ROOT, outDir = join(root, 'dist/electron')): Promise<void> {
  await Promise.all([
    build({ ...common, ...mainOnly, entryPoints: [join(root, 'main/electron/main.ts')], outfile: join(outDir, 'main.cjs') }),
    // The sandboxed preload gets only `electron`: no Node built-ins may end up in it.
    build({ ...common, entryPoints: [join(root, 'main/electron/preload.ts')], outfile: join(outDir, 'preload.cjs') }),
  ]);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildElectron().then(
    () => console.log('Built dist/electron/main.cjs and dist/electron/preload.cjs.'),
    () => {
      console.error('The Electron bundles did not build (esbuild printed why above).');
      process.exit(1);
    },
  );
}
