// The reading side of the SLO engine against a real Swift: resolve/inspect (flat, ranged, inline data, nested,
// unicode names, DLO, a manifest stored as plain data) and verify (healthy, missing, overwritten, plain, DLO).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContainer, deleteObject, getObject, putObject } from '../../app/swift/objects.ts';
import { md5Hex } from '../../app/slo/etag.ts';
import { inspectObject, NOT_AN_SLO_NOTE } from '../../app/slo/inspect.ts';
import { readManifest, resolveObject } from '../../app/slo/resolve.ts';
import { verifyObject } from '../../app/slo/verify.ts';
import { removeContainers, sandboxClient } from '../helpers/swift.ts';

const client = sandboxClient();
const rnd = Math.random().toString(36).slice(2, 8);
const C = `t-slo-read-${rnd}`;
const S = `${C}_segments`;
const U = `t-slo-read-ü?#%-${rnd}`; // unicode and URL-special characters in a container name too

async function putSeg(container: string, name: string, body: string): Promise<string> {
  const { etag } = await putObject(client, container, name, { body, etag: md5Hex(body) });
  return etag;
}

async function putSlo(container: string, name: string, entries: unknown[]): Promise<string> {
  const res = await client.request({ method: 'PUT', container, object: name, query: { 'multipart-manifest': 'put' }, body: JSON.stringify(entries) });
  return res.headers['etag']!.replace(/"/g, '');
}

async function body(container: string, name: string): Promise<string> {
  return (await getObject(client, container, name)).body.text();
}

const A = 'a'.repeat(10);
const B = 'b'.repeat(10);
const Cc = 'c'.repeat(7);

beforeAll(async () => {
  for (const c of [C, S, U]) await createContainer(client, c);
  await putSeg(S, 'flat/1', A);
  await putSeg(S, 'flat/2', B);
  await putSeg(S, 'flat/3', Cc);
  await putSlo(C, 'flat', [{ path: `/${S}/flat/1` }, { path: `/${S}/flat/2` }, { path: `/${S}/flat/3` }]);
});

afterAll(async () => {
  await removeContainers(client, C, S, U);
  await client.close();
});

describe('resolve and inspect', () => {
  it('a 3-segment SLO: kind, size, offsets, and the recomputed ETag equals the reported one', async () => {
    const r = await inspectObject(client, C, 'flat');
    expect(r.kind).toBe('slo');
    expect(r.size).toBe(27);
    expect(r.depth).toBe(1);
    expect(r.segmentCount).toBe(3);
    expect(r.segments.map((s) => [s.index, s.path, s.offset, s.size])).toEqual([
      [0, `${S}/flat/1`, 0, 10],
      [1, `${S}/flat/2`, 10, 10],
      [2, `${S}/flat/3`, 20, 7],
    ]);
    expect(r.segments[0]!.etag).toBe(md5Hex(A));
    expect(r.computedEtag).toBe(md5Hex(md5Hex(A) + md5Hex(B) + md5Hex(Cc)));
    expect(r.etagMatches).toBe(true);
    expect(r.etag).toBe(r.computedEtag);
    expect(r.manifestEtag).toMatch(/^[0-9a-f]{32}$/);
    expect(r.raw).toEqual([
      { path: `/${S}/flat/1`, etag: md5Hex(A), size_bytes: 10 },
      { path: `/${S}/flat/2`, etag: md5Hex(B), size_bytes: 10 },
      { path: `/${S}/flat/3`, etag: md5Hex(Cc), size_bytes: 7 },
    ]);
    expect(r.notes).toEqual([]);
  });

  it('ranged entries and an inline data entry: ETag math as Swift does it, offsets match the bytes served', async () => {
    const hello = Buffer.from('hello').toString('base64');
    const reported = await putSlo(C, 'ranged', [
      { path: `/${S}/flat/1` },
      { path: `/${S}/flat/2`, range: '0-3' },
      { data: hello },
      { path: `/${S}/flat/3`, range: '-2' },
      { path: `/${S}/flat/1`, range: '8-' },
    ]);
    const r = await inspectObject(client, C, 'ranged');
    // Swift normalises "-2" to "5-6" and "8-" to "8-9" before hashing.
    expect(reported).toBe(md5Hex(md5Hex(A) + `${md5Hex(B)}:0-3;` + md5Hex('hello') + `${md5Hex(Cc)}:5-6;` + `${md5Hex(A)}:8-9;`));
    expect(r.computedEtag).toBe(reported);
    expect(r.etagMatches).toBe(true);
    expect(r.size).toBe(10 + 4 + 5 + 2 + 2);
    expect(r.segments.map((s) => [s.path, s.offset, s.size, s.range ?? null, s.data ?? false])).toEqual([
      [`${S}/flat/1`, 0, 10, null, false],
      [`${S}/flat/2`, 10, 4, '0-3', false],
      ['', 14, 5, null, true],
      [`${S}/flat/3`, 19, 2, '5-6', false],
      [`${S}/flat/1`, 21, 2, '8-9', false],
    ]);
    // Rebuild the object from the leaves and compare with what Swift serves.
    const src: Record<string, string> = { [`${S}/flat/1`]: A, [`${S}/flat/2`]: B, [`${S}/flat/3`]: Cc };
    const rebuilt = r.segments.map((s) => {
      if (s.data) return 'hello';
      const [a, b] = (s.range ?? `0-${s.segmentSize - 1}`).split('-').map(Number);
      return src[s.path]!.slice(a!, b! + 1);
    }).join('');
    expect(rebuilt).toBe(await body(C, 'ranged'));
    expect(r.tree.map((n) => [n.kind, n.size])).toEqual([['segment', 10], ['segment', 4], ['data', 5], ['segment', 2], ['segment', 2]]);
    // The raw view is derived locally from the GET-format entries; it must be exactly what Swift's format=raw says.
    expect(JSON.stringify(r.raw)).toBe(JSON.stringify(await readManifest(client, C, 'ranged', { raw: true })));
  });

  it('a nested SLO: tree depth 2, sub-SLO leaves clipped by the entry range, flattened offsets right', async () => {
    const subEtag = await putSlo(S, 'sub', [{ path: `/${S}/flat/2` }, { path: `/${S}/flat/3` }]); // 17 bytes: b×10 c×7
    await putSlo(C, 'nested', [{ path: `/${S}/flat/1` }, { path: `/${S}/sub` }, { path: `/${S}/sub`, range: '8-11' }]);
    const r = await inspectObject(client, C, 'nested');
    expect(r.kind).toBe('slo');
    expect(r.depth).toBe(2);
    expect(r.size).toBe(10 + 17 + 4);
    expect(r.tree[1]).toMatchObject({ kind: 'sub-slo', path: `${S}/sub`, etag: subEtag, size: 17 });
    expect(r.tree[1]!.children!.map((n) => n.path)).toEqual([`${S}/flat/2`, `${S}/flat/3`]);
    expect(r.segments.map((s) => [s.path, s.offset, s.size, s.range ?? null, s.via])).toEqual([
      [`${S}/flat/1`, 0, 10, null, []],
      [`${S}/flat/2`, 10, 10, null, [`${S}/sub`]],
      [`${S}/flat/3`, 20, 7, null, [`${S}/sub`]],
      [`${S}/flat/2`, 27, 2, '8-9', [`${S}/sub`]],
      [`${S}/flat/3`, 29, 2, '0-1', [`${S}/sub`]],
    ]);
    expect(r.etagMatches).toBe(true);
    expect(await body(C, 'nested')).toBe(A + B + Cc + 'bbcc');
  });

  it('unicode and ?#% in segment, manifest and container names', async () => {
    const seg1 = 'seg/ünï ?#%1 📦';
    const seg2 = 'seg/100% sure?#';
    await putSeg(U, seg1, A);
    await putSeg(U, seg2, B);
    const name = 'manifest ?#% naïve/📦';
    const etag = await putSlo(U, name, [{ path: `/${U}/${seg1}` }, { path: `/${U}/${seg2}`, range: '1-2' }]);
    const r = await inspectObject(client, U, name);
    expect(r.kind).toBe('slo');
    expect(r.segments.map((s) => s.path)).toEqual([`${U}/${seg1}`, `${U}/${seg2}`]);
    expect(r.computedEtag).toBe(etag);
    const raw = await readManifest(client, U, name, { raw: true });
    expect(raw.map((e) => ('path' in e ? e.path : ''))).toEqual([`/${U}/${seg1}`, `/${U}/${seg2}`]);
    const v = await verifyObject(client, U, name);
    expect(v.ok).toBe(true);
    expect(v.checked).toBe(2);
  });

  it('a plain object whose body is manifest JSON (misspelled ?multipart-manifest) is plain, with a note', async () => {
    const json = JSON.stringify([{ path: `/${S}/flat/1`, etag: md5Hex(A), size_bytes: 10 }]);
    const res = await client.request({ method: 'PUT', container: C, object: 'mistake', query: { 'multiaprt-manifest': 'put' }, body: json });
    expect(res.status).toBe(201);
    const r = await inspectObject(client, C, 'mistake');
    expect(r.kind).toBe('plain');
    expect(r.size).toBe(Buffer.byteLength(json));
    expect(r.segments).toEqual([]);
    expect(r.notAnSlo).toBe(NOT_AN_SLO_NOTE);
    expect(r.notes).toEqual([]);
    await expect(readManifest(client, C, 'mistake')).rejects.toMatchObject({ kind: 'invalid', message: expect.stringContaining(`${C}/mistake is not a Static Large Object`) });
    // An ordinary JSON document gets no such note.
    await putObject(client, C, 'ordinary.json', { body: JSON.stringify([{ id: 1, title: 'x' }]) });
    expect((await inspectObject(client, C, 'ordinary.json')).notes).toEqual([]);
  });

  it('a DLO: real size from its segments (not 0 bytes), DLO etag, segments in listing order', async () => {
    await putSeg(S, 'dlo/part-000', A);
    await putSeg(S, 'dlo/part-001', B);
    await putSeg(S, 'dlo/part-002', Cc);
    await putObject(client, C, 'dlo', { body: '', headers: { 'x-object-manifest': `${encodeURIComponent(S)}/dlo/part-` } });
    const r = await inspectObject(client, C, 'dlo');
    expect(r.kind).toBe('dlo');
    expect(r.size).toBe(27);
    expect(r.dlo).toEqual({ container: S, prefix: 'dlo/part-' });
    expect(r.segments.map((s) => [s.path, s.offset, s.size])).toEqual([[`${S}/dlo/part-000`, 0, 10], [`${S}/dlo/part-001`, 10, 10], [`${S}/dlo/part-002`, 20, 7]]);
    expect(r.etagMatches).toBe(true);
    expect(r.notes.join(' ')).toMatch(/Dynamic Large Object/);
    const resolved = await resolveObject(client, C, 'dlo');
    expect(resolved.depth).toBe(1);
  });

  it('a plain object resolves to zero segments', async () => {
    await putObject(client, C, 'plain.txt', { body: 'just text' });
    const r = await resolveObject(client, C, 'plain.txt');
    expect(r).toMatchObject({ kind: 'plain', size: 9, depth: 0, segments: [], tree: [] });
    expect(r.etag).toBe(md5Hex('just text'));
  });

  it('a missing object is a not-found error naming it', async () => {
    await expect(inspectObject(client, C, 'nope')).rejects.toMatchObject({ kind: 'not-found', message: expect.stringContaining(`${C}/nope`) });
  });
});

describe('verify', () => {
  it('a healthy SLO: every distinct segment checked once, nested ones too', async () => {
    const progress: number[] = [];
    const v = await verifyObject(client, C, 'nested', { onProgress: (d) => progress.push(d) });
    expect(v.ok).toBe(true);
    // flat/1, sub, flat/2, flat/3 — the second reference to sub adds nothing new.
    expect(v.checked).toBe(4);
    expect(v.segments.map((s) => s.path)).toEqual([`${S}/flat/1`, `${S}/sub`, `${S}/flat/2`, `${S}/flat/3`]);
    expect(v.summary).toBe('All 4 segments are present and match the manifest.');
    expect(progress.at(-1)).toBe(4);
  });

  it('detects a missing segment and a segment overwritten with other bytes of the same size', async () => {
    const segs = ['v/0', 'v/1', 'v/2', 'v/3'];
    for (const s of segs) await putSeg(S, s, `${s}-payload`);
    await putSlo(C, 'to-break', segs.map((s) => ({ path: `/${S}/${s}` })));
    expect((await verifyObject(client, C, 'to-break')).ok).toBe(true);
    await deleteObject(client, S, 'v/1');
    await putSeg(S, 'v/2', 'v/2-PAYLOAD'); // same size, different bytes
    const v = await verifyObject(client, C, 'to-break', { concurrency: 2 });
    expect(v.ok).toBe(false);
    expect(v.checked).toBe(4);
    expect(v.problems).toBe(2);
    expect(v.segments.map((s) => s.status)).toEqual(['ok', 'missing', 'etag-mismatch', 'ok']);
    expect(v.segments[1]!.message).toBe(`Segment ${S}/v/1 is missing (404 Not Found).`);
    expect(v.segments[2]!.message).toContain(`${S}/v/2`);
    expect(v.segments[2]!.actualEtag).toBe(md5Hex('v/2-PAYLOAD'));
    expect(v.segments[2]!.expectedEtag).toBe(md5Hex('v/2-payload'));
    expect(v.summary).toBe('2 of 4 segments have problems: 1 missing, 1 etag mismatch.');
  });

  it('detects a size change and a sub-manifest replaced by a plain object', async () => {
    await putSeg(S, 'w/0', 'abcdef');
    await putSlo(S, 'w/sub', [{ path: `/${S}/w/0` }]);
    await putSeg(S, 'w/1', 'ghijkl');
    await putSlo(C, 'w', [{ path: `/${S}/w/sub` }, { path: `/${S}/w/1` }]);
    await putSeg(S, 'w/1', 'gh');
    await putObject(client, S, 'w/sub', { body: 'abcdef' }); // same size, but no longer an SLO
    const v = await verifyObject(client, C, 'w');
    expect(v.segments.map((s) => [s.path, s.status])).toEqual([[`${S}/w/sub`, 'etag-mismatch'], [`${S}/w/1`, 'size-mismatch']]);
    expect(v.segments[0]!.message).toMatch(/no longer a Static Large Object/);
    expect(v.summary).toBe('2 of 2 segments have problems: 1 size mismatch, 1 etag mismatch.');
  });

  it('inspect still shows an SLO whose sub-manifest was replaced; resolve (for downloads) refuses it', async () => {
    const r = await inspectObject(client, C, 'w');
    expect(r.kind).toBe('slo');
    expect(r.tree.map((n) => [n.kind, n.path, n.size])).toEqual([['sub-slo', `${S}/w/sub`, 6], ['segment', `${S}/w/1`, 6]]);
    expect(r.segments.map((s) => [s.path, s.offset])).toEqual([[`${S}/w/1`, 6]]);
    expect(r.notes.join(' ')).toContain(`The sub-manifest ${S}/w/sub used by ${C}/w cannot be read`);
    await expect(resolveObject(client, C, 'w')).rejects.toMatchObject({ kind: 'invalid', message: expect.stringContaining(`sub-manifest ${S}/w/sub`) });
  });

  it('a plain object has nothing to check; a DLO checks its listed segments exist', async () => {
    const p = await verifyObject(client, C, 'plain.txt');
    expect(p).toMatchObject({ ok: true, kind: 'plain', checked: 0, problems: 0 });
    expect(p.summary).toMatch(/plain object/);
    const d = await verifyObject(client, C, 'dlo');
    expect(d).toMatchObject({ ok: true, kind: 'dlo', checked: 3, problems: 0 });
    expect(d.summary).toBe('All 3 segments are present.');
  });
});
