// TransferManager against a real Swift: TransferInfo events through a whole upload and download, pause + resume,
// a restart that brings unfinished transfers back as 'interrupted', cancel without orphans, browser-streamed downloads.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransferInfo } from '../../app/domain/transfer.ts';
import type { ByteSource } from '../../app/domain/transfer.ts';
import { createContainer, headObject } from '../../app/swift/objects.ts';
import { openFileSource } from '../../app/transfer/file-source.ts';
import { TransferManager } from '../../app/transfer/manager.ts';
import { KiB, md5File, randomFile } from '../helpers/files.ts';
import { listNames, removeContainers, sandboxClient, storedNames } from '../helpers/swift.ts';

const client = sandboxClient();
const rnd = Math.random().toString(36).slice(2, 8);
const C = `t-manager-${rnd}`;
const S = `${C}_segments`;
let dir = '';
let dataDir = '';

function manager() {
  const events: TransferInfo[] = [];
  const m = new TransferManager({ client: () => client, dataDir, emit: (i) => events.push(TransferInfo.parse(i)) });
  const until = async (id: string, pred: (i: TransferInfo) => boolean, ms = 60_000): Promise<TransferInfo> => {
    const end = Date.now() + ms;
    for (;;) {
      const cur = m.list().find((t) => t.id === id);
      if (cur && pred(cur)) return cur;
      if (Date.now() > end) throw new Error(`transfer ${id} never reached the expected state; last: ${JSON.stringify(cur)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { m, events, until };
}

/** A file source whose reads are slowed down, so a test can act while segments are in flight. */
async function slowSource(path: string, delayMs: number): Promise<ByteSource & { close(): Promise<void> }> {
  const inner = await openFileSource(path);
  return Object.assign(Object.create(inner) as typeof inner, {
    async *read(start: number, end: number, signal?: AbortSignal) {
      await new Promise((r) => setTimeout(r, delayMs));
      yield* inner.read(start, end, signal);
    },
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slo-manager-'));
  dataDir = join(dir, 'data');
  await createContainer(client, C);
});

afterAll(async () => {
  await removeContainers(client, C, S);
  await client.close();
  await rm(dir, { recursive: true, force: true });
});

describe('TransferManager', () => {
  it('uploads and downloads with contract-valid events from queued to done', async () => {
    const f = await randomFile(dir, 'm.bin', 12 * 16 * KiB);
    const { m, events, until } = manager();
    const up = await m.upload(await openFileSource(f.path), { container: C, object: 'm.bin', segmentSize: 16 * KiB });
    expect(up.direction).toBe('upload');
    const done = await until(up.id, (i) => i.state === 'done' || i.state === 'failed');
    expect(done.error).toBeUndefined();
    expect(done).toMatchObject({ state: 'done', doneBytes: 12 * 16 * KiB, totalBytes: 12 * 16 * KiB, segments: 'v'.repeat(12), resentBytes: 0 });
    expect(done.result!.verified).toBe(true);
    expect(done.result!.message).toMatch(/Uploaded 192.0 KiB as 12 segments/);
    const states = events.filter((e) => e.id === up.id).map((e) => e.state);
    expect(states).toContain('running');
    expect(states[states.length - 1]).toBe('done');

    const out = join(dir, 'm-out.bin');
    const dl = await m.download({ container: C, object: 'm.bin', path: out });
    const ddone = await until(dl.id, (i) => i.state === 'done' || i.state === 'failed');
    expect(ddone.result).toMatchObject({ verified: true, etag: done.result!.etag });
    expect(await md5File(out)).toBe(f.md5);
    expect(m.dismiss(up.id)).toBe(true);
    expect(m.list().map((t) => t.id)).toEqual([dl.id]);
    await m.dispose();
  });

  it('pauses and resumes an upload, re-sending little', async () => {
    const f = await randomFile(dir, 'p.bin', 40 * 8 * KiB);
    const { m, until } = manager();
    const up = await m.upload(await slowSource(f.path, 15), { container: C, object: 'p.bin', segmentSize: 8 * KiB, concurrency: 2 });
    await until(up.id, (i) => (i.segments.match(/v/g)?.length ?? 0) >= 6);
    const paused = await m.pause(up.id);
    expect(paused.state).toBe('paused');
    const stored = (await listNames(client, S, 'p.bin/')).length;
    expect(stored).toBeGreaterThanOrEqual(6);
    await m.resume(up.id);
    const done = await until(up.id, (i) => i.state === 'done' || i.state === 'failed');
    expect(done.state).toBe('done');
    expect(done.result!.message).toMatch(/were already stored from an earlier run/);
    expect(await listNames(client, S, 'p.bin/')).toHaveLength(40);
    await m.dispose();
  });

  it('brings unfinished transfers back as interrupted after a restart, and resumes them', async () => {
    const f = await randomFile(dir, 'r.bin', 30 * 8 * KiB);
    const first = manager();
    // A path-backed source: what a restarted host can reopen.
    const src = await slowSource(f.path, 15);
    Object.defineProperty(src, 'path', { value: f.path });
    const up = await first.m.upload(src, { container: C, object: 'r.bin', segmentSize: 8 * KiB, concurrency: 2 });
    await first.until(up.id, (i) => (i.segments.match(/v/g)?.length ?? 0) >= 4);
    await first.m.dispose(); // host shutting down mid-upload
    const saved = JSON.parse(await readFile(join(dataDir, 'transfers.json'), 'utf8')) as unknown[];
    expect(saved).toHaveLength(1);

    const second = manager();
    const back = second.m.list().find((t) => t.id === up.id)!;
    expect(back.state).toBe('interrupted');
    await second.m.resume(up.id);
    const done = await second.until(up.id, (i) => i.state === 'done' || i.state === 'failed');
    expect(done.state).toBe('done');
    expect(done.result!.message).toMatch(/already stored/);
    expect((await headObject(client, C, 'r.bin')).size).toBe(30 * 8 * KiB);
    await second.m.dispose();
    expect(JSON.parse(await readFile(join(dataDir, 'transfers.json'), 'utf8'))).toEqual([]);
  });

  it('says what to do when a browser-held file cannot come back after a restart', async () => {
    const f = await randomFile(dir, 'b.bin', 20 * 8 * KiB);
    const first = manager();
    const inner = await slowSource(f.path, 15);
    const browserLike: ByteSource = { size: inner.size, name: 'b.bin', identity: `browser:b.bin:${inner.size}:1700000000000`, read: (s, e, sig) => inner.read(s, e, sig), checkUnchanged: async () => {} };
    const up = await first.m.upload(browserLike, { container: C, object: 'b.bin', segmentSize: 8 * KiB, concurrency: 2 });
    await first.until(up.id, (i) => (i.segments.match(/v/g)?.length ?? 0) >= 2);
    await first.m.dispose();
    const second = manager();
    const back = second.m.list().find((t) => t.id === up.id)!;
    expect(back.state).toBe('interrupted');
    expect(back.error?.message).toMatch(/drop it again/);
    await expect(second.m.resume(up.id)).rejects.toMatchObject({ kind: 'invalid', message: expect.stringMatching(/drop it again/) });
    // Cancelling it removes the segments it had stored.
    await second.m.cancel(up.id);
    expect(await storedNames(client, S, 'b.bin/')).toEqual([]);
    expect(second.m.dismiss(up.id)).toBe(true);
    await second.m.dispose();
    await inner.close();
  });

  it('cancel of a running upload leaves no orphans', async () => {
    const f = await randomFile(dir, 'c.bin', 30 * 8 * KiB);
    const { m, until } = manager();
    const up = await m.upload(await slowSource(f.path, 15), { container: C, object: 'c.bin', segmentSize: 8 * KiB, concurrency: 2 });
    await until(up.id, (i) => (i.segments.match(/v/g)?.length ?? 0) >= 3);
    const c = await m.cancel(up.id);
    expect(c.state).toBe('cancelled');
    expect(await storedNames(client, S, 'c.bin/')).toEqual([]);
    await m.dispose();
  });

  it('streams a download to a browser sink when the browser fetches it', async () => {
    const f = await randomFile(dir, 's.bin', 10 * 8 * KiB + 3);
    const { m, until } = manager();
    const up = await m.upload(await openFileSource(f.path), { container: C, object: 's.bin', segmentSize: 8 * KiB });
    await until(up.id, (i) => i.state === 'done');
    let writer: ((sink: NodeJS.WritableStream, signal: AbortSignal) => Promise<void>) | undefined;
    let announced = -1;
    const dl = await m.downloadToSink({
      container: C,
      object: 's.bin',
      serve: (id, meta, write) => {
        writer = write;
        announced = meta.size;
        return `/token/download/${id}`;
      },
    });
    expect(dl.state).toBe('queued');
    expect(dl.downloadUrl).toBe(`/token/download/${dl.id}`);
    expect(announced).toBe(10 * 8 * KiB + 3);
    const sink = new PassThrough();
    const h = createHash('md5');
    sink.on('data', (c: Buffer) => h.update(c));
    await writer!(sink, new AbortController().signal);
    expect(h.digest('hex')).toBe(f.md5);
    const done = await until(dl.id, (i) => i.state === 'done');
    expect(done.result!.verified).toBe(true);
    await expect(m.pause(dl.id)).rejects.toMatchObject({ kind: 'invalid' });
    await m.dispose();
    expect(existsSync(join(dataDir, 'transfers.json'))).toBe(true);
  });
});
