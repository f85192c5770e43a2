import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwiftClient } from '../../app/swift/client.ts';
import { listObjects } from '../../app/swift/listing.ts';
import { createContainer, deleteContainer, deleteObject, getObject, headContainer, headObject, postObject, putObject } from '../../app/swift/objects.ts';
import { capabilities } from '../../app/swift/info.ts';
import { SwiftError } from '../../app/swift/errors.ts';
import { tinyFilesTar, sandboxClient, sandboxCreds, uniqueName } from '../helpers/swift.ts';

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
    const text = JSON.stringify(own.transcript.list());
    expect(text).not.toContain(token);
    expect(text).not.toContain(sandboxCreds().key === 'testing' ? 'X-Auth-Key":"testing' : sandboxCreds().key);
    expect(own.transcript.list().some((r) => r.method === 'HEAD' && r.transId)).toBe(true);
    await own.close();
  });
});

describe('listing at scale', () => {
  // Kept between runs: creating 10,001 objects costs 1-2 minutes on this sandbox, so a complete fixture is reused.
  const fixture = 'fixture-10001-tiny';
  const N = 10_001;

  it('lists a container of 10,001 objects completely through marker pagination', async () => {
    await createContainer(client, fixture);
    if ((await headContainer(client, fixture)).count !== N) {
      const names = Array.from({ length: N }, (_, i) => `obj-${String(i).padStart(6, '0')}`);
      const res = await client.request({
        method: 'PUT',
        container: fixture,
        query: { 'extract-archive': 'tar' },
        headers: { accept: 'application/json' },
        body: () => tinyFilesTar(names),
      });
      expect(JSON.parse(res.text)['Number Files Created']).toBeGreaterThan(0);
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
    expect(last).toBe('obj-010000');
    expect((await headContainer(client, fixture)).count).toBe(N);
  }, 240_000);
});
