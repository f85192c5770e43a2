// A stand-in for the `electron` module, for running the BUILT Electron main (dist/electron/main.cjs) under plain Node:
//   node --require test/helpers/electron-stand-in.cjs <out>/electron/main.cjs   (spawned with an IPC channel)
// It exists only because this machine cannot download the Electron binary. It implements just the APIs main uses,
// records every call in order, and lets the test drive the app over the IPC channel: { id, op, ...args } in,
// { id, result } or { id, error } out. Ops: ready, show, fetch, invoke, send, secondInstance, openFile, webRequest, log,
// quit.
// It is no Electron: nothing here checks Chromium behaviour — the Playwright `_electron` spec does, where a binary exists.
'use strict';
const Module = require('node:module');
const { EventEmitter } = require('node:events');

const log = [];
const record = (name, detail) => log.push(detail === undefined ? { call: name } : { call: name, detail });
const env = process.env;

// ---- app ----
const app = new EventEmitter();
let readyResolve;
const readyPromise = new Promise((resolve) => (readyResolve = resolve));
let isReady = false;
Object.assign(app, {
  isPackaged: env.STAND_IN_PACKAGED === '1',
  setPath: (name, value) => record('app.setPath', { name, value }),
  getPath: (name) => `${env.STAND_IN_HOME}/${name}`,
  getVersion: () => '0.0.0-stand-in',
  requestSingleInstanceLock: () => {
    record('app.requestSingleInstanceLock');
    return env.STAND_IN_LOCK_HELD !== '1';
  },
  whenReady: () => {
    record('app.whenReady');
    return readyPromise;
  },
  isReady: () => isReady,
  quit: () => {
    record('app.quit');
    const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    app.emit('will-quit', event);
    if (!event.defaultPrevented) setImmediate(() => process.exit(0));
  },
  exit: (code) => {
    record('app.exit', code);
    process.exit(code);
  },
  showAboutPanel: () => record('app.showAboutPanel'),
});

// ---- protocol, session ----
const schemeHandlers = new Map();
const protocol = {
  registerSchemesAsPrivileged: (schemes) => record('protocol.registerSchemesAsPrivileged', schemes),
  handle: (scheme, handler) => {
    record('protocol.handle', scheme);
    schemeHandlers.set(scheme, handler);
  },
};
let headersListener = null;
const session = {
  defaultSession: {
    setPermissionRequestHandler: () => record('session.setPermissionRequestHandler'),
    setPermissionCheckHandler: () => record('session.setPermissionCheckHandler'),
    webRequest: {
      onHeadersReceived: (listener) => {
        record('session.webRequest.onHeadersReceived');
        headersListener = listener;
      },
    },
  },
};

// ---- windows ----
class WebContents extends EventEmitter {
  constructor() {
    super();
    this.mainFrame = { url: '', parent: null, frameToken: 'top-frame', detached: false };
    this.sent = [];
  }
  isDestroyed() {
    return false;
  }
  send(channel, ...args) {
    record('webContents.send', { channel, args });
  }
  setWindowOpenHandler() {
    record('webContents.setWindowOpenHandler');
  }
}
const windows = [];
class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    record('new BrowserWindow', { devTools: options.webPreferences.devTools, sandbox: options.webPreferences.sandbox, show: options.show });
    this.webContents = new WebContents();
    this.minimized = false;
    windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  async loadURL(url) {
    record('window.loadURL', url);
    this.webContents.mainFrame.url = url;
  }
  isDestroyed() {
    return false;
  }
  isMinimized() {
    return this.minimized;
  }
  restore() {
    record('window.restore');
    this.minimized = false;
  }
  show() {
    record('window.show');
  }
  focus() {
    record('window.focus');
  }
}

// ---- ipcMain ----
const invokeHandlers = new Map();
const ipcMain = new EventEmitter();
Object.assign(ipcMain, {
  handle: (channel, handler) => {
    record('ipcMain.handle', channel);
    invokeHandlers.set(channel, handler);
  },
  removeHandler: (channel) => {
    record('ipcMain.removeHandler', channel);
    invokeHandlers.delete(channel);
  },
});
const ipcOn = ipcMain.on.bind(ipcMain);
ipcMain.on = (channel, listener) => {
  record('ipcMain.on', channel);
  return ipcOn(channel, listener);
};

// ---- the rest ----
const syncSafeStorage = (name) => () => {
  record(`safeStorage.${name}`);
  throw new Error(`the deprecated sync safeStorage.${name} was called`);
};
const safeStorage = {
  isEncryptionAvailable: syncSafeStorage('isEncryptionAvailable'),
  encryptString: syncSafeStorage('encryptString'),
  decryptString: syncSafeStorage('decryptString'),
  getSelectedStorageBackend: () => 'gnome_libsecret',
  isAsyncEncryptionAvailable: async () => {
    record('safeStorage.isAsyncEncryptionAvailable');
    return true;
  },
  encryptStringAsync: async (s) => Buffer.from(`enc:${s}`),
  decryptStringAsync: async (b) => ({ result: b.toString().slice(4), shouldReEncrypt: false }),
};
const Menu = {
  buildFromTemplate: (template) => ({ template }),
  setApplicationMenu: (menu) => record('Menu.setApplicationMenu', menu.template.map((item) => item.label ?? item.role)),
};
const dialog = {
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
  showSaveDialog: async () => ({ canceled: true }),
  showErrorBox: (title, content) => record('dialog.showErrorBox', { title, content }),
};
const shell = { openExternal: async (url) => record('shell.openExternal', url) };

// Electron sets defaultApp when started as `electron <app>` (development); a packaged app's argv has no app path.
if (!app.isPackaged) process.defaultApp = true;
else process.argv.splice(1, 1);

const electron = { app, protocol, session, BrowserWindow, ipcMain, safeStorage, Menu, dialog, shell };

const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'electron' ? electron : load.call(this, request, ...rest);
};

// ---- the test's handle on it ----
function eventFrom(sender) {
  const win = windows[0];
  if (sender === 'window') return { sender: win.webContents, senderFrame: win.webContents.mainFrame };
  if (sender === 'subframe') return { sender: win.webContents, senderFrame: { url: 'app://slo-studio/index.html', parent: {}, frameToken: 'child' } };
  return { sender: {}, senderFrame: { url: 'https://example.com/', parent: null, frameToken: 'other' } };
}

const until = async (test) => {
  for (let i = 0; i < 500 && !test(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!test()) throw new Error('the app did not get there within 5 s');
};

const ops = {
  async ready() {
    isReady = true;
    record('app.ready');
    readyResolve();
    app.emit('ready');
    await until(() => windows[0] && windows[0].webContents.mainFrame.url !== '');
    return null;
  },
  async show() {
    windows[0].emit('ready-to-show');
    windows[0].webContents.emit('did-finish-load');
    await new Promise((r) => setTimeout(r, 50));
    return null;
  },
  async fetch({ url }) {
    const handler = schemeHandlers.get(new URL(url).protocol.slice(0, -1));
    const response = await handler(new Request(url));
    return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
  },
  async invoke({ channel, sender, payload }) {
    try {
      return { resolved: await invokeHandlers.get(channel)(eventFrom(sender), payload) };
    } catch (e) {
      return { rejected: e.message };
    }
  },
  async send({ channel, sender, payload }) {
    ipcMain.emit(channel, eventFrom(sender), payload);
    return null;
  },
  async openFile({ path }) {
    const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    app.emit('open-file', event, path);
    return { defaultPrevented: event.defaultPrevented };
  },
  async secondInstance({ argv, workingDirectory, minimized }) {
    windows[0].minimized = Boolean(minimized);
    app.emit('second-instance', {}, argv, workingDirectory, {});
    return null;
  },
  async webRequest({ responseHeaders }) {
    return new Promise((resolve) => headersListener({ responseHeaders }, (result) => resolve(result)));
  },
  async log() {
    return log;
  },
  async quit() {
    app.quit();
    return null;
  },
};

// The last word, for tests that watch the process end: its call log as one line on stdout.
process.on('exit', () => require('node:fs').writeSync(1, `stand-in log: ${JSON.stringify(log)}\n`));

process.on('message', ({ id, op, ...args }) => {
  Promise.resolve()
    .then(() => ops[op](args))
    .then(
      (result) => process.send({ id, result }),
      (e) => process.send({ id, error: String(e && e.stack ? e.stack : e) }),
    );
});
