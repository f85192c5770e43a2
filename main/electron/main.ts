// Electron main process (bundled to dist/electron/main.cjs). Thin: it builds the Electron HostPlatform, wraps the
// shared handlers with native dialogs and the trusted-path checks, and locks the window down.
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  safeStorage,
  session,
  shell,
  type MenuItemConstructorOptions,
} from 'electron';
import type { HostInfo } from '../../app/rpc/contract.ts';
import type { Handlers, HostPlatform } from '../../app/rpc/handlers.ts';
import { createHandlers } from '../../app/studio/handlers.ts';
import { toSwiftError } from '../../app/swift/errors.ts';
import { defaultDataDir } from '../data-dir.ts';
import { contentTypeOf, resolveStaticPath } from '../static-files.ts';
import { APP_ENTRY_URL, APP_HOST, APP_SCHEME } from './app-url.ts';
import { EVENT_CHANNEL, FILES_OPENED_EVENT } from './channels.ts';
import { dialogHandlers, type NativeDialogs } from './dialogs.ts';
import { registerRpc, type RpcBridge } from './ipc.ts';
import { HANDED_OVER_LINE, LAUNCH_LINES_ENV, READY_LINE } from './launch-lines.ts';
import { existingFiles, filesInArgv } from './open-files.ts';
import { keychainNotice, keychainProblem, SafeStorageSecretStore } from './secrets.ts';
import { TrustedPaths, withTrustedPaths, type TrustedSets } from './trusted-paths.ts';
import { devToolsAllowed, ELECTRON_CSP, windowOptions } from './window-options.ts';

// This file only runs as the CJS bundle in dist/electron/, next to preload.cjs and above dist/renderer/.
const BUNDLE_DIR = __dirname;
const RENDERER_DIR = join(BUNDLE_DIR, '..', 'renderer');
const PRELOAD = join(BUNDLE_DIR, 'preload.cjs');
// A packaged app never gets DevTools, whatever the environment says.
const DEV = devToolsAllowed(app.isPackaged);
const LAUNCH_LINES = process.env[LAUNCH_LINES_ENV] === '1';

// Chromium's own profile (caches, local storage) stays apart from our data dir, which the other modes share.
app.setPath('userData', join(app.getPath('appData'), 'SLO Studio'));

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } }]);

let window: BrowserWindow | null = null;
/** Set once the window and trusted paths exist; files named before that wait in `pendingFiles`. */
let openFiles: ((paths: string[]) => void) | null = null;
let pendingFiles: string[] = filesInArgv(process.argv, process.cwd());

if (!app.requestSingleInstanceLock()) {
  // The app is already open: Electron hands our argv to it ('second-instance' there), so this launch is done.
  if (LAUNCH_LINES) process.stdout.write(`${HANDED_OVER_LINE}\n`);
  app.quit();
} else {
  app.on('second-instance', (_event, argv, workingDirectory) => {
    offerFiles(filesInArgv(argv, workingDirectory));
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  // macOS hands files from Finder ("Open With", the Dock icon) to the running app this way, not through argv.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    offerFiles(existingFiles([path], process.cwd()));
  });
  app.on('window-all-closed', () => app.quit());
  lockDownWebContents();
  app.whenReady().then(start).catch(fail);
}

function offerFiles(files: string[]): void {
  if (openFiles) openFiles(files);
  else pendingFiles.push(...files);
}

function lockDownWebContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

async function start(): Promise<void> {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [ELECTRON_CSP] } }),
  );
  protocol.handle(APP_SCHEME, serveRenderer);

  let rpc: RpcBridge | null = null;
  const dataDir = defaultDataDir();
  const secretsDir = join(dataDir, 'secrets');
  // The keychain is asked only after the window shows (it can be slow on Linux); until then the notice says so.
  const info: HostInfo = {
    mode: 'electron',
    version: app.getVersion(),
    platform: process.platform,
    nativeDialogs: true,
    secretStorage: 'SLO Studio is checking the OS keychain it will encrypt secrets with.',
  };
  const checkKeychain = () =>
    keychainProblem(safeStorage).then(
      (problem) => (info.secretStorage = problem ?? keychainNotice(secretsDir)),
      (e: unknown) => (info.secretStorage = `The OS keychain could not be checked: ${toSwiftError(e).message}`),
    );
  const platform: HostPlatform = {
    info,
    dataDir,
    secrets: new SafeStorageSecretStore(secretsDir, safeStorage),
    hostPaths: true, // guarded below: withTrustedPaths admits only what the user dropped or picked
    broadcast: (event, payload) => rpc?.emit(event, payload),
  };

  const shared = createHandlers(platform);
  const trusted: TrustedSets = { readable: new TrustedPaths(), writable: new TrustedPaths() };
  const handlers: Handlers = withTrustedPaths({ ...shared, ...dialogHandlers(nativeDialogs(), trusted) }, trusted);

  rpc = registerRpc({ ipcMain, getWindow: () => window, handlers, onTrustPaths: (paths) => trusted.readable.add(paths) });
  openFiles = (paths) => sendOpenedFiles(trusted, paths);

  let disposed = false;
  app.on('will-quit', (event) => {
    if (disposed) return;
    event.preventDefault();
    disposed = true;
    rpc?.dispose();
    void shared.dispose().finally(() => app.quit());
  });

  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(trusted)));

  const options = windowOptions(PRELOAD);
  window = new BrowserWindow({ ...options, webPreferences: { ...options.webPreferences, devTools: DEV } });
  window.once('ready-to-show', () => {
    window?.show();
    // main/start.ts waits for this line to know Electron came up (otherwise it falls back to browser mode).
    if (LAUNCH_LINES) process.stdout.write(`${READY_LINE}\n`);
    void checkKeychain();
  });
  // Files named on the command line go to the page once it can listen for them.
  window.webContents.once('did-finish-load', () => {
    const files = pendingFiles;
    pendingFiles = [];
    openFiles?.(files);
  });
  window.on('closed', () => {
    window = null;
  });
  await window.loadURL(APP_ENTRY_URL);
}

async function serveRenderer(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const file = url.host === APP_HOST ? resolveStaticPath(RENDERER_DIR, url.pathname.slice(1)) : null;
  if (!file) return new Response(null, { status: 404 });
  try {
    const body = await readFile(file);
    return new Response(body, {
      headers: { 'Content-Type': contentTypeOf(file), 'Content-Security-Policy': ELECTRON_CSP, 'X-Content-Type-Options': 'nosniff' },
    });
  } catch {
    return new Response(null, { status: 404 });
  }
}

function nativeDialogs(): NativeDialogs {
  return {
    pickFiles: async (multiple) => {
      const options: Electron.OpenDialogOptions = { properties: multiple ? ['openFile', 'multiSelections'] : ['openFile'] };
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled ? [] : result.filePaths;
    },
    pickSaveTarget: async (defaultName) => {
      const options: Electron.SaveDialogOptions = { defaultPath: join(app.getPath('downloads'), defaultName) };
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    pickFolder: async (purpose) => {
      const options: Electron.OpenDialogOptions = {
        properties: purpose === 'upload' ? ['openDirectory'] : ['openDirectory', 'createDirectory'],
        ...(purpose === 'download' ? { defaultPath: app.getPath('downloads'), buttonLabel: 'Download here' } : { buttonLabel: 'Upload' }),
      };
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}

/** Trusts files the user named (command line, File › Open…) and offers them to the renderer for upload. */
function sendOpenedFiles(trusted: TrustedSets, paths: string[]): void {
  if (paths.length === 0 || !window || window.isDestroyed()) return;
  trusted.readable.add(paths);
  window.webContents.send(EVENT_CHANNEL, { event: FILES_OPENED_EVENT, payload: { paths } });
}

function menuTemplate(trusted: TrustedSets): MenuItemConstructorOptions[] {
  const pickAndOpen = async () => {
    const { paths } = await dialogHandlers(nativeDialogs(), trusted)['dialog.openFiles']({ multiple: true }, { emit: () => undefined });
    sendOpenedFiles(trusted, paths);
  };
  return [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' } as const] : []),
    {
      label: 'File',
      submenu: [{ label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => void pickAndOpen() }, { type: 'separator' }, { role: 'quit' }],
    },
    { role: 'editMenu' },
    ...(DEV
      ? [{ label: 'View', submenu: [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }] } satisfies MenuItemConstructorOptions]
      : []),
    {
      role: 'help',
      submenu: [
        {
          label: 'Swift Large Objects (OpenStack docs)',
          click: () => void shell.openExternal('https://docs.openstack.org/swift/latest/overview_large_objects.html'),
        },
        { label: `About SLO Studio ${app.getVersion()}`, click: () => app.showAboutPanel() },
      ],
    },
  ];
}

function fail(e: unknown): void {
  dialog.showErrorBox('SLO Studio could not start', toSwiftError(e).message);
  app.exit(1);
}
