// `npm run lint`. TypeScript's recommended rules everywhere, the React hooks rules in the renderer, and the
// environment boundaries (the idea comes from Signal Desktop's per-environment lint):
// - app/ is the framework-free core: no Electron, React, zustand or DOM, nothing from main/ or renderer/;
// - the wire sits on top of the core: only app/studio (the service the hosts serve) and app/rpc itself import app/rpc;
// - app/domain/ is plain data: zod and other domain modules only;
// - renderer/ talks only to the contract: no Node built-ins, no Electron, no undici/ws, nothing from app/ but the contract;
// - the Electron preload is sandboxed: at run time it loads only 'electron';
// - the CLI, the browser host and the launcher run without Electron.
// Targets are resolved repo paths (see scripts/lint/import-boundaries.js), so one line covers every way of importing.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';
import boundaries from './scripts/lint/import-boundaries.js';

const NODE_BUILTIN = `^(node:|(${builtinModules.filter((m) => !m.startsWith('_')).join('|')})(/|$))`;

const noFrameworks = { target: '^(electron|react|react-dom|zustand)(/|$)', message: 'app/ is the framework-free core' };
const noHosts = { target: '^(main|renderer)/', message: 'app/ must not import the hosts or the renderer' };
const coreDeny = [noFrameworks, noHosts];
const belowContract = { target: '^app/rpc/', message: 'only app/studio may import the RPC layer; use the domain types' };
const plainDomain = { target: '^(?!zod$|app/domain/)', message: 'app/domain/ may import only zod and app/domain/' };

const rendererDeny = [
  { target: NODE_BUILTIN, message: 'renderer/ must not use Node built-ins' },
  { target: '^(electron|undici|ws|tsx)(/|$)', message: 'renderer/ must not import host-side packages' },
  { target: '^app/(?!rpc/contract\\.ts$)', message: 'renderer/ may import only app/rpc/contract.ts from app/' },
  { target: '^main/', message: 'renderer/ must not import from main/' },
];

const preloadDeny = [{ target: '^(?!electron$)', message: 'the sandboxed preload may load only "electron"', allowTypeImports: true }];
const noElectron = [
  { target: '^electron(/|$)', message: 'only main/electron may import Electron (the CLI and browser host run without it)' },
  { target: '^renderer/', message: 'hosts serve the built renderer, they do not import its source' },
];


export default tseslint.config(
  { ignores: ['dist/', 'out/', 'node_modules/', 'test-results/', 'playwright-report/', 'bench/data/', 'bench/results/', '.sandbox/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    plugins: { boundaries },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // CommonJS on purpose (electron-builder hooks, the Electron stand-in loaded through require).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    // The two classic hooks rules. The plugin's React Compiler rules (its 'recommended' set: refs, set-state-in-effect,
    // purity, immutability) report 25 places today and are not enabled yet.
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'boundaries/imports': ['error', { deny: rendererDeny }],
    },
  },
  {
    files: ['app/**/*.ts'],
    rules: {
      'boundaries/imports': ['error', { deny: coreDeny }],
      'no-restricted-globals': ['error', ...['window', 'document', 'navigator', 'localStorage', 'sessionStorage'].map((name) => ({ name, message: 'app/ has no DOM' }))],
    },
  },
  {
    files: ['app/**/*.ts'],
    ignores: ['app/rpc/**', 'app/studio/**'],
    rules: { 'boundaries/imports': ['error', { deny: [...coreDeny, belowContract] }] },
  },
  { files: ['app/domain/**/*.ts'], rules: { 'boundaries/imports': ['error', { deny: [plainDomain] }] } },
  { files: ['main/**/*.ts'], ignores: ['main/electron/**'], rules: { 'boundaries/imports': ['error', { deny: noElectron }] } },
  { files: ['main/electron/preload.ts'], rules: { 'boundaries/imports': ['error', { deny: preloadDeny }] } },
);
