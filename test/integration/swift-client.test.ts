import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwiftClient } from '../../app/swift/client.ts';
import { listObjects, listObjectsPage } from '../../app/swift/listing.ts';
import { createContainer, deleteContainer, deleteObject, getObject, headContainer, headObject, postObject, putObject } from '../../app/swift/objects.ts';
import { capabilities } from '../../app/swift/info.ts';
import { SwiftError } from '../../app/swift/errors.ts';
import { REDACTED } from '../../app/swift/transcript.ts';
import { writeListingRows } from '../helpers/listing-rows.ts';
import { sandboxClient, sandboxCreds, uniqueName } from '../helpers/swift.ts';

const client = sandboxClient();
const c = uniqueName('client');

beforeAll(async () => {
  await createContainer(client, c);
});
afterAll(async () => {
  for await (const e of listObjects(client, c)) if (e.type === 'object') await deleteObject(client, c, e.name, { missingOk: true });
  await deleteContainer(client, c);
  await client.close();
});

describe('swift client against the sandbox', () => {
  it('reads typed capabilities from /info', async () => {
    const caps = await capabilities(client);
    expect(caps.slo?.maxManifestSegments).toBeGreaterThan(0);
    expect(caps.maxFileSize).toBeGreaterThan(0);
    expect(caps.bulkDelete).toBe(true);
  });

  it('round-trips unicode, spaces, ?#%+& and leading-slash names', async () => {
    const names = ['ünïcødé/файл 名前.txt', 'a?b#c%d+e&f g', '/leading/slash', '%2F literally', 'x'.repeat(1000) + 'é'.repeat(12)];
    for (const name of names) {
      await putObject(client, c, name, { body: `body of ${name}`, contentType: 'text/plain' });
      const h = await headObject(client, c, name);
      expect(h.size).toBe(Buffer.byteLength(`body of ${name}`));
      const res = await getObject(client, c, name);
      expect(await res.body.text()).toBe(`body of ${name}`);
    }
    const listed: string[] = [];
    for await (const e of listObjects(client, c)) if (e.type === 'object') listed.push(e.name);
    expect(listed.sort()).toEqual([...names].sort());
  });

  it('rejects a 1025-byte name before sending it', async () => {
    await expect(putObject(client, c, 'é'.repeat(513), { body: 'x' })).rejects.toThrow(/1026 bytes.*at most 1024/);
  });

  it('lists pseudo-folders with a delimiter and filters by prefix', async () => {
    for (const n of ['dir1/a', 'dir1/b', 'dir2/c', 'top']) await putObject(client, c, `tree/${n}`, { body: n });
    const entries = [];
    for await (const e of listObjects(client, c, { prefix: 'tree/', delimiter: '/' })) entries.push(e);
    expect(entries).toEqual([
      { type: 'folder', name: 'tree/dir1/' },
      { type: 'folder', name: 'tree/dir2/' },
      expect.objectContaining({ type: 'object', name: 'tree/top', bytes: 3, kind: 'plain' }),
    ]);
  });

  it('posts metadata', async () => {
    await putObject(client, c, 'meta', { body: 'm' });
    await postObject(client, c, 'meta', { 'x-object-meta-colour': 'blue' });
    expect((await headObject(client, c, 'meta')).metadata.colour).toBe('blue');
  });

  it('gives typed errors with a sentence and the transaction id', async () => {
    const err = await headObject(client, c, 'no such object').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SwiftError);
    expect((err as SwiftError).kind).toBe('not-found');
    expect((err as SwiftError).message).toMatch(/does not exist/);
    expect((err as SwiftError).transId).toMatch(/^tx/);
    const conflict = await deleteContainer(client, c).catch((e: unknown) => e);
    expect((conflict as SwiftError).kind).toBe('conflict');
    expect((conflict as SwiftError).message).toMatch(/not empty/);
  });

  it('re-authenticates once on 401 and retries the request', async () => {
    const own = sandboxClient();
    await own.auth();
    own.invalidateToken('AUTH_tk-not-a-real-token');
    const h = await headContainer(own, c);
    expect(h.count).toBeGreaterThan(0);
    const statuses = own.transcript.list().map((r) => r.status);
    expect(statuses).toContain(401);
    expect(statuses[statuses.length - 1]).toBe(204);
    await own.close();
  });

  it('says clearly when the credentials are wrong', async () => {
    const s = sandboxCreds();
    const bad = new SwiftClient({ auth: { type: 'v1', authUrl: s.authUrl, user: s.user, key: 'wrong-key' } });
    const err = await bad.auth().catch((e: unknown) => e);
    expect((err as SwiftError).kind).toBe('auth');
    expect((err as SwiftError).message).toBe(`The user name or key for "${s.user}" was rejected by ${s.authUrl}.`);
    await bad.close();
  });

  it('hints at /auth/v1.0 when the tempauth URL has the wrong path', async () => {
    const s = sandboxCreds();
    const proxy = s.authUrl.replace(/\/auth\/v1\.0$/, '');
    // Swift answers the bare proxy with 404 and a path without /auth ("/v1.0") with 412 "Bad URL".
    for (const [authUrl, status] of [[proxy, 404], [`${proxy}/v1.0`, 412]] as const) {
      const bad = new SwiftClient({ auth: { type: 'v1', authUrl, user: s.user, key: s.key } });
      const err = (await bad.auth().catch((e: unknown) => e)) as SwiftError;
      expect(err).toBeInstanceOf(SwiftError);
      expect(err.status).toBe(status);
      expect(err.message).toContain(`Tempauth URLs usually end in /auth/v1.0 (try ${new URL(proxy).origin}/auth/v1.0).`);
      await bad.close();
    }
  });

  it('says clearly when a token is rejected and cannot be renewed', async () => {
    const own = sandboxClient();
    const { storageUrl } = await own.auth();
    const tokenOnly = new SwiftClient({ auth: { type: 'token', storageUrl, token: 'AUTH_tk-bogus' } });
    const err = await headContainer(tokenOnly, c).catch((e: unknown) => e);
    expect((err as SwiftError).kind).toBe('auth');
    expect((err as SwiftError).message).toMatch(/token was rejected/);
    await Promise.all([own.close(), tokenOnly.close()]);
  });

  it('records a redacted transcript of every request', async () => {
    const own = sandboxClient();
    const { token } = await own.auth();
    await headContainer(own, c);
    const records = own.transcript.list();
    const text = JSON.stringify(records);
    expect(text).not.toContain(token);
    expect(text).not.toContain(JSON.stringify(sandboxCreds().key));
    // The secrets were recorded (under whatever header case the client uses), and recorded as redacted.
    const header = (h: Record<string, string>, name: string) => Object.entries(h).find(([k]) => k.toLowerCase() === name)?.[1];
    expect(records.map((r) => header(r.requestHeaders, 'x-auth-key')).filter(Boolean)).toEqual([REDACTED]);
    expect(records.some((r) => header(r.requestHeaders, 'x-auth-token') === REDACTED)).toBe(true);
    expect(records.some((r) => r.method === 'HEAD' && r.transId)).toBe(true);
    await own.close();
  });
});

describe('listing at scale', () => {
  // A listing-only fixture: 10,001 rows written into the container server's listing (~10 s on a fresh sandbox instead
  // of ~100 s of real object PUTs); kept per sandbox and checked by count. The objects exist only in the listing.
  const fixture = 'fixture-10001-listing';
  const N = 10_001;
  const name = (i: number) => `obj-${String(i).padStart(6, '0')}`;

  it('lists a container of 10,001 objects completely through marker pagination', async () => {
    await createContainer(client, fixture);
    if ((await headContainer(client, fixture)).count !== N) {
      const rows = Array.from({ length: N }, (_, i) => ({ name: name(i), size: 1 }));
      expect(await writeListingRows(sandboxCreds().containerServer, fixture, rows)).toBe(N);
    }
    let count = 0;
    let last = '';
    let pages = 0;
    for await (const e of listObjects(client, fixture, { limit: 2000 })) {
      if (e.type !== 'object') continue;
      expect(e.name > last).toBe(true);
      last = e.name;
      count++;
      if (count % 2000 === 1) pages++;
    }
    expect(count).toBe(N);
    expect(pages).toBe(6);
    expect(last).toBe(name(N - 1));
    expect((await headContainer(client, fixture)).count).toBe(N);
  }, 120_000);

  // What the windowed object list relies on (renderer/src/lib/listing-window.ts): the end in one reverse request, and
  // a reverse marker listing the rows just before a name.
  it('reaches the end with reverse=true and pages backwards from a marker', async () => {
    expect((await headContainer(client, fixture)).count).toBe(N); // built by the test above
    const end = await listObjectsPage(client, fixture, { reverse: true, limit: 3 });
    expect(end.entries.map((e) => e.name)).toEqual([name(N - 1), name(N - 2), name(N - 3)]);
    const before = await listObjectsPage(client, fixture, { reverse: true, marker: name(5000), limit: 2 });
    expect(before.entries.map((e) => e.name)).toEqual([name(4999), name(4998)]);
    // A marker that is not a name: the rows before it, so the next forward page starts at the first name ≥ it.
    const prev = await listObjectsPage(client, fixture, { reverse: true, marker: 'obj-0050', limit: 1 });
    expect(prev.entries.map((e) => e.name)).toEqual([name(4999)]);
    const from = await listObjectsPage(client, fixture, { marker: prev.entries[0]!.name, limit: 1 });
    expect(from.entries.map((e) => e.name)).toEqual([name(5000)]);
  });
});
