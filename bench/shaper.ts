// A link shaper for the WAN profile: a TCP proxy on loopback that makes the local Swift behave like a remote one.
// Per connection and per direction it adds a one-way delay and caps throughput with a token bucket, the way a
// long fat pipe with a per-flow cap (a shaped VPN, a cross-region link) behaves. Bytes leave in exactly the order
// they arrived: each direction is one FIFO whose release times never decrease.
//
// Model, per direction of one connection:
//   - a chunk read at time t is cut into pieces of at most `burstBytes`;
//   - each piece may leave the bucket at sendAt = max(t, tat + len/rate - burst/rate) (GCRA, i.e. a token bucket
//     of depth `burstBytes` filled at `rate`, starting full), and reaches the far side at sendAt + delay;
//   - release times are forced monotonic, so order is preserved even though pieces differ in size;
//   - reading from the sender pauses while more than `maxQueueBytes` wait (TCP flow control does the rest), and
//     writing to the receiver honours its backpressure.
//   - with `handshake` (default) the first client bytes reach the server no earlier than 3 x delay after the
//     connection opened (SYN, SYN-ACK, then data): one extra round trip standing in for the TCP handshake a real
//     remote connection costs (the client's own connect to us is instant on loopback).
// Not modelled: loss, slow start, TLS. Good enough to show what parallel streams buy against latency and caps.
//
// Use from code (`startShaper`) or as a process:
//   node bin/run.mjs bench/shaper.ts --target 127.0.0.1:8080 [--listen 0] [--delay-ms 10] [--rate 40MiB]
// which prints one JSON line {"port":N,"url":"http://127.0.0.1:N"} and runs until SIGTERM/SIGINT or stdin closes.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export interface ShaperOptions {
  targetHost?: string;
  targetPort: number;
  listenHost?: string;
  /** 0 (default) picks a free port. */
  listenPort?: number;
  /** One-way delay added in each direction, ms (default 10). */
  delayMs?: number;
  /** Cap per connection per direction, bytes/s (default 40 MiB/s); 0 or Infinity = no cap. */
  rateBytesPerSec?: number;
  /** Token bucket depth (default 64 KiB). */
  burstBytes?: number;
  /** Pause reading from the sender while this many bytes wait in one direction (default: rate x delay + 1 MiB). */
  maxQueueBytes?: number;
  /** Charge one round trip for the TCP handshake of each new connection (default true). */
  handshake?: boolean;
}

export interface ShaperStats {
  connections: number;
  open: number;
  /** Client → server bytes delivered. */
  bytesUp: number;
  /** Server → client bytes delivered. */
  bytesDown: number;
}

export interface Shaper {
  port: number;
  host: string;
  /** http://host:port — handy for building storage URLs. */
  url: string;
  stats(): ShaperStats;
  close(): Promise<void>;
}

export const MiB = 1024 * 1024;
export const DEFAULT_DELAY_MS = 10;
export const DEFAULT_RATE = 40 * MiB;
export const DEFAULT_BURST = 64 * 1024;

interface Piece {
  buf: Buffer;
  due: number;
}

/** One direction of one connection: src → (bucket, delay) → dst, strictly FIFO. */
class Link {
  private readonly queue: Piece[] = [];
  private head = 0;
  private queued = 0;
  private tat = 0;
  private lastDue: number;
  private timer: NodeJS.Timeout | null = null;
  private srcEnded = false;
  private done = false;
  delivered = 0;

  constructor(
    private readonly src: Socket,
    private readonly dst: Socket,
    private readonly delayMs: number,
    private readonly rate: number,
    private readonly burst: number,
    private readonly maxQueue: number,
    holdUntil: number,
  ) {
    this.lastDue = holdUntil;
    src.on('data', (b: Buffer) => this.push(b));
    src.on('end', () => {
      this.srcEnded = true;
      this.pump();
    });
    dst.on('drain', () => this.pump());
  }

  private push(b: Buffer): void {
    const now = performance.now();
    const limited = this.rate > 0 && Number.isFinite(this.rate);
    const step = limited ? this.burst : b.length;
    for (let off = 0; off < b.length; off += step) {
      const piece = b.subarray(off, Math.min(b.length, off + step));
      let sendAt = now;
      if (limited) {
        const cost = (piece.length / this.rate) * 1000;
        this.tat = Math.max(this.tat, now);
        sendAt = Math.max(now, this.tat + cost - (this.burst / this.rate) * 1000);
        this.tat += cost;
      }
      const due = Math.max(this.lastDue, sendAt + this.delayMs);
      this.lastDue = due;
      this.queue.push({ buf: piece, due });
      this.queued += piece.length;
    }
    if (this.queued > this.maxQueue && !this.src.isPaused()) this.src.pause();
    this.pump();
  }

  pump(): void {
    if (this.done) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const now = performance.now();
    while (this.head < this.queue.length) {
      const p = this.queue[this.head]!;
      if (p.due > now + 0.25) break;
      if (this.dst.writableNeedDrain || this.dst.destroyed) return; // 'drain' calls pump again
      this.head++;
      this.queued -= p.buf.length;
      this.delivered += p.buf.length;
      this.dst.write(p.buf);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    if (this.src.isPaused() && this.queued <= this.maxQueue / 2 && !this.src.destroyed) this.src.resume();
    if (this.head < this.queue.length) {
      const wait = Math.max(0, this.queue[this.head]!.due - now);
      this.timer = setTimeout(() => this.pump(), wait);
    } else if (this.srcEnded) {
      this.done = true;
      this.dst.end();
    }
  }

  stop(): void {
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

export async function startShaper(opts: ShaperOptions): Promise<Shaper> {
  const targetHost = opts.targetHost ?? '127.0.0.1';
  const listenHost = opts.listenHost ?? '127.0.0.1';
  const delayMs = Math.max(0, opts.delayMs ?? DEFAULT_DELAY_MS);
  const rate = opts.rateBytesPerSec ?? DEFAULT_RATE;
  const burst = Math.max(1024, Math.floor(opts.burstBytes ?? DEFAULT_BURST));
  const bdp = rate > 0 && Number.isFinite(rate) ? (rate * delayMs) / 1000 : 8 * MiB;
  const maxQueue = Math.max(burst * 2, Math.floor(opts.maxQueueBytes ?? bdp + MiB));
  const handshake = opts.handshake !== false;
  const totals = { connections: 0, open: 0, bytesUp: 0, bytesDown: 0 };
  const sockets = new Set<Socket>();

  const server: Server = createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    totals.connections++;
    totals.open++;
    const upstream = connect({ host: targetHost, port: opts.targetPort, allowHalfOpen: true, noDelay: true });
    sockets.add(client);
    sockets.add(upstream);
    const now = performance.now();
    const up = new Link(client, upstream, delayMs, rate, burst, maxQueue, handshake ? now + 3 * delayMs : 0);
    const down = new Link(upstream, client, delayMs, rate, burst, maxQueue, 0);
    let closed = 0;
    const finish = () => {
      if (++closed < 2) return;
      up.stop();
      down.stop();
      totals.open--;
      totals.bytesUp += up.delivered;
      totals.bytesDown += down.delivered;
    };
    const kill = () => {
      up.stop();
      down.stop();
      client.destroy();
      upstream.destroy();
    };
    client.on('error', kill);
    upstream.on('error', kill);
    client.on('close', () => {
      sockets.delete(client);
      if (!upstream.destroyed && client.errored) upstream.destroy();
      finish();
    });
    upstream.on('close', () => {
      sockets.delete(upstream);
      if (!client.destroyed && upstream.errored) client.destroy();
      finish();
    });
  });
  server.on('error', () => {});
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.listenPort ?? 0, listenHost, () => {
      server.off('error', fail);
      ok();
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port,
    host: listenHost,
    url: `http://${listenHost}:${port}`,
    stats: () => ({ ...totals }),
    close: () =>
      new Promise<void>((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}

/** "40MiB", "10M", "512k", "1048576" → bytes. */
export function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)$/i.exec(s.trim());
  if (!m) throw new Error(`not a size: "${s}"`);
  const mult = { '': 1, k: 1024, m: MiB, g: 1024 * MiB, t: 1024 * 1024 * MiB }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.round(Number(m[1]) * mult);
}

async function cli(argv: string[]): Promise<void> {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const target = get('target') ?? '127.0.0.1:8080';
  const [host, portStr] = target.includes(':') ? [target.slice(0, target.lastIndexOf(':')), target.slice(target.lastIndexOf(':') + 1)] : ['127.0.0.1', target];
  const shaper = await startShaper({
    targetHost: host,
    targetPort: Number(portStr),
    listenPort: Number(get('listen') ?? 0),
    delayMs: Number(get('delay-ms') ?? DEFAULT_DELAY_MS),
    rateBytesPerSec: get('rate') ? parseSize(get('rate')!) : DEFAULT_RATE,
    ...(get('burst') ? { burstBytes: parseSize(get('burst')!) } : {}),
    handshake: !argv.includes('--no-handshake'),
  });
  process.stdout.write(JSON.stringify({ port: shaper.port, url: shaper.url }) + '\n');
  const stop = () => {
    void shaper.close().then(() => {
      process.stderr.write(`shaper: ${JSON.stringify(shaper.stats())}\n`);
      process.exit(0);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  if (argv.includes('--stdin-lifeline')) {
    process.stdin.resume();
    process.stdin.on('end', stop);
    process.stdin.on('error', stop);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  cli(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`shaper: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
