// The `slo` CLI as a user runs it: a child process, the environment python-swiftclient users have, exit codes.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { commands } from '../../main/cli/commands/index.ts';
import { swiftEnv, uniqueName } from '../helpers/swift.ts';

const run = promisify(execFile);
const env = swiftEnv();
const c = uniqueName('cli');
const dir = mkdtempSync(join(tmpdir(), 'slo-cli-'));

async function slo(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run('node', ['bin/slo.mjs', ...args], { env: { ...env, ...extraEnv }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

afterAll(() => {
  execFileSync('swift', ['delete', c], { env, stdio: 'ignore' });
  execFileSync('swift', ['delete', `${c}_segments`], { env, stdio: 'ignore' });
});

describe('slo CLI', () => {
  it('lists containers made by python-swiftclient with correct counts', async () => {
    for (let i = 0; i < 3; i++) {
      const f = join(dir, `f${i}.txt`);
      writeFileSync(f, 'x'.repeat(100 * (i + 1)));
      execFileSync('swift', ['upload', c, f, '--object-name', `f${i}.txt`], { env });
    }
    // Account listings are updated by the container updater a few seconds later.
    let row: { name: string; count: number; bytes: number } | undefined;
    for (let i = 0; i < 40 && row?.count !== 3; i++) {
      const r = await slo(['ls', '--json']);
      expect(r.code).toBe(0);
      row = r.stdout.trim().split('\n').map((l) => JSON.parse(l)).find((x) => x.name === c);
      if (row?.count !== 3) await new Promise((res) => setTimeout(res, 500));
    }
    expect(row).toEqual(expect.objectContaining({ name: c, count: 3, bytes: 600 }));
    const long = await slo(['ls', '-l']);
    expect(long.stdout).toMatch(new RegExp(`\\b3\\s+600 B\\s+${c}`));
    const objects = await slo(['ls', c]);
    expect(objects.stdout.trim().split('\n')).toEqual(['f0.txt', 'f1.txt', 'f2.txt']);
  }, 60_000);

  it('reports a swiftclient SLO as such in stat and inspect', async () => {
    const f = join(dir, 'seg.bin');
    writeFileSync(f, Buffer.alloc(2500, 7));
    execFileSync('swift', ['upload', '--use-slo', '-S', '1000', c, f, '--object-name', 'seg.bin'], { env });
    const s = await slo(['stat', `${c}/seg.bin`, '--json']);
    expect(JSON.parse(s.stdout)).toEqual(expect.objectContaining({ kind: 'slo', size: 2500 }));
    const i = await slo(['inspect', `${c}/seg.bin`, '--json']);
    const r = JSON.parse(i.stdout);
    expect(r.segmentCount).toBe(3);
    expect(r.segments.map((x: { offset: number }) => x.offset)).toEqual([0, 1000, 2000]);
    expect(r.etagMatches).toBe(true);
    const human = await slo(['stat', `${c}/seg.bin`]);
    expect(human.stdout).toMatch(/Static Large Object/);
  });

  it('prints the cluster limits', async () => {
    const r = await slo(['info', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).capabilities.slo.maxManifestSegments).toBeGreaterThan(0);
  });

  it('exits 2 with one sentence on usage errors', async () => {
    for (const args of [['bogus'], ['stat'], ['ls', '--no-such-flag'], ['upload', '/etc/hostname', c, '--segment-size', 'lots'], ['inspect', c]]) {
      const r = await slo(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^slo: .+\.$/m);
      expect(r.stderr).not.toMatch(/at .+\.ts:\d+/);
    }
  });

  it('exits 1 with the cause and the transaction id when Swift says no', async () => {
    const r = await slo(['stat', `${c}/missing-object`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^slo: Object .+\/missing-object does not exist \(404 Not Found\)\. \(transaction tx[0-9a-f-]+\)$/m);
    const bad = await slo(['ls'], { ST_KEY: 'wrong' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/was rejected/);
    expect(bad.stderr).not.toContain('wrong');
  });

  it('explains a missing connection', async () => {
    const r = await slo(['ls'], { ST_AUTH: '', ST_USER: '', ST_KEY: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/No Swift connection given/);
  });

  it('shows help for every command in the command table', async () => {
    const r = await slo(['--help']);
    expect(r.code).toBe(0);
    expect(commands.length).toBeGreaterThan(10);
    for (const { name } of commands) {
      expect(r.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
      const h = await slo([name, '--help']);
      expect(h.code, `slo ${name} --help`).toBe(0);
      expect(h.stdout).toMatch(new RegExp(`^usage: slo ${name}\\b`));
    }
  });
});
