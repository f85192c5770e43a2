// Interoperability with python-swiftclient's `swift` CLI, both ways: what we upload it downloads byte for byte and
// deletes completely; what it uploads (--use-slo, and a DLO) we resolve and download verified.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveObject } from '../../app/slo/resolve.ts';
import { headObject } from '../../app/swift/objects.ts';
import { downloadObject } from '../../app/transfer/download.ts';
import { openFileSource } from '../../app/transfer/file-source.ts';
import { uploadObject } from '../../app/transfer/upload.ts';
import { KiB, md5File, randomFile } from '../helpers/files.ts';
import { listNames, removeContainers, sandboxClient, storedNames, swiftEnv } from '../helpers/swift.ts';

const run = promisify(execFile);
const client = sandboxClient();
const rnd = Math.random().toString(36).slice(2, 8);
const C = `t-interop-${rnd}`;
const S = `${C}_segments`;
let dir = '';

function swift(...args: string[]) {
  return run('swift', args, { cwd: dir, env: swiftEnv(), maxBuffer: 16 * 1024 * 1024 });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'interop-'));
});

afterAll(async () => {
  await removeContainers(client, C, S);
  await client.close();
  await rm(dir, { recursive: true, force: true });
});

describe('our uploads, read by python-swiftclient', () => {
  it('swift download gets identical bytes and swift delete removes every segment', async () => {
    const f = await randomFile(dir, 'ours.bin', 9 * 64 * KiB + 123);
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
    expect(await storedNames(client, S, 'dir/ours.bin/')).toEqual([]);
    await expect(headObject(client, C, 'dir/ours.bin')).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('swift delete also removes nested sub-manifests and their segments', async () => {
    const f = await randomFile(dir, 'nested.bin', 1050);
    const src = await openFileSource(f.path);
    const r = await uploadObject(client, src, { container: C, object: 'nested.bin' }, { segmentSize: 1, concurrency: 16, journalDir: join(dir, 'j') });
    await src.close();
    expect(r.manifest!.subManifests).toHaveLength(2);
    const out = join(dir, 'nested-by-swift.bin');
    await swift('download', C, 'nested.bin', '-o', out);
    expect(await md5File(out)).toBe(f.md5);
    const del = await swift('delete', C, 'nested.bin');
    expect(await storedNames(client, S, 'nested.bin/'), `${del.stdout}\n${del.stderr}`).toEqual([]);
  });
});

describe('python-swiftclient uploads, read by us', () => {
  it('swift upload --use-slo: we resolve and download it verified', async () => {
    const f = await randomFile(dir, 'theirs.bin', 7 * 50 * KiB + 9);
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
    const f = await randomFile(dir, 'swap.bin', 4 * 20 * KiB);
    await swift('upload', '--use-slo', '--segment-size', String(20 * KiB), '--object-name', 'swap.bin', C, f.path);
    expect(await listNames(client, S, 'swap.bin/')).toHaveLength(4);
    const g = await randomFile(dir, 'swap2.bin', 3 * 30 * KiB);
    const src = await openFileSource(g.path);
    const r = await uploadObject(client, src, { container: C, object: 'swap.bin' }, { segmentSize: 30 * KiB, journalDir: join(dir, 'j') });
    await src.close();
    expect(r.oldSegmentsDeleted).toBe(4);
    const left = await storedNames(client, S, 'swap.bin/');
    expect(left).toHaveLength(3);
    const out = join(dir, 'swap-by-swift.bin');
    await swift('download', C, 'swap.bin', '-o', out);
    expect(await md5File(out)).toBe(g.md5);
  });

  it('swift upload without --use-slo (a DLO): we download it verified', async () => {
    const f = await randomFile(dir, 'dlo.bin', 5 * 10 * KiB + 1);
    await swift('upload', '--segment-size', String(10 * KiB), '--object-name', 'dlo.bin', C, f.path);
    const out = join(dir, 'dlo-by-us.bin');
    const r = await downloadObject(client, { container: C, object: 'dlo.bin' }, out);
    expect(r.kind).toBe('dlo');
    expect(r.verified).toBe(true);
    expect(await md5File(out)).toBe(f.md5);
  });
});
