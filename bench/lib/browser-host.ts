// The browser-mode host as users run it (`npm start` falls back to this): its own process, without the bench's
// Playwright in it (Playwright's AsyncLocalStorage hooks every promise, and its heap makes each GC dearer), so the
// ui-upload case measures the host's CPU and not the harness's. Prints the URL as one JSON line, serves until killed.
// usage: node bin/run.mjs bench/lib/browser-host.ts <staticDir> <dataDir>
import { startBrowserMode } from '../../main/browser/main.ts';

const [staticDir, dataDir] = process.argv.slice(2);
if (!staticDir || !dataDir) {
  console.error('usage: browser-host.ts <staticDir> <dataDir>');
  process.exit(2);
}
const host = await startBrowserMode({ port: 0, staticDir, dataDir, log: () => undefined });
console.log(JSON.stringify({ url: host.url }));
