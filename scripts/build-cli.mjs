#!/usr/bin/env node
// Bundles the `slo` CLI (main/cli/slo.ts and the core it uses) into dist/cli/slo.mjs, the file bin/slo.mjs runs, so
// the shipped command starts without compiling TypeScript. Plain JavaScript so `prepare` needs only esbuild.
// Written to a temporary file and renamed: a test run may be starting the CLI while another rebuilds it.
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

async function buildCli(build, outdir) {
  const result = await build({
    entryPoints: { slo: join(ROOT, 'main/cli/slo.ts') },
    bundle: true,
    // Measured on `slo --help`: bundling the packages too costs 0.12 s of CPU against 0.16 s with them left in
    // node_modules (resolving and compiling many small files), and splitting lets undici load only when a command
    // connects (0.28 s before). Node itself takes 0.05 s.
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Bundled CommonJS packages (undici, ws) require Node built-ins; ESM has no `require` of its own.
    banner: { js: "import { createRequire as __sloCreateRequire } from 'node:module'; const require = __sloCreateRequire(import.meta.url);" },
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    write: false,
    logLevel: 'warning',
  });
  // Chunks first, the entry last, each renamed into place: a CLI starting meanwhile sees the old build or the new.
  const entry = join(outdir, 'slo.mjs');
  const files = [...result.outputFiles].sort((a, b) => Number(a.path === entry) - Number(b.path === entry));
  for (const f of files) {
    mkdirSync(dirname(f.path), { recursive: true });
    const tmp = `${f.path}.${process.pid}.tmp`;
    writeFileSync(tmp, f.contents);
    renameSync(tmp, f.path);
  }
  const current = new Set(files.map((f) => f.path));
  for (const name of readdirSync(join(outdir, 'chunks'))) {
    if (!current.has(join(outdir, 'chunks', name))) rmSync(join(outdir, 'chunks', name), { force: true });
  }
}

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // `npm install --omit=dev` has no esbuild; the CLI cannot be built there, and the install should not fail for it.
  console.warn('esbuild is not installed, so the slo CLI was not built (npm install without --omit=dev builds it).');
  process.exit(0);
}
// An output directory may be given (tests build into a temporary one); the default is what bin/slo.mjs loads.
await buildCli(esbuild.build, resolve(process.argv[2] ?? join(ROOT, 'dist/cli'))).catch((e) => {
  console.error(`The slo CLI did not build: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
