// What the integration/faults globalSetup hands to tests through vitest's provide/inject.
import type { SandboxInfo } from '../../app/sandbox/manager.ts';

export type SandboxCredentials = Pick<SandboxInfo, 'authUrl' | 'user' | 'key' | 'storageUrl' | 'proxyPort' | 'dataDir' | 'containerServer'>;

export function toCredentials(info: SandboxInfo): SandboxCredentials {
  const { authUrl, user, key, storageUrl, proxyPort, dataDir, containerServer } = info;
  return { authUrl, user, key, storageUrl, proxyPort, dataDir, containerServer };
}
