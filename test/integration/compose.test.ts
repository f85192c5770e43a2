// The manifest composer against the real sandbox: SLOs from existing objects, ranges, inline data, nested SLOs and
// prefixes; GET equals the expected bytes and Swift's ETag equals the prediction; limits refused before any PUT.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComposePreview, ComposeResult } from '../../app/rpc/contract.ts';
import { composeManifest, createComposed, loadForEdit, saveEdited } from '../../app/slo/compose.ts';
import { diagnose } from '../../app/slo/doctor.ts';
import { putManifest } from '../../app/slo/manifest-put.ts';
import type { SwiftClient } from '../../app/swift/client.ts';
import { SwiftError } from '../../app/swift/errors.ts';
import { capabilities } from '../../app/swift/info.ts';
import { createContainer, headObject, putObject } from '../../app/swift/objects.ts';
import { runSlo } from '../helpers/cli.ts';
import { md5 } from '../helpers/files.ts';
import { removeContainers, sandboxClient, swiftEnv } from '../helpers/swift.ts';

const C = `cmp${randomBytes(3).toString('hex')}`;

let client: SwiftClient;
const content: Record<string, Buffer> = {};

async function upload(name: string, body: string | Buffer): Promise<string> {
  content[name] = Buffer.from(body);
  return (await putObject(client, C, name, { body: Buffer.from(body) })).etag;
}

async function get(name: string): Promise<{ status: number; body: Buffer }> {
  const res = await client.stream({ method: 'GET', container: C, object: name, ok: () => true });
  return { status: res.status, body: Buffer.from(await res.body.arrayBuffer()) };
}

const runCli = (args: string[]) => runSlo(args, { env: swiftEnv() });

beforeAll(async () => {
  client = sandboxClient();
  await createContainer(client, C);
  await upload('a.txt', 'Alpha content; ');
  await upload('b.txt', 'Bravo, a little longer; ');
  await upload('c.txt', 'Charlie.');
  await upload('parts/001', 'p1-');
  await upload('parts/002', 'p2-');
  await upload('parts/003', 'p3');
  await upload('parts/empty', '');
});

afterAll(async () => {
  await removeContainers(client, C);
  await client.close();
});

describe('composeManifest / createComposed', () => {
  it('three objects become an SLO whose GET is their concatenation and whose ETag is the predicted one', async () => {
    const entries = [{ path: `${C}/a.txt` }, { path: `/${C}/b.txt` }, { path: `${C}/c.txt` }];
    const preview = await composeManifest(client, entries, { target: { container: C, object: 'abc' } });
    expect(preview.ok).toBe(true);
    expect(preview.problems).toEqual([]);
    const expected = Buffer.concat([content['a.txt']!, content['b.txt']!, content['c.txt']!]);
    expect(preview.size).toBe(expected.length);
    expect(preview.etag).toBe(md5(md5(content['a.txt']!) + md5(content['b.txt']!) + md5(content['c.txt']!)));
    expect(preview.entries).toEqual(['a.txt', 'b.txt', 'c.txt'].map((n) => ({ path: `/${C}/${n}`, etag: md5(content[n]!), size_bytes: content[n]!.length })));
    await expect(headObject(client, C, 'abc')).rejects.toMatchObject({ kind: 'not-found' }); // a preview writes nothing

    const r = await createComposed(client, C, 'abc', entries);
    expect(r.created).toBe(true);
    expect(ComposePreview.parse(preview)).toEqual(preview);
    expect(ComposeResult.parse(r)).toEqual(r);
    const head = await headObject(client, C, 'abc');
    expect(head.kind).toBe('slo');
    expect(head.etag).toBe(preview.etag);
    expect(head.size).toBe(expected.length);
    expect((await get('abc')).body.equals(expected)).toBe(true);
  });

  it('byte ranges and inline data (text and base64), with the ETag Swift computes', async () => {
    const entries = [
      { data: '<header>' },
      { path: `${C}/a.txt`, range: '0-4' },
      { path: `${C}/b.txt`, range: '-7' },
      { data: Buffer.from([0, 1, 2, 255]).toString('base64'), encoding: 'base64' as const },
      { path: `${C}/c.txt`, range: '3-' },
      { path: `${C}/c.txt`, range: '0-100' }, // covers the whole object: Swift drops the range
    ];
    const preview = await composeManifest(client, entries, { target: { container: C, object: 'ranged' } });
    expect(preview.ok).toBe(true);
    const a = content['a.txt']!;
    const b = content['b.txt']!;
    const c = content['c.txt']!;
    const expected = Buffer.concat([Buffer.from('<header>'), a.subarray(0, 5), b.subarray(b.length - 7), Buffer.from([0, 1, 2, 255]), c.subarray(3), c]);
    expect(preview.size).toBe(expected.length);
    expect(preview.entries[2]).toMatchObject({ range: `${b.length - 7}-${b.length - 1}` });
    expect(preview.entries[5]).not.toHaveProperty('range');
    expect(preview.etag).toBe(md5(md5('<header>') + `${md5(a)}:0-4;` + `${md5(b)}:${b.length - 7}-${b.length - 1};` + md5(Buffer.from([0, 1, 2, 255])) + `${md5(c)}:3-${c.length - 1};` + md5(c)));
    const r = await createComposed(client, C, 'ranged', entries);
    expect((await headObject(client, C, 'ranged')).etag).toBe(r.etag);
    expect((await get('ranged')).body.equals(expected)).toBe(true);
  });

  it('nests an existing SLO using its SLO ETag and total size', async () => {
    await createComposed(client, C, 'inner', [{ path: `${C}/a.txt` }, { path: `${C}/c.txt` }]);
    const inner = await headObject(client, C, 'inner');
    const preview = await composeManifest(client, [{ path: `${C}/b.txt` }, { path: `${C}/inner` }, { path: `${C}/inner`, range: '2-9' }], { target: { container: C, object: 'outer' } });
    expect(preview.ok).toBe(true);
    expect(preview.depth).toBe(2);
    expect(preview.entries[1]).toEqual({ path: `/${C}/inner`, etag: inner.etag, size_bytes: inner.size });
    expect(preview.problems.map((p) => [p.index, p.code])).toEqual([[1, 'sub-slo'], [2, 'sub-slo'], [2, 'duplicate-segment']]);
    await createComposed(client, C, 'outer', [{ path: `${C}/b.txt` }, { path: `${C}/inner` }, { path: `${C}/inner`, range: '2-9' }]);
    const innerBytes = Buffer.concat([content['a.txt']!, content['c.txt']!]);
    expect((await get('outer')).body.equals(Buffer.concat([content['b.txt']!, innerBytes, innerBytes.subarray(2, 10)]))).toBe(true);
    expect((await headObject(client, C, 'outer')).etag).toBe(preview.etag);
  });

  it('everything under a prefix, in listing order, skipping empty objects', async () => {
    const r = await createComposed(client, C, 'from-prefix', [], { prefix: `${C}/parts/` });
    expect(r.entries.map((e) => ('path' in e ? e.path : ''))).toEqual([`/${C}/parts/001`, `/${C}/parts/002`, `/${C}/parts/003`]);
    expect(r.problems.map((p) => p.code)).toEqual(['empty-object-skipped']);
    expect((await get('from-prefix')).body.toString()).toBe('p1-p2-p3');
  });

  it('refuses a composition over max_manifest_segments with a clear message before any request', async () => {
    const max = (await capabilities(client)).slo!.maxManifestSegments;
    const entries = Array.from({ length: max + 1 }, (_, i) => ({ path: `${C}/does-not-matter-${i}` }));
    const seen: string[] = [];
    const off = client.transcript.on((r) => seen.push(`${r.method} ${r.url}`));
    const preview = await composeManifest(client, entries, { target: { container: C, object: 'too-many' } });
    expect(preview.ok).toBe(false);
    expect(preview.problems).toEqual([expect.objectContaining({ code: 'too-many-segments', severity: 'error', index: null })]);
    expect(preview.problems[0]!.message).toContain(`${max + 1} segments`);
    expect(preview.problems[0]!.message).toContain(`at most ${max}`);
    const err = await createComposed(client, C, 'too-many', entries).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SwiftError);
    expect(err).toMatchObject({ kind: 'limit' });
    expect((err as SwiftError).message).toMatch(/Nothing was written .* at most \d+/);
    off();
    expect(seen.filter((s) => !s.includes('/info'))).toEqual([]); // not a single HEAD, let alone a PUT
    await expect(headObject(client, C, 'too-many')).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('reports missing segments, bad ranges, self-references and empty pieces, and writes nothing', async () => {
    const entries = [{ path: `${C}/a.txt`, range: '100-200' }, { path: `${C}/b.tx` }, { path: `${C}/bad` }, { path: `${C}x/c.txt` }, { data: '' }, { path: `${C}/parts/empty` }, { path: `${C}/c.txt`, range: 'x-y' }];
    const p = await composeManifest(client, entries, { target: { container: C, object: 'bad' } });
    expect(p.ok).toBe(false);
    const by = (code: string) => p.problems.filter((x) => x.code === code);
    expect(by('range-unsatisfiable')).toEqual([expect.objectContaining({ index: 0 })]);
    expect(by('segment-missing')[0]).toMatchObject({ index: 1, suggestion: expect.stringContaining(`"/${C}/b.txt"`) }); // paths as in a manifest
    expect(by('self-reference')).toEqual([expect.objectContaining({ index: 2 })]);
    expect(by('container-missing')[0]).toMatchObject({ index: 3, suggestion: expect.stringContaining(`"${C}"`) });
    expect(by('segment-too-small').map((x) => x.index)).toEqual([4, 5]);
    expect(by('range-invalid')).toEqual([expect.objectContaining({ index: 6 })]);
    await expect(createComposed(client, C, 'bad', entries)).rejects.toMatchObject({ kind: 'invalid' });
    expect((await get('bad')).status).toBe(404);
    // Inline data alone is not an SLO.
    expect((await composeManifest(client, [{ data: 'only' }])).problems.map((x) => x.code)).toEqual(['data-only']);
  });

  it('edits an SLO: load its entries, change them, save in place (metadata kept) or under a new name', async () => {
    await createComposed(client, C, 'editable', [{ path: `${C}/a.txt` }, { data: 'MID' }, { path: `${C}/b.txt`, range: '0-5' }], { headers: { 'x-object-meta-owner': 'ann', 'content-type': 'text/plain' } });
    const loaded = await loadForEdit(client, C, 'editable');
    expect(loaded).toEqual([{ path: `${C}/a.txt` }, { data: Buffer.from('MID').toString('base64'), encoding: 'base64' }, { path: `${C}/b.txt`, range: '0-5' }]);
    const edited = [...loaded.slice(1), { path: `${C}/c.txt` }];
    await saveEdited(client, C, 'editable', edited);
    const head = await headObject(client, C, 'editable');
    expect(head.metadata).toMatchObject({ owner: 'ann' });
    expect(head.contentType).toBe('text/plain');
    expect((await get('editable')).body.toString()).toBe(`MID${content['b.txt']!.subarray(0, 6).toString()}Charlie.`);
    await saveEdited(client, C, 'editable', loaded, { saveAs: { container: C, object: 'editable-copy' } });
    expect((await get('editable-copy')).body.toString()).toBe(`Alpha content; MID${content['b.txt']!.subarray(0, 6).toString()}`);
  });
});

describe('nesting depth', () => {
  it('composes up to Swift\'s 10 levels and refuses the 11th; the doctor flags an 11-level SLO Swift accepted', async () => {
    let prev = 'c.txt';
    for (let d = 1; d <= 10; d++) {
      const r = await createComposed(client, C, `deep/${d}`, [{ path: `${C}/${prev}` }]);
      expect(r.depth).toBe(d);
      prev = `deep/${d}`;
    }
    expect((await get('deep/10')).body.toString()).toBe('Charlie.');
    const p = await composeManifest(client, [{ path: `${C}/deep/10` }], { target: { container: C, object: 'deep/11' } });
    expect(p.problems).toEqual([expect.objectContaining({ code: 'too-deep', index: 0, severity: 'error' })]);
    expect(p.problems[0]!.message).toContain('at most 10');
    await expect(createComposed(client, C, 'deep/11', [{ path: `${C}/deep/10` }])).rejects.toMatchObject({ kind: 'limit' });

    // Swift itself accepts the 11th level on PUT and only fails on GET.
    const ten = await headObject(client, C, 'deep/10');
    await putManifest(client, C, 'deep/11', [{ path: `/${C}/deep/10`, etag: ten.etag, size_bytes: ten.size }]);
    expect((await get('deep/11')).status).toBe(409);
    const r = await diagnose(client, C, 'deep/11');
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => [f.code, f.index])).toEqual([['too-deep', 0]]);
    expect(r.manifest).toBeUndefined();
    expect(r.fixBlocked).toMatchObject({ entries: [0], dropMissingHelps: false });
    expect(r.fixBlocked?.message).toMatch(/too deep/);
  });
});

describe('slo compose (CLI)', () => {
  it('composes segments with ranges and inline text; --dry-run writes nothing; errors exit 1', async () => {
    const dry = await runCli(['compose', `${C}/cli-out`, `${C}/a.txt:0-5`, `${C}/c.txt`, '--data', '!', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/Dry run: .* 3 entries, 15 bytes, SLO ETag [0-9a-f]{32}\. Nothing was written\./);
    expect((await get('cli-out')).status).toBe(404);

    const made = await runCli(['compose', `${C}/cli-out`, `${C}/a.txt:0-5`, `${C}/c.txt`, '--data', '!', '--json']);
    expect(made.code).toBe(0);
    const out = JSON.parse(made.stdout) as { created: boolean; etag: string; size: number };
    expect(out).toMatchObject({ created: true, size: 15 });
    expect((await headObject(client, C, 'cli-out')).etag).toBe(out.etag);
    expect((await get('cli-out')).body.toString()).toBe('Alpha Charlie.!');

    const bad = await runCli(['compose', `${C}/cli-bad`, `${C}/nope.txt`]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('[segment-missing]');
    expect(bad.stdout).toContain('Not written');
    expect((await get('cli-bad')).status).toBe(404);

    const prefix = await runCli(['compose', `${C}/cli-prefix`, '--prefix', `${C}/parts/`]);
    expect(prefix.code).toBe(0);
    expect(prefix.stdout).toMatch(/Created .* matches the prediction/);
    expect((await get('cli-prefix')).body.toString()).toBe('p1-p2-p3');
  });
});
