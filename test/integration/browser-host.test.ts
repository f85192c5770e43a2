// Browser-mode host, over real sockets: RPC round trips, the security checks (token, Host, Origin, bind address),
// file pulls with backpressure, and streamed downloads. The handlers here are small stand-ins: this tests the
// transport, not the studio.
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { calls, type RpcEvent, type RpcResponse } from '../../app/rpc/contract.ts';
import type { Handlers } from '../../app/rpc/handlers.ts';
import { SwiftError } from '../../app/swift/errors.ts';
import { createBrowserHub, type BrowserHub } from '../../main/browser/hub.ts';
import { browserPlatform } from '../../main/browser/platform.ts';
import { startBrowserHost, type BrowserHost } from '../../main/browser/server.ts';

function testHandlers(): Handlers {
  const notHere = async () => {
    throw new SwiftError({ kind: 'invalid', message: 'Not part of this test.' });
  };
  const base = Object.fromEntries(Object.keys(calls).map((name) => [name, notHere])) as unknown as Handlers;
  return {
    ...base,
    'host.info': async () => ({ mode: 'browser', version: 'test', platform: 'test', nativeDialogs: false, secretStorage: 'n/a' }),
    'containers.create': async ({ container }, ctx) => {
      ctx.emit('connection.changed', null);
      return { created: container === 'new' };
    },
    'objects.list': async (args) => ({ entries: [], nextMarker: `${args.prefix}|${args.limit}` }),
    'containers.delete': async () => {
      throw new Error('boom at /secret/path.ts:12');
    },
  };
}

let staticDir: string;
let dataDir: string;
let hub: BrowserHub;
let host: BrowserHost;
let base: string;

beforeAll(async () => {
  staticDir = await mkdtemp(join(tmpdir(), 'slo-static-'));
  dataDir = await mkdtemp(join(tmpdir(), 'slo-data-'));
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>SLO Studio</title><script type="module" src="./assets/app.js"></script>');
  await mkdir(join(staticDir, 'assets'));
  await writeFile(join(staticDir, 'assets', 'app.js'), 'console.log("hi")');
  await writeFile(join(staticDir, '.env'), 'SECRET=1');
  hub = createBrowserHub({ pullTimeoutMs: 1500 });
  host = await startBrowserHost({ handlers: testHandlers(), hub, port: 0, staticDir, host: '127.0.0.1' });
  base = `http://127.0.0.1:${host.port}/${host.token}`;
});

afterAll(async () => {
  await host?.close();
  await rm(staticDir, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

/** A raw HTTP GET so the test can forge the Host header (fetch would not let it). */
function rawGet(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: host.port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface Client {
  ws: WebSocket;
  call(method: string, params?: unknown): Promise<RpcResponse>;
  events: RpcEvent[];
  onEvent(cb: (ev: RpcEvent) => void): void;
  close(): Promise<void>;
}

async function connect(): Promise<Client> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/${host.token}/rpc`, { origin: `http://127.0.0.1:${host.port}` });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let next = 1;
  const waiting = new Map<number, (r: RpcResponse) => void>();
  const events: RpcEvent[] = [];
  const listeners: ((ev: RpcEvent) => void)[] = [];
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as RpcResponse | RpcEvent;
    if ('event' in msg) {
      events.push(msg);
      for (const l of listeners) l(msg);
    } else {
      waiting.get(msg.id)?.(msg);
      waiting.delete(msg.id);
    }
  });
  return {
    ws,
    events,
    call: (method, params) =>
      new Promise((resolve) => {
        const id = next++;
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ id, method, params }));
      }),
    onEvent: (cb) => listeners.push(cb),
    // Waits for the close so a finished test's client cannot answer the next test's pulls.
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
}

/** Resolves with the HTTP status the server answered the upgrade with, or 101 when it connected. */
function tryUpgrade(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', () => resolve(-1));
  });
}

describe('serving the renderer', () => {
  it('serves index.html under /<token>/ with the security headers', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>SLO Studio</title>');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${host.port} ws://localhost:${host.port}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('serves assets relative to the token and redirects /<token> to /<token>/', async () => {
    const asset = await fetch(`${base}/assets/app.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    const bare = await fetch(base, { redirect: 'manual' });
    expect(bare.status).toBe(302);
    expect(bare.headers.get('location')).toBe(`/${host.token}/`);
  });

  it('serves a localhost Host too', async () => {
    expect((await rawGet(`/${host.token}/`, { Host: `localhost:${host.port}` })).status).toBe(200);
  });

  it('does not serve dotfiles or anything outside the static dir', async () => {
    expect((await rawGet(`/${host.token}/.env`)).status).toBe(404);
    expect((await rawGet(`/${host.token}/%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404);
    expect((await rawGet(`/${host.token}/assets/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
  });
});

describe('refusing strangers', () => {
  it('answers 403 without the token, with a wrong token, or at the root', async () => {
    for (const path of ['/', '/index.html', '/assets/app.js', `/${'0'.repeat(64)}/`, `/${host.token.slice(0, 63)}/`, `/${host.token}x/`]) {
      const res = await rawGet(path);
      expect(res.status, path).toBe(403);
      expect(res.body, path).toBe('');
    }
  });

  it('answers 403 to a forged Host header (DNS rebinding)', async () => {
    expect((await rawGet(`/${host.token}/`, { Host: `evil.example:${host.port}` })).status).toBe(403);
    expect((await rawGet(`/${host.token}/`, { Host: `127.0.0.1:${host.port + 1}` })).status).toBe(403);
    expect((await rawGet(`/${host.token}/`, { Host: '127.0.0.1' })).status).toBe(403);
  });

  it('rejects WebSocket upgrades from a foreign Origin, without Origin, or without the token', async () => {
    const rpc = `ws://127.0.0.1:${host.port}/${host.token}/rpc`;
    const good = `http://127.0.0.1:${host.port}`;
    expect(await tryUpgrade(rpc, { Origin: good })).toBe(101);
    expect(await tryUpgrade(rpc, { Origin: `http://localhost:${host.port}` })).toBe(101);
    expect(await tryUpgrade(rpc, { Origin: 'http://evil.example' })).toBe(403);
    expect(await tryUpgrade(rpc, { Origin: `http://127.0.0.1:${host.port + 1}` })).toBe(403);
    expect(await tryUpgrade(rpc, {})).toBe(403);
    expect(await tryUpgrade(`ws://127.0.0.1:${host.port}/rpc`, { Origin: good })).toBe(403);
    expect(await tryUpgrade(`ws://127.0.0.1:${host.port}/${'f'.repeat(64)}/rpc`, { Origin: good })).toBe(403);
    expect(await tryUpgrade(rpc, { Origin: good, Host: `evil.example:${host.port}` })).toBe(403);
  });

  it('refuses to listen on anything but 127.0.0.1', async () => {
    await expect(startBrowserHost({ handlers: testHandlers(), staticDir, host: '0.0.0.0' })).rejects.toThrow(/only listens on 127\.0\.0\.1/);
    await expect(startBrowserHost({ handlers: testHandlers(), staticDir, host: '::' })).rejects.toThrow(/only listens on 127\.0\.0\.1/);
  });

  it('gives each host its own random 64-hex-digit token', async () => {
    const other = await startBrowserHost({ handlers: testHandlers(), staticDir, port: 0 });
    try {
      expect(other.token).toMatch(/^[0-9a-f]{64}$/);
      expect(other.token).not.toBe(host.token);
      expect(other.url).toBe(`http://127.0.0.1:${other.port}/${other.token}/`);
    } finally {
      await other.close();
    }
  });
});

describe('RPC over the WebSocket', () => {
  it('round-trips a call and pushes events', async () => {
    const client = await connect();
    try {
      const info = await client.call('host.info', {});
      expect(info).toEqual({ id: 1, ok: true, result: expect.objectContaining({ mode: 'browser', version: 'test' }) });
      const created = await client.call('containers.create', { container: 'new' });
      expect(created).toMatchObject({ ok: true, result: { created: true } });
      expect(client.events).toContainEqual({ event: 'connection.changed', payload: null });
    } finally {
      await client.close();
    }
  });

  it('decodes params with the contract (defaults applied, missing params allowed for empty inputs)', async () => {
    const client = await connect();
    try {
      expect(await client.call('objects.list', { container: 'c' })).toMatchObject({ ok: true, result: { nextMarker: '|1000' } });
      expect(await client.call('host.info')).toMatchObject({ ok: true });
    } finally {
      await client.close();
    }
  });

  it("answers invalid params with an 'invalid' error naming the fields", async () => {
    const client = await connect();
    try {
      const res = await client.call('objects.list', { container: 'a/b', limit: 'many' });
      expect(res.ok).toBe(false);
      if (res.ok) return;
      expect(res.error.kind).toBe('invalid');
      expect(res.error.message).toMatch(/^The parameters of "objects.list" are not valid: /);
      expect(res.error.message).toContain('container:');
      expect(res.error.message).toContain('limit:');
      const extra = await client.call('host.info', { surprise: true });
      expect(extra).toMatchObject({ ok: false, error: { kind: 'invalid' } });
    } finally {
      await client.close();
    }
  });

  it("answers an unknown method with 'invalid'", async () => {
    const client = await connect();
    try {
      expect(await client.call('fs.readFile', { path: '/etc/passwd' })).toMatchObject({
        ok: false,
        error: { kind: 'invalid', message: 'There is no call named "fs.readFile".' },
      });
      expect(await client.call('toString', {})).toMatchObject({ ok: false, error: { kind: 'invalid' } });
    } finally {
      await client.close();
    }
  });

  it('turns a thrown error into an ErrorValue without a stack trace', async () => {
    const client = await connect();
    try {
      const res = await client.call('containers.delete', { container: 'x' });
      expect(res.ok).toBe(false);
      expect(JSON.stringify(res)).not.toMatch(/\n\s+at /);
      expect(Object.keys(res.ok ? {} : res.error).sort()).toEqual(['kind', 'message']);
    } finally {
      await client.close();
    }
  });

  it('closes the socket on a message that is not JSON or lacks an id, and on oversize messages', async () => {
    const closeCode = async (send: (ws: WebSocket) => void) => {
      const client = await connect();
      const code = new Promise<number>((resolve) => client.ws.once('close', (c) => resolve(c)));
      send(client.ws);
      return code;
    };
    expect(await closeCode((ws) => ws.send('not json'))).toBe(1007);
    expect(await closeCode((ws) => ws.send(JSON.stringify({ method: 'host.info' })))).toBe(1007);
    expect(await closeCode((ws) => ws.send(Buffer.from('{}'), { binary: true }))).toBe(1003);
    expect(await closeCode((ws) => ws.send('x'.repeat(4 * 1024 * 1024 + 1)))).toBe(1009);
  });
});

describe('pulling a dropped file from the tab', () => {
  function pattern(size: number): Uint8Array {
    const bytes = new Uint8Array(size);
    // Not periodic at any MiB multiple, so a reused buffer shows: xorshift.
    let x = 0x9e3779b9;
    for (let i = 0; i < size; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      bytes[i] = x & 0xff;
    }
    return bytes;
  }
  const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

  /** Answers 'file.pull' for one file the way the renderer does: POST file.slice(start, end). `cut` sends fewer bytes. */
  function answerPulls(client: Client, fileId: string, file: Uint8Array, cut = 0): { posts: Promise<Response>[] } {
    const posts: Promise<Response>[] = [];
    client.onEvent((ev) => {
      if (ev.event !== 'file.pull') return;
      const { pullId, start, end, fileId: wanted } = ev.payload as { pullId: string; start: number; end: number; fileId: string };
      if (wanted !== fileId) return;
      const body = file.slice(start, end - cut);
      const post = fetch(`${base}/pull/${pullId}`, { method: 'POST', body });
      post.catch(() => undefined);
      posts.push(post);
    });
    return { posts };
  }

  it('streams exactly the requested range, at the reader’s pace', async () => {
    const size = 24 * 1024 * 1024;
    const file = pattern(size);
    const client = await connect();
    try {
      const { posts } = answerPulls(client, 'file-1', file);
      const source = browserPlatform(hub, { dataDir }).browserFile!('file-1', 'big.bin', size, 1700000000000);
      expect(source.identity).toBe('browser:big.bin:24:1700000000000'.replace(':24:', `:${size}:`));
      const start = 1234;
      const end = size - 777;
      const chunks: Uint8Array[] = [];
      // A yielded chunk is a pooled buffer: it must stay intact while the consumer takes the next two (the socket may
      // still be sending it), and may be reused after that — so the test keeps copies.
      const recent: { chunk: Uint8Array; copy: Buffer }[] = [];
      let paused = false;
      let settledWhilePaused = false;
      for await (const chunk of source.read(start, end)) {
        for (const r of recent) expect(Buffer.from(r.chunk).equals(r.copy)).toBe(true);
        const copy = Buffer.from(chunk);
        recent.push({ chunk, copy });
        if (recent.length > 2) recent.shift();
        chunks.push(copy);
        if (!paused) {
          // Hold the first chunk: with backpressure the browser cannot finish its POST meanwhile.
          paused = true;
          const post = posts[0]!;
          settledWhilePaused = await Promise.race([post.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 400))]);
        }
      }
      expect(settledWhilePaused).toBe(false);
      const got = Buffer.concat(chunks);
      expect(got.length).toBe(end - start);
      expect(sha(got)).toBe(sha(file.subarray(start, end)));
      expect((await posts[0]!).status).toBe(204);
      expect(hub.pulls.pending).toBe(0);
    } finally {
      await client.close();
    }
  });

  it("fails with an 'io' error when the browser sends too few bytes", async () => {
    const file = pattern(64 * 1024);
    const client = await connect();
    try {
      answerPulls(client, 'file-2', file, 100);
      const source = browserPlatform(hub, { dataDir }).browserFile!('file-2', 'short.bin', file.length, 1);
      const read = async () => {
        for await (const _ of source.read(0, file.length)) void _;
      };
      await expect(read()).rejects.toMatchObject({ kind: 'io', message: expect.stringMatching(/^The browser stopped sending short\.bin after 65436 of 65536 bytes/) });
    } finally {
      await client.close();
    }
  });

  it("fails with an 'io' error when no POST arrives in time", async () => {
    const source = browserPlatform(hub, { dataDir }).browserFile!('file-3', 'lost.bin', 10, 1);
    const started = Date.now();
    const read = async () => {
      for await (const _ of source.read(0, 10)) void _;
    };
    await expect(read()).rejects.toMatchObject({ kind: 'io', message: expect.stringContaining('did not send the bytes of lost.bin') });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(hub.pulls.pending).toBe(0);
  });

  it("does not time out while the reader holds a chunk, and fails with 'io' when the body then stalls", async () => {
    const file = pattern(3 * 1024 * 1024);
    const client = await connect();
    try {
      client.onEvent((ev) => {
        const { pullId, fileId } = ev.payload as { pullId: string; fileId: string };
        if (ev.event !== 'file.pull' || fileId !== 'file-7') return;
        // Two MiB, then nothing more: the stream stays open without sending.
        const body = new ReadableStream<Uint8Array>({
          start(c) {
            c.enqueue(file.subarray(0, 2 * 1024 * 1024));
          },
        });
        fetch(`${base}/pull/${pullId}`, { method: 'POST', body, duplex: 'half' } as RequestInit).catch(() => undefined);
      });
      const source = browserPlatform(hub, { dataDir }).browserFile!('file-7', 'stall.bin', file.length, 1);
      const got: Uint8Array[] = [];
      const read = async () => {
        for await (const chunk of source.read(0, file.length)) {
          // Longer than the 1.5 s stall timeout: holding a chunk is not the browser stalling.
          if (!got.length) await new Promise((r) => setTimeout(r, 2000));
          got.push(chunk);
        }
      };
      await expect(read()).rejects.toMatchObject({ kind: 'io', message: expect.stringMatching(/^The browser stopped sending stall\.bin after 2097152 of 3145728 bytes \(nothing arrived for/) });
      // Handed on in 1 MiB pieces, not the socket's ≤ 64 KiB reads.
      expect(got.map((c) => c.length)).toEqual([1024 * 1024, 1024 * 1024]);
      expect(sha(Buffer.concat(got))).toBe(sha(file.subarray(0, 2 * 1024 * 1024)));
    } finally {
      await client.close();
    }
  });

  it('stops waiting when the signal aborts, and rejects bad ranges', async () => {
    const source = browserPlatform(hub, { dataDir }).browserFile!('file-4', 'abort.bin', 10, 1);
    const controller = new AbortController();
    const read = async () => {
      for await (const _ of source.read(0, 10, controller.signal)) void _;
    };
    const pending = expect(read()).rejects.toMatchObject({ kind: 'cancelled' });
    setTimeout(() => controller.abort(), 50);
    await pending;
    const bad = async () => {
      for await (const _ of source.read(5, 11)) void _;
    };
    await expect(bad()).rejects.toMatchObject({ kind: 'invalid' });
    expect(hub.pulls.pending).toBe(0);
  });

  it('answers 410 to a POST for an unknown or expired pull id', async () => {
    const res = await fetch(`${base}/pull/${'a'.repeat(32)}`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(410);
  });

  it("reports a file the tab no longer holds as an 'io' error telling the user to drop it again", async () => {
    const client = await connect();
    try {
      client.onEvent((ev) => {
        const { pullId, fileId } = ev.payload as { pullId: string; fileId: string };
        if (ev.event === 'file.pull' && fileId === 'file-5') {
          void fetch(`${base}/pull/${pullId}`, { method: 'POST', headers: { 'X-Slo-Studio-Error': 'file-gone' }, body: new Uint8Array(0) });
        }
      });
      const source = browserPlatform(hub, { dataDir }).browserFile!('file-5', 'gone.bin', 10, 1);
      const read = async () => {
        for await (const _ of source.read(0, 10)) void _;
      };
      await expect(read()).rejects.toMatchObject({ kind: 'io', message: 'The browser tab no longer holds gone.bin; drop the file again to resume its upload.' });
    } finally {
      await client.close();
    }
  });

  it('ends the POST when the reader is cancelled mid-way, without hanging either side', async () => {
    const size = 16 * 1024 * 1024;
    const file = pattern(size);
    const client = await connect();
    try {
      const { posts } = answerPulls(client, 'file-6', file);
      const source = browserPlatform(hub, { dataDir }).browserFile!('file-6', 'cancel.bin', size, 1);
      const controller = new AbortController();
      const read = async () => {
        for await (const _ of source.read(0, size, controller.signal)) {
          controller.abort();
          await new Promise((r) => setTimeout(r, 10));
        }
      };
      await expect(read()).rejects.toMatchObject({ kind: 'cancelled' });
      // The browser's POST ends one way or the other: a 410 or a closed connection.
      const outcome = await posts[0]!.then((r) => r.status, () => 'closed');
      expect([410, 'closed']).toContain(outcome);
    } finally {
      await client.close();
    }
  });
});

describe('downloads', () => {
  const platform = () => browserPlatform(hub, { dataDir });

  it('streams the writer’s bytes as an attachment', async () => {
    const parts = [Buffer.from('hello '), Buffer.from('swift '), Buffer.from('world')];
    const size = parts.reduce((n, p) => n + p.length, 0);
    const url = platform().serveDownload!('t-1', { name: 'résumé "final".txt', size }, async (sink) => {
      for (const p of parts) sink.write(p);
    });
    expect(url).toBe(`/${host.token}/download/t-1`);
    const res = await fetch(`http://127.0.0.1:${host.port}${url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(size));
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="r_sum_ _final_.txt"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.txt`,
    );
    expect(await res.text()).toBe('hello swift world');
  });

  it('aborts the response when the writer fails mid-way (known and unknown size)', async () => {
    for (const size of [1024 * 1024, -1]) {
      const id = `t-fail-${size}`;
      const url = platform().serveDownload!(id, { name: 'broken.bin', size }, async (sink) => {
        sink.write(Buffer.alloc(64 * 1024, 1));
        await new Promise((r) => setTimeout(r, 20));
        throw new SwiftError({ kind: 'integrity', message: 'segment 3 MD5 mismatch' });
      });
      const res = await fetch(`http://127.0.0.1:${host.port}${url}`);
      expect(res.status).toBe(200);
      await expect(res.arrayBuffer()).rejects.toThrow();
    }
  });

  it('aborts when the writer delivers fewer bytes than announced', async () => {
    const url = platform().serveDownload!('t-short', { name: 'short.bin', size: 100 }, async (sink) => {
      sink.write(Buffer.alloc(10));
    });
    const res = await fetch(`http://127.0.0.1:${host.port}${url}`);
    await expect(res.arrayBuffer()).rejects.toThrow();
  });

  it('answers 404 for an unknown transfer and 403 without the token', async () => {
    expect((await fetch(`${base}/download/nope`)).status).toBe(404);
    expect((await rawGet('/download/t-1')).status).toBe(403);
  });
});
