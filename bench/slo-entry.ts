// Entry point the benchmark bundles (esbuild → dist/bench/slo.mjs) so each timed `slo` run starts in ~0.1 s
// instead of paying tsx's on-the-fly TypeScript compile (~0.4 s). Same code as bin/slo.mjs runs.
import { main } from '../main/cli/slo.ts';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
