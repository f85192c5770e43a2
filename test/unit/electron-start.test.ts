// `npm start` against stand-in "electron" executables (small shell scripts): this machine cannot download the real
// binary, so these play the few ways a real one ends before or at its ready line — Ubuntu's AppArmor sandbox abort,
// a second launch handing over to the open window, a clean start, silence.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDED_OVER_LINE, READY_LINE } from '../../main/electron/launch-lines.ts';
import { electronFailureReport, launchElectron, parseStartArgs } from '../../main/start.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slo-start-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function standIn(name: string, body: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

// The message Chromium prints on Ubuntu 24.04 before it aborts (electron#42510), abridged.
const SANDBOX_FATAL =
  "[1234:FATAL:setuid_sandbox_host.cc(158)] The SUID sandbox helper binary was found, but is not configured correctly. Rather than run without sandboxing I'm aborting now. You need to make sure that /x/chrome-sandbox is owned by root and has mode 4755.";

describe('launchElectron', () => {
  it("keeps what Electron said when it aborts before its window, and names AppArmor's userns restriction", async () => {
    const binary = await standIn('electron-apparmor', `echo 'Gtk-Message: noise' >&2\necho "${SANDBOX_FATAL}" >&2\nkill -TRAP $$`);
    const outcome = await launchElectron(binary, ['/app']);
    expect(outcome.kind).toBe('failed');
    if (outcome.kind !== 'failed') return;
    expect(outcome.reason).toBe('Electron did not start (it was stopped by SIGTRAP before opening its window)');
    expect(outcome.stderr).toContain('The SUID sandbox helper binary was found, but is not configured correctly');
    const report = electronFailureReport(outcome.stderr, binary);
    expect(report).toMatch(/^Electron said:\n {2}Gtk-Message: noise\n {2}\[1234:FATAL/);
    expect(report).toContain('AppArmor forbids unprivileged user namespaces');
    expect(report).toContain('The SLO Studio .deb installs such a profile');
    expect(report).toContain(`profile slo-studio-electron "${binary}" flags=(unconfined)`);
    expect(report).toContain('sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0');
    expect(report).toContain('SLO Studio does not turn the sandbox off');
  });

  it('shows any other early death in Electron’s own words, without guessing a cause', async () => {
    const binary = await standIn('electron-other', `echo 'error while loading shared libraries: libnss3.so' >&2\nexit 127`);
    const outcome = await launchElectron(binary, ['/app']);
    expect(outcome).toMatchObject({ kind: 'failed', reason: 'Electron did not start (it exited with code 127 before opening its window)' });
    if (outcome.kind !== 'failed') return;
    expect(electronFailureReport(outcome.stderr, binary)).toBe('Electron said:\n  error while loading shared libraries: libnss3.so');
  });

  it('recognises a second launch that handed its files to the open window', async () => {
    const binary = await standIn('electron-second', `echo '${HANDED_OVER_LINE}'\nexit 0`);
    expect(await launchElectron(binary, ['/app', '/tmp/big.iso'])).toEqual({ kind: 'handed-over' });
  });

  it('still treats a silent exit 0 before the window as a failure', async () => {
    const binary = await standIn('electron-quiet', 'exit 0');
    expect(await launchElectron(binary, ['/app'])).toMatchObject({ kind: 'failed', reason: expect.stringContaining('exited with code 0') });
  });

  it('passes the app folder and the files, asks for the launch lines, and runs once the ready line comes', async () => {
    const argsFile = join(dir, 'args.txt');
    const binary = await standIn('electron-ok', `printf '%s\\n' "$SLO_STUDIO_READY_LINE" "$@" > '${argsFile}'\necho '${READY_LINE}'\nexit 3`);
    const outcome = await launchElectron(binary, ['/app', '/tmp/a b.iso']);
    expect(outcome.kind).toBe('running');
    if (outcome.kind !== 'running') return;
    expect(await outcome.exitCode).toBe(3);
    expect(await readFile(argsFile, 'utf8')).toBe('1\n/app\n/tmp/a b.iso\n');
  });

  it('gives up on silence after the timeout, with what was said so far', async () => {
    const binary = await standIn('electron-hang', `echo 'waiting for the keyring' >&2\nexec sleep 30`);
    const outcome = await launchElectron(binary, ['/app'], 500);
    expect(outcome).toMatchObject({ kind: 'failed', reason: 'Electron did not open its window within 0.5 seconds', stderr: 'waiting for the keyring\n' });
  });
});

describe('parseStartArgs', () => {
  it('takes file arguments as absolute paths to hand to the desktop app', () => {
    const parsed = parseStartArgs(['--no-build', 'big.iso', '/data/x.bin']);
    expect(parsed).toMatchObject({ build: false, files: [join(process.cwd(), 'big.iso'), '/data/x.bin'] });
    expect(parseStartArgs(['--bogus'])).toEqual({ error: 'Unknown option "--bogus".' });
  });
});
