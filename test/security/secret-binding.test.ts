// A saved secret is bound to what it was given for (auth type, auth URL, identity, project/domain, TLS settings,
// CA). A renderer that sends the profile id with an empty secret and a changed endpoint must get an error — and the
// capture server standing in for an attacker's endpoint must never receive the stored key.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Profile } from '../../app/rpc/contract.ts';
import { createHandlers, type StudioHandlers } from '../../app/studio/handlers.ts';
import { captureServer, memoryPlatform, type CaptureServer } from './helpers.ts';

const KEY = 'st0red-k3y-that-must-stay-home';
const ctx = { emit() {} };

describe('secrets are bound to their endpoint', () => {
  let dir: string;
  let attacker: CaptureServer;
  let home: CaptureServer;
  let h: StudioHandlers;
  const saved = (): Profile => ({
    id: 'p1', name: 'work', insecure: false, concurrency: 8, sandbox: false,
    auth: { type: 'v1', authUrl: `${home.url}/auth/v1.0`, user: 'acct:me', key: KEY },
  });
  const withoutKey = (p: Profile): Profile => ({ ...p, auth: { ...p.auth, key: '' } as Profile['auth'] });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slo-bind-'));
    attacker = await captureServer();
    home = await captureServer();
    h = createHandlers(memoryPlatform(dir));
    await h['profiles.save']({ profile: saved() }, ctx);
  });
  afterAll(async () => {
    await h.dispose();
    await attacker.stop();
    await home.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('profiles.test with the saved id, no key and a new auth URL is refused; the new endpoint never sees the key', async () => {
    const moved = { ...withoutKey(saved()), auth: { type: 'v1' as const, authUrl: `${attacker.url}/auth/v1.0`, user: 'acct:me', key: '' } };
    const r = await h['profiles.test']({ profile: moved }, ctx).then((v) => ({ ok: true as const, v }), (e: unknown) => ({ ok: false as const, e }));
    expect(r.ok).toBe(false);
    expect(r.ok ? undefined : r.e).toMatchObject({ kind: expect.stringMatching(/^(auth|invalid)$/), message: expect.stringMatching(/again/) });
    expect(attacker.seen()).not.toContain(KEY);
  });

  it.each([
    ['user', (p: Profile): Profile => ({ ...p, auth: { ...p.auth, user: 'other:me' } as Profile['auth'] })],
    ['TLS verification', (p: Profile): Profile => ({ ...p, insecure: true })],
    ['CA', (p: Profile): Profile => ({ ...p, caPem: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n' })],
  ])('a changed %s also needs the key again (test and save)', async (_what, change) => {
    const p = change(withoutKey(saved()));
    await expect(h['profiles.test']({ profile: p }, ctx)).rejects.toMatchObject({ kind: expect.stringMatching(/^(auth|invalid)$/) });
    await expect(h['profiles.save']({ profile: p }, ctx)).rejects.toMatchObject({ kind: expect.stringMatching(/^(auth|invalid)$/) });
  });

  it('saving a new endpoint without the key is refused, so a later connect cannot send the key there', async () => {
    const moved: Profile = { ...withoutKey(saved()), auth: { type: 'v1', authUrl: `${attacker.url}/auth/v1.0`, user: 'acct:me', key: '' } };
    await expect(h['profiles.save']({ profile: moved }, ctx)).rejects.toMatchObject({ kind: expect.stringMatching(/^(auth|invalid)$/) });
    await h['connection.open']({ profileId: 'p1' }, ctx).catch(() => undefined);
    expect(attacker.seen()).not.toContain(KEY);
    expect(home.seen()).toContain(KEY); // the key still goes where it was given for
  });

  it('an edit rebuilt from the summary (which carries Keystone domains) keeps the secret; a reset domain does not', async () => {
    const ks: Profile = {
      id: 'k1', name: 'keystone', insecure: false, concurrency: 8, sandbox: false,
      auth: { type: 'keystone-password', authUrl: `${home.url}/v3`, username: 'me', password: 'pw-secret', userDomain: 'Corp', projectName: 'proj', projectDomain: 'ProjDom', interface: 'internal' },
    };
    await h['profiles.save']({ profile: ks }, ctx);
    const summary = (await h['profiles.list']({}, ctx)).profiles.find((p) => p.id === 'k1')!;
    expect(summary.keystone).toEqual({ userDomain: 'Corp', projectDomain: 'ProjDom', interface: 'internal' });
    const rebuilt: Profile = {
      ...ks, name: 'keystone (renamed)',
      auth: { type: 'keystone-password', authUrl: summary.endpoint, username: 'me', password: '', userDomain: summary.keystone!.userDomain!, projectName: 'proj', projectDomain: summary.keystone!.projectDomain!, interface: 'internal' },
    };
    await expect(h['profiles.save']({ profile: rebuilt }, ctx)).resolves.toMatchObject({ hasSecret: true });
    const reset = { ...rebuilt, auth: { ...rebuilt.auth, userDomain: 'Default' } as Profile['auth'] };
    await expect(h['profiles.save']({ profile: reset }, ctx)).rejects.toMatchObject({ kind: 'auth' });
  });

  it('unchanged settings (a rename) still use the stored key; a new key for a new endpoint is accepted', async () => {
    await h['profiles.save']({ profile: { ...withoutKey(saved()), name: 'renamed' } }, ctx);
    const before = home.requests.length;
    await h['profiles.test']({ profile: withoutKey(saved()) }, ctx);
    expect(JSON.stringify(home.requests.slice(before))).toContain(KEY);
    const fresh: Profile = { ...saved(), auth: { type: 'v1', authUrl: `${attacker.url}/auth/v1.0`, user: 'acct:me', key: 'typed-again' } };
    await expect(h['profiles.save']({ profile: fresh }, ctx)).resolves.toMatchObject({ hasSecret: true });
  });
});
