// A hostile server in Swift's place (it plays an attacker, not Swift): every case ends in a clear error value or a
// correct result, in bounded time and memory, with nothing written outside the chosen folder. Peak RSS growth and
// duration of each case are printed as "[hostile] …" for docs/reliability.md.
import { createHash } from 'node:crypto';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { ServerResponse } from 'node:http';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectObject } from '../../app/slo/inspect.ts';
import { resolveObject } from '../../app/slo/resolve.ts';
import { SwiftClient } from '../../app/swift/client.ts';
import { listContainers, listObjects, listObjectsPage } from '../../app/swift/listing.ts';
import { headObject } from '../../app/swift/objects.ts';
import { downloadObject } from '../../app/transfer/download.ts';
import { hostileServer, type HostileServer } from './hostile-server.ts';

type Case = (res: ServerResponse, method: string, path: string, query: string) => void | Promise<void>;
let scenario: Case = (res) => void res.writeHead(404).end();

const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');
const clientOf = (s: { authUrl: string }) => new SwiftClient({ auth: { type: 'v1', authUrl: s.authUrl, user: 'u', key: 'k' }, retries: 1, backoffMs: 10 });

/** Runs `fn`, sampling RSS; returns its outcome with the peak RSS growth (MB) and duration (ms). */
async function measured<T>(name: string, fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: { kind?: string; message: string } }> {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = Date.now();
  try {
    const value = await fn();
    return { ok: true, value };
  } catch (e) {
    return { ok: false, error: e as { kind?: string; message: string } };
  } finally {
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    const mb = (peak - start) / 1024 / 1024;
    console.log(`[hostile] ${name}: ${Date.now() - t0} ms, peak RSS growth ${mb.toFixed(0)} MB`);
    expect(mb, `${name}: memory`).toBeLessThan(300);
  }
}

/** HEAD says `size` bytes; a GET with ?multipart-manifest=get sends the manifest's own length. */
const sloHeaders = (size: number, method = 'HEAD') => ({ 'x-static-large-object': 'True', ...(method === 'HEAD' ? { 'content-length': String(size) } : {}), etag: '"0123456789abcdef0123456789abcdef"', 'content-type': 'application/octet-stream', 'last-modified': new Date().toUTCString() });

describe('a hostile server in place of Swift', () => {
  let server: HostileServer;
  let dir: string;
  beforeAll(async () => {
    server = await hostileServer((req, res) => {
      const [path, query = ''] = (req.url ?? '').replace(/^\/v1\/AUTH_evil/, '').split('?') as [string, string?];
      return scenario(res, req.method ?? 'GET', decodeURIComponent(path), query);
    });
    dir = await mkdtemp(join(tmpdir(), 'slo-hostile-'));
  });
  afterAll(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('a listing with "../" names and absurd counts and sizes: the names come back as data, nothing breaks', async () => {
    scenario = (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify([
        { name: '../../../etc/passwd', bytes: 1e308, hash: 'x', content_type: 'a', last_modified: 'never' },
        { name: 'ok', bytes: -5, hash: md5('x'), content_type: 'a', last_modified: '2020-01-01T00:00:00' },
        { subdir: '../' },
      ]));
    };
    const c = clientOf(server);
    const r = await measured('listing with ../ names', () => listObjectsPage(c, 'c'));
    await c.close();
    if (r.ok) expect(r.value.entries.map((e) => e.name)).toContain('../../../etc/passwd');
    else expect(r.error.message).toMatch(/\w+ \w+/);
  });

  it('a listing whose pages never advance (always a full page ending in the same name) ends in an error', async () => {
    scenario = (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(Array.from({ length: 3 }, (_, i) => ({ name: `n${i}`, bytes: 1, hash: 'x', content_type: 'a', last_modified: 'x' }))));
    };
    const c = clientOf(server);
    const r = await measured('listing that never advances', async () => {
      let n = 0;
      for await (const e of listObjects(c, 'c', { limit: 3 })) if (e && ++n > 30_000) break;
      return n;
    });
    await c.close();
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatchObject({ kind: 'server', message: expect.stringMatching(/repeat|advance/) });
  });

  it('an account listing with nameless rows and absurd counts: a clear error or the rows as data', async () => {
    scenario = (res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ count: -1, bytes: 1e308 }, 42, null]));
    const c = clientOf(server);
    const r = await measured('account listing without names', async () => {
      const out = [];
      for await (const x of listContainers(c)) out.push(x);
      return out;
    });
    await c.close();
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.kind).toBe('server');
  });

  it('an endless listing body ends in a limit error, not in an out-of-memory crash', async () => {
    scenario = (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
      const row = Buffer.from(`{"name":"${'a'.repeat(900)}","bytes":1,"hash":"x","content_type":"a","last_modified":"x"},`.repeat(64));
      const pump = () => {
        while (!res.destroyed && res.write(row));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    };
    const c = clientOf(server);
    const r = await measured('endless listing', () => listObjectsPage(c, 'c'));
    await c.close();
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatchObject({ kind: 'limit', message: expect.stringMatching(/64 MiB/) });
  }, 60_000);

  it('a JSON bomb (a listing nested a million levels deep) is a clear error', async () => {
    scenario = (res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('['.repeat(1_000_000) + ']'.repeat(1_000_000));
    const c = clientOf(server);
    const r = await measured('JSON bomb listing', () => listObjectsPage(c, 'c'));
    await c.close();
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.kind).toBeDefined();
  });

  it('a manifest that points into another account is refused before any request leaves for it', async () => {
    scenario = (res, method, path) => {
      if (path === '/c/m') {
        res.writeHead(200, sloHeaders(10, method));
        return void res.end(method === 'HEAD' ? undefined : JSON.stringify([{ name: '/../AUTH_victim/c/secret', bytes: 10, hash: md5('0123456789'), sub_slo: true }]));
      }
      res.writeHead(404).end();
    };
    const c = clientOf(server);
    const before = server.requests.length;
    const r = await measured('manifest into another account', () => resolveObject(c, 'c', 'm'));
    await c.close();
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.kind).toBe('invalid');
    const sent = server.requests.slice(before).map((q) => q.url);
    expect(sent.some((u) => /AUTH_victim|%2E%2E|\/\.\.\//i.test(u)), JSON.stringify(sent)).toBe(false);
  });

  it('a manifest cycle is named as one, quickly', async () => {
    scenario = (res, method, path) => {
      res.writeHead(200, sloHeaders(10, method));
      res.end(method === 'HEAD' ? undefined : JSON.stringify([{ name: path === '/c/a' ? '/c/b' : '/c/a', bytes: 10, hash: md5('x'), sub_slo: true }]));
    };
    const c = clientOf(server);
    const r = await measured('manifest cycle', () => resolveObject(c, 'c', 'a'));
    await c.close();
    expect(!r.ok && r.error).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/cycle/) });
  });

  it('11 levels of nesting are refused (Swift allows 10)', async () => {
    scenario = (res, method, path) => {
      const level = Number(/^\/c\/l(\d+)$/.exec(path)?.[1] ?? NaN);
      if (!Number.isInteger(level)) return void res.writeHead(404).end();
      res.writeHead(200, sloHeaders(10, method));
      const entry = level < 11 ? { name: `/c/l${level + 1}`, bytes: 10, hash: md5('x'), sub_slo: true } : { name: '/c/seg', bytes: 10, hash: md5('0123456789') };
      res.end(method === 'HEAD' ? undefined : JSON.stringify([entry]));
    };
    const c = clientOf(server);
    const r = await measured('11 levels', () => resolveObject(c, 'c', 'l1'));
    await c.close();
    expect(!r.ok && r.error).toMatchObject({ kind: expect.any(String), message: expect.stringMatching(/10|deep|nest/i) });
  });

  it('an endless object body on download: a clear error, a bounded partial file, nothing outside the folder', async () => {
    scenario = (res, method) => {
      if (method === 'HEAD') return void res.writeHead(200, { 'content-length': '1024', etag: md5('x'), 'content-type': 'a', 'last-modified': new Date().toUTCString() }).end();
      res.writeHead(200, { etag: md5('x'), 'content-type': 'a' }); // no length: chunked, forever
      const chunk = Buffer.alloc(256 * 1024, 1);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    };
    const out = join(dir, 'dl');
    await rm(out, { recursive: true, force: true });
    const { mkdir } = await import('node:fs/promises');
    await mkdir(out);
    const c = clientOf(server);
    const r = await measured('endless object body', () => downloadObject(c, { container: 'c', object: 'o' }, join(out, 'o')));
    await c.close();
    expect(r.ok).toBe(false);
    expect(await readdir(dir)).toEqual(['dl']);
  }, 60_000);

  it.each([
    ['CR/LF inside a header value', 'HTTP/1.1 200 OK\r\nX-Evil: a\rInjected: yes\r\nContent-Length: 0\r\n\r\n'],
    ['a 10 MB header value', `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(10 * 1024 * 1024)}\r\nContent-Length: 0\r\n\r\n`],
  ])('%s: a clear network error, quickly', async (name, reply) => {
    const raw: TcpServer = createTcpServer((sock) => {
      sock.once('data', () => sock.end(reply));
      sock.on('error', () => {});
    });
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    const port = (raw.address() as AddressInfo).port;
    const c = new SwiftClient({ auth: { type: 'token', storageUrl: `http://127.0.0.1:${port}/v1/AUTH_x`, token: 't' }, retries: 0 });
    const r = await measured(name, () => headObject(c, 'c', 'o'));
    await c.close();
    raw.close();
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.kind).toBe('network');
  });

  it('10⁹ leaves (three levels of 1,000 references): inspect measures, resolving for a download refuses with a limit', async () => {
    // /c/top → 1,000 × /c/l2 → 1,000 × /c/l3 → 1,000 × /c/one (1 byte).
    const next: Record<string, string> = { '/c/top': '/c/l2', '/c/l2': '/c/l3', '/c/l3': '/c/one' };
    const sizes: Record<string, number> = { '/c/top': 1e9, '/c/l2': 1e6, '/c/l3': 1e3 };
    scenario = (res, method, path) => {
      const to = next[path];
      if (!to) return void res.writeHead(404).end();
      const entry = { name: to, bytes: sizes[to] ?? 1, hash: md5('x'), ...(to === '/c/one' ? {} : { sub_slo: true }) };
      const body = JSON.stringify(Array.from({ length: 1000 }, () => entry));
      res.writeHead(200, sloHeaders(sizes[path]!, method));
      res.end(method === 'HEAD' ? undefined : body);
    };
    const c = clientOf(server);
    const inspected = await measured('10⁹ leaves: inspect', () => inspectObject(c, 'c', 'top'));
    const resolved = await measured('10⁹ leaves: resolve for a download', () => resolveObject(c, 'c', 'top', { doing: 'a download' }));
    await c.close();
    expect(inspected.ok && { size: inspected.value.size, segments: inspected.value.segmentCount, listed: inspected.value.segments.length }).toEqual({ size: 1e9, segments: 1e9, listed: 0 });
    expect(!resolved.ok && resolved.error).toMatchObject({ kind: 'limit', message: expect.stringMatching(/1,000,000,000 segment pieces/) });
  }, 60_000);
});
