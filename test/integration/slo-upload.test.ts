// The upload engine against a real Swift: single objects and SLOs at the edges of the segment size, many segments,
// nested manifests past max_manifest_segments, unicode names, resume after an interruption, cancel without orphans,
// overwrite cleanup, a source that changes mid-upload, and Swift refusing a manifest.
import { createHash } from 'node:crypto';
import { appendFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ByteSource } from '../../app/domain/transfer.ts';
import { putManifest } from '../../app/slo/manifest-put.ts';
import { resolveObject } from '../../app/slo/resolve.ts';
import { createContainer, headObject, putObject } from '../../app/swift/objects.ts';
import { downloadObject } from '../../app/transfer/download.ts';
import { openFileSource, type FileSource } from '../../app/transfer/file-source.ts';
import { PAUSE, uploadObject, type UploadOptions } from '../../app/transfer/upload.ts';
import { KiB, md5File, randomFile } from '../helpers/files.ts';
import { listNames, removeContainers, sandboxClient, storedNames } from '../helpers/swift.ts';

const client = sandboxClient();
const rnd = Math.random().toString(36).slice(2, 8);
const C = `t-upload-${rnd}`;
const S = `${C}_segments`;
const U = `t-upload-ünï-${rnd}`;
let dir = '';
let journalDir = '';
const opened: FileSource[] = [];

async function source(path: string): Promise<FileSource> {
  const s = await openFileSource(path);
  opened.push(s);
  return s;
}

/** Downloads and returns the MD5 of what arrived (and the result). */
async function roundTrip(container: string, object: string) {
  const dest = join(dir, `dl-${Math.random().toString(36).slice(2)}`);
  const r = await downloadObject(client, { container, object }, dest, { concurrency: 8 });
  return { ...r, md5: await md5File(dest) };
}

/** Wraps a source: counts and optionally slows reads, and runs a hook when a read starts. */
function watched(inner: ByteSource, o: { delayMs?: number; onReadStart?: (start: number) => void } = {}) {
  const started: number[] = [];
  const finished: number[] = [];
  const src: ByteSource = {
    size: inner.size,
    identity: inner.identity,
    name: inner.name,
    checkUnchanged: () => inner.checkUnchanged(),
    async *read(start, end, signal) {
      started.push(start);
      o.onReadStart?.(start);
      if (o.delayMs) await new Promise((r) => setTimeout(r, o.delayMs));
      yield* inner.read(start, end, signal);
      finished.push(start);
    },
  };
  Object.assign(src, { mtime: (inner as FileSource).mtime });
  return { src, started, finished };
}

const opts = (extra: UploadOptions = {}): UploadOptions => ({ journalDir, ...extra });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slo-upload-'));
  journalDir = join(dir, 'journals');
  for (const c of [C, S]) await createContainer(client, c);
});

afterAll(async () => {
  for (const s of opened) await s.close();
  await removeContainers(client, C, S, U, `${U}_segments`);
  await client.close();
  await rm(dir, { recursive: true, force: true });
});

describe('sizes at the edges', () => {
  const seg = 64 * KiB;
  it.each([
    ['empty', 0, false],
    ['one byte', 1, false],
    ['exactly one segment', seg, false],
    ['one segment and a byte', seg + 1, true],
  ])('%s', async (label, size, segmented) => {
    const f = await randomFile(dir, `edge-${size}`, size);
    const r = await uploadObject(client, await source(f.path), { container: C, object: `edge/${size}` }, opts({ segmentSize: seg }));
    expect(r.size).toBe(size);
    expect(r.plan.single).toBe(!segmented);
    const head = await headObject(client, C, `edge/${size}`);
    expect(head.kind).toBe(segmented ? 'slo' : 'plain');
    expect(head.size).toBe(size);
    expect(head.metadata['mtime']).toMatch(/^\d+\.\d{6}$/);
    if (!segmented) expect(r.etag).toBe(f.md5);
    else expect(r.segments).toBe(2);
    const d = await roundTrip(C, `edge/${size}`);
    expect(d.md5, label).toBe(f.md5);
    expect(d.verified).toBe(true);
  });
});

describe('an SLO asked for a file under the segment size', () => {
  it('is one segment as large as the file (default segment size), or several of a chosen smaller size', async () => {
    const f = await randomFile(dir, 'small-as-slo', 100 * KiB);
    const one = await uploadObject(client, await source(f.path), { container: C, object: 'as-slo/one' }, opts({ asSlo: true }));
    expect(one.plan).toMatchObject({ single: false, segmentCount: 1, segmentSize: 100 * KiB });
    expect((await headObject(client, C, 'as-slo/one')).kind).toBe('slo');
    const three = await uploadObject(client, await source(f.path), { container: C, object: 'as-slo/three' }, opts({ asSlo: true, segmentSize: 40 * KiB }));
    expect(three.segments).toBe(3);
    for (const o of ['as-slo/one', 'as-slo/three']) {
      const d = await roundTrip(C, o);
      expect(d.md5, o).toBe(f.md5);
      expect(d.verified).toBe(true);
    }
  });

  it('still sends an empty file as one ordinary object', async () => {
    const f = await randomFile(dir, 'empty-as-slo', 0);
    const r = await uploadObject(client, await source(f.path), { container: C, object: 'as-slo/empty' }, opts({ asSlo: true }));
    expect(r.plan.single).toBe(true);
    expect((await headObject(client, C, 'as-slo/empty')).kind).toBe('plain');
  });
});

describe('segmented uploads', () => {
  it('uploads 37 segments with swiftclient-style names, in parallel, verified', async () => {
    const f = await randomFile(dir, 'many', 37 * 64 * KiB - 1000);
    const src = await source(f.path);
    const seen: string[] = [];
    const r = await uploadObject(client, src, { container: C, object: 'many.bin' }, opts({ segmentSize: 64 * KiB, concurrency: 6, onProgress: (p) => seen.push(p.segments) }));
    expect(r.segments).toBe(37);
    expect(r.resentBytes).toBe(0);
    expect(r.manifest!.prefix).toBe(`many.bin/slo/${src.mtime}/${f.path ? 37 * 64 * KiB - 1000 : 0}/${64 * KiB}`);
    const segs = await listNames(client, S, 'many.bin/');
    expect(segs).toHaveLength(37);
    expect(segs[0]).toBe(`${r.manifest!.prefix}/00000000`);
    expect(segs[36]).toBe(`${r.manifest!.prefix}/00000036`);
    expect(seen[seen.length - 1]).toBe('v'.repeat(37));
    expect(seen.some((s) => s.includes('s'))).toBe(true);
    const resolved = await resolveObject(client, C, 'many.bin');
    expect(resolved.kind).toBe('slo');
    expect(resolved.etag).toBe(r.etag);
    expect((await roundTrip(C, 'many.bin')).md5).toBe(f.md5);
    // The journal is gone after success.
    expect((await readdir(journalDir).catch(() => [])).filter((n) => n.startsWith('upload-'))).toEqual([]);
  });

  it('also works when each segment is hashed before it is sent (Etag header)', async () => {
    const f = await randomFile(dir, 'pre', 5 * 10 * KiB + 3);
    const r = await uploadObject(client, await source(f.path), { container: C, object: 'pre.bin' }, opts({ segmentSize: 10 * KiB, verifyBeforeSend: true }));
    expect(r.segments).toBe(6);
    expect((await roundTrip(C, 'pre.bin')).md5).toBe(f.md5);
  });

  it('nests sub-manifests past max_manifest_segments (1,100 one-byte segments)', async () => {
    const f = await randomFile(dir, 'nested', 1100);
    const r = await uploadObject(client, await source(f.path), { container: C, object: 'nested.bin' }, opts({ segmentSize: 1, concurrency: 16 }));
    expect(r.segments).toBe(1100);
    expect(r.manifest!.subManifests).toHaveLength(2);
    const resolved = await resolveObject(client, C, 'nested.bin');
    expect(resolved.depth).toBe(2);
    expect(resolved.segments).toHaveLength(1100);
    expect(resolved.size).toBe(1100);
    const d = await roundTrip(C, 'nested.bin');
    expect(d.md5).toBe(f.md5);
    expect(d.verified).toBe(true);
  });

  it('handles unicode and URL-special characters in container and object names', async () => {
    const f = await randomFile(dir, 'uni', 3 * 8 * KiB);
    const object = 'földer/文件 #1 ?&%+.bin';
    const r = await uploadObject(client, await source(f.path), { container: U, object }, opts({ segmentSize: 8 * KiB }));
    expect(r.segments).toBe(3);
    expect(await listNames(client, `${U}_segments`)).toHaveLength(3);
    expect((await roundTrip(U, object)).md5).toBe(f.md5);
  });
});

describe('interruptions', () => {
  it('resumes an interrupted upload, re-sending at most the segments in flight', async () => {
    const f = await randomFile(dir, 'resume', 20 * 16 * KiB);
    const concurrency = 3;
    const ctrl = new AbortController();
    const run1 = watched(await source(f.path), {
      delayMs: 10,
      onReadStart: () => {
        if (run1.finished.length >= 6 && !ctrl.signal.aborted) ctrl.abort(PAUSE);
      },
    });
    await expect(
      uploadObject(client, run1.src, { container: C, object: 'resume.bin' }, opts({ segmentSize: 16 * KiB, concurrency, signal: ctrl.signal })),
    ).rejects.toMatchObject({ kind: 'cancelled', message: expect.stringMatching(/paused/) });
    const stored = await listNames(client, S, 'resume.bin/');
    expect(stored.length).toBeGreaterThanOrEqual(4);
    expect(stored.length).toBeLessThan(20);

    const run2 = watched(await source(f.path));
    const mark = client.transcript.list().at(-1)?.id ?? 0;
    const r = await uploadObject(client, run2.src, { container: C, object: 'resume.bin' }, opts({ segmentSize: 16 * KiB, concurrency }));
    const seg = 16 * KiB;
    // What run 2 sent: segment PUTs in the transcript (run 2 also reads stored segments locally to check their MD5).
    const sentOffsets = client.transcript.list(mark)
      .filter((t) => t.method === 'PUT' && t.status === 201 && /\/resume\.bin\/slo\/.*\/\d{8}$/.test(t.url))
      .map((t) => Number(t.url.slice(-8)) * seg);
    const resent = sentOffsets.filter((s) => run1.started.includes(s)).length;
    expect(resent).toBeLessThanOrEqual(concurrency + 1);
    expect(r.skippedSegments).toBeGreaterThanOrEqual(run1.finished.length - concurrency);
    expect(r.skippedSegments).toBeGreaterThanOrEqual(stored.length);
    expect(r.skippedSegments + sentOffsets.length).toBe(20);
    expect(new Set([...sentOffsets, ...run1.started]).size).toBe(20);
    expect(run2.started.every((s) => s % seg === 0)).toBe(true);
    expect((await roundTrip(C, 'resume.bin')).md5).toBe(f.md5);
  });

  it('cancel leaves no orphans', async () => {
    const f = await randomFile(dir, 'cancel', 30 * 8 * KiB);
    const ctrl = new AbortController();
    const w = watched(await source(f.path), {
      delayMs: 5,
      onReadStart: () => {
        if (w.finished.length >= 5) ctrl.abort();
      },
    });
    await expect(uploadObject(client, w.src, { container: C, object: 'cancel.bin' }, opts({ segmentSize: 8 * KiB, signal: ctrl.signal }))).rejects.toMatchObject({
      kind: 'cancelled',
      message: expect.stringMatching(/cancelled and the segments it had stored were deleted/),
    });
    expect(await storedNames(client, S, 'cancel.bin/')).toEqual([]);
    await expect(headObject(client, C, 'cancel.bin')).rejects.toMatchObject({ kind: 'not-found' });
    expect((await readdir(journalDir).catch(() => [])).filter((n) => n.startsWith('upload-'))).toEqual([]);
  });

  it('a different file to the same name starts over and removes the half-uploaded segments', async () => {
    const a = await randomFile(dir, 'half-a', 10 * 8 * KiB);
    const ctrl = new AbortController();
    const w = watched(await source(a.path), {
      onReadStart: () => {
        if (w.finished.length >= 3) ctrl.abort(PAUSE);
      },
    });
    await expect(uploadObject(client, w.src, { container: C, object: 'half.bin' }, opts({ segmentSize: 8 * KiB, concurrency: 2, signal: ctrl.signal }))).rejects.toMatchObject({ kind: 'cancelled' });
    const before = await listNames(client, S, 'half.bin/');
    expect(before.length).toBeGreaterThan(0);
    const b = await randomFile(dir, 'half-b', 4 * 8 * KiB + 1);
    const r = await uploadObject(client, await source(b.path), { container: C, object: 'half.bin' }, opts({ segmentSize: 8 * KiB }));
    expect(r.skippedSegments).toBe(0);
    const after = await storedNames(client, S, 'half.bin/');
    expect(after).toHaveLength(5);
    expect(after.every((n) => n.startsWith(r.manifest!.prefix + '/'))).toBe(true);
    expect((await roundTrip(C, 'half.bin')).md5).toBe(b.md5);
  });

  it('refuses to commit when the file changes during the upload, and deletes what it stored', async () => {
    const f = await randomFile(dir, 'changing', 6 * 8 * KiB);
    let touched = false;
    const w = watched(await source(f.path), {
      onReadStart: () => {
        if (!touched) {
          touched = true;
          void appendFile(f.path, 'more');
        }
      },
      delayMs: 5,
    });
    await expect(uploadObject(client, w.src, { container: C, object: 'changing.bin' }, opts({ segmentSize: 8 * KiB }))).rejects.toMatchObject({
      kind: 'io',
      message: expect.stringMatching(/changed while it was being uploaded .*nothing was committed/),
    });
    expect(await storedNames(client, S, 'changing.bin/')).toEqual([]);
    await expect(headObject(client, C, 'changing.bin')).rejects.toMatchObject({ kind: 'not-found' });
  });
  it('a single-object upload whose file changes is removed again, not left half old, half new', async () => {
    const f = await randomFile(dir, 'changing-single', 100 * KiB);
    const w = watched(await source(f.path), { onReadStart: () => void appendFile(f.path, 'more'), delayMs: 20 });
    await expect(uploadObject(client, w.src, { container: C, object: 'changing-single.bin' }, opts())).rejects.toMatchObject({
      kind: 'io',
      message: expect.stringMatching(/changed while it was being uploaded/),
    });
    await expect(headObject(client, C, 'changing-single.bin')).rejects.toMatchObject({ kind: 'not-found' });
  });
});

describe('overwrite', () => {
  it('deletes the old segments the new manifest does not use', async () => {
    const a = await randomFile(dir, 'ow-a', 10 * 8 * KiB);
    const r1 = await uploadObject(client, await source(a.path), { container: C, object: 'ow.bin' }, opts({ segmentSize: 8 * KiB }));
    expect(await listNames(client, S, 'ow.bin/')).toHaveLength(10);
    const b = await randomFile(dir, 'ow-b', 3 * 16 * KiB);
    const r2 = await uploadObject(client, await source(b.path), { container: C, object: 'ow.bin' }, opts({ segmentSize: 16 * KiB }));
    expect(r2.oldSegmentsDeleted).toBe(10);
    const left = await storedNames(client, S, 'ow.bin/');
    expect(left).toHaveLength(3);
    expect(left.every((n) => n.startsWith(r2.manifest!.prefix))).toBe(true);
    expect(r1.manifest!.prefix).not.toBe(r2.manifest!.prefix);
    expect((await roundTrip(C, 'ow.bin')).md5).toBe(b.md5);

    // Re-uploading the very same file keeps the shared segments; a small replacement removes them all.
    const r3 = await uploadObject(client, await source(b.path), { container: C, object: 'ow.bin' }, opts({ segmentSize: 16 * KiB }));
    expect(r3.oldSegmentsDeleted).toBe(0);
    expect(await storedNames(client, S, 'ow.bin/')).toHaveLength(3);
    const small = await randomFile(dir, 'ow-small', 100);
    const r4 = await uploadObject(client, await source(small.path), { container: C, object: 'ow.bin' }, opts({ segmentSize: 16 * KiB }));
    expect(r4.plan.single).toBe(true);
    expect(r4.oldSegmentsDeleted).toBe(3);
    expect(await storedNames(client, S, 'ow.bin/')).toEqual([]);
    expect((await headObject(client, C, 'ow.bin')).kind).toBe('plain');
  });

  it('keeps the old segments with leaveSegments', async () => {
    const a = await randomFile(dir, 'keep-a', 3 * 8 * KiB);
    await uploadObject(client, await source(a.path), { container: C, object: 'keep.bin' }, opts({ segmentSize: 8 * KiB }));
    const b = await randomFile(dir, 'keep-b', 2 * 8 * KiB);
    const r = await uploadObject(client, await source(b.path), { container: C, object: 'keep.bin' }, opts({ segmentSize: 8 * KiB, leaveSegments: true }));
    expect(r.oldSegmentsDeleted).toBe(0);
    expect(await listNames(client, S, 'keep.bin/')).toHaveLength(5);
  });
});

describe('manifest PUT', () => {
  it('reports which entry Swift refused, with the reason', async () => {
    await putObject(client, S, 'mp/1', { body: 'hello' });
    const entries = [
      { path: `/${S}/mp/1`, etag: '0'.repeat(32), size_bytes: 5 },
      { path: `/${S}/mp/missing`, etag: null, size_bytes: null },
    ];
    await expect(putManifest(client, C, 'mp.bin', entries)).rejects.toMatchObject({
      kind: 'precondition',
      message: `Swift refused the manifest for ${C}/mp.bin (400 Bad Request): entry 1 (/${S}/mp/1): Etag Mismatch; entry 2 (/${S}/mp/missing): 404 Not Found.`,
    });
    await expect(putManifest(client, C, 'mp.bin', [{ path: `/${S}/mp/1`, 'size bytes': 5 } as never])).rejects.toMatchObject({
      kind: 'invalid',
      message: expect.stringMatching(/entry 1: extraneous keys "size bytes"/),
    });
    const ok = await putManifest(client, C, 'mp.bin', [{ path: `/${S}/mp/1`, etag: null, size_bytes: null }]);
    expect(ok.status).toBe(201);
    expect(ok.etag).toBe(createHash('md5').update(createHash('md5').update('hello').digest('hex')).digest('hex'));
  });
});
