// Folders through the `slo` CLI against the real sandbox: a tree up (nested, unicode, one file past the segment size
// becomes an SLO), the overwrite choices, the tree back down byte for byte, and object names that would leave the
// download folder made safe and listed — nothing written outside.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContainer, headObject } from '../../app/swift/objects.ts';
import { REPO, runSlo } from '../helpers/cli.ts';
import { writeListingRows } from '../helpers/listing-rows.ts';
import { listNames, removeContainers, sandboxClient, sandboxCreds, swiftEnv, uniqueName } from '../helpers/swift.ts';

const client = sandboxClient();
const c = uniqueName('clifold');
const work = mkdtempSync(join(tmpdir(), 'slo-folders-'));
const tree = join(work, 'tree');
const SEG = 64 * 1024;
const hasScript = spawnSync('script', ['--version']).status === 0;

const slo = (args: string[]) => runSlo(args, { env: swiftEnv(), timeoutMs: 60_000 });

const FILES: Record<string, Buffer> = {
  'a.txt': Buffer.from('alpha\n'),
  'empty.bin': Buffer.alloc(0),
  'big.bin': Buffer.alloc(3 * SEG + 123, 5).fill(9, SEG),
  'docs/readme.md': Buffer.from('# readme\n'),
  'docs/deep/er/n.json': Buffer.from('{"n":1}'),
  'fotos/été 2024/plage ☀.jpg': Buffer.from('jpeg-ish bytes ✓'),
  'fotos/日本/東京.txt': Buffer.from('東京'),
};

function md5(b: Buffer): string {
  return createHash('md5').update(b).digest('hex');
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(relative(dir, join(d, e.name)));
    }
  };
  walk(dir);
  return out.sort();
}

beforeAll(async () => {
  await createContainer(client, c);
  for (const [rel, bytes] of Object.entries(FILES)) {
    mkdirSync(join(tree, rel, '..'), { recursive: true });
    writeFileSync(join(tree, rel), bytes);
  }
});
afterAll(async () => {
  await removeContainers(client, c, `${c}_segments`);
  rmSync(work, { recursive: true, force: true });
});

describe('slo upload <dir> / slo download <c>/<prefix>/ <dir>', () => {
  it('uploads the tree under a prefix (big file as an SLO, the rest single PUTs) and downloads it back byte-identical', async () => {
    const up = await slo(['upload', tree, `${c}/backup`, '--segment-size', String(SEG), '--json']);
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    const result = JSON.parse(up.stdout.trim().split('\n').pop()!);
    expect(result).toMatchObject({ type: 'result', files: 7, uploaded: 7, slos: 1, failed: [] });
    expect((await listNames(client, c, 'backup/')).sort()).toEqual(Object.keys(FILES).map((k) => `backup/${k}`).sort());
    expect((await headObject(client, c, 'backup/big.bin')).kind).toBe('slo');
    expect((await headObject(client, c, 'backup/fotos/日本/東京.txt')).kind).toBe('plain');

    const out = join(work, 'down');
    const down = await slo(['download', `${c}/backup/`, out]);
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(/Downloaded 7 of 7 files .* every one verified\./);
    expect(filesUnder(out)).toEqual(Object.keys(FILES).sort());
    for (const [rel, bytes] of Object.entries(FILES)) expect(md5(readFileSync(join(out, rel))), rel).toBe(md5(bytes));
  }, 60_000);

  it('--if-exists skip leaves existing names, keep-both uploads beside them as "name (2).ext", replace overwrites', async () => {
    const one = join(work, 'one');
    mkdirSync(one, { recursive: true });
    writeFileSync(join(one, 'a.txt'), 'second version');
    const skip = await slo(['upload', one, `${c}/backup`, '--if-exists', 'skip']);
    expect(skip.code).toBe(0);
    expect(skip.stdout).toContain('skipped backup/a.txt');
    expect(await headObject(client, c, 'backup/a.txt')).toMatchObject({ size: FILES['a.txt']!.length });

    const both = await slo(['upload', one, `${c}/backup`, '--if-exists', 'keep-both']);
    expect(both.code).toBe(0);
    expect(both.stdout).toContain('the new file went up as backup/a (2).txt');
    expect(await headObject(client, c, 'backup/a (2).txt')).toMatchObject({ size: 'second version'.length });
    const again = await slo(['upload', one, `${c}/backup`, '--if-exists', 'keep-both', '--json']);
    expect(JSON.parse(again.stdout.trim().split('\n').pop()!).renamed).toEqual([{ from: 'backup/a.txt', to: 'backup/a (3).txt' }]);

    const replace = await slo(['upload', one, `${c}/backup`, '--if-exists', 'replace']);
    expect(replace.code).toBe(0);
    expect(await headObject(client, c, 'backup/a.txt')).toMatchObject({ size: 'second version'.length });

    const single = await slo(['upload', join(one, 'a.txt'), `${c}/backup/a.txt`, '--if-exists', 'keep-both']);
    expect(single.stdout).toContain(`${c}/backup/a (4).txt`);
    const bad = await slo(['upload', one, `${c}/backup`, '--if-exists', 'overwrite']);
    expect(bad.code).toBe(2);
  }, 60_000);

  it.skipIf(!hasScript)('asks on a terminal, name by name, and an upper-case answer settles the rest', async () => {
    const dir = join(work, 'tty', 'q');
    mkdirSync(dir, { recursive: true });
    for (const n of ['a.txt', 'b.txt', 'c.txt']) writeFileSync(join(dir, n), `${n} v1`);
    expect((await slo(['upload', dir, `${c}/tty`])).code).toBe(0);
    for (const n of ['a.txt', 'b.txt', 'c.txt']) writeFileSync(join(dir, n), `${n} v2`);
    // script(1) gives the command a terminal; the answers are typed once each question is on screen.
    const cmd = ['node', join(REPO, 'bin/slo.mjs'), 'upload', dir, `${c}/tty`].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qec', cmd, '/dev/null'], { cwd: REPO, env: swiftEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    const answers = [
      ['tty/a.txt already exists', 'r'],
      ['tty/b.txt already exists', 'S'],
    ];
    child.stdout.on('data', (b: Buffer) => {
      screen += b.toString();
      const next = answers[0];
      if (next && screen.includes(next[0]!)) {
        answers.shift();
        child.stdin.write(`${next[1]}\n`);
      }
    });
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(screen).toContain('[r]eplace, [k]eep both (as tty/a (2).txt), [s]kip (3 names exist; upper-case R/K/S for all of them)?');
    expect(screen).not.toContain('tty/c.txt already exists');
    expect(code).toBe(0);
    const etag = async (n: string) => (await headObject(client, c, n)).etag;
    expect(await etag('tty/a.txt')).toBe(md5(Buffer.from('a.txt v2')));
    expect(await etag('tty/b.txt')).toBe(md5(Buffer.from('b.txt v1')));
    expect(await etag('tty/c.txt')).toBe(md5(Buffer.from('c.txt v1')));
  }, 60_000);

  it('makes names that would escape the download folder safe or refuses them, lists them, and writes nothing outside', async () => {
    const body = Buffer.from('payload');
    await client.auth();
    // fetch (WHATWG URLs) would resolve %2E%2E itself; node:http sends the path as written.
    const rawPut = (path: string, data: Buffer) =>
      new Promise<number>((done, fail) => {
        const u = new URL(client.storageUrl!);
        const req = request({ host: u.hostname, port: u.port, path, method: 'PUT', headers: { 'X-Auth-Token': client.token!, 'Content-Length': data.length } }, (res) => {
          res.resume();
          done(res.statusCode ?? 0);
        });
        req.on('error', fail);
        req.end(data);
      });
    // Our client never sends such names, so they go up encoded by hand, as another tool might write them.
    for (const name of ['esc//abs.txt', 'esc/back\\slash.txt', 'esc/ok.txt']) {
      const path = name.split('/').map(encodeURIComponent).join('/');
      expect(await rawPut(`${new URL(client.storageUrl!).pathname}/${c}/${path}`, body), name).toBe(201);
    }
    // Swift resolves "." and ".." even percent-encoded, so names with them exist only in listings (a hostile
    // server's, or rows written straight into the container database as here).
    const rows = [
      { name: 'esc/a/../../x', size: 7 },
      { name: 'esc/../evil', size: 7 },
    ];
    await writeListingRows(sandboxCreds().containerServer, c, rows);
    const parent = join(work, 'jail');
    const out = join(parent, 'inside');
    mkdirSync(out, { recursive: true });
    const r = await slo(['download', `${c}/esc/`, out]);
    // A later timestamp than the rows' own, so the removal wins.
    await new Promise((res) => setTimeout(res, 20));
    await writeListingRows(sandboxCreds().containerServer, c, rows, { deleted: true });
    expect(r.stderr).toContain('refused: "esc/a/../../x"');
    expect(r.stderr).toContain('refused: "esc/../evil"');
    expect(r.stderr).toContain('made safe: "esc//abs.txt" — Saved as abs.txt: an absolute name was made relative.');
    expect(r.stderr).toContain('made safe: "esc/back\\\\slash.txt" — Saved as back_slash.txt');
    expect(r.stdout).toMatch(/Downloaded 3 of 3 files .*; 2 renamed to stay inside the folder; 2 refused\./);
    expect(r.code).toBe(1);
    expect(readdirSync(parent)).toEqual(['inside']);
    expect(filesUnder(out)).toEqual(['abs.txt', 'back_slash.txt', 'ok.txt']);
    expect(readFileSync(join(out, 'back_slash.txt'), 'utf8')).toBe('payload');
  }, 60_000);
});
