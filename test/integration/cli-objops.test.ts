// `slo meta`, `slo tempurl`, `slo cp` and `slo mv` as a user runs them (child processes, real sandbox).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { md5Hex } from '../../app/slo/etag.ts';
import { createContainer, headObject, putObject } from '../../app/swift/objects.ts';
import { removeContainers, sandboxClient, swiftEnv, uniqueName } from '../helpers/swift.ts';

const run = promisify(execFile);
const env = swiftEnv();
const client = sandboxClient();
const C = uniqueName('cli-objops');
const S = `${C}_segments`;
const SEG = ['x'.repeat(600), 'y'.repeat(400)];
// The same account key as test/integration/objops.test.ts: files running side by side never sign with a stale key.
const KEY = 'objops-test-key-1';

async function slo(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run('node', ['bin/slo.mjs', ...args], { env });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

async function manifestPaths(object: string): Promise<string[]> {
  const { data } = await client.json<{ name: string }[]>({ method: 'GET', container: C, object, query: { 'multipart-manifest': 'get' } });
  return data.map((e) => e.name);
}

beforeAll(async () => {
  await createContainer(client, C);
  await createContainer(client, S);
  for (const [i, s] of SEG.entries()) await putObject(client, S, `seg/${i}`, { body: s, etag: md5Hex(s) });
  const manifest = JSON.stringify(SEG.map((_, i) => ({ path: `/${S}/seg/${i}` })));
  await client.request({ method: 'PUT', container: C, object: 'movie', query: { 'multipart-manifest': 'put' }, body: manifest });
});

afterAll(async () => {
  await removeContainers(client, C, S);
  await client.close();
});

describe('slo meta', () => {
  it('sets and removes metadata, type and expiry, and shows every header', async () => {
    const set = await slo('meta', `${C}/movie`, '--set', 'Genre=drama', '--set', 'year=1999', '--content-type', 'video/mp4', '--delete-after', '2d');
    expect(set.code).toBe(0);
    expect(set.stderr).toMatch(/SLO: a POST changes the manifest's metadata/);
    const h = (await headObject(client, C, 'movie')).headers;
    expect([h['x-object-meta-genre'], h['x-object-meta-year'], h['content-type']]).toEqual(['drama', '1999', 'video/mp4']);
    expect(Number(h['x-delete-at'])).toBeGreaterThan(Date.now() / 1000 + 86400);
    expect((await slo('meta', `${C}/movie`, '--remove', 'year', '--delete-at', 'none')).code).toBe(0);
    const shown = await slo('meta', `${C}/movie`);
    expect(shown.stdout).toMatch(/x-object-meta-genre\s+drama/);
    expect(shown.stdout).toMatch(/x-static-large-object\s+True/);
    expect(shown.stdout).not.toMatch(/x-object-meta-year|x-delete-at/);
  });

  it('container metadata; a value over the limit is refused with a sentence (exit 1)', async () => {
    expect((await slo('meta', C, '--set', 'team=infra')).code).toBe(0);
    expect(JSON.parse((await slo('meta', C, '--json')).stdout).metadata).toEqual({ team: 'infra' });
    const bad = await slo('meta', C, '--set', `long=${'z'.repeat(300)}`);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/300 bytes; this cluster allows at most 256/);
  });
});

describe('slo tempurl', () => {
  it('sets, shows (redacted unless revealed) and removes keys', async () => {
    expect((await slo('tempurl', 'key', '--set', KEY)).stdout).toMatch(/account\s+Temp-URL-Key\s+<redacted>/);
    expect((await slo('tempurl', 'key', '--reveal')).stdout).toContain(KEY);
    const gen = await slo('tempurl', 'key', '--container', C, '--generate', '--slot', '2');
    expect(gen.stdout).toMatch(new RegExp(`container ${C}\\s+Temp-URL-Key-2\\s+[0-9a-f]{64}`));
    expect((await slo('tempurl', 'key', '--container', C, '--slot', '2', '--remove')).stdout).toMatch(/Temp-URL-Key-2\s+\(not set\)/);
  });

  it('prints a URL curl reads without a token: the whole SLO', async () => {
    const r = await slo('tempurl', `${C}/movie`, '--expires', '10m');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/whole SLO/);
    const { stdout } = await run('curl', ['-sf', r.stdout.trim()]);
    expect(stdout).toBe(SEG.join(''));
    expect((await slo('tempurl', `${C}/movie`, '--expires', 'soon')).code).toBe(2);
  });
});

describe('slo cp / mv', () => {
  it('cp copies the manifest (same segments); mv renames leaving the segments; an existing target needs --force', async () => {
    const cp = await slo('cp', `${C}/movie`, `${C}/copies/`);
    expect(cp.code).toBe(0);
    expect(cp.stdout).toMatch(/segments are shared/);
    expect(await manifestPaths('copies/movie')).toEqual(await manifestPaths('movie'));
    expect((await slo('cp', `${C}/movie`, `${C}/copies/movie`)).code).toBe(1);
    expect((await slo('cp', `${C}/movie`, `${C}/copies/movie`, '--force', '--data')).code).toBe(0);
    expect((await headObject(client, C, 'copies/movie')).kind).toBe('plain');
    const deep = await slo('cp', `${C}/movie`, `${C}/deep`, '--segments');
    expect(deep.stdout).toMatch(/2 segments copied into/);
    expect((await headObject(client, C, 'deep')).etag).toBe((await headObject(client, C, 'movie')).etag);
    const mv = await slo('mv', `${C}/movie`, `${C}/renamed`);
    expect(mv.code).toBe(0);
    expect(mv.stdout).toMatch(/Only the old manifest was deleted/);
    expect(await headObject(client, C, 'movie').then(() => 'there', (e: { kind: string }) => e.kind)).toBe('not-found');
    expect((await headObject(client, S, 'seg/0')).size).toBe(600);
    expect(await manifestPaths('renamed')).toEqual([`/${S}/seg/0`, `/${S}/seg/1`]);
  });
});
