// Static manifest checks: what Swift's slo middleware would refuse (and what it silently tolerates), entry by entry.
import { describe, expect, it } from 'vitest';
import { checkEntries, decodeBase64Strict, parseManifestPath, parseRangeSpec, versionBelow, type Limits } from '../../app/slo/doctor-checks.ts';
import { findManifestInJson } from '../../app/slo/doctor.ts';
import { parseSegmentSpec } from '../../app/slo/compose.ts';

const limits: Limits = { maxManifestSegments: 1000, maxManifestSize: 8 * 1024 * 1024, minSegmentSize: 1, maxNestingDepth: 10, swiftVersion: '2.30.1' };
const target = { container: 'c', object: 'o' };
const codes = (raw: unknown[], l: Limits = limits) => checkEntries(raw, l, target).findings.map((f) => [f.index, f.code, f.severity]);

describe('checkEntries', () => {
  it('reads the story manifest as meant and flags each misspelled key with the right one', () => {
    const raw = [
      { path: '/contl/seg1', etag: 'x'.repeat(32), 'size bytes': 5 },
      { path: '/contl/seg2', etga: 'e'.repeat(32), Size_Bytes: 5 },
    ];
    const r = checkEntries(raw, limits, target);
    expect(r.entries[0]).toMatchObject({ kind: 'segment', container: 'contl', object: 'seg1', size: 5, keyProblems: true });
    expect(r.entries[1]).toMatchObject({ etag: 'e'.repeat(32), size: 5 });
    const keys = r.findings.filter((f) => f.code === 'misspelled-key');
    expect(keys.map((f) => [f.index, f.suggestion])).toEqual([
      [0, 'Rename "size bytes" to "size_bytes".'],
      [1, 'Rename "etga" to "etag".'],
      [1, 'Rename "Size_Bytes" to "size_bytes".'],
    ]);
    expect(keys[0]!.message).toContain('Index 0: extraneous keys "size bytes"');
    // "xxxx…" is not an md5
    expect(r.findings.find((f) => f.code === 'etag-invalid')).toMatchObject({ index: 0, severity: 'warning' });
  });

  it('explains the GET format and maps name/hash/bytes', () => {
    const r = checkEntries([{ name: '/c/s1', hash: 'a'.repeat(32), bytes: 3, content_type: 'text/plain', last_modified: 'x' }], limits, target);
    expect(r.entries[0]).toMatchObject({ kind: 'segment', container: 'c', object: 's1', etag: 'a'.repeat(32), size: 3 });
    expect(r.findings.map((f) => f.code)).toEqual(['get-format-key', 'get-format-key', 'get-format-key', 'get-format-key', 'get-format-key']);
    expect(r.findings[0]!.message).toMatch(/GET format/);
    expect(r.findings[3]!.suggestion).toMatch(/^Remove "content_type"/);
  });

  it('prefers the correct key when both spellings are present and says to drop the other', () => {
    const r = checkEntries([{ path: '/c/a', size_bytes: 4, 'size-bytes': 9 }], limits, target);
    expect(r.entries[0]!.size).toBe(4);
    expect(r.findings[0]!.suggestion).toBe('Remove "size-bytes" (the entry already has "size_bytes").');
  });

  it('accepts a path without a leading slash (as Swift does) but says so; refuses paths that name no object', () => {
    expect(codes([{ path: 'c/a' }])).toEqual([[0, 'path-no-leading-slash', 'info']]);
    expect(codes([{ path: '/onlycontainer' }, { path: 'c/' }, { path: 5 }])).toEqual([
      [0, 'path-format', 'error'],
      [1, 'path-format', 'error'],
      [2, 'path-format', 'error'],
    ]);
    const url = checkEntries([{ path: 'http://h:8080/v1/AUTH_test/c/a' }], limits, target);
    expect(url.findings[0]).toMatchObject({ code: 'path-format', suggestion: 'Use "/c/a".' });
    expect(url.entries[0]).toMatchObject({ container: 'c', object: 'a' });
    expect(codes([{ path: '/c/a%20b' }])).toEqual([[0, 'path-percent-encoded', 'warning']]);
    expect(codes([{ path: '/c/o' }])).toEqual([[0, 'self-reference', 'error']]);
  });

  it('checks etag, size and range values the way Swift parses them', () => {
    expect(codes([{ path: '/c/a', etag: null, size_bytes: null }])).toEqual([
      [0, 'etag-null', 'info'],
      [0, 'size-null', 'info'],
    ]);
    expect(codes([{ path: '/c/a', etag: 5 }])).toEqual([[0, 'etag-invalid', 'error']]);
    expect(codes([{ path: '/c/a', etag: `"${'a'.repeat(32)}"` }])).toEqual([[0, 'etag-invalid', 'error']]);
    expect(codes([{ path: '/c/a', size_bytes: '12' }])).toEqual([[0, 'size-string', 'info']]);
    expect(codes([{ path: '/c/a', size_bytes: '4 bytes' }])).toEqual([[0, 'size-invalid', 'error']]);
    expect(codes([{ path: '/c/a', size_bytes: 0 }, { path: '/c/b' }])).toEqual([[0, 'segment-too-small', 'error']]);
    expect(codes([{ path: '/c/b' }, { path: '/c/a', size_bytes: 0 }])).toEqual([]);
    expect(codes([{ path: '/c/a', range: 'bytes=0-1' }, { path: '/c/b', range: '5-3' }, { path: '/c/d', range: '1-2,4-5' }, { path: '/c/e', range: '-' }])).toEqual([
      [0, 'range-invalid', 'error'],
      [1, 'range-invalid', 'error'],
      [2, 'range-invalid', 'error'],
      [3, 'range-invalid', 'error'],
    ]);
    const ok = checkEntries([{ path: '/c/a', range: ' 0-9 ' }, { path: '/c/b', range: '' }], limits, target);
    expect(ok.findings).toEqual([]);
    expect(ok.entries.map((e) => e.range)).toEqual(['0-9', undefined]);
  });

  it('checks inline data entries', () => {
    expect(codes([{ data: 'aGVsbG8=' }, { path: '/c/a' }])).toEqual([]);
    expect(codes([{ data: '!!' }, { path: '/c/a' }])).toEqual([[0, 'data-invalid', 'error']]);
    expect(codes([{ data: '' }, { path: '/c/a' }])).toEqual([[0, 'segment-too-small', 'error']]);
    expect(codes([{ data: 'aGk=', etag: null }, { path: '/c/a' }])).toEqual([[0, 'extraneous-key', 'error']]);
    expect(codes([{ data: 'aGk=' }])).toEqual([[null, 'data-only', 'error']]);
    expect(codes([{ data: 'aGk=' }, { path: '/c/a' }], { ...limits, swiftVersion: '2.15.1' })).toEqual([[null, 'data-unsupported', 'error']]);
  });

  it('flags entries that are not objects or name nothing, duplicates, empty manifests and the segment limit', () => {
    expect(codes(['x', { etag: null }])).toEqual([
      [0, 'entry-not-object', 'error'],
      [1, 'missing-path', 'error'],
    ]);
    expect(codes([{ path: '/c/a' }, { path: '/c/b' }, { path: 'c/a' }]).filter((x) => x[1] === 'duplicate-segment')).toEqual([[2, 'duplicate-segment', 'warning']]);
    expect(codes([])).toEqual([[null, 'empty-manifest', 'warning']]);
    const many = Array.from({ length: 4 }, (_, i) => ({ path: `/c/s${i}` }));
    const f = checkEntries(many, { ...limits, maxManifestSegments: 3 }, target).findings;
    expect(f).toEqual([expect.objectContaining({ code: 'too-many-segments', index: null })]);
    expect(f[0]!.message).toContain('4 segments'); // one wording for the doctor and the composer (rules.ts)
    expect(f[0]!.message).toContain('at most 3');
  });
});

describe('parsers', () => {
  it('parseManifestPath drops leading slashes and keeps the rest of the object name', () => {
    expect(parseManifestPath('/c/a/b')).toEqual({ container: 'c', object: 'a/b' });
    expect(parseManifestPath('c/a')).toEqual({ container: 'c', object: 'a' });
    expect(parseManifestPath('//c/a/')).toEqual({ container: 'c', object: 'a/' });
    expect(parseManifestPath('/c/')).toBeNull();
    expect(parseManifestPath('c')).toBeNull();
  });

  it('parseRangeSpec accepts one Swift byte range', () => {
    expect(parseRangeSpec('0-9')).toEqual({ start: 0, end: 9 });
    expect(parseRangeSpec('5-')).toEqual({ start: 5, end: null });
    expect(parseRangeSpec('-10')).toEqual({ start: null, end: 10 });
    for (const bad of ['-', '9-5', 'a-b', 'bytes=0-1', '0-1,2-3', '']) expect(parseRangeSpec(bad)).toBeNull();
  });

  it('decodeBase64Strict refuses what Swift refuses', () => {
    expect(decodeBase64Strict('aGVsbG8=')!.toString()).toBe('hello');
    expect(decodeBase64Strict('aGVsbG8')!.toString()).toBe('hello');
    expect(decodeBase64Strict('!!')).toBeNull();
    expect(decodeBase64Strict('a')).toBeNull();
  });

  it('versionBelow compares dotted versions', () => {
    expect(versionBelow('2.16.0', [2, 17])).toBe(true);
    expect(versionBelow('2.17.0', [2, 17])).toBe(false);
    expect(versionBelow('2.30.1', [2, 17])).toBe(false);
    expect(versionBelow('weird', [2, 17])).toBe(false);
  });

  it('parseSegmentSpec splits a trailing byte range only', () => {
    expect(parseSegmentSpec('c/a:0-9')).toEqual({ path: 'c/a', range: '0-9' });
    expect(parseSegmentSpec('c/a:-5')).toEqual({ path: 'c/a', range: '-5' });
    expect(parseSegmentSpec('c/12:30:00')).toEqual({ path: 'c/12:30:00' });
    expect(parseSegmentSpec('c/a')).toEqual({ path: 'c/a' });
  });
});

describe('findManifestInJson', () => {
  it('recognises PUT, GET and misspelled manifests, a lone entry and a wrapped list', () => {
    expect(findManifestInJson([{ path: '/c/a', etag: null, size_bytes: 1 }])?.shape).toBe('list');
    expect(findManifestInJson([{ name: '/c/a', hash: 'x', bytes: 1 }])?.shape).toBe('list');
    expect(findManifestInJson([{ Path: '/c/a', 'size bytes': 1 }, { pth: '/c/b', etga: 'x' }])?.shape).toBe('list');
    expect(findManifestInJson([{ data: 'aGk=' }, { path: 'c/a' }])?.shape).toBe('list');
    expect(findManifestInJson({ path: '/c/a', etag: 'x' })?.shape).toBe('single');
    expect(findManifestInJson({ segments: [{ path: '/c/a' }] })).toMatchObject({ shape: 'wrapped', wrapperKey: 'segments' });
  });

  it('ignores JSON that is not a manifest', () => {
    for (const j of [[], [1, 2], { a: 1 }, [{ id: 1, title: 'x' }], 'text', null, [{ user: 'bob', email: 'b@x' }]]) expect(findManifestInJson(j)).toBeNull();
  });
});
