// Swift's own refusal bodies (as observed on the sandbox, swift 2.30) mapped back to manifest entries.
import { describe, expect, it } from 'vitest';
import { explainSwiftError } from '../../app/slo/doctor-swift.ts';

const story = [
  { path: '/cont1/seg1', etag: 'a'.repeat(32), size_bytes: 4 },
  { path: '/contl/seg2', etag: 'b'.repeat(32), 'size bytes': 5 },
  { path: '/cont1/seg3', etag: 'c'.repeat(32), size_bytes: 4 },
];

describe('explainSwiftError: text bodies', () => {
  it('maps "Index N: extraneous keys" to the entry with the right key', () => {
    const f = explainSwiftError('Index 1: extraneous keys "size bytes"\n', story, 400);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'error', code: 'misspelled-key', index: 1 });
    expect(f[0]!.message).toContain('"size bytes"');
    expect(f[0]!.message).toContain('/contl/seg2');
    expect(f[0]!.message).toContain('Index 1: extraneous keys "size bytes"');
    expect(f[0]!.suggestion).toBe('Rename "size bytes" to "size_bytes".');
  });

  it('splits several extraneous keys of one entry and tells GET-format keys apart', () => {
    const f = explainSwiftError('Index 0: extraneous keys "etga", "hash", "zzz"\nIndex 2: extraneous keys "content_type"\n', [{}, {}, {}], 400);
    expect(f.map((x) => [x.index, x.code])).toEqual([
      [0, 'misspelled-key'],
      [0, 'get-format-key'],
      [0, 'unknown-key'],
      [2, 'get-format-key'],
    ]);
    expect(f[0]!.suggestion).toContain('"etag"');
    expect(f[1]!.suggestion).toContain('"etag"');
    expect(f[2]!.suggestion).toMatch(/^Remove "zzz"/);
    expect(f[3]!.suggestion).toMatch(/^Remove "content_type"/);
  });

  it('maps "Errors:" lines by path, decoding Swift\'s quoting', () => {
    const entries = [{ path: '/c/a b' }, { path: '/c/s1' }, { path: '/c/nope' }];
    const f = explainSwiftError('Errors:\n/c/s1, Etag Mismatch\n/c/nope, 404 Not Found\n/c/a%20b, Size Mismatch\n', entries, 400);
    expect(f.map((x) => [x.index, x.code])).toEqual([
      [1, 'etag-mismatch'],
      [2, 'segment-missing'],
      [0, 'size-mismatch'],
    ]);
    expect(f[2]!.message).toContain('/c/a b');
  });

  it('gives the n-th error for a repeated path to the n-th entry with that path', () => {
    const entries = [{ path: '/c/x1' }, { path: '/c/ok' }, { path: 'c/x1' }];
    const f = explainSwiftError('Errors:\n/c/x1, 404 Not Found\n/c/x1, 404 Not Found\n', entries, 400);
    expect(f.map((x) => x.index)).toEqual([0, 2]);
  });

  it('finds paths written without a leading slash', () => {
    const f = explainSwiftError('Errors:\ncont1/seg2, Etag Mismatch\n', [{ path: 'cont1/seg1' }, { path: 'cont1/seg2' }], 400);
    expect(f).toEqual([expect.objectContaining({ index: 1, code: 'etag-mismatch' })]);
  });

  it.each([
    ['Index 0: path does not refer to an object. Path must be of the form /container/object.', 'path-format'],
    ['Index 0: invalid range', 'range-invalid'],
    ['Index 0: multiple ranges (only one allowed)', 'range-invalid'],
    ['Index 0: unsatisfiable range', 'range-unsatisfiable'],
    ['Index 0: invalid size_bytes', 'size-invalid'],
    ['Index 0: too small; each segment must be at least 1 byte.', 'segment-too-small'],
    ['Index 0: data must be valid base64', 'data-invalid'],
    ['Index 0: "etag" must be a string or null (if provided)', 'etag-invalid'],
    ['Index 0: manifest must not include itself as a segment', 'self-reference'],
    ['Index 0: not a JSON object', 'entry-not-object'],
    ["Index 0: expected keys to include one of 'data' or 'path'", 'missing-path'],
  ])('"%s" → %s at index 0', (body, code) => {
    const f = explainSwiftError(body + '\n', [{ path: '/c/o' }], 400);
    expect(f).toEqual([expect.objectContaining({ index: 0, code, severity: 'error' })]);
    expect(f[0]!.suggestion).toBeTruthy();
  });

  it.each([
    ['Manifest must be valid JSON.\n', 'invalid-json'],
    ['Manifest must be a list.\n', 'not-a-list'],
    ['Inline data segments require at least one object-backed segment.\n', 'data-only'],
    ['Manifest File > 8388608 bytes', 'manifest-too-large'],
    ['Number of object-backed segments must be <= 1000', 'too-many-segments'],
  ])('whole-manifest refusal "%s" → %s', (body, code) => {
    expect(explainSwiftError(body, [], 400)).toEqual([expect.objectContaining({ index: null, code })]);
  });
});

describe('explainSwiftError: heartbeat bodies', () => {
  it('reads the Errors list of a heartbeat result (not in index order) and skips the boilerplate', () => {
    const entries = [{ path: '/p/seg1', etag: '0'.repeat(32) }, { path: '/p/seg1', size_bytes: 5 }, { path: '/p/nope' }, { path: '/p/seg2', range: '9-12' }];
    const body = ' \r\n\r\n{"Response Status": "400 Bad Request", "Response Body": "Bad Request\\nThe server could not comply with the request since it is either malformed or otherwise incorrect.", "Errors": [["/p/nope", "404 Not Found"], ["/p/seg1", "Etag Mismatch"], ["/p/seg1", "Size Mismatch"], ["/p/seg2", "Unsatisfiable Range"]]}';
    const f = explainSwiftError(body, entries, 202);
    expect(f.map((x) => [x.index, x.code])).toEqual([
      [2, 'segment-missing'],
      [0, 'etag-mismatch'],
      [1, 'size-mismatch'],
      [3, 'range-unsatisfiable'],
    ]);
  });

  it('reads index errors from the Response Body of a heartbeat result', () => {
    const body = '{"Response Status": "400 Bad Request", "Response Body": "Index 0: extraneous keys \\"size bytes\\"\\n", "Errors": []}';
    expect(explainSwiftError(body, [{ path: '/c/o', 'size bytes': 1 }])).toEqual([expect.objectContaining({ index: 0, code: 'misspelled-key' })]);
  });

  it('explains a 422 (the Etag sent with the manifest is not the SLO ETag)', () => {
    const body = '{"Response Status": "422 Unprocessable Entity", "Response Body": "Unprocessable Entity\\nUnable to process the contained instructions", "Errors": []}';
    expect(explainSwiftError(body, [{ path: '/c/o' }])).toEqual([expect.objectContaining({ code: 'slo-etag-mismatch', index: null })]);
  });
});

describe('explainSwiftError: a bare 500', () => {
  it('blames GET-format entries (Swift 2.30 crashes on them instead of answering 400)', () => {
    const f = explainSwiftError('An error occurred', [{ path: '/c/a' }, { name: '/c/b', hash: 'x', bytes: 1 }], 500);
    expect(f).toEqual([expect.objectContaining({ index: 1, code: 'missing-path' })]);
    expect(f[0]!.message).toContain('GET format');
    expect(f[0]!.suggestion).toContain('"path"');
  });

  it('says so when nothing in the manifest explains it', () => {
    expect(explainSwiftError('An error occurred', [{ path: '/c/a' }], 500)).toEqual([expect.objectContaining({ code: 'swift-internal-error' })]);
  });
});

describe('explainSwiftError: one path, several entries', () => {
  it('blames the entry whose value is wrong, not the first with that path', () => {
    const entries = [{ path: '/c/s1', etag: 'e', size_bytes: null }, { path: '/c/s2' }, { path: '/c/s1', size_bytes: 99 }, { path: '/c/s1', etag: null }];
    expect(explainSwiftError('Errors:\n/c/s1, Size Mismatch\n', entries, 400).map((f) => f.index)).toEqual([2]);
    expect(explainSwiftError('Errors:\n/c/s1, Etag Mismatch\n', entries, 400).map((f) => f.index)).toEqual([0]);
    // Same path twice, same size: both fail together.
    const twice = [{ path: '/c/s1', size_bytes: 7 }, { path: '/c/s1', size_bytes: 9 }, { path: '/c/s1', size_bytes: 9 }];
    expect(explainSwiftError('Errors:\n/c/s1, Size Mismatch\n/c/s1, Size Mismatch\n', twice, 400).map((f) => f.index)).toEqual([1, 2]);
    expect(explainSwiftError('Errors:\n/c/s1, Size Mismatch\n/c/s1, Size Mismatch\n', [{ path: '/c/s1', size_bytes: 1 }, { path: '/c/s1', size_bytes: 1 }], 400).map((f) => f.index)).toEqual([0, 1]);
  });

  it('does not guess when the text cannot tell which of several entries failed', () => {
    const f = explainSwiftError('Errors:\n/c/s1, Size Mismatch\n', [{ path: '/c/s1', size_bytes: 5 }, { path: '/c/s1', size_bytes: 99 }], 400);
    expect(f).toHaveLength(1);
    expect(f[0]!.index).toBeNull();
    expect(f[0]!.message).toMatch(/entries 0 or 1/);
  });
});
