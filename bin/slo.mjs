#!/usr/bin/env node
// The `slo` command: runs the CLI bundle that `npm run build` (and `npm install`, through `prepare`) writes.
if (process.env.SLO_DEBUG) process.setSourceMapsEnabled(true);
let cli;
try {
  cli = await import('../dist/cli/slo.mjs');
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !/dist[\\/]cli[\\/]slo\.mjs/.test(String(e.message))) throw e;
  console.error('slo: the CLI is not built yet. Run `npm run build:cli` (npm install does it too).');
  process.exit(1);
}
await cli.run(process.argv.slice(2));
