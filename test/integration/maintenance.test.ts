// Account maintenance as contract calls (orphans.find, orphans.delete, dlo.convert): decoded by dispatch, served by
// app/studio/maintenance.ts — the same functions the CLI's `orphans` and `convert-dlo` commands call. Real sandbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallName, CallOutput } from '../../app/rpc/contract.ts';
import { dispatch } from '../../app/rpc/dispatch.ts';
import type { Handlers } from '../../app/rpc/handlers.ts';
import { md5Hex } from '../../app/slo/etag.ts';
import { maintenanceHandlers } from '../../app/studio/maintenance.ts';
import { createContainer, getObject, headObject, putObject } from '../../app/swift/objects.ts';
import { runSlo } from '../helpers/cli.ts';
import { listNames, removeContainers, sandboxClient, uniqueName } from '../helpers/swift.ts';

const client = sandboxClient();
const C = uniqueName('maint');
const S = `${C}_segments`;
// Only the three maintenance calls are served here; dispatch decodes their inputs with the contract's schemas.
const handlers = maintenanceHandlers(() => client) as unknown as Handlers;

async function call<K extends CallName>(method: K, params: unknown): Promise<CallOutput<K>> {
  const r = await dispatch(handlers, method, params, { emit: () => undefined });
  if (!r.ok) throw Object.assign(new Error(r.error.message), { value: r.error });
  return r.result as CallOutput<K>;
}

async function putSeg(container: string, name: string, body: string): Promise<void> {
  await putObject(client, container, name, { body, etag: md5Hex(body) });
}

beforeAll(async () => {
  await createContainer(client, C);
  await createContainer(client, S);
  await putSeg(S, 'used/1', 'a'.repeat(10));
  await putSeg(S, 'used/2', 'b'.repeat(10));
  await client.request({ method: 'PUT', container: C, object: 'slo', query: { 'multipart-manifest': 'put' }, body: JSON.stringify([{ path: `/${S}/used/1` }, { path: `/${S}/used/2` }]) });
  await putSeg(S, 'left/1', 'x'.repeat(7));
  await putSeg(S, 'left/2', 'y'.repeat(5));
});

afterAll(async () => {
  await removeContainers(client, C, S);
  await client.close();
});

describe('orphans.find / orphans.delete', () => {
  it('finds the segments no manifest references, and only those', async () => {
    const r = await call('orphans.find', { container: C, minAgeMinutes: 0 });
    expect(r.segmentContainers).toEqual([S]);
    expect(r.orphans.map((o) => `${o.container}/${o.object}`).sort()).toEqual([`${S}/left/1`, `${S}/left/2`]);
    expect(r.bytes).toBe(12);
    expect(r.scanned).toBe(4);
  });

  it('the default minimum age (an hour) keeps fresh uploads out of the report', async () => {
    const r = await call('orphans.find', { container: C });
    expect(r.orphans).toEqual([]);
    expect(r.recent).toBe(2);
  });

  it('deletes only confirmed paths that are still orphaned: never a referenced segment, even when named', async () => {
    const r = await call('orphans.delete', { container: C, minAgeMinutes: 0, paths: [`${S}/left/1`, `${S}/used/1`] });
    expect(r.deleted).toMatchObject({ deleted: 1, notFound: 0, errors: [] });
    expect(await listNames(client, S)).toEqual(['left/2', 'used/1', 'used/2']);
    expect((await getObject(client, C, 'slo')).status).toBe(200);
  });

  it('`slo orphans --delete` goes through the same service: it deletes the remaining orphan and nothing else', async () => {
    const r = await runSlo(['--sandbox', 'orphans', C, '--min-age', '0', '--delete', '--json'], { timeoutMs: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { orphans: { object: string }[]; deleted: { deleted: number; summary: string } };
    expect(out.orphans.map((o) => o.object)).toEqual(['left/2']);
    expect(out.deleted).toMatchObject({ deleted: 1, summary: 'Deleted 1 orphaned segment (5 bytes).' });
    expect(await listNames(client, S)).toEqual(['used/1', 'used/2']);
  });

  it('refuses a container name with a slash before anything runs', async () => {
    await expect(call('orphans.find', { container: `${C}/x` })).rejects.toMatchObject({ value: { kind: 'invalid' } });
  });
});

describe('dlo.convert', () => {
  it('replaces a DLO by an SLO with the same bytes, keeping its content type and metadata', async () => {
    await putSeg(S, 'dlo/000', 'p'.repeat(10));
    await putSeg(S, 'dlo/001', 'q'.repeat(4));
    await putObject(client, C, 'dlo', { body: '', contentType: 'text/plain', headers: { 'x-object-manifest': `${S}/dlo/`, 'x-object-meta-color': 'blue' } });
    const r = await call('dlo.convert', { container: C, object: 'dlo' });
    expect(r).toMatchObject({ container: C, object: 'dlo', size: 14, segments: 2, replaced: true });
    const stat = await headObject(client, C, 'dlo');
    expect(stat.kind).toBe('slo');
    expect(stat.contentType).toBe('text/plain');
    expect(stat.metadata).toEqual({ color: 'blue' });
    expect(await (await getObject(client, C, 'dlo')).body.text()).toBe('p'.repeat(10) + 'q'.repeat(4));
  });

  it('a plain object is not a DLO: one invalid error, nothing written', async () => {
    await putSeg(C, 'plain', 'just text');
    await expect(call('dlo.convert', { container: C, object: 'plain' })).rejects.toMatchObject({ value: { kind: 'invalid' } });
    expect((await headObject(client, C, 'plain')).kind).toBe('plain');
  });
});
