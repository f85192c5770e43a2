// `npm run dist` — electron-builder with this repo's electron-builder.yml. The packaging run is opt-in
// (SLO_TEST_PACKAGING=1): it builds the renderer and packages for about a minute. It runs offline against stand-ins for
// the two things this machine cannot download: the Electron folder (a script carrying a real fuse wire, so the fuses
// electron-builder flips can be read back) and fpm (electron-builder fetches its own from GitHub for .deb; the stand-in
// records what electron-builder hands it — metadata, desktop entry, install script — and writes an empty package).
// So `dir` is really built and checked; `deb` is checked up to fpm, which only a machine with internet access runs.
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPackage, extractFile, listPackage } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../main/electron-binary.ts';
import { builderErrors, failedOnlyByDownload } from '../../scripts/dist.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OPT_IN = process.env.SLO_TEST_PACKAGING === '1';
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron 45's fuse wire as shipped: RunAsNode, CookieEncryption, NodeOptions, CliInspect, AsarIntegrity,
// OnlyLoadAppFromAsar, V8Snapshot, GrantFileProtocolExtraPrivileges.
const SHIPPED_FUSES = '10110001';

describe('scripts/dist.ts: which failures are only a missing download', () => {
  it('names the download only when every error electron-builder reported was one', () => {
    const offline = '  • building target=deb\n  ⨯ getaddrinfo ENOTFOUND github.com  failedTask=build stackTrace=RequestError\n    at x';
    expect(failedOnlyByDownload(offline)).toBe(true);
    const config = '  ⨯ Please specify project homepage, see https://www.electron.build/configuration#metadata\n  ⨯ getaddrinfo ENOTFOUND github.com';
    expect(failedOnlyByDownload(config)).toBe(false);
    expect(failedOnlyByDownload('Error: something else\n  at ENOTFOUND somewhere in a stack')).toBe(false);
    expect(builderErrors(config)).toHaveLength(2);
  });
});

describe('the electronDist that scripts/dist.ts passes', () => {
  it("is Electron's folder, not the executable's (on macOS electron-builder looks for Electron.app inside it)", async () => {
    const root = await mkdtemp(join(tmpdir(), 'slo-electron-pkg-'));
    try {
      const pkg = join(root, 'node_modules/electron');
      await mkdir(join(pkg, 'dist/Electron.app/Contents/MacOS'), { recursive: true });
      await writeFile(join(pkg, 'package.json'), '{}');
      await writeFile(join(pkg, 'path.txt'), 'Electron.app/Contents/MacOS/Electron');
      await writeFile(join(pkg, 'dist/Electron.app/Contents/MacOS/Electron'), '');
      expect(findElectronBinary(root, {})).toEqual({
        found: true,
        path: join(pkg, 'dist/Electron.app/Contents/MacOS/Electron'),
        dist: join(pkg, 'dist'),
      });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!OPT_IN)('npm run dist -- --linux dir deb (opt-in: SLO_TEST_PACKAGING=1; about a minute, builds dist/)', () => {
  let dir: string;
  let result: { code: number; output: string };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slo-dist-'));
    const electronDist = join(dir, 'electron');
    await mkdir(join(electronDist, 'resources'), { recursive: true });
    const binary = Buffer.concat([Buffer.from(`#!/bin/sh\necho stand-in\n# ${SENTINEL}`), Buffer.from([1, 8]), Buffer.from(`${SHIPPED_FUSES}\n`)]);
    for (const name of ['electron', 'chrome-sandbox']) {
      await writeFile(join(electronDist, name), binary);
      await chmod(join(electronDist, name), 0o755);
    }
    await writeFile(join(electronDist, 'LICENSE'), 'MIT');
    await writeFile(join(electronDist, 'version'), '45.4.1');
    await mkdir(join(dir, 'default_app'));
    await writeFile(join(dir, 'default_app/package.json'), '{"name":"default_app"}');
    await createPackage(join(dir, 'default_app'), join(electronDist, 'resources/default_app.asar'));

    const bin = join(dir, 'bin');
    await mkdir(bin);
    await writeFile(
      join(bin, 'fpm'),
      `#!${process.execPath}
const fs = require('node:fs');
const args = process.argv.slice(2);
const record = ${JSON.stringify(join(dir, 'fpm'))};
fs.mkdirSync(record, { recursive: true });
fs.writeFileSync(record + '/args.json', JSON.stringify(args));
fs.copyFileSync(args[args.indexOf('--after-install') + 1], record + '/after-install');
const desktop = args.find((a) => a.includes('=/usr/share/applications/'));
fs.copyFileSync(desktop.split('=')[0], record + '/desktop');
fs.writeFileSync(args[args.indexOf('--package') + 1], '');
`,
    );
    await chmod(join(bin, 'fpm'), 0o755);

    result = await new Promise((resolve) => {
      const child = spawn(
        'npm',
        ['run', 'dist', '--', '--linux', 'dir', 'deb', `--config.electronDist=${electronDist}`, `--config.directories.output=${join(dir, 'out')}`],
        { cwd: ROOT, env: { ...process.env, USE_SYSTEM_FPM: 'true', PATH: `${bin}:${process.env.PATH}` }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('exit', (code) => resolve({ code: code ?? 1, output }));
    });
  }, 300_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const unpacked = () => join(dir, 'out/linux-unpacked');

  it('finishes', () => {
    expect(result.code, result.output).toBe(0);
  });

  it('packs only the bundles and the built renderer, with Electron-facing package.json fields', () => {
    const asar = join(unpacked(), 'resources/app.asar');
    const files = listPackage(asar, { isPack: false }).map((f) => f.replaceAll('\\', '/'));
    expect(files).toEqual(expect.arrayContaining(['/dist/electron/main.cjs', '/dist/electron/preload.cjs', '/dist/renderer/index.html', '/package.json']));
    expect(files.filter((f) => f.includes('node_modules') || f.endsWith('.map') || f.startsWith('/main/') || f.startsWith('/app/'))).toEqual([]);
    const pkg = JSON.parse(extractFile(asar, 'package.json').toString());
    expect(pkg).toMatchObject({ main: 'dist/electron/main.cjs', desktopName: 'slo-studio.desktop', homepage: 'slo-studio' });
    expect(pkg).not.toHaveProperty('devDependencies');
    expect(pkg).not.toHaveProperty('scripts');
  });

  it("leaves out Electron's default_app.asar and ships the AppArmor profile", async () => {
    expect(existsSync(join(unpacked(), 'resources/default_app.asar'))).toBe(false);
    expect(await readFile(join(unpacked(), 'resources/apparmor-profile'), 'utf8')).toContain('profile "slo-studio" "/opt/SLO Studio/slo-studio" flags=(unconfined)');
  });

  it('flips the fuses: no RunAsNode, NODE_OPTIONS, --inspect or file:// extra privileges; cookie encryption, asar integrity, asar only', async () => {
    const binary = await readFile(join(unpacked(), 'slo-studio'));
    const at = binary.indexOf(SENTINEL) + SENTINEL.length;
    expect(binary[at]).toBe(1);
    // Electron's fuse order: RunAsNode, CookieEncryption, NodeOptions, NodeCliInspect, AsarIntegrity, OnlyLoadAppFromAsar,
    // BrowserProcessSpecificV8Snapshot, GrantFileProtocolExtraPrivileges.
    expect(binary.subarray(at + 2, at + 2 + 8).toString()).toBe('01001100');
  });

  it('hands fpm what a .deb needs: homepage, maintainer, a desktop entry matching the window, the AppArmor install', async () => {
    const args = JSON.parse(await readFile(join(dir, 'fpm/args.json'), 'utf8')) as string[];
    const value = (flag: string) => args[args.indexOf(flag) + 1];
    expect(value('-t')).toBe('deb');
    // package.json's homepage is the project's name until it has a real address; electron-builder makes it a URL.
    expect(value('--url')).toBe('https://slo-studio');
    expect(value('--maintainer')).toBe('SLO Studio maintainers <maintainers@slostudio.org>');
    expect(args).toContain(`${join(dir, 'out/linux-unpacked')}/=/opt/SLO Studio`);
    expect(args.some((a) => a.endsWith('=/usr/share/applications/slo-studio.desktop'))).toBe(true);
    expect(await readFile(join(dir, 'fpm/desktop'), 'utf8')).toMatch(/^StartupWMClass=slo-studio$/m);
    expect(await readFile(join(dir, 'fpm/after-install'), 'utf8')).toContain("APPARMOR_PROFILE_TARGET='/etc/apparmor.d/slo-studio'");
  });
});
