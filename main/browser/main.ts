// Entry point of browser mode: platform + handlers + local server, one line on the terminal, clean shutdown.
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { createHandlers } from '../../app/studio/handlers.ts';
import { toSwiftError } from '../../app/swift/errors.ts';
import { createBrowserHub } from './hub.ts';
import { browserPlatform } from './platform.ts';
import { startBrowserHost, type BrowserHost } from './server.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface BrowserModeOptions {
  port?: number;
  /** Open the URL in the default browser. */
  open?: boolean;
  staticDir?: string;
  dataDir?: string;
  /** Exit cleanly on SIGINT/SIGTERM (default true; tests that embed the host turn it off or just call close()). */
  handleSignals?: boolean;
  /** Where the one status line goes (default console.log). */
  log?: (line: string) => void;
}

export type BrowserMode = Omit<BrowserHost, 'close'> & {
  /** Stops transfers (handlers.dispose) and the server. */
  close(): Promise<void>;
};

export async function startBrowserMode(options: BrowserModeOptions = {}): Promise<BrowserMode> {
  const hub = createBrowserHub();
  const platform = browserPlatform(hub, options.dataDir ? { dataDir: options.dataDir } : {});
  const handlers = createHandlers(platform);
  let host: BrowserHost;
  try {
    host = await startBrowserHost({
      handlers,
      hub,
      port: options.port ?? 0,
      host: '127.0.0.1',
      staticDir: options.staticDir ?? resolve(REPO_ROOT, 'dist/renderer'),
    });
  } catch (e) {
    await handlers.dispose();
    throw e;
  }
  (options.log ?? console.log)(`SLO Studio is running at ${host.url} (the URL contains a secret token: keep it to yourself).`);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await Promise.allSettled([handlers.dispose(), host.close()]);
    })());
  const onSignal = () => void close().then(() => process.exit(0));
  if (options.handleSignals !== false) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }

  // Not host.url: the opener's and the browser's argv are readable by other local users; the launch URL works once.
  if (options.open) openInBrowser(host.launchUrl());
  return { ...host, close };
}

/** Best effort: the URL is already on the terminal if no opener exists. */
function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // ignore
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  startBrowserMode({ open: false }).catch((e: unknown) => {
    console.error(`SLO Studio could not start: ${toSwiftError(e).message}`);
    process.exit(1);
  });
}
