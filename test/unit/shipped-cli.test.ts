// The `slo` users get is a built bundle: no TypeScript compiler at run time, and `--help` does not load the HTTP
// stack (undici is most of the start-up cost, so it sits in a chunk loaded only when a command connects).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.ts';

const STATIC = /(?:from |import )"(\.\.?\/[^"]+)"/g;
const DYNAMIC = /import\("(\.\.?\/[^"]+)"\)/g;
const read = (file: string) => readFileSync(file, 'utf8');

/** A bundle file and every chunk it imports statically, i.e. what Node loads before running it. */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const m of read(file).matchAll(STATIC)) staticClosure(join(dirname(file), m[1]!), seen);
  return seen;
}

const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { bin: Record<string, string>; dependencies: Record<string, string>; scripts: Record<string, string> };

describe('the shipped slo', () => {
  it('is a bundle that bin/slo.mjs loads, built on install, with tsx only a dev tool', () => {
    expect(pkg.bin.slo).toBe('bin/slo.mjs');
    const bin = readFileSync(join(REPO, 'bin/slo.mjs'), 'utf8');
    expect(bin).toContain("import('../dist/cli/slo.mjs')");
    expect(bin).not.toMatch(/tsx/);
    expect(pkg.dependencies).not.toHaveProperty('tsx');
    expect(pkg.scripts.prepare).toContain('scripts/build-cli.mjs');
  });

  it('builds, runs --help without tsx, and loads undici only when a command connects', { timeout: 60_000 }, () => {
    const out = mkdtempSync(join(tmpdir(), 'slo-cli-build-'));
    execFileSync(process.execPath, [join(REPO, 'scripts/build-cli.mjs'), out], { cwd: REPO, stdio: 'pipe' });
    const help = execFileSync(process.execPath, [join(out, 'slo.mjs'), '--help'], { cwd: tmpdir(), encoding: 'utf8' });
    expect(help).toMatch(/^usage: slo <command>/);
    const atStart = staticClosure(join(out, 'slo.mjs'));
    const later = [...atStart].flatMap((f) => [...read(f).matchAll(DYNAMIC)].flatMap((m) => [...staticClosure(join(dirname(f), m[1]!))]));
    const loadedAtStart = [...atStart].map(read);
    const loadedLater = later.filter((f) => !atStart.has(f)).map(read);
    const undici = 'node_modules/undici/'; // esbuild marks each bundled module with its path in a comment
    expect(loadedAtStart.some((c) => c.includes(undici))).toBe(false);
    expect(loadedLater.some((c) => c.includes(undici))).toBe(true);
  });
});
