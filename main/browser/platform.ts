// The HostPlatform for browser mode: data under the user's config dir, secrets in a 0600 file, dropped files pulled
// from the tab, downloads served by the local host.
import { join } from 'node:path';
import { encodeComponent } from '../../app/domain/names.ts';
import type { HostPlatform } from '../../app/rpc/handlers.ts';
import { defaultDataDir } from '../data-dir.ts';
import { appVersion } from '../version.ts';
import { browserFileSource } from './browser-file.ts';
import type { BrowserHub } from './hub.ts';
import { FileSecretStore, SECRETS_FILE_NAME, secretStorageNotice } from './secrets.ts';

export { defaultDataDir };

export function browserPlatform(hub: BrowserHub, options: { dataDir?: string } = {}): HostPlatform {
  const dataDir = options.dataDir ?? defaultDataDir();
  const secrets = new FileSecretStore(join(dataDir, SECRETS_FILE_NAME));
  return {
    info: {
      mode: 'browser',
      version: appVersion(),
      platform: process.platform,
      nativeDialogs: false,
      secretStorage: secretStorageNotice(secrets.file),
    },
    dataDir,
    secrets,
    hostPaths: false,
    broadcast: (event, payload) => hub.events.emit(event, payload),
    browserFile: (fileId, name, size, lastModified) => browserFileSource(hub.pulls, { fileId, name, size, lastModified }),
    serveDownload: (transferId, meta, write) => {
      hub.downloads.registerDownload(transferId, write, meta);
      return `/${hub.token}/download/${encodeComponent(transferId)}`;
    },
  };
}
