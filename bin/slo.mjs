#!/usr/bin/env node
// The `slo` command: runs the TypeScript CLI through tsx so `npx slo` works straight after `npm install`.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
register();
const cli = new URL('../main/cli/slo.ts', import.meta.url);
process.argv[1] = fileURLToPath(cli);
await import(cli.href);
