// Object names are attacker-controlled. A CLI download of an object whose name ends in a dot segment, holds a
// backslash or starts with '/' never writes anything (not even the .slo-partial file) outside the chosen directory;
// dot segments never reach the wire as literal "." / "..", which a proxy would resolve to another path — and object
// names with them are not requested at all, since Swift resolves even %2E%2E.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeName, storagePath } from '../../app/swift/names.ts';
import { localFileName } from '../../app/transfer/local-name.ts';
import { runSlo } from '../helpers/cli.ts';
import { hostileServer, type HostileServer } from './hostile-server.ts';

const BODY = Buffer.from('attacker-chosen bytes\n');
const ETAG = createHash('md5').update(BODY).digest('hex');

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(p + '/', ...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

describe('attacker-chosen object names on download', () => {
  let server: HostileServer;
  let root: string;
  /** The body stalls halfway until the test has looked at the disk: a partial file that is deleted later counts too. */
  let midBody: () => void = () => {};
  let release: () => void = () => {};
  beforeAll(async () => {
    // Serves every object as a small plain object, whatever its name.
    server = await hostileServer(async (req, res) => {
      const headers = { 'content-length': String(BODY.length), etag: ETAG, 'content-type': 'application/octet-stream', 'last-modified': new Date().toUTCString(), 'x-timestamp': '1.0' };
      res.writeHead(200, headers);
      if (req.method === 'HEAD') return void res.end();
      res.write(BODY.subarray(0, 8));
      await new Promise<void>((r) => {
        release = r;
        midBody();
        setTimeout(r, 5000);
      });
      res.end(BODY.subarray(8));
    });
    root = await mkdtemp(join(tmpdir(), 'slo-names-'));
  });
  afterAll(async () => {
    await server.stop();
    await rm(root, { recursive: true, force: true });
  });

  it.each(['x/..', '.', '..', 'x/.', 'a\\..\\..\\evil', '/abs/evil', 'trail/'])('%j: nothing is written outside the chosen directory', async (name) => {
    const out = join(root, `case-${Buffer.from(name).toString('hex')}`, 'a', 'out');
    await mkdir(out, { recursive: true });
    const during: string[] = [];
    midBody = () => void filesUnder(join(out, '..', '..')).then((f) => during.push(...f)).finally(() => release());
    const r = await runSlo(['-A', server.authUrl, '-U', 'u', '-K', 'k', 'download', `c/${name}`, out], { timeoutMs: 30_000 });
    midBody = () => {};
    const files = [...during, ...(await filesUnder(join(out, '..', '..')))];
    const outside = files.filter((f) => relative(out, f).startsWith('..'));
    console.log(`[security] download ${JSON.stringify(name)}: exit ${r.code}; files outside: ${JSON.stringify(outside)}; ${r.stderr.trim().split('\n').pop() ?? ''}`);
    expect(outside.filter((f) => !f.endsWith('/'))).toEqual([]);
    if (r.code === 0) for (const f of files.filter((x) => !relative(out, x).startsWith('..'))) expect(f.startsWith(out)).toBe(true);
    // A trailing '/' asks for the pseudo-folder (`slo download c/prefix/ dir`), so it fails on this server's listing, which is not JSON.
    else expect(r.stderr).toMatch(name.endsWith('/') ? /container c with something that is not JSON/ : /file name|name/i);
  });

  it('names a safe local file or refuses in a sentence', () => {
    expect(localFileName('photos/2024/a.jpg')).toBe('a.jpg');
    expect(localFileName('a\\b\\c.txt')).toBe('c.txt');
    expect(() => localFileName('x/..')).toThrow(/give a file name/);
    expect(() => localFileName('.')).toThrow(/give a file name/);
    expect(() => localFileName('bad\0name')).toThrow(/give a file name/);
    expect(() => localFileName('dir/')).toThrow(/give a file name/);
  });

  it('dot segments are percent-encoded on the wire', () => {
    expect(encodeName('..')).toBe('%2E%2E');
    expect(encodeName('a/./b/../c..d/.e')).toBe('a/%2E/b/%2E%2E/c..d/.e');
    expect(() => storagePath('/v1/AUTH_a', '..')).toThrow(/another account/);
    // Swift resolves even %2E%2E in object names (measured), so a request for such an object is not sent at all.
    expect(() => storagePath('/v1/AUTH_a', 'c', 'x/..')).toThrow(/another path/);
    expect(storagePath('/v1/AUTH_a', 'c', 'x/...')).toBe('/v1/AUTH_a/c/x/...');
  });
});
