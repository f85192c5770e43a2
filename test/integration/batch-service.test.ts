// Folders through the one service (app/studio) against the real sandbox, as a host with local paths (Electron) uses
// it: a batch up as one transfer group, paused as a whole, the host gone without a goodbye (a crash) and a new one
// resuming the group from transfers.json and the journals; then the tree down into a directory, every file compared.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Profile } from '../../app/domain/auth.ts';
import type { TransferInfo } from '../../app/domain/transfer.ts';
import type { CallContext, HostPlatform } from '../../app/rpc/handlers.ts';
import { createHandlers, type StudioHandlers } from '../../app/studio/handlers.ts';
import { createContainer, headObject } from '../../app/swift/objects.ts';
import { KiB, md5, md5File, patternBytes } from '../helpers/files.ts';
import { removeContainers, sandboxClient, sandboxCreds, uniqueName } from '../helpers/swift.ts';
import { writeFile } from 'node:fs/promises';

const client = sandboxClient();
const C = uniqueName('batch');
const ctx: CallContext = { emit: () => undefined };
let work = '';
const handlers: StudioHandlers[] = [];

function platform(dataDir: string): HostPlatform {
  const secrets = new Map<string, string>();
  return {
    info: { mode: 'electron', version: 'test', platform: process.platform, nativeDialogs: true, secretStorage: 'memory' },
    dataDir,
    secrets: { get: async (k) => secrets.get(k), set: async (k, v) => void secrets.set(k, v), delete: async (k) => void secrets.delete(k) },
    hostPaths: true,
    broadcast() {},
  };
}

async function connected(dataDir: string): Promise<StudioHandlers> {
  const h = createHandlers(platform(dataDir));
  handlers.push(h);
  const s = sandboxCreds();
  await h['profiles.save']({ profile: Profile.parse({ id: 'p', name: 'sandbox', auth: { type: 'v1', authUrl: s.authUrl, user: s.user, key: s.key } }) }, ctx);
  await h['connection.open']({ profileId: 'p' }, ctx);
  return h;
}

async function until(h: StudioHandlers, group: string, pred: (ts: TransferInfo[]) => boolean, ms = 60_000): Promise<TransferInfo[]> {
  const end = Date.now() + ms;
  for (;;) {
    const ts = (await h['transfers.list']({}, ctx)).transfers.filter((t) => t.group === group);
    if (pred(ts)) return ts;
    if (Date.now() > end) throw new Error(`group ${group} never got there: ${JSON.stringify(ts.map((t) => [t.object, t.state, t.error?.message]))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const FILES = new Map<string, Buffer>([
  ...Array.from({ length: 12 }, (_, i) => [`tree/small/f${i}.txt`, patternBytes(100 + i, i + 1)] as [string, Buffer]),
  ['tree/big/large.bin', patternBytes(8 * 64 * KiB + 5, 77)],
  ['tree/ünï/ø.txt', Buffer.from('unicode')],
]);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'slo-batch-'));
  for (const [rel, data] of FILES) {
    await mkdir(dirname(join(work, 'src', rel)), { recursive: true });
    await writeFile(join(work, 'src', rel), data);
  }
  await createContainer(client, C);
});

afterAll(async () => {
  for (const h of handlers) await h.dispose().catch(() => undefined);
  await removeContainers(client, C, `${C}_segments`);
  await rm(work, { recursive: true, force: true });
});

describe('batch.upload / transfers.group / batch.download', () => {
  it('pauses a group, survives a crash of the host, resumes the group, and downloads the tree back verified', async () => {
    const dataDir = join(work, 'data');
    const h1 = await connected(dataDir);
    const { files } = await h1['files.expand']({ paths: [join(work, 'src', 'tree')] }, ctx);
    expect(files.map((f) => f.relPath).sort()).toEqual([...FILES.keys()].sort());
    const batch = files.map((f) => ({ relPath: f.relPath, size: f.size, source: { kind: 'path' as const, path: f.path } }));
    const plan = await h1['batch.plan']({ container: C, prefix: 'up/', files: batch, segmentSize: 64 * KiB }, ctx);
    expect(plan).toMatchObject({ count: 14, sloCount: 1, segmentSize: 64 * KiB, conflicts: [] });

    const r = await h1['batch.upload']({ container: C, prefix: 'up/', files: batch, label: 'tree/', segmentSize: 64 * KiB, concurrency: 1, ifExists: 'replace', decisions: {} }, ctx);
    expect(r.transfers).toHaveLength(14);
    expect(new Set(r.transfers.map((t) => t.group))).toEqual(new Set([r.group]));
    expect(r.transfers[0]!.groupLabel).toBe('tree/ (14 files)');
    const paused = await h1['transfers.group']({ group: r.group, action: 'pause' }, ctx);
    expect(paused.transfers.filter((t) => t.state !== 'done').every((t) => t.state === 'paused')).toBe(true);
    expect(paused.transfers.some((t) => t.state === 'paused')).toBe(true);

    // A crash: the first host simply stops being used; the next one finds the group in transfers.json — every member
    // the pause caught (a small file may have finished before it, on a slow machine: finished ones are not kept).
    const unfinished = paused.transfers.filter((t) => t.state !== 'done').length;
    const h2 = await connected(dataDir);
    const back = await until(h2, r.group, (ts) => ts.length === unfinished);
    expect(back.every((t) => t.state === 'interrupted')).toBe(true);
    await h2['transfers.group']({ group: r.group, action: 'resume' }, ctx);
    const done = await until(h2, r.group, (ts) => ts.length === unfinished && ts.every((t) => t.state === 'done'));
    expect(done.every((t) => t.result?.verified)).toBe(true);
    expect((await headObject(client, C, 'up/tree/big/large.bin')).kind).toBe('slo');

    // Again with every name existing: skip all but one, which is kept beside the old one.
    const again = await h2['batch.upload']({ container: C, prefix: 'up/', files: batch, label: 'tree/', ifExists: 'skip', decisions: { 'up/tree/ünï/ø.txt': 'keep-both' } }, ctx);
    expect(again.skipped).toHaveLength(13);
    expect(again.renamed).toEqual([{ from: 'up/tree/ünï/ø.txt', to: 'up/tree/ünï/ø (2).txt' }]);
    await until(h2, again.group, (ts) => ts.every((t) => t.state === 'done'));

    const out = join(work, 'out');
    await mkdir(out);
    const down = await h2['batch.download']({ container: C, base: 'up/', prefixes: ['up/tree/'], objects: [], target: { kind: 'path', path: out } }, ctx);
    expect(down).toMatchObject({ count: 15, changed: [] });
    await until(h2, down.group, (ts) => ts.every((t) => t.state === 'done'));
    for (const [rel, data] of FILES) expect(await md5File(join(out, rel)), rel).toBe(md5(data));
    expect(await readFile(join(out, 'tree/ünï/ø (2).txt'), 'utf8')).toBe('unicode');
  }, 120_000);
});
