// The download engine against a real Swift: verified SLO downloads (flat, ranged + inline data), plain and DLO
// objects, a corrupted segment (no file under the final name, then a resume once it is fixed), pause + resume, an
// unwritable destination, and in-order streaming into a writable (browser mode) that fails loudly on corruption.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { md5Hex, sloEtag } from '../../app/slo/etag.ts';
import { putManifest } from '../../app/slo/manifest-put.ts';
import { createContainer, getObject, putObject } from '../../app/swift/objects.ts';
import { downloadObject, partialPathFor, streamObjectVerified } from '../../app/transfer/download.ts';
import { openFileSource, type FileSource } from '../../app/transfer/file-source.ts';
import { PAUSE, uploadObject } from '../../app/transfer/upload.ts';
import { KiB, md5File, randomFile } from '../helpers/files.ts';
import { removeContainers, sandboxClient } from '../helpers/swift.ts';

const client = sandboxClient();
const rnd = Math.random().toString(36).slice(2, 8);
const C = `t-download-${rnd}`;
const S = `${C}_segments`;
let dir = '';
const opened: FileSource[] = [];

async function upload(name: string, size: number, segmentSize: number) {
  const f = await randomFile(dir, name, size);
  const src = await openFileSource(f.path);
  opened.push(src);
  const r = await uploadObject(client, src, { container: C, object: name }, { segmentSize, journalDir: join(dir, 'journals') });
  return { ...f, ...r };
}

const dest = (name: string) => join(dir, `out-${name}-${Math.random().toString(36).slice(2, 6)}`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slo-download-'));
  for (const c of [C, S]) await createContainer(client, c);
});

afterAll(async () => {
  for (const s of opened) await s.close();
  await removeContainers(client, C, S);
  await client.close();
  await rm(dir, { recursive: true, force: true });
});

describe('SLO downloads', () => {
  it('downloads segments in parallel, verifies each, and leaves no partial files', async () => {
    const u = await upload('flat.bin', 23 * 32 * KiB + 11, 32 * KiB);
    const out = dest('flat');
    const states: string[] = [];
    const r = await downloadObject(client, { container: C, object: 'flat.bin' }, out, { concurrency: 6, onProgress: (p) => states.push(p.segments) });
    expect(r).toMatchObject({ kind: 'slo', verified: true, etag: u.etag, size: 23 * 32 * KiB + 11, skippedSegments: 0 });
    expect(r.message).toMatch(/All 24 segments matched the MD5 in the manifest; the SLO ETag adds up/);
    expect(await md5File(out)).toBe(u.md5);
    expect(existsSync(partialPathFor(out))).toBe(false);
    expect(existsSync(partialPathFor(out) + '.json')).toBe(false);
    expect(states[states.length - 1]).toBe('v'.repeat(24));
  });

  it('assembles ranged entries and inline data exactly as Swift serves them', async () => {
    const a = randomBytes(5000);
    const b = randomBytes(3000);
    const ea = (await putObject(client, S, 'mix/a', { body: a })).etag;
    const eb = (await putObject(client, S, 'mix/b', { body: b })).etag;
    const data = Buffer.from('inline bytes between segments');
    const entries = [
      { path: `/${S}/mix/a`, etag: ea, size_bytes: 5000, range: '100-2099' },
      { data: data.toString('base64') },
      { path: `/${S}/mix/b`, etag: eb, size_bytes: 3000 },
      { path: `/${S}/mix/a`, etag: ea, size_bytes: 5000 },
    ];
    const m = await putManifest(client, C, 'mix.bin', entries);
    expect(m.etag).toBe(sloEtag([{ etag: ea, range: '100-2099' }, { etag: md5Hex(data) }, { etag: eb }, { etag: ea }]));
    const expected = Buffer.concat([a.subarray(100, 2100), data, b, a]);
    const served = Buffer.from(await (await getObject(client, C, 'mix.bin')).body.arrayBuffer());
    expect(served.equals(expected)).toBe(true);

    const out = dest('mix');
    const r = await downloadObject(client, { container: C, object: 'mix.bin' }, out);
    expect((await readFile(out)).equals(expected)).toBe(true);
    // The ranged run can only be checked by length and segment ETag, and the result says so.
    expect(r.verified).toBe(false);
    expect(r.message).toMatch(/3 of 4 segments matched their MD5; 1 ranged segment run was checked by length and segment ETag only; the SLO ETag adds up/);

    const sink = new PassThrough();
    const parts: Buffer[] = [];
    sink.on('data', (c: Buffer) => parts.push(c));
    const s = await streamObjectVerified(client, { container: C, object: 'mix.bin' }, sink);
    expect(Buffer.concat(parts).equals(expected)).toBe(true);
    expect(s.verified).toBe(false);
  });

  it('detects a corrupted segment, never writes the final file, and resumes once it is fixed', async () => {
    const u = await upload('corrupt.bin', 8 * 16 * KiB, 16 * KiB);
    const victim = `${u.manifest!.prefix}/00000003`;
    const original = Buffer.from(await (await getObject(client, S, victim)).body.arrayBuffer());
    await putObject(client, S, victim, { body: randomBytes(original.length) });

    const out = dest('corrupt');
    await expect(downloadObject(client, { container: C, object: 'corrupt.bin' }, out, { concurrency: 2 })).rejects.toMatchObject({
      kind: 'integrity',
      message: expect.stringContaining(`segment 4 (${S}/${victim}) of ${C}/corrupt.bin is corrupt: its bytes have MD5`),
    });
    expect(existsSync(out)).toBe(false);
    expect(existsSync(partialPathFor(out))).toBe(true); // kept for a resume, under its own name

    // Streaming fails loudly too: the sink is destroyed with the error.
    const sink = new PassThrough();
    sink.resume();
    await expect(streamObjectVerified(client, { container: C, object: 'corrupt.bin' }, sink)).rejects.toMatchObject({ kind: 'integrity' });
    expect(sink.destroyed).toBe(true);

    await putObject(client, S, victim, { body: original });
    const r = await downloadObject(client, { container: C, object: 'corrupt.bin' }, out, { concurrency: 2 });
    expect(r.verified).toBe(true);
    expect(r.skippedSegments).toBeGreaterThanOrEqual(1);
    expect(await md5File(out)).toBe(u.md5);
    expect(existsSync(partialPathFor(out))).toBe(false);
  });

  it('pauses and resumes, fetching only the missing segments', async () => {
    const u = await upload('pause.bin', 120 * 4 * KiB, 4 * KiB);
    const out = dest('pause');
    const ctrl = new AbortController();
    await expect(
      downloadObject(client, { container: C, object: 'pause.bin' }, out, {
        concurrency: 1,
        signal: ctrl.signal,
        onProgress: (p) => {
          if ((p.segments.match(/v/g)?.length ?? 0) >= 10) ctrl.abort(PAUSE);
        },
      }),
    ).rejects.toMatchObject({ kind: 'cancelled', message: expect.stringMatching(/paused/) });
    expect(existsSync(partialPathFor(out))).toBe(true);
    const r = await downloadObject(client, { container: C, object: 'pause.bin' }, out, { concurrency: 4 });
    expect(r.skippedSegments).toBeGreaterThanOrEqual(9);
    expect(r.verified).toBe(true);
    expect(await md5File(out)).toBe(u.md5);
  });

  it('cancel removes the partial file', async () => {
    await upload('cancel.bin', 60 * 4 * KiB, 4 * KiB);
    const out = dest('cancel');
    const ctrl = new AbortController();
    await expect(
      downloadObject(client, { container: C, object: 'cancel.bin' }, out, {
        concurrency: 1,
        signal: ctrl.signal,
        onProgress: (p) => {
          if (p.bytesDone > 0) ctrl.abort();
        },
      }),
    ).rejects.toMatchObject({ kind: 'cancelled', message: expect.stringMatching(/partial file removed/) });
    expect(existsSync(out)).toBe(false);
    expect(existsSync(partialPathFor(out))).toBe(false);
  });

  it('streams an SLO in order with read-ahead', async () => {
    const u = await upload('stream.bin', 30 * 8 * KiB + 5, 8 * KiB);
    const sink = new PassThrough({ highWaterMark: 1024 });
    const h = createHash('md5');
    let n = 0;
    sink.on('data', (c: Buffer) => {
      h.update(c);
      n += c.length;
    });
    const r = await streamObjectVerified(client, { container: C, object: 'stream.bin' }, sink, { concurrency: 4 });
    expect(r.verified).toBe(true);
    expect(n).toBe(30 * 8 * KiB + 5);
    expect(h.digest('hex')).toBe(u.md5);
  });
});

describe('plain and DLO downloads', () => {
  it('verifies a plain object against its ETag, including an empty one', async () => {
    const body = randomBytes(300 * KiB);
    await putObject(client, C, 'plain.bin', { body });
    await putObject(client, C, 'empty.bin', { body: '' });
    const out = dest('plain');
    const r = await downloadObject(client, { container: C, object: 'plain.bin' }, out);
    expect(r).toMatchObject({ kind: 'plain', verified: true, etag: md5Hex(body) });
    expect((await readFile(out)).equals(body)).toBe(true);
    const e = dest('empty');
    expect(await downloadObject(client, { container: C, object: 'empty.bin' }, e)).toMatchObject({ verified: true, size: 0 });
    expect((await readFile(e)).length).toBe(0);
  });

  it('downloads a DLO segment by segment and checks its ETag', async () => {
    const parts = [randomBytes(7000), randomBytes(1), Buffer.alloc(0), randomBytes(9000)];
    for (const [i, p] of parts.entries()) await putObject(client, S, `dlo/part-${i}`, { body: p });
    await putObject(client, C, 'dlo.bin', { body: '', headers: { 'x-object-manifest': `${S}/dlo/part-` } });
    const out = dest('dlo');
    const r = await downloadObject(client, { container: C, object: 'dlo.bin' }, out);
    expect(r.kind).toBe('dlo');
    expect(r.verified).toBe(true);
    expect(r.message).toMatch(/the DLO ETag adds up/);
    expect((await readFile(out)).equals(Buffer.concat(parts))).toBe(true);
  });

  it('fails clearly when the destination cannot be written', async () => {
    await expect(downloadObject(client, { container: C, object: 'plain.bin' }, join(dir, 'no-such-dir', 'x.bin'))).rejects.toMatchObject({
      kind: 'io',
      message: expect.stringMatching(/Cannot write the download to .*no such file or directory/),
    });
    await writeFile(join(dir, 'a-file'), 'x');
    await expect(downloadObject(client, { container: C, object: 'plain.bin' }, join(dir, 'a-file', 'x.bin'))).rejects.toMatchObject({ kind: 'io' });
  });

  it('names a missing object', async () => {
    await expect(downloadObject(client, { container: C, object: 'nope.bin' }, dest('nope'))).rejects.toMatchObject({ kind: 'not-found' });
  });
});
