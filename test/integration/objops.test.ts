// Metadata, temp URLs and server-side copies as contract calls (metadata.*, tempurl.*, objects.copy), decoded by
// dispatch and served by app/studio/objops.ts, against the real sandbox. Temp URLs are fetched with curl, no token.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallName, CallOutput, ErrorValue } from '../../app/rpc/contract.ts';
import { dispatch } from '../../app/rpc/dispatch.ts';
import type { Handlers } from '../../app/rpc/handlers.ts';
import { md5Hex } from '../../app/slo/etag.ts';
import { objOpsHandlers } from '../../app/studio/objops.ts';
import { listObjectsPage } from '../../app/swift/listing.ts';
import { createContainer, headObject, putObject, readObject } from '../../app/swift/objects.ts';
import { signTempUrl } from '../../app/swift/tempurl.ts';
import { removeContainers, sandboxClient, uniqueName } from '../helpers/swift.ts';

const run = promisify(execFile);
const client = sandboxClient();
const C = uniqueName('objops');
const D = uniqueName('objops-dest');
const S = `${C}_segments`;
const handlers = objOpsHandlers(() => client) as unknown as Handlers;
const SEG1 = 'a'.repeat(1000);
const SEG2 = 'b'.repeat(700);

async function call<K extends CallName>(method: K, params: unknown): Promise<CallOutput<K>> {
  const r = await dispatch(handlers, method, params, { emit: () => undefined });
  if (!r.ok) throw Object.assign(new Error(r.error.message), { value: r.error });
  return r.result as CallOutput<K>;
}
async function failure(method: CallName, params: unknown): Promise<ErrorValue> {
  const r = await dispatch(handlers, method, params, { emit: () => undefined });
  if (r.ok) throw new Error(`${method} succeeded`);
  return r.error;
}

async function putSlo(name: string, segPrefix: string): Promise<void> {
  await putObject(client, S, `${segPrefix}/1`, { body: SEG1, etag: md5Hex(SEG1) });
  await putObject(client, S, `${segPrefix}/2`, { body: SEG2, etag: md5Hex(SEG2) });
  const manifest = JSON.stringify([{ path: `/${S}/${segPrefix}/1` }, { path: `/${S}/${segPrefix}/2` }]);
  await client.request({ method: 'PUT', container: C, object: name, query: { 'multipart-manifest': 'put' }, headers: { 'x-object-meta-color': 'blue' }, body: manifest });
}

async function manifestPaths(container: string, object: string): Promise<string[]> {
  const { data } = await client.json<{ name: string }[]>({ method: 'GET', container, object, query: { 'multipart-manifest': 'get' } });
  return data.map((e) => e.name);
}

async function bytesOf(container: string, object: string): Promise<string> {
  return readObject(client, container, object, {}, async (res) => Buffer.from(await res.body.arrayBuffer()).toString());
}

beforeAll(async () => {
  await createContainer(client, C);
  await createContainer(client, D);
  await createContainer(client, S);
  await putSlo('big', 'big');
  await putObject(client, C, 'plain.txt', { body: 'hello', contentType: 'text/plain' });
});

afterAll(async () => {
  await removeContainers(client, C, D, S, `${D}_segments`);
  await client.close();
});

describe('metadata', () => {
  it('sets, removes and reads back object metadata, type, disposition and expiry in one POST', async () => {
    const at = Math.floor(Date.now() / 1000) + 86400;
    await call('metadata.set', { container: C, object: 'plain.txt', change: { set: { Owner: 'ana', Tier: 'gold' } } });
    const v = await call('metadata.set', {
      container: C,
      object: 'plain.txt',
      change: { set: { tier: 'silver' }, remove: ['owner'], contentType: 'text/markdown', contentDisposition: 'attachment; filename="x.md"', deleteAt: at },
    });
    expect(v.metadata).toEqual({ tier: 'silver' });
    const h = (await headObject(client, C, 'plain.txt')).headers;
    expect(h['x-object-meta-tier']).toBe('silver');
    expect(h['x-object-meta-owner']).toBeUndefined();
    expect(h['content-type']).toBe('text/markdown');
    expect(h['content-disposition']).toBe('attachment; filename="x.md"');
    expect(h['x-delete-at']).toBe(String(at));
    // A later edit of one name keeps the disposition and expiry (an object POST replaces everything not resent).
    await call('metadata.set', { container: C, object: 'plain.txt', change: { set: { tier: 'bronze' } } });
    const h2 = (await headObject(client, C, 'plain.txt')).headers;
    expect([h2['content-disposition'], h2['x-delete-at'], h2['x-object-meta-tier']]).toEqual(['attachment; filename="x.md"', String(at), 'bronze']);
    const cleared = await call('metadata.set', { container: C, object: 'plain.txt', change: { contentDisposition: null, deleteAt: null } });
    expect(cleared.deleteAt).toBeUndefined();
    expect(cleared.contentDisposition).toBeUndefined();
  });

  it("an SLO's POST says it changes the manifest, and a new content type keeps the listing's total size", async () => {
    const before = await call('metadata.get', { container: C, object: 'big' });
    expect(before.kind).toBe('slo');
    expect(before.note).toMatch(/manifest's metadata/);
    expect(before.metadata).toEqual({ color: 'blue' });
    await call('metadata.set', { container: C, object: 'big', change: { contentType: 'video/mp4', set: { shape: 'round' } } });
    const s = await headObject(client, C, 'big');
    expect([s.kind, s.contentType, s.size, s.metadata]).toEqual(['slo', 'video/mp4', 1700, { color: 'blue', shape: 'round' }]);
    const page = await listObjectsPage(client, C, { prefix: 'big', limit: 10 });
    const row = page.entries.find((e) => e.name === 'big');
    expect(row?.type === 'object' && row.bytes).toBe(1700);
    expect(await bytesOf(C, 'big')).toBe(SEG1 + SEG2);
  });

  it('UTF-8 metadata another tool wrote is shown as text and kept byte for byte by an edit', async () => {
    const wire = Buffer.from('café ☕', 'utf8').toString('latin1'); // how curl or swiftclient put UTF-8 on the wire
    await putObject(client, C, 'utf8.txt', { body: 'x', headers: { 'x-object-meta-name': wire } });
    expect((await call('metadata.get', { container: C, object: 'utf8.txt' })).metadata.name).toBe('café ☕');
    await call('metadata.set', { container: C, object: 'utf8.txt', change: { set: { other: '1' } } });
    expect((await headObject(client, C, 'utf8.txt')).headers['x-object-meta-name']).toBe(wire);
  });

  it('a DLO stays a DLO after a POST', async () => {
    await client.request({ method: 'PUT', container: C, object: 'dlo', headers: { 'x-object-manifest': `${S}/big/` }, body: '' });
    await call('metadata.set', { container: C, object: 'dlo', change: { set: { k: 'v' } } });
    const s = await headObject(client, C, 'dlo');
    expect([s.kind, s.size, s.metadata]).toEqual(['dlo', 1700, { k: 'v' }]);
    // Copied as its manifest: a DLO again, reading the same segments.
    const r = await call('objects.copy', { source: { container: C, object: 'dlo' }, target: { container: D, object: 'dlo-copy' } });
    const copy = await headObject(client, D, 'dlo-copy');
    expect([r.mode, copy.kind, copy.dloPrefix, copy.size]).toEqual(['manifest', 'dlo', `${S}/big/`, 1700]);
  });

  it('container metadata merges: set and remove', async () => {
    await call('metadata.set', { container: C, change: { set: { project: 'x', team: 'y' } } });
    const v = await call('metadata.set', { container: C, change: { remove: ['team'] } });
    expect(v.scope).toBe('container');
    expect(v.metadata).toEqual({ project: 'x' });
    expect(v.headers['x-container-object-count']).toBeDefined();
    // A container's temp-URL key is metadata too, and never shown in the clear.
    await call('tempurl.setKey', { container: C, slot: 2, key: 'container-secret-key' });
    const k = await call('metadata.get', { container: C });
    expect(k.metadata['temp-url-key-2']).toBe('<redacted>');
    expect(JSON.stringify(k)).not.toContain('container-secret-key');
    await call('tempurl.setKey', { container: C, slot: 2, key: null });
    expect((await call('tempurl.keys', { container: C })).container?.key2).toEqual({ set: false });
  });

  it('refuses names and values Swift would refuse, with sentences, before sending anything', async () => {
    const limits = (await call('metadata.get', { container: C, object: 'plain.txt' })).limits;
    expect(limits.maxValueLength).toBe(256);
    const posts = () => client.transcript.list().filter((r) => r.method === 'POST').length;
    const n = posts();
    const e1 = await failure('metadata.set', { container: C, object: 'plain.txt', change: { set: { my_key: 'v' } } });
    expect(e1.kind).toBe('invalid');
    expect(e1.message).toMatch(/underscore/);
    const e2 = await failure('metadata.set', { container: C, object: 'plain.txt', change: { set: { long: 'x'.repeat(limits.maxValueLength + 1) } } });
    expect(e2.message).toMatch(/at most 256/);
    const many = Object.fromEntries(Array.from({ length: limits.maxCount + 1 }, (_, i) => [`k${i}`, 'v']));
    expect((await failure('metadata.set', { container: C, object: 'plain.txt', change: { set: many } })).message).toMatch(/at most 90/);
    expect((await failure('metadata.set', { container: C, object: 'plain.txt', change: { deleteAt: 1000 } })).message).toMatch(/in the past/);
    expect(posts()).toBe(n);
  });
});

describe('temp URLs', () => {
  beforeAll(async () => {
    await call('tempurl.setKey', { slot: 1, key: 'objops-test-key-1' });
  });

  it('shows keys redacted unless revealed', async () => {
    const k = await call('tempurl.keys', { container: C });
    expect(k.account.key).toEqual({ set: true });
    expect(k.digests).toContain('sha256');
    expect((await call('tempurl.keys', { reveal: true })).account.key.value).toBe('objops-test-key-1');
  });

  it('a GET URL serves the whole SLO to curl without a token, byte for byte', async () => {
    const t = await call('tempurl.create', { container: C, object: 'big', method: 'GET', seconds: 300 });
    expect(t.digest).toBe('sha256');
    expect(t.kind).toBe('slo');
    const { stdout } = await run('curl', ['-sf', t.url]);
    expect(stdout).toBe(SEG1 + SEG2);
    // The transcript never holds the signature.
    expect(JSON.stringify(client.transcript.list())).not.toContain(new URL(t.url).searchParams.get('temp_url_sig')!);
  });

  it('a PUT URL uploads with curl; a wrong signature and a sha512 one are judged by Swift', async () => {
    const t = await call('tempurl.create', { container: C, object: 'via-url.txt', method: 'PUT', seconds: 300 });
    await run('curl', ['-sf', '-X', 'PUT', '--data-binary', 'sent by url', t.url]);
    expect(await bytesOf(C, 'via-url.txt')).toBe('sent by url');
    const bad = t.url.replace(/temp_url_sig=[0-9a-f]/, 'temp_url_sig=0');
    const { stdout: badStatus } = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', bad]);
    expect(badStatus).toBe('401');
    const expires = Math.floor(Date.now() / 1000) + 60;
    const u = new URL(t.url);
    const sig = signTempUrl({ method: 'GET', expires, path: decodeURIComponent(u.pathname), key: 'objops-test-key-1', digest: 'sha512' });
    const { stdout } = await run('curl', ['-sf', `${u.origin}${u.pathname}?temp_url_sig=${encodeURIComponent(sig)}&temp_url_expires=${expires}`]);
    expect(stdout).toBe('sent by url');
  });
});

describe('copy, rename, move', () => {
  it("copies an SLO's manifest: the same segment paths, and the copy survives the original's manifest", async () => {
    await putSlo('src', 'src');
    const r = await call('objects.copy', { source: { container: C, object: 'src' }, target: { container: D, object: 'copy' } });
    expect([r.mode, r.kind, r.size]).toEqual(['manifest', 'slo', 1700]);
    expect(await manifestPaths(D, 'copy')).toEqual(await manifestPaths(C, 'src'));
    expect((await headObject(client, D, 'copy')).metadata).toEqual({ color: 'blue' });
    await client.request({ method: 'DELETE', container: C, object: 'src' });
    expect(await bytesOf(D, 'copy')).toBe(SEG1 + SEG2);
  });

  it('renames: the new name reads the same segments, the old manifest is gone, the segments stay', async () => {
    await putSlo('old', 'ren');
    const r = await call('objects.copy', { source: { container: C, object: 'old' }, target: { container: C, object: 'new' }, move: true });
    expect(r.moved).toBe(true);
    expect(r.summary).toMatch(/segments stay/);
    expect((await failure('metadata.get', { container: C, object: 'old' })).kind).toBe('not-found');
    expect(await manifestPaths(C, 'new')).toEqual([`/${S}/ren/1`, `/${S}/ren/2`]);
    expect(await bytesOf(S, 'ren/1')).toBe(SEG1);
    expect(await bytesOf(C, 'new')).toBe(SEG1 + SEG2);
  });

  it('copies the data as one plain object when asked; refuses an existing target unless replacing', async () => {
    const r = await call('objects.copy', { source: { container: C, object: 'big' }, target: { container: D, object: 'flat' }, mode: 'data' });
    const s = await headObject(client, D, 'flat');
    expect([r.mode, s.kind, s.etag]).toEqual(['data', 'plain', md5Hex(SEG1 + SEG2)]);
    const e = await failure('objects.copy', { source: { container: C, object: 'plain.txt' }, target: { container: D, object: 'flat' } });
    expect(e.kind).toBe('conflict');
    await call('objects.copy', { source: { container: C, object: 'plain.txt' }, target: { container: D, object: 'flat' }, overwrite: true });
    expect(await bytesOf(D, 'flat')).toBe('hello');
    expect((await failure('objects.copy', { source: { container: C, object: 'big' }, target: { container: C, object: 'big' } })).kind).toBe('invalid');
    expect((await failure('objects.copy', { source: { container: C, object: 'big' }, target: { container: `${D}-missing`, object: 'x' } })).message).toMatch(/does not exist; create it first/);
  });

  it('copies an SLO with its segments: a new SLO with the same ETag that shares no segment', async () => {
    const r = await call('objects.copy', { source: { container: C, object: 'big' }, target: { container: D, object: 'deep' }, mode: 'segments' });
    const [src, copy] = [await headObject(client, C, 'big'), await headObject(client, D, 'deep')];
    expect([r.mode, copy.kind, copy.etag, copy.metadata]).toEqual(['segments', 'slo', src.etag, src.metadata]);
    const paths = await manifestPaths(D, 'deep');
    expect(paths).toHaveLength(2);
    expect(paths.every((p) => p.startsWith(`/${D}_segments/deep/slo/`))).toBe(true);
    expect(await bytesOf(D, 'deep')).toBe(SEG1 + SEG2);
    expect(r.summary).toMatch(/2 segments copied/);
    expect((await failure('objects.copy', { source: { container: C, object: 'big' }, target: { container: C, object: 'deep-move' }, mode: 'segments', move: true })).kind).toBe('invalid');
    // An upload's segment is never moved away from under a manifest that may list it.
    const seg = 'up.bin/slo/1795000000.000000/10/10/00000000';
    await putObject(client, S, seg, { body: 'x'.repeat(10) });
    expect((await failure('objects.copy', { source: { container: S, object: seg }, target: { container: S, object: 'elsewhere' }, move: true })).message).toMatch(/segment of an upload of up\.bin/);
  });

  it('names with spaces, unicode and URL signs: copied, and served by a temp URL', async () => {
    const odd = 'dossier é/ä b?&#%.txt';
    await putObject(client, C, odd, { body: 'odd name' });
    await call('objects.copy', { source: { container: C, object: odd }, target: { container: D, object: `${odd} copy` } });
    expect(await bytesOf(D, `${odd} copy`)).toBe('odd name');
    const t = await call('tempurl.create', { container: D, object: `${odd} copy`, method: 'GET', seconds: 60 });
    const { stdout } = await run('curl', ['-sf', t.url]);
    expect(stdout).toBe('odd name');
  });
});
