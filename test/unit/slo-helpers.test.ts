import { describe, expect, it } from 'vitest';
import { resolveRange } from '../../app/slo/manifest.ts';
import { md5Hex, sloEtag } from '../../app/slo/etag.ts';
import { dloEtag as computeDloEtag, storedSloEtag as computeSloEtag } from '../../app/slo/etag.ts';
import { looksLikeManifest } from '../../app/slo/inspect.ts';
import { judgeSegment, summarize } from '../../app/slo/verify.ts';
import { parseBulkDeleteBody, segmentPathsOf } from '../../app/slo/delete.ts';
import { isReferenced, listingTime } from '../../app/slo/orphans.ts';
import { dloToManifest } from '../../app/slo/dlo.ts';
import type { ResolvedObject } from '../../app/slo/resolve.ts';
import type { SegmentCheck } from '../../app/domain/manifest.ts';
import type { ObjectStat } from '../../app/domain/objects.ts';

const e1 = md5Hex('one');
const e2 = md5Hex('two');
const e3 = md5Hex('three');

describe('SLO ETag math', () => {
  it('md5(e1 + e2 + ":0-9;" + md5("hello") + e3)', () => {
    const expected = md5Hex(e1 + e2 + ':0-9;' + md5Hex('hello') + e3);
    expect(sloEtag([{ etag: e1 }, { etag: e2, range: '0-9' }, { etag: md5Hex('hello') }, { etag: e3 }])).toBe(expected);
    expect(computeSloEtag([
      { name: '/s/1', bytes: 3, hash: e1 },
      { name: '/s/2', bytes: 30, hash: e2, range: '0-9' },
      { data: Buffer.from('hello').toString('base64') },
      { name: '/s/3', bytes: 5, hash: e3 },
    ])).toBe(expected);
  });
  it('a sub-SLO entry contributes the hash Swift recorded (its own SLO etag)', () => {
    const sub = md5Hex(e1 + e2);
    expect(computeSloEtag([{ name: '/s/sub', bytes: 6, hash: sub, sub_slo: true }, { name: '/s/3', bytes: 5, hash: e3 }])).toBe(md5Hex(sub + e3));
  });
  it('a DLO etag is md5 of the segment etags', () => {
    expect(computeDloEtag([e1, e2])).toBe(md5Hex(e1 + e2));
    expect(computeDloEtag([])).toBe(md5Hex(''));
  });
});

describe('range edge cases (Swift semantics)', () => {
  it.each([
    ['0-9', 100, { start: 0, end: 9 }],
    ['5-', 10, { start: 5, end: 9 }],
    ['-3', 10, { start: 7, end: 9 }],
    ['-30', 10, { start: 0, end: 9 }],
    ['8-100', 10, { start: 8, end: 9 }],
    ['9-9', 10, { start: 9, end: 9 }],
    ['10-', 10, null],
    ['-0', 10, null],
    ['5-4', 10, null],
    ['-', 10, null],
    ['a-b', 10, null],
  ] as const)('%s of %d bytes', (spec, size, want) => {
    expect(resolveRange(spec, size)).toEqual(want);
  });
});

describe('looksLikeManifest', () => {
  it('recognises PUT and GET formats and misspelled keys', () => {
    expect(looksLikeManifest([{ path: '/c/o', etag: null, size_bytes: null }])).toBe(true);
    expect(looksLikeManifest([{ name: '/c/o', hash: 'x', bytes: 1, content_type: 'a', last_modified: 'b' }])).toBe(true);
    expect(looksLikeManifest([{ path: '/c/o', etag: 'x', 'size-bytes': 3 }, { data: 'aGVsbG8=' }])).toBe(true);
  });
  it('leaves ordinary JSON alone', () => {
    expect(looksLikeManifest([])).toBe(false);
    expect(looksLikeManifest({ path: '/c/o' })).toBe(false);
    expect(looksLikeManifest([1, 2, 3])).toBe(false);
    expect(looksLikeManifest([{ id: 1, title: 'x', name: 'y', author: 'z', year: 2020 }])).toBe(false);
  });
});

describe('verify sentences', () => {
  const stat = (size: number, etag: string, kind: ObjectStat['kind'] = 'plain'): { stat: ObjectStat } => ({
    stat: { container: 's', object: 'a', kind, size, etag, contentType: '', lastModified: '', metadata: {}, headers: {} },
  });
  const exp = { path: 's/a', bytes: 3, etag: e1, subSlo: false };
  it('judges each segment', () => {
    expect(judgeSegment(exp, stat(3, e1)).status).toBe('ok');
    expect(judgeSegment(exp, { missing: true })).toMatchObject({ status: 'missing', message: 'Segment s/a is missing (404 Not Found).' });
    expect(judgeSegment(exp, stat(4, e2))).toMatchObject({ status: 'size-mismatch', message: 'Segment s/a is 4 bytes but the manifest records 3.' });
    expect(judgeSegment(exp, stat(3, e2)).status).toBe('etag-mismatch');
    expect(judgeSegment({ ...exp, subSlo: true }, stat(3, e1, 'plain')).message).toMatch(/no longer a Static Large Object/);
  });
  it('summarises', () => {
    const c = (status: SegmentCheck['status']): SegmentCheck => ({ index: 0, path: 'p', status, expectedSize: null, actualSize: null, expectedEtag: null, actualEtag: null, message: '' });
    expect(summarize(Array.from({ length: 10 }, () => c('ok')), 'slo')).toBe('All 10 segments are present and match the manifest.');
    expect(summarize([...Array.from({ length: 8 }, () => c('ok')), c('missing'), c('etag-mismatch')], 'slo')).toBe('2 of 10 segments have problems: 1 missing, 1 etag mismatch.');
    expect(summarize([c('ok'), c('error')], 'slo')).toBe('1 of 2 segments has a problem: 1 could not be checked.');
    expect(summarize([c('ok')], 'dlo')).toBe('The 1 segment is present.');
  });
});

describe('delete helpers', () => {
  it('parses multipart-manifest=delete / bulk-delete bodies, with heartbeat whitespace', () => {
    expect(parseBulkDeleteBody(' \n{"Response Status": "200 OK", "Response Body": "", "Number Deleted": 4, "Number Not Found": 1, "Errors": []}')).toEqual({
      status: 200, statusText: 'OK', deleted: 4, notFound: 1, errors: [], responseBody: '',
    });
    expect(parseBulkDeleteBody('{"Response Status": "400 Bad Request", "Number Deleted": 0, "Errors": [["/fx/plain", "Not an SLO manifest"]]}')).toMatchObject({
      status: 400, errors: [{ path: '/fx/plain', message: 'Not an SLO manifest' }],
    });
    expect(parseBulkDeleteBody('<html>nope</html>')).toBeNull();
    expect(parseBulkDeleteBody('[]')).toBeNull();
  });
  it('orders segments before the sub-manifests that list them, each once', () => {
    const r = {
      kind: 'slo',
      container: 'c',
      object: 'o',
      tree: [
        { path: 's/1', size: 1, etag: null, kind: 'segment' },
        { path: 's/sub', size: 2, etag: null, kind: 'sub-slo', children: [
          { path: 's/2', size: 1, etag: null, kind: 'segment' },
          { path: 's/subsub', size: 1, etag: null, kind: 'sub-slo', children: [{ path: 's/3', size: 1, etag: null, kind: 'segment' }] },
        ] },
        { path: 's/sub', size: 2, etag: null, kind: 'sub-slo', range: '0-0', children: [] },
        { path: '', size: 5, etag: null, kind: 'data' },
        { path: 's/1', size: 1, etag: null, kind: 'segment' },
      ],
    } as unknown as ResolvedObject;
    expect(segmentPathsOf(r)).toEqual(['s/1', 's/2', 's/3', 's/subsub', 's/sub']);
  });
});

describe('orphan helpers', () => {
  it('reads listing times as UTC', () => {
    expect(listingTime('2026-11-25T09:13:20.144290')).toBe(Date.UTC(2026, 10, 25, 9, 13, 20, 144));
    expect(listingTime('garbage')).toBe(0);
  });
  it('counts DLO prefixes as references', () => {
    const refs = { paths: new Set(['s/a']), prefixes: [{ container: 's', prefix: 'big/' }] };
    expect(isReferenced('s/a', refs)).toBe(true);
    expect(isReferenced('s/big/001', refs)).toBe(true);
    expect(isReferenced('t/big/001', refs)).toBe(false);
    expect(isReferenced('s/b', refs)).toBe(false);
  });
});

describe('DLO → SLO manifest', () => {
  it('pins each segment by path, etag and size', () => {
    expect(dloToManifest([{ index: 0, path: 's/p ü?', offset: 0, size: 3, segmentSize: 3, etag: e1, via: [] }])).toEqual([{ path: '/s/p ü?', etag: e1, size_bytes: 3 }]);
  });
});
