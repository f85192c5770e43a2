// The benchmark's link shaper (bench/shaper.ts) must be a faithful pipe: every byte, in order, both directions,
// with the delay and the per-connection cap it promises — and Swift must work through it with a rewritten
// storage URL. The last test runs `npm run bench -- --smoke` end to end.
import { createHash, randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startShaper, MiB, type Shaper } from '../../bench/shaper.ts';

const md5 = (b: Buffer | Buffer[]) => {
  const h = createHash('md5');
  for (const x of Array.isArray(b) ? b : [b]) h.update(x);
  return h.digest('hex');
};

/** Echo server, and a "digest" server: reads to EOF, answers the MD5 and length of what it got, then closes. */
let echo: Server;
let digest: Server;
const portOf = (s: Server) => (s.address() as { port: number }).port;

beforeAll(async () => {
  echo = createServer({ allowHalfOpen: true }, (s) => s.pipe(s));
  digest = createServer({ allowHalfOpen: true }, (s) => {
    const h = createHash('md5');
    let n = 0;
    s.on('data', (b: Buffer) => {
      h.update(b);
      n += b.length;
    });
    s.on('end', () => s.end(`${h.digest('hex')} ${n}`));
  });
  await Promise.all([echo, digest].map((srv) => new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok))));
});

afterAll(async () => {
  await Promise.all([echo, digest].map((srv) => new Promise<void>((ok) => srv.close(() => ok()))));
});

function open(port: number): Promise<Socket> {
  return new Promise((ok, fail) => {
    const s = connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => ok(s));
    s.once('error', fail);
  });
}

/** Sends `data` in irregular chunks, half-closes, collects everything the peer sends back until it closes. */
async function roundTrip(port: number, data: Buffer): Promise<Buffer> {
  const s = await open(port);
  const got: Buffer[] = [];
  s.on('data', (b: Buffer) => got.push(b));
  const closed = new Promise<void>((ok, fail) => {
    s.on('end', () => ok());
    s.on('error', fail);
  });
  let off = 0;
  let i = 0;
  while (off < data.length) {
    const n = [1, 7, 65_536, 300_001, 1_000_000, 13][i++ % 6]!;
    const piece = data.subarray(off, off + n);
    off += piece.length;
    if (!s.write(piece)) await new Promise((ok) => s.once('drain', ok));
  }
  s.end();
  await closed;
  s.destroy();
  return Buffer.concat(got);
}

describe('bench/shaper.ts', () => {
  const shapers: Shaper[] = [];
  afterAll(async () => {
    await Promise.all(shapers.map((s) => s.close()));
  });
  const shaper = async (port: number, opts: Parameters<typeof startShaper>[0] extends infer O ? Partial<O> : never) => {
    const s = await startShaper({ targetPort: port, ...opts });
    shapers.push(s);
    return s;
  };

  it('delivers every byte in order in both directions (MD5 through the shaper equals the source)', async () => {
    const sh = await shaper(portOf(echo), { delayMs: 2, rateBytesPerSec: 200 * MiB, burstBytes: 48 * 1024 });
    const data = randomBytes(24 * MiB + 12_345);
    const back = await roundTrip(sh.port, data);
    expect(back.length).toBe(data.length);
    expect(md5(back)).toBe(md5(data));
  });

  it('keeps several concurrent connections apart and intact', async () => {
    const sh = await shaper(portOf(digest), { delayMs: 3, rateBytesPerSec: 100 * MiB });
    const inputs = [0, 1, 2, 3, 4, 5].map((i) => randomBytes(2 * MiB + i * 99_991));
    const answers = await Promise.all(inputs.map((d) => roundTrip(sh.port, d)));
    answers.forEach((a, i) => expect(a.toString()).toBe(`${md5(inputs[i]!)} ${inputs[i]!.length}`));
    expect(sh.stats().connections).toBe(6);
  });

  it('passes data unchanged with no cap and no delay too (byte-exact, one-way)', async () => {
    const sh = await shaper(portOf(digest), { delayMs: 0, rateBytesPerSec: 0, handshake: false });
    const data = randomBytes(16 * MiB + 1);
    expect((await roundTrip(sh.port, data)).toString()).toBe(`${md5(data)} ${data.length}`);
  });

  it('caps one connection at its rate (token bucket)', async () => {
    const rate = 16 * MiB;
    const sh = await shaper(portOf(digest), { delayMs: 1, rateBytesPerSec: rate, handshake: false });
    const data = randomBytes(8 * MiB);
    const t0 = performance.now();
    const answer = await roundTrip(sh.port, data);
    const secs = (performance.now() - t0) / 1000;
    expect(answer.toString()).toBe(`${md5(data)} ${data.length}`);
    const ideal = data.length / rate; // 0.5 s
    expect(secs).toBeGreaterThan(ideal * 0.9);
    expect(secs).toBeLessThan(ideal * 1.6 + 0.2);
  });

  it('adds the one-way delay in each direction (RTT ≈ 2 × delay)', async () => {
    const delay = 25;
    const sh = await shaper(portOf(echo), { delayMs: delay });
    const s = await open(sh.port);
    const ping = async () => {
      const t0 = performance.now();
      s.write('x');
      await new Promise((ok) => s.once('data', ok));
      return performance.now() - t0;
    };
    const first = await ping();
    const rtts = [await ping(), await ping(), await ping()];
    s.destroy();
    // The first exchange also waits for the upstream connection (delayed too); timers on a loaded machine can fire a
    // few ms early, so only the plain round trip is a hard bound for it.
    expect(first).toBeGreaterThanOrEqual(2 * delay - 2);
    for (const r of rtts) {
      expect(r).toBeGreaterThanOrEqual(2 * delay - 2);
      expect(r).toBeLessThan(2 * delay + 40);
    }
  });

  it('talks to the real Swift: PUT and GET through a rewritten storage URL, ETag and MD5 match', async () => {
    const sb = inject('sandbox');
    const auth = await fetch(sb.authUrl, { headers: { 'X-Auth-User': sb.user, 'X-Auth-Key': sb.key } });
    const token = auth.headers.get('x-auth-token')!;
    const direct = new URL(auth.headers.get('x-storage-url')!);
    const sh = await shaper(Number(direct.port), { delayMs: 5, rateBytesPerSec: 64 * MiB });
    const base = `${sh.url}${direct.pathname}`;
    const c = `t-bench-shaper-${Math.random().toString(36).slice(2, 8)}`;
    const h = { 'X-Auth-Token': token };
    expect((await fetch(`${base}/${c}`, { method: 'PUT', headers: h })).status).toBeLessThan(300);
    const data = randomBytes(6 * MiB + 3);
    const put = await fetch(`${base}/${c}/o`, { method: 'PUT', headers: h, body: data });
    expect(put.status).toBe(201);
    expect(put.headers.get('etag')).toBe(md5(data));
    const got = Buffer.from(await (await fetch(`${base}/${c}/o`, { headers: h })).arrayBuffer());
    expect(md5(got)).toBe(md5(data));
    await fetch(`${base}/${c}/o`, { method: 'DELETE', headers: h });
    await fetch(`${base}/${c}`, { method: 'DELETE', headers: h });
  });
});

describe('npm run bench -- --smoke', () => {
  it('runs end to end against the sandbox and writes a results file', async () => {
    const out = mkdtempSync(join(tmpdir(), 'slo-bench-smoke-'));
    try {
      const code = await new Promise<number>((ok) => {
        const p = spawn(process.execPath, ['bin/run.mjs', 'bench/bench.ts', '--smoke', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
        let log = '';
        p.stdout.on('data', (b: Buffer) => (log += b));
        p.stderr.on('data', (b: Buffer) => (log += b));
        p.on('close', (c) => {
          if (c !== 0) console.error(log);
          ok(c ?? 1);
        });
      });
      expect(code).toBe(0);
      const result = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as {
        mode: string;
        cases: Array<{ case: string; profile: string; details?: { op?: string }; competitors: Array<{ name: string; medianSec?: number; cpuPerGiB?: number; skipped?: string }> }>;
      };
      expect(result.mode).toBe('smoke');
      const upload = result.cases.find((c) => c.case === 'upload' && c.profile === 'loopback');
      expect(upload?.competitors.find((x) => x.name === 'swift')?.medianSec).toBeGreaterThan(0);
      expect(upload?.competitors.find((x) => x.name === 'curl')?.medianSec).toBeGreaterThan(0);
      const download = result.cases.find((c) => c.case === 'download' && c.profile === 'loopback');
      expect(download?.competitors.find((x) => x.name === 'curl')?.medianSec).toBeGreaterThan(0);
      // rclone ran, or says why not; every timed competitor has its CPU per GiB.
      const rclone = download?.competitors.find((x) => x.name === 'rclone');
      expect(rclone?.medianSec !== undefined || (rclone?.skipped ?? '').length > 0).toBe(true);
      expect(download?.competitors.find((x) => x.name === 'swift')?.cpuPerGiB).toBeGreaterThan(0);
      // The client-only case: slo verified both ways against the sink (a failed check leaves no median).
      for (const op of ['upload', 'download']) {
        const sink = result.cases.find((c) => c.case === 'sink' && c.details?.op === op);
        expect(sink?.competitors.find((x) => x.name === 'slo')?.medianSec, op).toBeGreaterThan(0);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 300_000);
});
