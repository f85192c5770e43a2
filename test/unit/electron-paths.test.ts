// Electron's local-path guard: uploads read only dropped or picked files, downloads write only where the user chose;
// IPC is accepted only from our window's top frame showing app://slo-studio/.
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calls } from '../../app/rpc/contract.ts';
import type { CallContext, Handlers } from '../../app/rpc/handlers.ts';
import { isAppUrl } from '../../main/electron/app-url.ts';
import { EVENT_CHANNEL, RPC_CHANNEL, TRUST_PATHS_CHANNEL } from '../../main/electron/channels.ts';
import { dialogHandlers } from '../../main/electron/dialogs.ts';
import { isTrustedSender, type FrameLike, type WindowLike } from '../../main/electron/ipc.ts';
import { TrustedPaths, withTrustedPaths, type TrustedSets } from '../../main/electron/trusted-paths.ts';

const ctx: CallContext = { emit: () => undefined };

function recordingHandlers(log: string[]): Handlers {
  const base = Object.fromEntries(
    Object.keys(calls).map((name) => [
      name,
      async () => {
        log.push(name);
        return {};
      },
    ]),
  ) as unknown as Handlers;
  return base;
}

function sets(): TrustedSets {
  return { readable: new TrustedPaths(), writable: new TrustedPaths() };
}

const upload = (path: string) => calls['transfers.upload'].input.parse({ source: { kind: 'path', path }, container: 'c', object: 'o' });
const download = (path: string) => calls['transfers.download'].input.parse({ container: 'c', object: 'o', target: { kind: 'path', path } });

describe('TrustedPaths', () => {
  it('keeps only absolute path strings, normalised', () => {
    const t = new TrustedPaths();
    expect(t.add(['/home/u/a.iso', 'relative.txt', 42, '', '/x\0y', '/home/u/./b//c.bin'])).toBe(2);
    expect(t.has('/home/u/a.iso')).toBe(true);
    expect(t.has('/home/u/b/c.bin')).toBe(true);
    expect(t.has('relative.txt')).toBe(false);
    expect(t.has('/home/u/../u/a.iso')).toBe(true);
    expect(t.add('not an array')).toBe(0);
  });
});

describe('withTrustedPaths', () => {
  it('refuses to upload a path the user never dropped or picked', async () => {
    const log: string[] = [];
    const trusted = sets();
    const handlers = withTrustedPaths(recordingHandlers(log), trusted);
    await expect(handlers['transfers.upload'](upload('/etc/shadow'), ctx)).rejects.toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('/etc/shadow is neither'),
    });
    expect(log).toEqual([]);
    trusted.readable.add(['/home/u/big.iso']);
    await handlers['transfers.upload'](upload('/home/u/big.iso'), ctx);
    expect(log).toEqual(['transfers.upload']);
  });

  it('lets browser-file sources through (they carry no path)', async () => {
    const log: string[] = [];
    const handlers = withTrustedPaths(recordingHandlers(log), sets());
    const args = calls['transfers.upload'].input.parse({
      source: { kind: 'browser-file', fileId: 'f', name: 'n', size: 1, lastModified: 1 },
      container: 'c',
      object: 'o',
    });
    await handlers['transfers.upload'](args, ctx);
    expect(log).toEqual(['transfers.upload']);
  });

  it('refuses to download to a path not chosen in the save dialog; a readable path is not enough', async () => {
    const log: string[] = [];
    const trusted = sets();
    trusted.readable.add(['/home/u/.bashrc']);
    const handlers = withTrustedPaths(recordingHandlers(log), trusted);
    await expect(handlers['transfers.download'](download('/home/u/.bashrc'), ctx)).rejects.toMatchObject({ kind: 'invalid' });
    trusted.writable.add(['/home/u/Downloads/x.iso']);
    await handlers['transfers.download'](download('/home/u/Downloads/x.iso'), ctx);
    expect(log).toEqual(['transfers.download']);
  });
});

describe('dialogHandlers', () => {
  it('trusts what the user picked, and only that', async () => {
    const trusted = sets();
    let suggested = '';
    const handlers = dialogHandlers(
      {
        pickFiles: async (multiple) => (multiple ? ['/a/one.bin', '/a/two.bin'] : []),
        pickSaveTarget: async (name) => {
          suggested = name;
          return `/home/u/Downloads/${name}`;
        },
        pickFolder: async () => null,
      },
      trusted,
    );
    expect(await handlers['dialog.openFiles']({ multiple: true }, ctx)).toEqual({ paths: ['/a/one.bin', '/a/two.bin'] });
    expect(trusted.readable.has('/a/two.bin')).toBe(true);
    expect(await handlers['dialog.saveFile']({ defaultName: '../../etc/evil.txt' }, ctx)).toEqual({ path: '/home/u/Downloads/evil.txt' });
    expect(suggested).toBe('evil.txt');
    expect(trusted.writable.has('/home/u/Downloads/evil.txt')).toBe(true);
    expect(trusted.readable.has('/home/u/Downloads/evil.txt')).toBe(false);
  });

  it('trusts nothing when the dialog is cancelled', async () => {
    const trusted = sets();
    const handlers = dialogHandlers({ pickFiles: async () => [], pickSaveTarget: async () => null, pickFolder: async () => null }, trusted);
    expect(await handlers['dialog.saveFile']({ defaultName: 'x' }, ctx)).toEqual({ path: null });
    expect(trusted.writable.size + trusted.readable.size).toBe(0);
  });
});

describe('folders', () => {
  it('a picked upload folder makes its files readable (links out of it are not), a download folder only writable', async () => {
    const root = mkdtempSync(join(tmpdir(), 'slo-trust-'));
    const picked = join(root, 'photos');
    mkdirSync(join(picked, 'sub'), { recursive: true });
    writeFileSync(join(picked, 'sub', 'a.jpg'), 'a');
    writeFileSync(join(root, 'secret'), 's');
    symlinkSync(join(root, 'secret'), join(picked, 'link'));
    const trusted = sets();
    const handlers = dialogHandlers({ pickFiles: async () => [], pickSaveTarget: async () => null, pickFolder: async (p) => (p === 'upload' ? picked : join(root, 'out')) }, trusted);
    expect(await handlers['dialog.pickFolder']({ purpose: 'upload' }, ctx)).toEqual({ path: picked });
    expect(await trusted.readable.contains(join(picked, 'sub', 'a.jpg'))).toBe(true);
    expect(await trusted.readable.contains(join(picked, 'link'))).toBe(false);
    expect(await trusted.readable.contains(join(picked, '..', 'secret'))).toBe(false);
    await handlers['dialog.pickFolder']({ purpose: 'download' }, ctx);
    expect(trusted.writable.has(join(root, 'out'))).toBe(true);
    expect(trusted.readable.has(join(root, 'out'))).toBe(false);

    const log: string[] = [];
    const guarded = withTrustedPaths(recordingHandlers(log), trusted);
    const file = (path: string) => ({ relPath: 'x', size: 1, source: { kind: 'path' as const, path } });
    const up = (path: string) => calls['batch.upload'].input.parse({ container: 'c', files: [file(path)] });
    await expect(guarded['batch.upload'](up(join(picked, 'link')), ctx)).rejects.toMatchObject({ kind: 'invalid' });
    await expect(guarded['files.expand']({ paths: [root] }, ctx)).rejects.toMatchObject({ kind: 'invalid' });
    const down = (path: string) => calls['batch.download'].input.parse({ container: 'c', prefixes: ['p/'], target: { kind: 'path', path } });
    await expect(guarded['batch.download'](down(picked), ctx)).rejects.toMatchObject({ kind: 'invalid' });
    await guarded['batch.upload'](up(join(picked, 'sub', 'a.jpg')), ctx);
    await guarded['files.expand']({ paths: [picked] }, ctx);
    await guarded['batch.download'](down(join(root, 'out')), ctx);
    expect(log).toEqual(['batch.upload', 'files.expand', 'batch.download']);
  });
});

describe('isTrustedSender', () => {
  const top: FrameLike = { url: 'app://slo-studio/index.html', parent: null, frameToken: 'top' };
  const webContents = { mainFrame: top, isDestroyed: () => false, send: () => undefined };
  const window: WindowLike = { webContents, isDestroyed: () => false };

  it('accepts the top frame of our window on app://slo-studio/', () => {
    expect(isTrustedSender({ senderFrame: top, sender: webContents }, window)).toBe(true);
  });

  it('rejects a missing frame, a sub-frame, another page, another window, or a closed window', () => {
    expect(isTrustedSender({ senderFrame: null, sender: webContents }, window)).toBe(false);
    const child: FrameLike = { url: 'app://slo-studio/index.html', parent: top, frameToken: 'child' };
    expect(isTrustedSender({ senderFrame: child, sender: webContents }, window)).toBe(false);
    const navigated: FrameLike = { ...top, url: 'https://evil.example/' };
    expect(isTrustedSender({ senderFrame: navigated, sender: webContents }, { webContents: { ...webContents, mainFrame: navigated }, isDestroyed: () => false })).toBe(false);
    expect(isTrustedSender({ senderFrame: top, sender: { other: true } }, window)).toBe(false);
    expect(isTrustedSender({ senderFrame: top, sender: webContents }, null)).toBe(false);
    expect(isTrustedSender({ senderFrame: top, sender: webContents }, { webContents, isDestroyed: () => true })).toBe(false);
  });

  it('isAppUrl accepts only app://slo-studio/…', () => {
    expect(isAppUrl('app://slo-studio/index.html')).toBe(true);
    expect(isAppUrl('app://slo-studio.evil/index.html')).toBe(false);
    expect(isAppUrl('app://user@slo-studio/index.html')).toBe(false);
    expect(isAppUrl('file:///app/dist/renderer/index.html')).toBe(false);
    expect(isAppUrl('http://slo-studio/')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});

describe('preload channels', () => {
  it('uses the same channel names as main', () => {
    const preload = readFileSync(new URL('../../main/electron/preload.ts', import.meta.url), 'utf8');
    expect(preload).toContain(`const RPC_CHANNEL = '${RPC_CHANNEL}';`);
    expect(preload).toContain(`const EVENT_CHANNEL = '${EVENT_CHANNEL}';`);
    expect(preload).toContain(`const TRUST_PATHS_CHANNEL = '${TRUST_PATHS_CHANNEL}';`);
  });
});
