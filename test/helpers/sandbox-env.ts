// What the integration/faults globalSetup hands to tests through vitest's provide/inject.
import type { SandboxInfo } from '../../app/sandbox/manager.ts';

export interface SandboxCredentials {
  authUrl: string;
  user: string;
  key: string;
  storageUrl: string;
  proxyPort: number;
  dataDir: string;
}

export function toCredentials(info: SandboxInfo): SandboxCredentials {
  const { authUrl, user, key, storageUrl, proxyPort, dataDir } = info;
  return { authUrl, user, key, storageUrl, proxyPort, dataDir };
}
