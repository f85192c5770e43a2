// Dependency audit of what ships: `npm audit --omit=dev`, read as JSON and summarised in one line per advisory.
// Exit 0: no advisories. 1: advisories found (listed). 2: the audit could not run (e.g. the registry in use does not
// serve the advisory endpoint) — the production tree is then printed so it can be checked by hand.
// Usage: node bin/run.mjs scripts/audit.ts
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function npmJson(args: string[]): { status: number | null; data: Record<string, unknown> | null; stderr: string } {
  const r = spawnSync(npm, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  let data: Record<string, unknown> | null = null;
  try {
    data = JSON.parse(r.stdout) as Record<string, unknown>;
  } catch {
    data = null;
  }
  return { status: r.status, data, stderr: r.stderr };
}

function productionTree(): string[] {
  const { data } = npmJson(['ls', '--omit=dev', '--all', '--json']);
  const out: string[] = [];
  const walk = (deps: unknown, depth: number) => {
    for (const [name, info] of Object.entries((deps ?? {}) as Record<string, { version?: string; dependencies?: unknown; missing?: boolean }>)) {
      if (!info.version) continue; // optional platform packages that are not installed
      out.push(`${'  '.repeat(depth)}${name}@${info.version}`);
      walk(info.dependencies, depth + 1);
    }
  };
  walk(data?.dependencies, 0);
  return out;
}

const audit = npmJson(['audit', '--omit=dev', '--json']);
const vulns = audit.data?.vulnerabilities as Record<string, { severity: string; via: unknown[]; range?: string; fixAvailable?: unknown }> | undefined;
if (!vulns) {
  const reason =
    ((audit.data?.error as { summary?: string } | undefined)?.summary || undefined) ??
    (typeof audit.data?.message === 'string' ? audit.data.message : undefined) ??
    audit.stderr.split('\n').find((l) => /error|405|ENOTFOUND|ECONN/i.test(l)) ??
    'npm gave no JSON answer';
  console.log(`npm audit --omit=dev could not run: ${reason.trim().replace(/\.$/, '')}.`);
  console.log('Production dependency tree (check by hand against https://github.com/advisories):');
  for (const line of productionTree()) console.log(`  ${line}`);
  process.exit(2);
}
const names = Object.keys(vulns);
if (names.length === 0) {
  console.log(`npm audit --omit=dev: no known vulnerabilities in ${productionTree().length} production packages.`);
  process.exit(0);
}
for (const name of names) {
  const v = vulns[name]!;
  const titles = v.via.map((x) => (typeof x === 'string' ? `via ${x}` : `${(x as { title?: string }).title ?? ''} ${(x as { url?: string }).url ?? ''}`.trim()));
  console.log(`${v.severity.toUpperCase()} ${name} ${v.range ?? ''}: ${titles.join('; ')}${v.fixAvailable ? ' (fix available)' : ''}`);
}
process.exit(1);
