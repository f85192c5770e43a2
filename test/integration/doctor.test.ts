// The manifest doctor against the real sandbox. THE STORY, generically: segments uploaded by hand, a manifest written
// by hand with a misspelled size key, a mistyped container, made-up etags and wrong sizes, PUT with a misspelled
// query so Swift stored it as plain data. The doctor must name every problem and --fix must turn it into a real SLO.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DoctorFixResult, DoctorReport, type Finding } from '../../app/rpc/contract.ts';
import { diagnose, explainSwiftError, fixObject } from '../../app/slo/doctor.ts';
import { putManifest } from '../../app/slo/manifest-put.ts';
import type { SwiftClient } from '../../app/swift/client.ts';
import { SwiftError } from '../../app/swift/errors.ts';
import { createContainer, deleteObject, headObject, putObject } from '../../app/swift/objects.ts';
import { runSlo } from '../helpers/cli.ts';
import { md5 } from '../helpers/files.ts';
import { removeContainers, sandboxClient, swiftEnv } from '../helpers/swift.ts';

const RUN = `dr${randomBytes(3).toString('hex')}`;

let client: SwiftClient;
const containers = new Set<string>();

async function ensureContainer(name: string): Promise<void> {
  containers.add(name);
  await createContainer(client, name);
}

async function upload(container: string, object: string, body: Buffer | string): Promise<string> {
  return (await putObject(client, container, object, { body: Buffer.from(body) })).etag;
}

async function getText(container: string, object: string): Promise<{ status: number; body: Buffer; headers: Record<string, string> }> {
  const res = await client.stream({ method: 'GET', container, object, ok: () => true });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.body.arrayBuffer()) };
}

/** A PUT exactly as a user with curl would send it: any query, any body, no help from SLO Studio. */
async function handPut(container: string, object: string, body: string, query: Record<string, string>, headers: Record<string, string> = {}) {
  return client.request({ method: 'PUT', container, object, query, headers: { 'content-length': String(Buffer.byteLength(body)), ...headers }, body, ok: () => true, retries: 0 });
}

interface StoryParams {
  /** Also create the mistyped container (empty), so the path's container exists but the segments are elsewhere. */
  typoExists?: boolean;
  /** Container the segments really are in, and the typo the user wrote instead. */
  real: string;
  typo: string;
  names: string[];
  contents: string[];
  /** The key used instead of size_bytes, and instead of etag. */
  sizeKey: string;
  etagKey: string;
  /** How the query was misspelled. */
  query: Record<string, string>;
  object: string;
}

/** Uploads the segments and PUTs a hand-made bad manifest as the user did; returns what was sent. */
async function recreateStory(p: StoryParams) {
  await ensureContainer(p.real);
  if (p.typoExists) await ensureContainer(p.typo);
  const etags: string[] = [];
  for (let i = 0; i < p.names.length; i++) etags.push(await upload(p.real, p.names[i]!, p.contents[i]!));
  const madeUp = p.names.map((_, i) => md5(`made-up-${i}-${RUN}`));
  const wrongSizes = p.contents.map((c) => Buffer.byteLength(c) + 1);
  const manifest = p.names.map((n, i) => ({ path: `/${p.typo}/${n}`, [p.etagKey]: madeUp[i], [p.sizeKey]: wrongSizes[i] }));
  const body = JSON.stringify(manifest);
  const res = await handPut(p.real, p.object, body, p.query);
  expect(res.status).toBe(201); // Swift ignores the misspelled query: "it worked", silently
  const stat = await headObject(client, p.real, p.object);
  expect(stat.kind).toBe('plain');
  expect(stat.size).toBe(Buffer.byteLength(body));
  expect(stat.headers['x-static-large-object']).toBeUndefined();
  return { etags, madeUp, wrongSizes, manifest, body };
}

function only(findings: Finding[], code: string, index: number | null): Finding {
  const f = findings.filter((x) => x.code === code && x.index === index);
  expect(f, `${code} at ${index}: ${JSON.stringify(findings.map((x) => [x.code, x.index]))}`).toHaveLength(1);
  return f[0]!;
}

const runCli = (args: string[]) => runSlo(args, { env: swiftEnv() });

beforeAll(async () => {
  client = sandboxClient();
  await client.auth();
});

afterAll(async () => {
  await removeContainers(client, ...containers);
  await client.close();
});

const stories: Array<[string, Omit<StoryParams, 'real' | 'typo' | 'object'> & { real: string; typo: string }]> = [
  [
    'the story itself (contl for cont1, "size bytes", ?multiaprt-manifest=put, 4-byte segments)',
    { real: 'cont1', typo: 'contl', names: ['seg1', 'seg2', 'seg3'], contents: ['aaaa', 'bbbb', 'cccc'], sizeKey: 'size bytes', etagKey: 'etag', query: { 'multiaprt-manifest': 'put' } },
  ],
  [
    'another user (a transposed container, "Size_Bytes" and "etga", ?multipart_manifest=put, odd sizes, names with folders)',
    { real: 'photos', typo: 'photso', names: ['vid/part-00', 'vid/part-01', 'vid/part-02', 'vid/part-03'], contents: ['x'.repeat(7), 'yz'.repeat(13), 'q', '0123456789'], sizeKey: 'Size_Bytes', etagKey: 'etga', query: { multipart_manifest: 'put' } },
  ],
  [
    'a third (a case-and-digit slip, "sizebytes", "md5", no query at all, one segment)',
    { real: 'Backup2024', typo: 'backup2O24', names: ['only.bin'], contents: ['just one segment here'], sizeKey: 'sizebytes', etagKey: 'md5', query: {} },
  ],
  [
    'a fourth (the mistyped container exists too — in capitals — "size-bytes", ?multipart-manifest=get on a PUT)',
    { real: 'ProjectX', typo: 'PROJECTX', typoExists: true, names: ['a/0', 'a/1'], contents: ['first half, ', 'second half'], sizeKey: 'size-bytes', etagKey: 'etag', query: { 'multipart-manifest': 'get' } },
  ],
];

describe('doctor: a manifest stored as plain data (THE STORY, generically)', () => {
  for (const [title, params] of stories) {
    it(title, async () => {
      const p: StoryParams = { ...params, real: `${RUN}-${params.real}`, typo: `${RUN}-${params.typo}`, object: `story-${params.real}.json` };
      const s = await recreateStory(p);
      const report = await diagnose(client, p.real, p.object);

      expect(DoctorReport.parse(report)).toEqual(report); // what crosses the RPC boundary
      expect(report.kind).toBe('plain');
      expect(report.isSlo).toBe(false);
      const notSlo = only(report.findings, 'not-an-slo', null);
      expect(notSlo.severity).toBe('error');
      expect(notSlo.message).toMatch(/not a Static Large Object — it was stored as ordinary data/);
      expect(notSlo.message).toMatch(/multipart-manifest=put/);
      expect(notSlo.message).toMatch(/misspell/);

      p.names.forEach((name, i) => {
        const keys = report.findings.filter((f) => f.index === i && f.code === 'misspelled-key');
        expect(keys).toHaveLength(p.etagKey === 'etag' ? 1 : 2);
        expect(keys.every((f) => f.severity === 'error')).toBe(true);
        const size = keys.find((f) => f.message.startsWith(`Entry ${i}: "${p.sizeKey}"`));
        expect(size?.suggestion).toBe(`Rename "${p.sizeKey}" to "size_bytes".`);
        if (p.etagKey !== 'etag') expect(keys.map((f) => f.suggestion)).toContain(`Rename "${p.etagKey}" to "etag".`);
        if (p.typoExists) {
          const seg = only(report.findings, 'segment-missing', i);
          expect(seg.message).toContain(`/${p.typo}/${name}`);
          expect(seg.suggestion).toBe(`Did you mean "/${p.real}/${name}"? It exists.`);
        } else {
          const cont = only(report.findings, 'container-missing', i);
          expect(cont.message).toContain(`"${p.typo}"`);
          expect(cont.suggestion).toContain(`"${p.real}"`);
        }
        const etag = only(report.findings, 'etag-mismatch', i);
        expect(etag.message).toContain(s.madeUp[i]!);
        expect(etag.message).toContain(s.etags[i]!);
        expect(etag.suggestion).toContain(s.etags[i]!);
        const sz = only(report.findings, 'size-mismatch', i);
        expect(sz.message).toContain(String(s.wrongSizes[i]));
        expect(sz.message).toContain(`is ${Buffer.byteLength(p.contents[i]!)} bytes`);
      });
      // The doctor quotes Swift exactly: PUT the same JSON with the right query and compare the "Index N" lines.
      const swiftSays = await handPut(p.real, `${p.object}.check`, s.body, { 'multipart-manifest': 'put' });
      expect(swiftSays.status).toBe(400);
      const lines = swiftSays.text.trim().split('\n');
      expect(lines).toHaveLength(p.names.length);
      lines.forEach((line, i) => {
        expect(line).toMatch(new RegExp(`^Index ${i}: extraneous keys`));
        expect(report.findings.filter((f) => f.index === i && f.code === 'misspelled-key').every((f) => f.message.includes(line))).toBe(true);
      });
      expect(explainSwiftError(swiftSays.text, s.manifest, 400).map((f) => [f.index, f.code])).toEqual(
        p.names.flatMap((_, i) => (p.etagKey === 'etag' ? [[i, 'misspelled-key']] : [[i, 'misspelled-key'], [i, 'misspelled-key']])),
      );

      // Nothing else is reported missing: every segment exists under the corrected path.
      expect(report.findings.filter((f) => f.code === 'segment-missing' || f.code === 'container-missing')).toHaveLength(p.names.length);

      // The proposed fix: real paths, etags and sizes, in the original order.
      expect(report.manifest).toEqual(p.names.map((n, i) => ({ path: `/${p.real}/${n}`, etag: s.etags[i], size_bytes: Buffer.byteLength(p.contents[i]!) })));
      expect(report.fixPlan?.etag).toBe(md5(s.etags.join('')));
      expect(report.summary).toMatch(/NOT an SLO/);

      // Proposing writes nothing.
      const proposed = await fixObject(client, p.real, p.object, { confirm: false });
      expect(proposed.replaced).toBe(false);
      expect((await headObject(client, p.real, p.object)).kind).toBe('plain');

      const fixed = await fixObject(client, p.real, p.object, { confirm: true });
      expect(fixed.replaced).toBe(true);
      expect(DoctorFixResult.parse(fixed)).toEqual(fixed);
      expect(fixed.etag).toBe(md5(s.etags.join('')));
      const head = await headObject(client, p.real, p.object);
      expect(head.headers['x-static-large-object']).toBe('True');
      expect(head.etag).toBe(md5(s.etags.join('')));
      const got = await getText(p.real, p.object);
      expect(got.status).toBe(200);
      expect(got.body.toString()).toBe(p.contents.join(''));

      const after = await diagnose(client, p.real, p.object);
      expect(after.isSlo).toBe(true);
      expect(after.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(after.findings.map((f) => f.code)).toContain('slo-ok');
    });
  }

  it('the CLI: --json lists every problem and exits 1; --fix --yes writes a valid SLO and exits 0', async () => {
    const p: StoryParams = { real: `${RUN}-cli1`, typo: `${RUN}-cli`, names: ['a', 'b', 'c'], contents: ['1111', '2222', '33'], sizeKey: 'size bytes', etagKey: 'etag', query: { 'multiaprt-manifest': 'put' }, object: 'cli-story' };
    // typo "…-cli" is one deletion away from "…-cli1"
    const s = await recreateStory(p);

    const json = await runCli(['doctor', `${p.real}/${p.object}`, '--json']);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as { kind: string; isSlo: boolean; findings: Array<Record<string, unknown>> };
    expect(Object.keys(parsed)).toEqual(['kind', 'isSlo', 'findings']);
    expect(parsed.kind).toBe('plain');
    expect(parsed.isSlo).toBe(false);
    for (const f of parsed.findings) expect(Object.keys(f)).toEqual(['severity', 'code', 'index', 'message', 'suggestion']);
    const codes = parsed.findings.map((f) => `${f.code}@${f.index}`);
    expect(codes).toContain('not-an-slo@null');
    for (const i of [0, 1, 2]) for (const c of ['misspelled-key', 'container-missing', 'etag-mismatch', 'size-mismatch']) expect(codes).toContain(`${c}@${i}`);

    const human = await runCli(['doctor', `${p.real}/${p.object}`]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('✗ error');
    expect(human.stdout).toContain('[not-an-slo]');
    expect(human.stdout).toContain('Rename "size bytes" to "size_bytes"');
    expect(human.stdout).toContain(`Did you mean "${p.real}"?`);
    expect(human.stdout).toMatch(/\nVerdict: .*NOT an SLO/);

    const noYes = await runCli(['doctor', `${p.real}/${p.object}`, '--fix']);
    expect(noYes.code).toBe(1); // not a TTY and no --yes: shows the fix, writes nothing
    expect(noYes.stdout).toContain('Proposed manifest');
    expect(noYes.stdout).toContain('--yes');
    expect((await headObject(client, p.real, p.object)).kind).toBe('plain');

    const fix = await runCli(['doctor', `${p.real}/${p.object}`, '--fix', '--yes']);
    expect(fix.stderr).toBe('');
    expect(fix.code).toBe(0);
    expect(fix.stdout).toMatch(/Fixed: Replaced .* valid SLO of 3 entries/);
    const head = await headObject(client, p.real, p.object);
    expect(head.headers['x-static-large-object']).toBe('True');
    expect(head.etag).toBe(md5(s.etags.join('')));
    expect((await getText(p.real, p.object)).body.toString()).toBe('1111222233');

    const again = await runCli(['doctor', `${p.real}/${p.object}`, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ kind: 'slo', isSlo: true });
  });

  it('picks the close container that really holds the segment when several names are close', async () => {
    const real = `${RUN}-box1`;
    const decoy = `${RUN}-box2`;
    await ensureContainer(real);
    await ensureContainer(decoy);
    const etag = await upload(real, 'part', 'payload!');
    await upload(decoy, 'other', 'zz');
    await handPut(real, 'm', JSON.stringify([{ path: `/${RUN}-boxl/part`, etag, size_bytes: 8 }]), { 'multipart-manifest': 'pt' });
    const r = await diagnose(client, real, 'm');
    const cont = only(r.findings, 'container-missing', 0);
    expect(cont.suggestion).toContain(`"${real}"`);
    expect(r.manifest).toEqual([{ path: `/${real}/part`, etag, size_bytes: 8 }]);
  });

  it('suggests close segment names and refuses to guess between several', async () => {
    const c = `${RUN}-segs`;
    await ensureContainer(c);
    const e1 = await upload(c, 'chunk-001', 'abc');
    await upload(c, 'chunk-002', 'def');
    await upload(c, 'chunk-003', 'ghi');
    await upload(c, 'intro.txt', 'hello');
    // "intro.txx" has one close name; "chunk-009" has three (ambiguous).
    await handPut(c, 'bad', JSON.stringify([{ path: `/${c}/chunk-001`, etag: e1, size_bytes: 3 }, { path: `/${c}/intro.txx`, etag: null, size_bytes: null }, { path: `/${c}/chunk-009` }]), {});
    const r = await diagnose(client, c, 'bad');
    expect(only(r.findings, 'segment-missing', 1).suggestion).toBe(`Did you mean "/${c}/intro.txt"? It exists.`);
    const amb = only(r.findings, 'segment-missing', 2);
    expect(amb.suggestion).toMatch(/chunk-00[23]/);
    expect(r.findings.filter((f) => f.code === 'etag-null').map((f) => f.index)).toEqual([1]);
    // chunk-001 is used by entry 0, so it is not offered for entry 2.
    expect(amb.suggestion).not.toContain('chunk-001');
    expect(r.manifest).toBeUndefined();
    // What blocks the fix is data: which entry, and that leaving it out (--drop-missing, or the GUI's option) helps.
    expect(r.fixBlocked).toMatchObject({ entries: [2], dropMissingHelps: true });
    expect(r.fixBlocked?.message).toMatch(/#2.*cannot be found/);

    const dropped = await fixObject(client, c, 'bad', { confirm: true, dropMissing: true });
    expect(dropped.replaced).toBe(true);
    expect(dropped.manifest).toEqual([
      { path: `/${c}/chunk-001`, etag: e1, size_bytes: 3 },
      { path: `/${c}/intro.txt`, etag: md5('hello'), size_bytes: 5 },
    ]);
    expect((await getText(c, 'bad')).body.toString()).toBe('abchello');
  });

  it('explains a GET-format manifest stored as data and maps name/hash/bytes', async () => {
    const c = `${RUN}-getfmt`;
    await ensureContainer(c);
    const e1 = await upload(c, 's1', 'one-');
    const e2 = await upload(c, 's2', 'two');
    const getFormat = [
      { name: `/${c}/s1`, hash: e1, bytes: 4, content_type: 'application/octet-stream', last_modified: '2024-01-01T00:00:00.000000' },
      { name: `/${c}/s2`, hash: e2, bytes: 3, content_type: 'application/octet-stream', last_modified: '2024-01-01T00:00:00.000000' },
    ];
    // With the right query, this Swift answers a GET-format manifest with a bare 500.
    const refused = await handPut(c, 'copied', JSON.stringify(getFormat), { 'multipart-manifest': 'put' });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    const explained = explainSwiftError(refused.text, getFormat, refused.status);
    expect(explained.map((f) => f.index)).toEqual(expect.arrayContaining([0, 1]));
    expect(explained.every((f) => /GET format|"name"/.test(f.message + (f.suggestion ?? '')))).toBe(true);

    await handPut(c, 'copied', JSON.stringify(getFormat), {});
    const r = await diagnose(client, c, 'copied');
    only(r.findings, 'not-an-slo', null);
    const k = r.findings.filter((f) => f.code === 'get-format-key' && f.index === 0);
    expect(k.map((f) => f.suggestion)).toEqual(expect.arrayContaining([expect.stringContaining('"path"'), expect.stringContaining('"etag"'), expect.stringContaining('"size_bytes"')]));
    expect(r.findings.filter((f) => f.code === 'etag-mismatch' || f.code === 'size-mismatch')).toEqual([]);
    expect(r.manifest).toEqual([
      { path: `/${c}/s1`, etag: e1, size_bytes: 4 },
      { path: `/${c}/s2`, etag: e2, size_bytes: 3 },
    ]);
  });
});

describe("doctor: Swift's own refusals", () => {
  it('maps the 400 body of a correct PUT with wrong etags, sizes and a missing segment to entry indexes', async () => {
    const c = `${RUN}-refuse`;
    await ensureContainer(c);
    const e1 = await upload(c, 's1', 'first');
    await upload(c, 's2', 'second');
    const entries = [
      { path: `/${c}/s1`, etag: e1, size_bytes: null },
      { path: `/${c}/s2`, etag: md5('not it'), size_bytes: 6 },
      { path: `/${c}/nope`, etag: null, size_bytes: null },
      { path: `/${c}/s1`, etag: e1, size_bytes: 99 },
    ];
    const res = await handPut(c, 'm', JSON.stringify(entries), { 'multipart-manifest': 'put' });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/^Errors:/);
    const f = explainSwiftError(res.text, entries, res.status);
    expect(f.map((x) => [x.index, x.code]).sort()).toEqual([
      [1, 'etag-mismatch'],
      [2, 'segment-missing'],
      [3, 'size-mismatch'],
    ]);
    expect(f.find((x) => x.index === 1)!.message).toContain(`/${c}/s2`);

    // Key errors come back as "Index N: …" lines.
    const keyed = [{ path: `/${c}/s1`, etag: e1, size_bytes: 5 }, { path: `/${c}/s2`, 'size bytes': 6 }];
    const res2 = await handPut(c, 'm', JSON.stringify(keyed), { 'multipart-manifest': 'put' });
    expect(res2.status).toBe(400);
    expect(res2.text.trim()).toBe('Index 1: extraneous keys "size bytes"');
    expect(explainSwiftError(res2.text, keyed, 400)).toEqual([expect.objectContaining({ index: 1, code: 'misspelled-key', suggestion: 'Rename "size bytes" to "size_bytes".' })]);

    // The heartbeat form: 202, then JSON whose Errors are not in entry order.
    const res3 = await handPut(c, 'm', JSON.stringify(entries), { 'multipart-manifest': 'put', heartbeat: 'on' }, { accept: 'application/json' });
    expect(res3.status).toBe(202);
    const f3 = explainSwiftError(res3.text, entries, res3.status);
    expect(f3.map((x) => [x.index, x.code]).sort()).toEqual([
      [1, 'etag-mismatch'],
      [2, 'segment-missing'],
      [3, 'size-mismatch'],
    ]);
    // Nothing was stored under the name.
    expect((await getText(c, 'm')).status).toBe(404);
  });

  it('a refused manifest PUT leaves the object already under that name untouched', async () => {
    const c = `${RUN}-atomic`;
    await ensureContainer(c);
    const segEtag = await upload(c, 'seg', 'segment bytes');
    const oldEtag = await upload(c, 'obj', 'the original content');
    await expect(putManifest(client, c, 'obj', [{ path: `/${c}/seg`, etag: md5('wrong'), size_bytes: 13 }])).rejects.toThrow(/Etag Mismatch/);
    const kept = await getText(c, 'obj');
    expect(kept.body.toString()).toBe('the original content');
    expect(kept.headers['etag']).toBe(oldEtag);
    expect(kept.headers['x-static-large-object']).toBeUndefined();
    // The same PUT with the right etag replaces it.
    await putManifest(client, c, 'obj', [{ path: `/${c}/seg`, etag: segEtag, size_bytes: 13 }]);
    expect((await getText(c, 'obj')).body.toString()).toBe('segment bytes');
  });

  it('fixObject: when the manifest PUT is refused, the mistaken object stays as it was', async () => {
    const c = `${RUN}-race`;
    await ensureContainer(c);
    const e1 = await upload(c, 'p1', 'part one ');
    const e2 = await upload(c, 'p2', 'part two');
    const body = JSON.stringify([{ path: `/${c}/p1`, etag: e1, sizebytes: 9 }, { path: `/${c}/p2`, etag: e2, sizebytes: 8 }]);
    await handPut(c, 'x', body, { 'multiaprt-manifest': 'put' });
    // A segment disappears between the diagnosis and the write: Swift refuses, the object is not replaced.
    const attempt = fixObject(client, c, 'x', { confirm: true, approve: async () => (await deleteObject(client, c, 'p2'), true) });
    await expect(attempt).rejects.toThrow(/left as it was/);
    const kept = await getText(c, 'x');
    expect(kept.body.toString()).toBe(body);
    expect(kept.headers['x-static-large-object']).toBeUndefined();
  });

  it('a path without a leading slash: Swift accepts it and stores "/container/object"; the doctor says so', async () => {
    const c = `${RUN}-slash`;
    await ensureContainer(c);
    const e = await upload(c, 'seg', 'abcdef');
    const res = await handPut(c, 'ok', JSON.stringify([{ path: `${c}/seg`, etag: e, size_bytes: 6 }]), { 'multipart-manifest': 'put' });
    expect(res.status).toBe(201);
    const raw = await client.json<Array<{ path: string }>>({ method: 'GET', container: c, object: 'ok', query: { 'multipart-manifest': 'get', format: 'raw' } });
    expect(raw.data[0]!.path).toBe(`/${c}/seg`);
    await handPut(c, 'plain', JSON.stringify([{ path: `${c}/seg`, etag: e, size_bytes: 6 }]), {});
    const r = await diagnose(client, c, 'plain');
    expect(only(r.findings, 'path-no-leading-slash', 0).severity).toBe('info');
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual(['not-an-slo']);
    expect(r.manifest).toEqual([{ path: `/${c}/seg`, etag: e, size_bytes: 6 }]);
  });
});

describe('doctor: real SLOs', () => {
  let c = '';
  const parts = ['alpha-', 'beta-', 'gamma-', 'delta'];
  let etags: string[] = [];

  beforeAll(async () => {
    c = `${RUN}-real`;
    await ensureContainer(c);
    etags = [];
    for (let i = 0; i < parts.length; i++) etags.push(await upload(c, `seg/${i}`, parts[i]!));
  });

  const put = (name: string, idx: number[]) => putManifest(client, c, name, idx.map((i) => ({ path: `/${c}/seg/${i}`, etag: etags[i]!, size_bytes: parts[i]!.length })));

  it('a healthy SLO (and one nested in another) has no errors', async () => {
    await put('healthy', [0, 1, 2, 3]);
    const r = await diagnose(client, c, 'healthy');
    expect(r).toMatchObject({ kind: 'slo', isSlo: true, size: parts.join('').length });
    expect(r.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(r.findings.map((f) => f.code)).toEqual(['slo-ok']);
    expect(r.manifest).toBeUndefined();
    expect(r.summary).toMatch(/healthy SLO/);

    const top = await headObject(client, c, 'healthy');
    await putManifest(client, c, 'outer', [{ path: `/${c}/healthy`, etag: top.etag, size_bytes: top.size }, { path: `/${c}/seg/0`, etag: etags[0]!, size_bytes: 6 }]);
    const n = await diagnose(client, c, 'outer');
    expect(n.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(n.findings.map((f) => f.code)).toEqual(['nested', 'slo-ok']);
  });

  it('a deleted segment is a missing-segment error; the fix refuses unless told to drop it', async () => {
    await upload(c, 'seg/gone', 'will vanish');
    const goneEtag = md5('will vanish');
    await putManifest(client, c, 'broken', [
      { path: `/${c}/seg/0`, etag: etags[0]!, size_bytes: 6 },
      { path: `/${c}/seg/gone`, etag: goneEtag, size_bytes: 11 },
      { path: `/${c}/seg/3`, etag: etags[3]!, size_bytes: 5 },
    ]);
    await deleteObject(client, c, 'seg/gone');
    const r = await diagnose(client, c, 'broken');
    expect(r.isSlo).toBe(true);
    const missing = only(r.findings, 'segment-missing', 1);
    expect(missing.severity).toBe('error');
    expect(missing.message).toContain(`/${c}/seg/gone`);
    expect(missing.message).toMatch(/deleted/);
    // A stored SLO's missing segment is never "corrected" to a neighbour's name.
    expect(r.manifest).toBeUndefined();
    expect(r.fixBlocked).toMatchObject({ entries: [1], dropMissingHelps: true });
    expect(missing.action).toBe('doctor-fix-drop-missing');

    const refused = await fixObject(client, c, 'broken', { confirm: true });
    expect(refused.replaced).toBe(false);
    const fixed = await fixObject(client, c, 'broken', { confirm: true, dropMissing: true });
    expect(fixed.replaced).toBe(true);
    expect((await getText(c, 'broken')).body.toString()).toBe('alpha-delta');
    expect((await diagnose(client, c, 'broken')).findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('a segment overwritten after the manifest was written is an etag (and size) change', async () => {
    await upload(c, 'seg/mut', 'original');
    await putManifest(client, c, 'changed', [{ path: `/${c}/seg/0`, etag: etags[0]!, size_bytes: 6 }, { path: `/${c}/seg/mut`, etag: md5('original'), size_bytes: 8 }]);
    await upload(c, 'seg/mut', 'rewritten!');
    const r = await diagnose(client, c, 'changed');
    const e = only(r.findings, 'etag-mismatch', 1);
    expect(e.message).toMatch(/changed after the manifest was written/);
    expect(e.message).toContain(md5('original'));
    expect(e.message).toContain(md5('rewritten!'));
    expect(only(r.findings, 'size-mismatch', 1).message).toContain('8 bytes');
    const fixed = await fixObject(client, c, 'changed', { confirm: true });
    expect(fixed.replaced).toBe(true);
    expect((await getText(c, 'changed')).body.toString()).toBe('alpha-rewritten!');
  });

  it('plain objects that are not manifests, DLOs and missing objects', async () => {
    await upload(c, 'notes.txt', 'just some text, not JSON');
    const plain = await diagnose(client, c, 'notes.txt');
    expect(plain.findings).toEqual([expect.objectContaining({ code: 'plain-object', severity: 'info' })]);
    await upload(c, 'data.json', JSON.stringify([{ id: 1, title: 'not a manifest' }]));
    expect((await diagnose(client, c, 'data.json')).findings.map((f) => f.code)).toEqual(['plain-object']);

    await putObject(client, c, 'dlo', { body: Buffer.alloc(0), headers: { 'x-object-manifest': `${c}/seg/` } });
    const dlo = await diagnose(client, c, 'dlo');
    expect(dlo.kind).toBe('dlo');
    expect(dlo.findings.map((f) => f.code)).toEqual(['dlo']);

    const missing = await diagnose(client, c, 'healthi');
    expect(missing.size).toBeNull();
    expect(only(missing.findings, 'object-missing', null).suggestion).toContain('"healthy"');
    const noContainer = await diagnose(client, `${RUN}-reel`, 'x');
    expect(only(noContainer.findings, 'container-missing', null).suggestion).toContain(`"${c}"`);
  });

  it('rejects bad input with a SwiftError, never a crash', async () => {
    await expect(diagnose(client, c, '')).rejects.toBeInstanceOf(SwiftError);
  });
});
