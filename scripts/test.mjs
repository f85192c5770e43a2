#!/usr/bin/env node
// `npm test`: typecheck, lint, vitest (unit + integration against the real Swift sandbox + faults), then Playwright
// end-to-end in Debian Chromium. Ends with one line "N passed, N failed, N skipped" summing every runner.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';

const out = 'test-results';
mkdirSync(out, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
let failedSteps = [];

function run(name, cmd, args, env = {}) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) failedSteps.push(name);
  return r.status === 0;
}

const typecheckOk = run('typecheck', 'npm', ['run', '--silent', 'typecheck']);
totals[typecheckOk ? 'passed' : 'failed']++;
const lintOk = run('lint', 'npm', ['run', '--silent', 'lint']);
totals[lintOk ? 'passed' : 'failed']++;

run('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}/vitest.json`]);
if (existsSync(`${out}/vitest.json`)) {
  const v = JSON.parse(readFileSync(`${out}/vitest.json`, 'utf8'));
  totals.passed += v.numPassedTests ?? 0;
  totals.failed += v.numFailedTests ?? 0;
  totals.skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
} else totals.failed++;

if (existsSync('playwright.config.ts')) {
  run('playwright', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: `${out}/playwright.json` });
  if (existsSync(`${out}/playwright.json`)) {
    const p = JSON.parse(readFileSync(`${out}/playwright.json`, 'utf8'));
    const s = p.stats ?? {};
    totals.passed += s.expected ?? 0;
    totals.failed += (s.unexpected ?? 0) + (s.flaky ?? 0) * 0;
    totals.skipped += s.skipped ?? 0;
  } else totals.failed++;
}

console.log('');
if (failedSteps.length) console.log(`failed steps: ${failedSteps.join(', ')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length || totals.failed ? 1 : 0);
