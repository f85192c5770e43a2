// Starts (or reuses) the Swift sandbox, builds the renderer, and serves it with the browser-mode host on a random
// port with a fresh data directory, so tests never see a user's saved connections.
//
// The renderer is built into a private temporary directory and served from there: other runs on the same machine
// (npm start, another npm test) rebuild dist/renderer with emptyOutDir, which would pull the files out from under a
// running suite. The fresh build is then copied over dist/renderer too, for the Electron spec and `npm start`.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox } from '../../app/sandbox/manager.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export default async function globalSetup(): Promise<() => Promise<void>> {
  const sandbox = await startSandbox();
  const rendererDir = mkdtempSync(join(tmpdir(), 'slo-e2e-renderer-'));
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', rendererDir, '--emptyOutDir'], { stdio: 'inherit', cwd: ROOT });
  try {
    cpSync(rendererDir, join(ROOT, 'dist/renderer'), { recursive: true });
  } catch (e) {
    console.warn(`global-setup: could not refresh dist/renderer (${String(e)}); the suite uses its own copy`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'slo-e2e-'));
  const { startBrowserMode } = await import('../../main/browser/main.ts');
  const host = await startBrowserMode({ port: 0, dataDir, staticDir: rendererDir });
  process.env.SLO_E2E_URL = host.url;
  process.env.SLO_E2E_DATA_DIR = dataDir;
  process.env.SLO_E2E_AUTH_URL = sandbox.authUrl;
  process.env.SLO_E2E_STORAGE_URL = sandbox.storageUrl;
  process.env.SLO_E2E_CONTAINER_SERVER = JSON.stringify(sandbox.containerServer);
  process.env.SLO_E2E_ACCOUNT_SERVER = JSON.stringify({ accountServer: sandbox.accountServer, dataDir: sandbox.dataDir });
  return async () => {
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(rendererDir, { recursive: true, force: true });
  };
}
