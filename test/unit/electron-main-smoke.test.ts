// Smoke test of the BUILT Electron main process (dist/electron/main.cjs as scripts/build-electron.ts bundles it), run
// under plain Node. This machine cannot download the Electron binary, so `electron` is replaced — by module
// resolution, through `node --require test/helpers/electron-stand-in.cjs` — with a stand-in that implements only the
// APIs main uses and records the calls. It stands in for the binary and nothing else: main's own code, the shared
// handlers and the file serving run for real. What needs Chromium (the sandbox, the preload, real IPC frames) is
// left to test/e2e/electron.spec.ts wherever a binary exists.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HANDED_OVER_LINE, READY_LINE } from '../../main/electron/launch-lines.ts';
import { ELECTRON_CSP } from '../../main/electron/window-options.ts';
import { buildElectron } from '../../scripts/build-electron.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STAND_IN = join(ROOT, 'test/helpers/electron-stand-in.cjs');
const INDEX_HTML = '<!doctype html><title>SLO Studio</title><script type="module" src="./assets/app.js"></script>';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slo-electron-main-'));
  await buildElectron(ROOT, join(dir, 'electron'));
  // main serves ../renderer next to its bundle; a secret one level above must stay out of reach.
  await mkdir(join(dir, 'renderer/assets'), { recursive: true });
  await writeFile(join(dir, 'renderer/index.html'), INDEX_HTML);
  await writeFile(join(dir, 'renderer/assets/app.js'), 'console.log("app")');
  await writeFile(join(dir, 'secret.txt'), 'not for the renderer');
  await mkdir(join(dir, 'home'), { recursive: true });
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface LogEntry {
  call: string;
  detail?: unknown;
}
interface Running {
  child: ChildProcess;
  stdout: () => string;
  exit: Promise<number | null>;
  op<T = unknown>(op: string, args?: Record<string, unknown>): Promise<T>;
}

const running: Running[] = [];
afterEach(() => {
  for (const r of running.splice(0)) r.child.kill();
});

function startMain(env: Record<string, string> = {}, args: string[] = []): Running {
  const child = fork(join(dir, 'electron/main.cjs'), args, {
    execArgv: ['--require', STAND_IN],
    env: { ...process.env, SLO_STUDIO_DATA_DIR: join(dir, 'data'), STAND_IN_HOME: join(dir, 'home'), SLO_STUDIO_READY_LINE: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (m: { id: number; result?: unknown; error?: string }) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.error) p?.reject(new Error(m.error));
    else p?.resolve(m.result);
  });
  const r: Running = {
    child,
    stdout: () => out,
    exit,
    op: (op, args = {}) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, op, ...args });
      }),
  };
  running.push(r);
  return r;
}

async function started(env: Record<string, string> = {}, args: string[] = []): Promise<Running> {
  const app = startMain(env, args);
  await app.op('ready');
  await app.op('show');
  return app;
}

const indexOf = (log: LogEntry[], call: string, detail?: unknown) =>
  log.findIndex((e) => e.call === call && (detail === undefined || JSON.stringify(e.detail) === JSON.stringify(detail)));
const rpc = (method: string, params: unknown = {}) => ({ id: 7, method, params });

describe('Electron main (built bundle, stand-in electron module)', () => {
  it('starts in the order Electron requires and asks the keychain only after the window shows', async () => {
    const app = await started();
    const log = await app.op<LogEntry[]>('log');
    const at = (call: string, detail?: unknown) => {
      const i = indexOf(log, call, detail);
      expect(i, `${call} ${JSON.stringify(detail ?? '')} was called`).toBeGreaterThanOrEqual(0);
      return i;
    };
    const ready = at('app.ready');
    expect(at('protocol.registerSchemesAsPrivileged')).toBeLessThan(ready);
    expect(log[at('protocol.registerSchemesAsPrivileged')]?.detail).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
    ]);
    expect(at('app.requestSingleInstanceLock')).toBeLessThan(ready);
    const window = at('new BrowserWindow');
    for (const [call, detail] of [
      ['protocol.handle', 'app'],
      ['session.setPermissionRequestHandler', undefined],
      ['session.webRequest.onHeadersReceived', undefined],
      ['ipcMain.handle', 'rpc'],
      ['ipcMain.on', 'trust-paths'],
    ] as const) {
      expect(at(call, detail)).toBeGreaterThan(ready);
      expect(at(call, detail)).toBeLessThan(window);
    }
    expect(log[window]?.detail).toEqual({ devTools: true, sandbox: true, show: false });
    expect(at('window.loadURL', 'app://slo-studio/index.html')).toBeGreaterThan(window);
    expect(at('safeStorage.isAsyncEncryptionAvailable')).toBeGreaterThan(at('window.show'));
    expect(log.filter((e) => /^safeStorage\.(isEncryptionAvailable|encryptString|decryptString)$/.test(e.call))).toEqual([]);
    expect(app.stdout()).toContain(`${READY_LINE}\n`);

    const info = await app.op('invoke', { channel: 'rpc', sender: 'window', payload: rpc('host.info') });
    expect(info).toMatchObject({
      resolved: { id: 7, ok: true, result: { mode: 'electron', nativeDialogs: true, secretStorage: expect.stringContaining('encrypts secrets with the OS keychain') } },
    });
  });

  it('serves the renderer on app://slo-studio/ with its CSP, and nothing outside it or on another host', async () => {
    const app = await started();
    const fetch = (url: string) => app.op<{ status: number; headers: Record<string, string>; body: string }>('fetch', { url });

    const index = await fetch('app://slo-studio/index.html');
    expect(index).toMatchObject({ status: 200, body: INDEX_HTML });
    expect(index.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': ELECTRON_CSP,
      'x-content-type-options': 'nosniff',
    });
    expect(await fetch('app://slo-studio/')).toMatchObject({ status: 200, body: INDEX_HTML });
    const js = await fetch('app://slo-studio/assets/app.js');
    expect(js).toMatchObject({ status: 200, headers: { 'content-type': 'text/javascript; charset=utf-8' } });

    for (const url of [
      'app://slo-studio/../secret.txt',
      'app://slo-studio/%2e%2e/secret.txt',
      'app://slo-studio/assets%2F..%2F..%2Fsecret.txt',
      'app://slo-studio/assets/..%5C..%5Csecret.txt',
      'app://slo-studio/%00index.html',
      'app://slo-studio/missing.js',
      'app://evil/index.html',
      'app://slo-studio.evil/index.html',
    ]) {
      const res = await fetch(url);
      expect(res.status, url).toBe(404);
      expect(res.body, url).toBe('');
    }

    const headers = await app.op('webRequest', { responseHeaders: { 'X-Other': ['1'] } });
    expect(headers).toEqual({ responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [ELECTRON_CSP] } });
  });

  it('refuses IPC from any other sender or frame, and uploads of paths the user never picked', async () => {
    const app = await started();
    for (const sender of ['foreign', 'subframe']) {
      expect(await app.op('invoke', { channel: 'rpc', sender, payload: rpc('host.info') })).toEqual({
        rejected: expect.stringContaining('Refused: this IPC sender is not the SLO Studio window.'),
      });
    }
    const upload = rpc('transfers.upload', { source: { kind: 'path', path: '/etc/passwd' }, container: 'c', object: 'o' });
    // A foreign frame cannot make the path trusted either.
    await app.op('send', { channel: 'trust-paths', sender: 'foreign', payload: ['/etc/passwd'] });
    expect(await app.op('invoke', { channel: 'rpc', sender: 'window', payload: upload })).toMatchObject({
      resolved: { ok: false, error: { kind: 'invalid', message: expect.stringContaining('/etc/passwd is neither') } },
    });
  });

  it('a second launch focuses the window and offers its files, instead of anything exiting', async () => {
    const app = await started();
    const file = join(dir, 'big.iso');
    await writeFile(file, 'iso');
    // As `electron <app> …` in development: the app path (here main.cjs, a file) is not one of the files.
    const argv = ['/usr/lib/electron', join(dir, 'electron/main.cjs'), '--enable-features=X', 'big.iso', dir, '/no/such/file'];
    await app.op('secondInstance', { argv, workingDirectory: dir, minimized: true });
    const log = await app.op<LogEntry[]>('log');
    const after = log.slice(indexOf(log, 'window.show') + 1).map((e) => e.call);
    expect(after).toEqual(expect.arrayContaining(['window.restore', 'window.show', 'window.focus']));
    expect(after).not.toContain('app.quit');
    expect(log.filter((e) => e.call === 'webContents.send')).toEqual([
      { call: 'webContents.send', detail: { channel: 'rpc-event', args: [{ event: 'files.opened', payload: { paths: [file] } }] } },
    ]);
    // The file the second launch named is now one the user chose: the upload gets past the path guard.
    const upload = rpc('transfers.upload', { source: { kind: 'path', path: file }, container: 'c', object: 'o' });
    expect(await app.op('invoke', { channel: 'rpc', sender: 'window', payload: upload })).toMatchObject({
      resolved: { ok: false, error: { message: expect.stringContaining('Not connected') } },
    });
  });

  it('offers the files named on its own command line once the page has loaded', async () => {
    const file = join(dir, 'first.bin');
    await writeFile(file, 'x');
    const app = await started({}, ['--inspect-brk-is-not-a-file', file]);
    const log = await app.op<LogEntry[]>('log');
    expect(log.filter((e) => e.call === 'webContents.send')).toEqual([
      { call: 'webContents.send', detail: { channel: 'rpc-event', args: [{ event: 'files.opened', payload: { paths: [file] } }] } },
    ]);
  });

  it("takes macOS's open-file the same way (Finder's Open With)", async () => {
    const app = await started();
    const file = join(dir, 'from-finder.bin');
    await writeFile(file, 'x');
    expect(await app.op('openFile', { path: file })).toEqual({ defaultPrevented: true });
    expect(await app.op('openFile', { path: dir })).toEqual({ defaultPrevented: true });
    const log = await app.op<LogEntry[]>('log');
    expect(log.filter((e) => e.call === 'webContents.send')).toEqual([
      { call: 'webContents.send', detail: { channel: 'rpc-event', args: [{ event: 'files.opened', payload: { paths: [file] } }] } },
    ]);
  });

  it('as the second launch itself: says it handed over, and quits without a window', async () => {
    const app = startMain({ STAND_IN_LOCK_HELD: '1' });
    expect(await app.exit).toBe(0);
    expect(app.stdout().split('\n')[0]).toBe(HANDED_OVER_LINE);
    expect(app.stdout()).not.toContain(READY_LINE);
    expect(app.stdout()).not.toContain('new BrowserWindow');
  });

  it('a packaged app has no DevTools, whatever SLO_STUDIO_DEV says', async () => {
    const app = await started({ STAND_IN_PACKAGED: '1', SLO_STUDIO_DEV: '1' });
    const log = await app.op<LogEntry[]>('log');
    expect(log.find((e) => e.call === 'new BrowserWindow')?.detail).toMatchObject({ devTools: false });
    expect(log.find((e) => e.call === 'Menu.setApplicationMenu')?.detail).not.toContain('View');
  });

  it('quits cleanly: the first quit waits for the handlers to be disposed, then the process ends with 0', async () => {
    const app = await started();
    await app.op('quit');
    expect(await app.exit).toBe(0);
    const line = app.stdout().split('\n').find((l) => l.startsWith('stand-in log: '));
    const log = JSON.parse(line?.slice('stand-in log: '.length) ?? '[]') as LogEntry[];
    const calls = log.slice(indexOf(log, 'app.quit')).map((e) => `${e.call}${e.detail ? ` ${String(e.detail)}` : ''}`);
    expect(calls).toEqual(['app.quit', 'ipcMain.removeHandler rpc', 'app.quit']);
  });
});
