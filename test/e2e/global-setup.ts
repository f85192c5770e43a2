// Starts (or reuses) the Swift sandbox, builds the renderer, and serves it with the browser-mode host on a random
// port with a fresh data directory, so tests never see a user's saved connections.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../../app/sandbox/manager.ts';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const sandbox = await startSandbox();
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  const dataDir = mkdtempSync(join(tmpdir(), 'slo-e2e-'));
  const { startBrowserMode } = await import('../../main/browser/main.ts');
  const host = await startBrowserMode({ port: 0, dataDir });
  process.env.SLO_E2E_URL = host.url;
  process.env.SLO_E2E_DATA_DIR = dataDir;
  process.env.SLO_E2E_AUTH_URL = sandbox.authUrl;
  process.env.SLO_E2E_STORAGE_URL = sandbox.storageUrl;
  return async () => {
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
