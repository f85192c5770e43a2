// A folder download from a server whose listing names are hostile: "..", absolute names, backslashes, NUL, names too
// long for a file system, a file where a folder must be. Nothing is written outside the chosen directory; every name
// that could not be used as it is is listed (made safe, or refused).
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSlo } from '../helpers/cli.ts';
import { hostileServer, type HostileServer } from './hostile-server.ts';

const BODY = Buffer.from('attacker-chosen bytes\n');
const ETAG = createHash('md5').update(BODY).digest('hex');
const NAMES = ['p/../../evil', 'p/a/../../../x', 'p//etc/passwd', 'p/..\\..\\win.ini', 'p/nul\u0000byte', `p/${'n'.repeat(300)}.txt`, 'p/f', 'p/f/inner', 'p/ok.txt'];

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

describe('hostile names in a folder download', () => {
  let server: HostileServer;
  let root: string;
  beforeAll(async () => {
    server = await hostileServer((req, res, path) => {
      if (path === '/c' && req.method === 'GET') {
        const marker = new URL(req.url ?? '', 'http://x').searchParams.get('marker');
        const rows = marker ? [] : NAMES.map((name) => ({ name, bytes: BODY.length, hash: ETAG, content_type: 'application/octet-stream', last_modified: '2026-01-01T00:00:00.000000' }));
        const body = JSON.stringify(rows);
        return void res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }).end(body);
      }
      res.writeHead(200, { 'content-length': String(BODY.length), etag: ETAG, 'content-type': 'application/octet-stream', 'last-modified': new Date().toUTCString(), 'x-timestamp': '1.0' });
      res.end(req.method === 'HEAD' ? undefined : BODY);
    });
    root = await mkdtemp(join(tmpdir(), 'slo-folder-names-'));
  });
  afterAll(async () => {
    await server.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('writes only inside the directory and lists what it changed or refused', async () => {
    const out = join(root, 'a', 'out');
    await mkdir(out, { recursive: true });
    const r = await runSlo(['-A', server.authUrl, '-U', 'u', '-K', 'k', 'download', 'c/p/', out, '--json'], { timeoutMs: 30_000 });
    const files = await filesUnder(root);
    expect(files.filter((f) => !f.startsWith(out + sep))).toEqual([]);
    const result = JSON.parse(r.stdout.trim().split('\n').pop()!);
    const changed = new Map<string, string | null>(result.changed.map((c: { object: string; local: string | null }) => [c.object, c.local]));
    expect(changed.get('p/../../evil')).toBeNull(); // dot segments: Swift would resolve them, never requested
    expect(changed.get('p/a/../../../x')).toBeNull();
    expect(changed.get('p/nul\u0000byte')).toBeNull();
    expect(changed.get('p//etc/passwd')).toBe('etc/passwd');
    expect(changed.get('p/..\\..\\win.ini')).toBe('.._.._win.ini');
    expect(changed.get(`p/${'n'.repeat(300)}.txt`)).toMatch(/^n+~[0-9a-f]{8}\.txt$/);
    expect(changed.get('p/f')).toBe('f (2)');
    expect(files.map((f) => relative(out, f)).sort()).toEqual(['.._.._win.ini', 'etc/passwd', 'f (2)', 'f/inner', changed.get(`p/${'n'.repeat(300)}.txt`), 'ok.txt'].sort());
    expect(r.code).toBe(1); // something was refused
  });
});
