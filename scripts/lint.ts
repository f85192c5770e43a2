// Environment boundaries, checked on every file (the idea comes from Signal Desktop's per-environment lint):
// - app/ is the framework-free core: no Electron, React, zustand or DOM, nothing from main/ or renderer/;
// - renderer/ talks only to the contract: no Node built-ins, no Electron, no undici/ws, nothing from app/ but the contract;
// - the Electron preload is sandboxed: it may import only 'electron';
// - app/domain/ is plain data (zod only), and nothing in app/ below app/studio imports the RPC layer app/rpc/.
// tsconfig.node.json (no DOM lib) already makes DOM types fail in app/; this adds import rules tsc cannot express.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

interface Rule {
  files: RegExp;
  forbid: (spec: string, resolved: string | null) => string | null;
}

const root = resolve(import.meta.dirname, '..');
const NODE_BUILTIN = /^node:|^(fs|path|os|child_process|net|http|https|crypto|stream|url|util|worker_threads|zlib|events|buffer|tls|dns)(\/|$)/;

const rules: Rule[] = [
  {
    files: /^app\//,
    forbid: (spec, res) => {
      if (/^(electron|react|react-dom|zustand)(\/|$)/.test(spec)) return `app/ must not import "${spec}" (framework-free core)`;
      if (res && /^(main|renderer)\//.test(res)) return `app/ must not import from ${res.split('/')[0]}/`;
      return null;
    },
  },
  {
    // The wire sits on top of the core: only app/studio (the service the hosts serve) and app/rpc itself know it.
    files: /^app\/(?!rpc\/|studio\/)/,
    forbid: (_spec, res) => (res && res.startsWith('app/rpc/') ? `only app/studio may import the RPC layer (${res}); use app/domain/` : null),
  },
  {
    // The domain model is plain data: zod and other domain modules, nothing else.
    files: /^app\/domain\//,
    forbid: (spec, res) => (spec === 'zod' || (res && res.startsWith('app/domain/')) ? null : `app/domain/ may import only zod and app/domain/ (found "${spec}")`),
  },
  {
    files: /^renderer\//,
    forbid: (spec, res) => {
      if (NODE_BUILTIN.test(spec)) return `renderer/ must not import Node built-in "${spec}"`;
      if (/^(electron|undici|ws|tsx)(\/|$)/.test(spec)) return `renderer/ must not import "${spec}"`;
      if (res && res.startsWith('app/') && res !== 'app/rpc/contract.ts') return `renderer/ may import only app/rpc/contract.ts from app/, not ${res}`;
      if (res && res.startsWith('main/')) return 'renderer/ must not import from main/';
      return null;
    },
  },
  {
    files: /^main\/electron\/preload\.ts$/,
    forbid: (spec, res) => (spec === 'electron' || (res && res === 'app/rpc/contract.ts') ? null : `the sandboxed preload may import only "electron" (found "${spec}")`),
  },
];

const DOM_GLOBALS = /\b(window|document|navigator|localStorage|sessionStorage)\s*\./;

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|tsx|mts)$/.test(name)) out.push(p);
  }
  return out;
}

const importRe = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

export function lintFile(rel: string, text: string): string[] {
  const problems: string[] = [];
  const applicable = rules.filter((r) => r.files.test(rel));
  if (applicable.length === 0) return problems;
  for (const m of text.matchAll(importRe)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec) continue;
    const res = spec.startsWith('.') ? relative(root, resolve(root, dirname(rel), spec)).replace(/\\/g, '/') : null;
    for (const r of applicable) {
      const msg = r.forbid(spec, res);
      if (msg) problems.push(`${rel}: ${msg}`);
    }
  }
  if (rel.startsWith('app/')) {
    text.split('\n').forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, '');
      if (DOM_GLOBALS.test(code)) problems.push(`${rel}:${i + 1}: app/ must not use DOM globals (${code.trim().slice(0, 60)})`);
    });
  }
  return problems;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename);
if (isMain) {
  const files = ['app', 'renderer', 'main'].flatMap((d) => {
    try {
      return walk(join(root, d));
    } catch {
      return [];
    }
  });
  const problems = files.flatMap((f) => lintFile(relative(root, f).replace(/\\/g, '/'), readFileSync(f, 'utf8')));
  for (const p of problems) console.error(p);
  console.log(`lint: ${files.length} files checked, ${problems.length} problem(s)`);
  process.exit(problems.length ? 1 : 0);
}
