// Interoperability with python-swiftclient's `swift` CLI, both ways: what we upload it downloads byte for byte and
// deletes completely; what it uploads (--use-slo, and a DLO) we resolve and download verified.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deletePaths } from '../../app/slo/delete.ts';
import { resolveObject } from '../../app/slo/resolve.ts';
import { SwiftClient } from '../../app/swift/client.ts';
import { listObjects } from '../../app/swift/listing.ts';
import { deleteContainer, headObject } from '../../app/swift/objects.ts';
import { downloadObject } from '../../app/transfer/download.ts';
import { openFileSource } from '../../app/transfer/file-source.ts';
import { uploadObject } from '../../app/transfer/upload.ts';

const run = promisify(execFile);
const sb = inject('sandbox');
const client = new SwiftClient({ auth: { type: 'v1', authUrl: sb.authUrl, user: sb.user, key: sb.key } });
const rnd = Math.random().toString(36).slice(2, 8);
const C = `t-interop-${rnd}`;
const S = `${C}_segments`;
const KiB = 1024;
let dir = '';

function swift(...args: string[]) {
  return run('swift', args, { cwd: dir, env: { ...process.env, ST_AUTH: sb.authUrl, ST_USER: sb.user, ST_KEY: sb.key }, maxBuffer: 16 * 1024 * 1024 });
}

async function makeFile(name: string, size: number): Promise<{ path: string; md5: string }> {
  const path = join(dir, name);
  const out = createWriteStream(path);
  const h = createHash('md5');
  for (let left = size; left > 0; ) {
    const chunk = randomBytes(Math.min(left, 1024 * KiB));
    h.update(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
    left -= chunk.length;
  }
  out.end();
  await once(out, 'finish');
  return { path, md5: h.digest('hex') };
}

async function md5File(path: string): Promise<string> {
  const h = createHash('md5');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return h.digest('hex');
}

async function names(container: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const e of listObjects(client, container, { prefix })) if (e.type === 'object') out.push(e.name);
  } catch {
    /* gone */
  }
  return out;
}

/** Listed names that really exist: after deletes, a busy Swift's listing can still show objects that are gone. */
async function stored(container: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const n of await names(container, prefix)) {
    if (await headObject(client, container, n).then(() => true, () => false)) out.push(n);
  }
  return out;
}

/** Deletes containers and everything in them; listings can lag behind deletes on a busy Swift, so retry on 409. */
async function removeAll(...containers: string[]): Promise<void> {
  for (const c of containers) {
    for (let i = 0; i < 10; i++) {
      await deletePaths(client, (await names(c)).map((n) => `${c}/${n}`));
      const e = await deleteContainer(client, c).then(() => null, (err: { kind?: string }) => err);
      if (!e || e.kind !== 'conflict') break;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'interop-'));
});

afterAll(async () => {
  await removeAll(C, S);
  await client.close();
  await rm(dir, { recursive: true, force: true });
});

describe('our uploads, read by python-swiftclient', () => {
  it('swift download gets identical bytes and swift delete removes every segment', async () => {
    const f = await makeFile('ours.bin', 9 * 64 * KiB + 123);
    const src = await openFileSource(f.path);
    const r = await uploadObject(client, src, { container: C, object: 'dir/ours.bin' }, { segmentSize: 64 * KiB, journalDir: join(dir, 'j') });
    await src.close();
    expect(r.segments).toBe(10);
    const out = join(dir, 'by-swift.bin');
    await swift('download', C, 'dir/ours.bin', '-o', out);
    expect(await md5File(out)).toBe(f.md5);
    // swiftclient recognises our segment naming: `swift stat` shows the same manifest mtime header it would write.
    const { stdout } = await swift('stat', C, 'dir/ours.bin');
    expect(stdout).toMatch(/Meta Mtime: \d+\.\d{6}/);
    expect(stdout).toMatch(/X-Static-Large-Object: True/i);

    await swift('delete', C, 'dir/ours.bin');
    expect(await stored(S, 'dir/ours.bin/')).toEqual([]);
    await expect(headObject(client, C, 'dir/ours.bin')).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('swift delete also removes nested sub-manifests and their segments', async () => {
    const f = await makeFile('nested.bin', 1050);
    const src = await openFileSource(f.path);
    const r = await uploadObject(client, src, { container: C, object: 'nested.bin' }, { segmentSize: 1, concurrency: 16, journalDir: join(dir, 'j') });
    await src.close();
    expect(r.manifest!.subManifests).toHaveLength(2);
    const out = join(dir, 'nested-by-swift.bin');
    await swift('download', C, 'nested.bin', '-o', out);
    expect(await md5File(out)).toBe(f.md5);
    const del = await swift('delete', C, 'nested.bin');
    expect(await stored(S, 'nested.bin/'), `${del.stdout}\n${del.stderr}`).toEqual([]);
  });
});

describe('python-swiftclient uploads, read by us', () => {
  it('swift upload --use-slo: we resolve and download it verified', async () => {
    const f = await makeFile('theirs.bin', 7 * 50 * KiB + 9);
    await swift('upload', '--use-slo', '--segment-size', String(50 * KiB), '--object-name', 'theirs.bin', C, f.path);
    const resolved = await resolveObject(client, C, 'theirs.bin');
    expect(resolved.kind).toBe('slo');
    expect(resolved.segments).toHaveLength(8);
    // Same naming scheme as ours: <object>/slo/<mtime>/<size>/<segment size>/<index>.
    expect(resolved.segments[0]!.path).toMatch(new RegExp(`^${S}/theirs\\.bin/slo/\\d+\\.\\d{6}/${7 * 50 * KiB + 9}/${50 * KiB}/00000000$`));
    const out = join(dir, 'theirs-by-us.bin');
    const r = await downloadObject(client, { container: C, object: 'theirs.bin' }, out);
    expect(r.verified).toBe(true);
    expect(await md5File(out)).toBe(f.md5);
  });

  it('re-uploading their SLO with our engine replaces it and removes their segments', async () => {
    const f = await makeFile('swap.bin', 4 * 20 * KiB);
    await swift('upload', '--use-slo', '--segment-size', String(20 * KiB), '--object-name', 'swap.bin', C, f.path);
    expect(await names(S, 'swap.bin/')).toHaveLength(4);
    const g = await makeFile('swap2.bin', 3 * 30 * KiB);
    const src = await openFileSource(g.path);
    const r = await uploadObject(client, src, { container: C, object: 'swap.bin' }, { segmentSize: 30 * KiB, journalDir: join(dir, 'j') });
    await src.close();
    expect(r.oldSegmentsDeleted).toBe(4);
    const left = await stored(S, 'swap.bin/');
    expect(left).toHaveLength(3);
    const out = join(dir, 'swap-by-swift.bin');
    await swift('download', C, 'swap.bin', '-o', out);
    expect(await md5File(out)).toBe(g.md5);
  });

  it('swift upload without --use-slo (a DLO): we download it verified', async () => {
    const f = await makeFile('dlo.bin', 5 * 10 * KiB + 1);
    await swift('upload', '--segment-size', String(10 * KiB), '--object-name', 'dlo.bin', C, f.path);
    const out = join(dir, 'dlo-by-us.bin');
    const r = await downloadObject(client, { container: C, object: 'dlo.bin' }, out);
    expect(r.kind).toBe('dlo');
    expect(r.verified).toBe(true);
    expect(await md5File(out)).toBe(f.md5);
  });
});
