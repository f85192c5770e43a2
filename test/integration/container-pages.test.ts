// The calls behind the windowed container list (issue #15), through the service against the sandbox: the account's
// own count (account.stat), and pages of the account listing (containers.page) forward, reversed, and with segment
// containers hidden — where a page of nothing but segment containers must not come back empty while promising more.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, type StudioHandlers } from '../../app/studio/handlers.ts';
import { createContainer, deleteContainer } from '../../app/swift/objects.ts';
import { memoryPlatform } from '../security/helpers.ts';
import { sandboxClient, sandboxCreds } from '../helpers/swift.ts';

const ctx = { emit() {} };
const client = sandboxClient();
const p = `cpage-${Date.now().toString(36)}-`;
// In name order: a real one, two segment containers in a row, a real one.
const names = [`${p}a`, `${p}a_segments`, `${p}b_segments`, `${p}c`];

describe('container pages', () => {
  let dir: string;
  let h: StudioHandlers;

  beforeAll(async () => {
    for (const n of names) await createContainer(client, n);
    dir = await mkdtemp(join(tmpdir(), 'slo-cpages-'));
    h = createHandlers(memoryPlatform(dir));
    const s = sandboxCreds();
    await h['profiles.save']({ profile: { id: 'p1', name: 'sandbox', insecure: false, concurrency: 4, sandbox: false, auth: { type: 'v1', authUrl: s.authUrl, user: s.user, key: s.key } } }, ctx);
    await h['connection.open']({ profileId: 'p1' }, ctx);
  });
  afterAll(async () => {
    await h?.dispose();
    for (const n of names) await deleteContainer(client, n).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('account.stat counts the containers the listing holds', async () => {
    // Other tests share the account: compare when the count held still around the listing.
    for (let i = 0; i < 5; i++) {
      const before = await h['account.stat']({}, ctx);
      const all = await h['containers.list']({ hideSegments: false }, ctx);
      const after = await h['account.stat']({}, ctx);
      if (before.containers !== after.containers) continue;
      expect(all.containers.length).toBe(before.containers);
      expect(before.containers).toBeGreaterThanOrEqual(names.length);
      return;
    }
    throw new Error('the account kept changing while it was listed');
  });

  it('pages forward and backward by marker', async () => {
    const first = await h['containers.page']({ prefix: p, limit: 2, hideSegments: false }, ctx);
    expect(first).toMatchObject({ containers: [{ name: names[0] }, { name: names[1] }], more: true });
    const last = await h['containers.page']({ prefix: p, limit: 1, reverse: true, hideSegments: false }, ctx);
    expect(last.containers.map((c) => c.name)).toEqual([names[3]]);
    const before = await h['containers.page']({ prefix: p, marker: names[2], limit: 5, reverse: true, hideSegments: false }, ctx);
    expect(before).toMatchObject({ containers: [{ name: names[1] }, { name: names[0] }], more: false });
  });

  it('hidden segment containers are read past, never returned as an empty page that says more', async () => {
    const r = await h['containers.page']({ prefix: p, marker: names[0], limit: 1, hideSegments: true }, ctx);
    expect(r.containers.map((c) => c.name)).toEqual([names[3]]);
    const end = await h['containers.page']({ prefix: p, marker: names[3], limit: 1, hideSegments: true }, ctx);
    expect(end).toEqual({ containers: [], more: false });
  });
});
