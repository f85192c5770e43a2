// `npm test`: typecheck, lint, unit, integration (real Swift), faults (real Swift behind a fault proxy), end-to-end
// (Playwright in Debian Chromium). Prints each layer's time and ends with one line "N passed, N failed, N skipped"
// summing every runner; a test that passed only on retry counts as failed.
//
// `npm run test:fresh` (and CI: CI=true or SLO_TEST_FRESH=1) runs the same suite against a brand-new sandbox — a temp
// data dir, ports the kernel hands out, its own memcached — which it stops and deletes at the end. A sandbox the user
// already runs is neither reused nor touched. Plain `npm test` reuses the user's sandbox (and its fixtures) for speed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureChromium } from './chromium.ts';

const OUT = 'test-results';
const fresh = process.argv.includes('--fresh') || process.env.SLO_TEST_FRESH === '1' || process.env.CI === 'true';
interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}
interface Layer extends Counts {
  name: string;
  seconds: number;
  ok: boolean;
}
type Counter = (ok: boolean) => Counts;

const totals: Counts = { passed: 0, failed: 0, skipped: 0 };
const layers: Layer[] = [];

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): boolean {
  return spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status === 0;
}

/** Runs one layer, records its wall time, and adds its counts (a layer without counts is one check). */
function layer(name: string, cmd: string, args: string[], count?: Counter, env: NodeJS.ProcessEnv = {}): void {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const ok = run(cmd, args, env);
  const counts = count ? count(ok) : { passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 };
  for (const k of ['passed', 'failed', 'skipped'] as const) totals[k] += counts[k];
  layers.push({ name, seconds: (Date.now() - started) / 1000, ok: ok && counts.failed === 0, ...counts });
}

/** The parts of the runners' JSON reports we count. */
interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { name: string; status: string; message?: string; assertionResults: { status: string; fullName: string; failureMessages?: string[] }[] }[];
}
interface PlaywrightSuite {
  title: string;
  file?: string;
  specs?: { title: string; line: number; tests: { status: string; results: { status: string; error?: { message?: string }; errors?: { message?: string }[] }[] }[] }[];
  suites?: PlaywrightSuite[];
}
interface PlaywrightReport {
  stats?: { expected: number; unexpected: number; flaky: number; skipped: number };
  suites?: PlaywrightSuite[];
}

/** What failed, by name with the start of its message: printed again at the very end, where a log's tail shows it. */
const failures: string[] = [];
const firstLines = (msg: string | undefined) =>
  (msg ?? '')
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .filter((l) => l.trim())
    .slice(0, 6)
    .map((l) => `      ${l.slice(0, 300)}`)
    .join('\n');

function vitestFailures(layerName: string, v: VitestReport): void {
  for (const f of v.testResults) {
    const file = f.name.replace(`${process.cwd()}/`, '');
    const failed = f.assertionResults.filter((t) => t.status === 'failed');
    for (const t of failed) failures.push(`  ${layerName}: ${file} › ${t.fullName}\n${firstLines(t.failureMessages?.[0])}`);
    if (f.status === 'failed' && failed.length === 0) failures.push(`  ${layerName}: ${file} (the file failed)\n${firstLines(f.message)}`);
  }
}

function playwrightFailures(suites: PlaywrightSuite[] = [], file = ''): void {
  for (const s of suites) {
    const f = s.file ?? file;
    for (const spec of s.specs ?? []) {
      for (const t of spec.tests) {
        if (t.status !== 'unexpected' && t.status !== 'flaky') continue;
        const bad = t.results.find((r) => r.status !== 'passed' && r.status !== 'skipped');
        failures.push(`  e2e: ${f}:${spec.line} › ${spec.title}${t.status === 'flaky' ? ' (passed only on retry)' : ''}\n${firstLines(bad?.error?.message ?? bad?.errors?.[0]?.message)}`);
      }
    }
    playwrightFailures(s.suites, f);
  }
}

const readJson = <T>(path: string): T | null => (existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : null);

/**
 * Vitest's JSON report (vitest runs with --retry=0, so no test can pass on a retry). A file that failed to load, or
 * whose beforeAll threw, has no failed test (its tests count as skipped): each such file counts as one failure, and a
 * failing run with nothing counted as failed counts as one.
 */
function vitestCounts(file: string, layerName: string): Counter {
  return (ok) => {
    const v = readJson<VitestReport>(file);
    if (!v) return { passed: 0, failed: 1, skipped: 0 };
    vitestFailures(layerName, v);
    const broken = v.testResults.filter((f) => f.status === 'failed' && !f.assertionResults.some((t) => t.status === 'failed')).length;
    const failed = v.numFailedTests + broken;
    return { passed: v.numPassedTests, failed: failed || (ok ? 0 : 1), skipped: v.numPendingTests + v.numTodoTests };
  };
}

function playwrightCounts(file: string): Counter {
  return (ok) => {
    const report = readJson<PlaywrightReport>(file);
    const s = report?.stats;
    if (!s) return { passed: 0, failed: 1, skipped: 0 };
    playwrightFailures(report.suites);
    const failed = s.unexpected + s.flaky; // flaky = passed only on retry
    return { passed: s.expected, failed: failed || (ok ? 0 : 1), skipped: s.skipped };
  };
}

function vitestLayer(project: string): void {
  const file = `${OUT}/vitest-${project}.json`;
  rmSync(file, { force: true });
  layer(project, 'npx', ['vitest', 'run', '--project', project, '--retry=0', '--reporter=default', '--reporter=json', `--outputFile.json=${file}`], vitestCounts(file, project));
}

/**
 * A throw-away sandbox: its dir and free-port mode go to every child through the environment, and so does a throw-away
 * app data dir (profiles, secrets, journals), so a fresh run neither reads nor writes the user's.
 */
function freshSandbox(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'slo-test-fresh-'));
  const dir = join(root, 'sandbox');
  process.env.SLO_SANDBOX_DIR = dir;
  process.env.SLO_SANDBOX_FREE_PORTS = '1';
  process.env.SLO_STUDIO_DATA_DIR = join(root, 'data');
  console.log(`fresh sandbox in ${dir} (stopped and deleted at the end)`);
  let done = false;
  const cleanup = () => {
    if (done) return;
    done = true;
    // The Keystone tests' sandbox lives beside the main one (test/helpers/keystone-sandbox.ts).
    for (const d of [dir, `${dir}-keystone`]) if (existsSync(d)) run('node', ['bin/run.mjs', 'main/cli/sandbox.ts', 'stop', '--dir', d]);
    rmSync(root, { recursive: true, force: true });
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(sig, () => (cleanup(), process.exit(130)));
  return cleanup;
}

function summary(): void {
  console.log('\nlayer        time     passed  failed  skipped');
  for (const l of layers) {
    const row = [l.name.padEnd(11), `${l.seconds.toFixed(0)} s`.padStart(6), String(l.passed).padStart(8), String(l.failed).padStart(7), String(l.skipped).padStart(8)];
    console.log(`${row.join(' ')}${l.ok ? '' : '   FAILED'}`);
  }
  const total = layers.reduce((s, l) => s + l.seconds, 0);
  console.log(`${'total'.padEnd(11)} ${`${total.toFixed(0)} s`.padStart(6)}${fresh ? ' (fresh sandbox)' : ''}\n`);
  if (failures.length) console.log(`failed:\n${failures.join('\n')}\n`);
  console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
}

function main(): number {
  mkdirSync(OUT, { recursive: true });
  let chromium;
  try {
    chromium = ensureChromium();
  } catch (e) {
    console.error((e as Error).message);
    return 1;
  }
  const cleanup = fresh ? freshSandbox() : () => {};
  try {
    layer('sandbox', 'node', ['bin/run.mjs', 'main/cli/sandbox.ts', 'start']);
    layer('typecheck', 'npm', ['run', '--silent', 'typecheck']);
    layer('lint', 'npm', ['run', '--silent', 'lint']);
    for (const project of ['unit', 'integration', 'faults', 'security']) vitestLayer(project);
    const pw = `${OUT}/playwright.json`;
    rmSync(pw, { force: true });
    layer('e2e', 'npx', ['playwright', 'test', '--reporter=list,json'], playwrightCounts(pw), { PLAYWRIGHT_JSON_OUTPUT_NAME: pw, CHROMIUM_PATH: chromium });
  } finally {
    cleanup();
  }
  summary();
  return totals.failed ? 1 : 0;
}

process.exit(main());
