// Deleting, orphan finding and DLO conversion against a real Swift.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContainer, deleteObject, getObject, headObject, putObject } from '../../app/swift/objects.ts';
import { md5Hex } from '../../app/slo/etag.ts';
import { deleteObjectAndSegments, deletePaths, deleteSegmentsOf } from '../../app/slo/delete.ts';
import { convertDloToSlo, readDlo } from '../../app/slo/dlo.ts';
import { deleteOrphans, findOrphans } from '../../app/slo/orphans.ts';
import { resolveObject } from '../../app/slo/resolve.ts';
import { inspectObject } from '../../app/slo/inspect.ts';
import { listNames, removeContainers, sandboxClient } from '../helpers/swift.ts';

const client = sandboxClient();
const rnd = Math.random().toString(36).slice(2, 8);
const C = `t-slo-del-${rnd}`;
const S = `${C}_segments`;
const O = `t-slo-del-other-${rnd}`; // another container whose manifests share S

async function putSeg(container: string, name: string, body: string): Promise<void> {
  await putObject(client, container, name, { body, etag: md5Hex(body) });
}

async function putSlo(container: string, name: string, paths: string[]): Promise<void> {
  await client.request({ method: 'PUT', container, object: name, query: { 'multipart-manifest': 'put' }, body: JSON.stringify(paths.map((p) => ({ path: p }))) });
}

async function text(container: string, name: string): Promise<string> {
  return (await getObject(client, container, name)).body.text();
}

beforeAll(async () => {
  for (const c of [C, S, O]) await createContainer(client, c);
});

afterAll(async () => {
  await removeContainers(client, C, S, O);
  await client.close();
});

describe('delete', () => {
  it('rm of an SLO deletes the manifest and every segment (nested ones too)', async () => {
    for (const s of ['rm/1', 'rm/2', 'rm/3']) await putSeg(S, s, `${s}-data`);
    await putSlo(S, 'rm/sub', [`/${S}/rm/2`, `/${S}/rm/3`]);
    await putSlo(C, 'rm ?#% ü', [`/${S}/rm/1`, `/${S}/rm/sub`]);
    const r = await deleteObjectAndSegments(client, C, 'rm ?#% ü');
    expect(r).toMatchObject({ kind: 'slo', deleted: 5, notFound: 0, errors: [] });
    expect(r.summary).toBe(`Deleted ${C}/rm ?#% ü and its 4 segments.`);
    expect(await listNames(client, S, 'rm/')).toEqual([]);
    await expect(headObject(client, C, 'rm ?#% ü')).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('without the bulk middleware (bulk: false): segments one by one, sub-manifests after their segments, manifest last', async () => {
    for (const s of ['nb/1', 'nb/2', 'nb/3']) await putSeg(S, s, `${s}-data`);
    await putSlo(S, 'nb/sub', [`/${S}/nb/2`, `/${S}/nb/3`]);
    await putSlo(C, 'nb', [`/${S}/nb/1`, `/${S}/nb/sub`, `/${S}/nb/sub`]);
    const seen: string[] = [];
    const since = client.transcript.list().at(-1)?.id ?? 0;
    const r = await deleteObjectAndSegments(client, C, 'nb', { bulk: false });
    for (const e of client.transcript.list(since)) if (e.method === 'DELETE' || e.method === 'POST') seen.push(decodeURIComponent(new URL(e.url).pathname + new URL(e.url).search));
    expect(r).toMatchObject({ kind: 'slo', deleted: 5, notFound: 0, errors: [] });
    expect(await listNames(client, S, 'nb/')).toEqual([]);
    expect(seen.every((u) => !u.includes('multipart-manifest') && !u.includes('bulk-delete'))).toBe(true);
    expect(seen.at(-1)).toMatch(new RegExp(`/${C}/nb$`));
    expect(seen.findIndex((u) => u.endsWith('/nb/sub'))).toBeGreaterThan(seen.findIndex((u) => u.endsWith('/nb/3')));

    for (const s of ['nbd/a', 'nbd/b']) await putSeg(S, s, s);
    await putObject(client, C, 'nbd', { body: '', headers: { 'x-object-manifest': `${S}/nbd/` } });
    expect(await deleteObjectAndSegments(client, C, 'nbd', { bulk: false })).toMatchObject({ kind: 'dlo', deleted: 3, errors: [] });
    expect(await listNames(client, S, 'nbd/')).toEqual([]);
  });

  it('an SLO with a segment already gone: deleted, and the summary says one was gone', async () => {
    for (const s of ['gone/1', 'gone/2']) await putSeg(S, s, `${s}-data`);
    await putSlo(C, 'gone', [`/${S}/gone/1`, `/${S}/gone/2`]);
    await deleteObject(client, S, 'gone/2');
    const r = await deleteObjectAndSegments(client, C, 'gone');
    expect(r).toMatchObject({ deleted: 2, notFound: 1, errors: [] });
    expect(r.summary).toMatch(/1 segment was already gone/);
  });

  it('leaveSegments deletes only the manifest', async () => {
    await putSeg(S, 'keep/1', 'k1');
    await putSlo(C, 'keep', [`/${S}/keep/1`]);
    const r = await deleteObjectAndSegments(client, C, 'keep', { leaveSegments: true });
    expect(r).toMatchObject({ kind: 'slo', deleted: 1 });
    expect(r.summary).toMatch(/segments were left in place/);
    expect(await listNames(client, S, 'keep/')).toEqual(['keep/1']);
    await deleteObject(client, S, 'keep/1'); // later tests count orphans in S
  });

  it('rm of a DLO deletes every object under its prefix, then the manifest', async () => {
    for (const s of ['d/a', 'd/b', 'd/c']) await putSeg(S, s, s);
    await putSeg(S, 'dx', 'not under the prefix');
    await putObject(client, C, 'dlo', { body: '', headers: { 'x-object-manifest': `${S}/d/` } });
    const r = await deleteObjectAndSegments(client, C, 'dlo');
    expect(r).toMatchObject({ kind: 'dlo', deleted: 4, errors: [] });
    expect(r.summary).toBe(`Deleted the DLO ${C}/dlo and 3 objects under ${S}/d/.`);
    expect(await listNames(client, S, 'd')).toEqual(['dx']);
    await expect(headObject(client, C, 'dlo')).rejects.toMatchObject({ kind: 'not-found' });
    await deleteObject(client, S, 'dx');
  });

  it('a plain object is one DELETE; a missing one is a not-found error', async () => {
    await putObject(client, C, 'plain', { body: 'x' });
    expect(await deleteObjectAndSegments(client, C, 'plain')).toMatchObject({ kind: 'plain', deleted: 1, summary: `Deleted ${C}/plain.` });
    await expect(deleteObjectAndSegments(client, C, 'plain')).rejects.toMatchObject({ kind: 'not-found', message: expect.stringContaining(`${C}/plain`) });
  });

  it('deleteSegmentsOf keeps the segments a new manifest still uses', async () => {
    for (const s of ['ow/1', 'ow/2', 'ow/3']) await putSeg(S, s, s);
    await putSlo(C, 'ow', [`/${S}/ow/1`, `/${S}/ow/2`, `/${S}/ow/3`]);
    const old = await resolveObject(client, C, 'ow');
    await putSeg(S, 'ow/4', 'ow/4');
    await putSlo(C, 'ow', [`/${S}/ow/1`, `/${S}/ow/4`]); // the overwrite shares ow/1
    const r = await deleteSegmentsOf(client, old, { except: new Set([`/${S}/ow/1`, `${S}/ow/4`]) });
    expect(r).toMatchObject({ deleted: 2, notFound: 0, errors: [] });
    expect(await listNames(client, S, 'ow/')).toEqual(['ow/1', 'ow/4']);
    expect(await text(C, 'ow')).toBe('ow/1ow/4');
  });

  it('deletePaths reports per-object results and tolerates missing ones', async () => {
    await putSeg(S, 'dp/ü ?#%', 'x');
    const r = await deletePaths(client, [`${S}/dp/ü ?#%`, `${S}/dp/never-existed`]);
    expect(r).toEqual({ deleted: 1, notFound: 1, errors: [] });
  });

  it('deletePaths deletes 1024-byte non-ASCII names (too long for one bulk-delete line) together with ordinary ones', async () => {
    const long = `dp/${'é'.repeat(510)}`; // 1023 bytes of UTF-8, ~3 KB URL-encoded
    await putSeg(S, long, 'x');
    await putSeg(S, 'dp/plain', 'y');
    const r = await deletePaths(client, [`${S}/${long}`, `${S}/dp/plain`]);
    expect(r).toEqual({ deleted: 2, notFound: 0, errors: [] });
  });
});

describe('orphans', () => {
  it('finds only the unreferenced segment (even with references from another container) and --delete removes only it', async () => {
    for (const s of ['or/1', 'or/2', 'or/3', 'or/orphan', 'or/other', 'or/dlo-1']) await putSeg(S, s, `${s}!`);
    await putSlo(S, 'or/sub', [`/${S}/or/3`]);
    await putSlo(C, 'o1', [`/${S}/or/1`, `/${S}/or/sub`]);
    await putSlo(O, 'shares-S', [`/${S}/or/other`]); // a manifest in ANOTHER container using S
    await putObject(client, O, 'dlo', { body: '', headers: { 'x-object-manifest': `${S}/or/dlo-` } });
    await putSeg(S, 'or/2', 'or/2!'); // referenced by nothing either
    await deleteObject(client, S, 'or/2');
    const before = await listNames(client, S, 'or/');

    // Fresh objects are held back by default: they may belong to an upload whose manifest is not written yet.
    const cautious = await findOrphans(client, C);
    expect(cautious.orphans).toEqual([]);
    expect(cautious.recent).toBe(1);

    const report = await findOrphans(client, C, { minAgeMs: 0 });
    expect(report.segmentContainers).toEqual([S]);
    expect(report.orphans).toEqual([{ container: S, object: 'or/orphan', bytes: 'or/orphan!'.length, upload: null }]);
    expect(report.bytes).toBe(10);
    expect(report.scanned).toBe((await listNames(client, S)).length);
    expect(report.referenced).toBeGreaterThanOrEqual(4);

    const del = await deleteOrphans(client, report.orphans);
    expect(del).toMatchObject({ deleted: 1, notFound: 0, errors: [] });
    expect(del.summary).toBe('Deleted 1 orphaned segment (10 bytes).');
    expect(await listNames(client, S, 'or/')).toEqual(before.filter((n) => n !== 'or/orphan'));
    expect(await text(C, 'o1')).toBe('or/1!or/3!');
  });

  it('segments of a manifest deleted without multipart-manifest=delete become orphans', async () => {
    for (const s of ['lost/1', 'lost/2']) await putSeg(S, s, s);
    await putSlo(C, 'lost', [`/${S}/lost/1`, `/${S}/lost/2`]);
    await deleteObjectAndSegments(client, C, 'lost', { leaveSegments: true });
    const report = await findOrphans(client, C, { minAgeMs: 0, segmentContainers: [`${S}/lost/`] });
    expect(report.segmentContainers).toEqual([`${S}/lost/`]);
    expect(report.orphans.map((o) => o.object)).toEqual(['lost/1', 'lost/2']);
    expect(await deleteOrphans(client, report.orphans, { bulk: false })).toMatchObject({ deleted: 2, errors: [] });
    expect(await listNames(client, S, 'lost/')).toEqual([]);
  });
});

describe('DLO', () => {
  it('readDlo and convertDloToSlo: the SLO serves the same bytes and pins the segments', async () => {
    const parts = ['part 0 — ü', 'part 1 ?#%', 'part 2'];
    for (let i = 0; i < parts.length; i++) await putSeg(S, `conv/${i}`, parts[i]!);
    await putObject(client, C, 'conv', { body: '', contentType: 'text/plain', headers: { 'x-object-manifest': `${S}/conv/`, 'x-object-meta-owner': 'tester' } });
    const dloBody = await text(C, 'conv');
    expect(dloBody).toBe(parts.join(''));
    const d = await readDlo(client, C, 'conv');
    expect(d.segments.map((s) => s.path)).toEqual([0, 1, 2].map((i) => `${S}/conv/${i}`));
    expect(d.size).toBe(Buffer.byteLength(dloBody));

    // Into a new name first: the DLO stays.
    const copy = await convertDloToSlo(client, C, 'conv', { target: { container: C, object: 'conv-slo' } });
    expect(copy.replaced).toBe(false);
    expect(await text(C, 'conv-slo')).toBe(dloBody);
    expect((await headObject(client, C, 'conv')).kind).toBe('dlo');

    // In place.
    const r = await convertDloToSlo(client, C, 'conv');
    expect(r).toMatchObject({ replaced: true, segments: 3, size: d.size });
    const stat = await headObject(client, C, 'conv');
    expect(stat.kind).toBe('slo');
    expect(stat.etag).toBe(r.etag);
    expect(stat.contentType).toBe('text/plain');
    expect(stat.metadata.owner).toBe('tester');
    expect(await text(C, 'conv')).toBe(dloBody);
    expect((await inspectObject(client, C, 'conv')).etagMatches).toBe(true);
    // New objects under the old prefix no longer change it.
    await putSeg(S, 'conv/3', 'late');
    expect(await text(C, 'conv')).toBe(dloBody);
  });

  it('refuses what is not a DLO (or has no segments) without touching anything', async () => {
    await putObject(client, C, 'empty-dlo', { body: '', headers: { 'x-object-manifest': `${S}/nothing-here/` } });
    await expect(convertDloToSlo(client, C, 'empty-dlo')).rejects.toMatchObject({ kind: 'invalid', message: expect.stringContaining('has no segments') });
    expect((await headObject(client, C, 'empty-dlo')).kind).toBe('dlo');
    await expect(convertDloToSlo(client, C, 'conv-slo')).rejects.toMatchObject({ kind: 'invalid', message: expect.stringContaining('not a Dynamic Large Object') });
    await expect(convertDloToSlo(client, C, 'nope')).rejects.toMatchObject({ kind: 'not-found' });
  });
});
