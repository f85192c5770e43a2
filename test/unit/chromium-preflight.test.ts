// The test runner's Chromium preflight: use what is there, install Debian's package as root, or stop with one sentence.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { candidates, decide } from '../../scripts/chromium.ts';

const only = (...paths: string[]) => (p: string) => paths.includes(p);

describe('Chromium preflight', () => {
  it('prefers CHROMIUM_PATH, then /usr/bin/chromium, then the usual names on PATH', () => {
    const env = { CHROMIUM_PATH: '/opt/c/chrome', PATH: '/a:/b' };
    expect(candidates(env).slice(0, 3)).toEqual(['/opt/c/chrome', '/usr/bin/chromium', '/a/chromium']);
    expect(candidates(env)).toContain('/b/google-chrome');
    expect(decide({ env: { PATH: '/a:/b' }, isRoot: false, isDebian: true, isExecutable: only('/b/chromium-browser', '/a/google-chrome') })).toEqual({
      action: 'use',
      path: '/b/chromium-browser',
    });
  });

  it('installs only as root on Debian/Ubuntu', () => {
    expect(decide({ env: { PATH: '/a' }, isRoot: true, isDebian: true, isExecutable: only() })).toEqual({ action: 'install' });
  });

  it('otherwise stops with one sentence naming the exact command', () => {
    const d = decide({ env: { PATH: '/a' }, isRoot: false, isDebian: true, isExecutable: only() });
    expect(d.action).toBe('fail');
    const sentence = d.action === 'fail' ? d.sentence : '';
    expect(sentence).toContain('sudo apt-get update && sudo apt-get install -y chromium');
    expect(sentence.split('\n')).toHaveLength(1);
    const other = decide({ env: { PATH: '/a' }, isRoot: true, isDebian: false, isExecutable: only() });
    expect(other).toMatchObject({ action: 'fail', sentence: expect.stringContaining('CHROMIUM_PATH') });
  });

  it('a CHROMIUM_PATH that is not executable is named, not silently replaced', () => {
    const d = decide({ env: { CHROMIUM_PATH: '/nope/chromium', PATH: '' }, isRoot: true, isDebian: true, isExecutable: only('/usr/bin/chromium') });
    expect(d).toMatchObject({ action: 'fail', sentence: expect.stringContaining('/nope/chromium') });
  });

  it('npm test prints that sentence and exits non-zero before running any layer', () => {
    // A real run of the runner with a CHROMIUM_PATH that does not exist: it must stop at the preflight.
    const dir = mkdtempSync(join(tmpdir(), 'slo-preflight-'));
    try {
      const root = resolve(import.meta.dirname, '../..');
      const r = spawnSync(process.execPath, ['bin/run.mjs', 'scripts/test.ts'], {
        cwd: root,
        env: { ...process.env, CHROMIUM_PATH: join(dir, 'missing-chromium'), SLO_SANDBOX_DIR: join(dir, 'sandbox') },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toBe(`CHROMIUM_PATH is set to ${join(dir, 'missing-chromium')}, which is not an executable file: point it at Chromium or unset it.`);
      expect(r.stdout).not.toContain('===');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
