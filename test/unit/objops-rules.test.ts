// The pure rules behind metadata edits, temp URLs and CLI times: Swift's metadata constraints as sentences, the POST
// header set, signatures checked against Python's hmac (the same computation as Swift's tempurl middleware).
import { describe, expect, it } from 'vitest';
import { DEFAULT_META_LIMITS as L, metadataProblems } from '../../app/domain/metadata.ts';
import { objectPostHeaders } from '../../app/swift/metadata.ts';
import { chooseDigest, signTempUrl } from '../../app/swift/tempurl.ts';
import { parseDate, parseDuration } from '../../main/cli/time-args.ts';

const NOW = 1_800_000_000;

describe('metadataProblems', () => {
  it('accepts a plain change and names each refusal', () => {
    expect(metadataProblems('object', { a: '1' }, { set: { Owner: 'ana' }, remove: ['a'] }, L, NOW)).toEqual([]);
    expect(metadataProblems('object', {}, { set: { 'a b': 'x' } }, L, NOW)[0]).toMatch(/letters, digits and "-"/);
    expect(metadataProblems('object', {}, { set: { [`n${'x'.repeat(128)}`]: 'x' } }, L, NOW)[0]).toMatch(/129 bytes; this cluster allows at most 128/);
    expect(metadataProblems('object', {}, { set: { k: 'line\nbreak' } }, L, NOW)[0]).toMatch(/printable ASCII/);
    expect(metadataProblems('object', {}, { set: { k: 'x'.repeat(250), j: 'y'.repeat(250) } }, { ...L, maxOverallSize: 400 }, NOW)[0]).toMatch(/add up to 502 bytes/);
    expect(metadataProblems('container', {}, { contentType: 'text/plain' }, L, NOW)[0]).toMatch(/belong to objects/);
    expect(metadataProblems('object', {}, { contentType: 'nonsense' }, L, NOW)[0]).toMatch(/not a content type/);
    expect(metadataProblems('object', {}, { deleteAt: NOW }, L, NOW)[0]).toMatch(/in the past/);
  });
  it('counts what remains after removals', () => {
    const current = Object.fromEntries(Array.from({ length: 90 }, (_, i) => [`k${i}`, 'v']));
    expect(metadataProblems('object', current, { set: { extra: 'v' } }, L, NOW)[0]).toMatch(/91 metadata items/);
    expect(metadataProblems('object', current, { set: { extra: 'v' }, remove: ['K0'] }, L, NOW)).toEqual([]);
  });
});

describe('objectPostHeaders', () => {
  const slo = { 'x-static-large-object': 'True', 'content-length': '1700', 'content-type': 'application/octet-stream', 'x-object-meta-a': '1', 'content-disposition': 'inline', 'x-delete-at': '1900000000', etag: '"e"' };
  it('resends what a POST would drop, applies the change, keeps swift_bytes on an SLO', () => {
    expect(objectPostHeaders(slo, { set: { b: '2' }, remove: [], contentType: 'video/mp4' })).toEqual({
      'content-disposition': 'inline',
      'x-delete-at': '1900000000',
      'x-object-meta-a': '1',
      'x-object-meta-b': '2',
      'content-type': 'video/mp4;swift_bytes=1700',
    });
    expect(objectPostHeaders(slo, { set: { a: '' }, remove: [] })['x-object-meta-a']).toBeUndefined();
    expect(objectPostHeaders({ 'x-object-manifest': 'c_segments/p', 'content-type': 't/x' }, { set: {}, remove: [], contentDisposition: null, deleteAt: null })).toEqual({ 'x-object-manifest': 'c_segments/p' });
  });
});

describe('temp URL signatures', () => {
  // Expected values from Python: hmac.new(b'mykey', b'GET\n1512508563\n/v1/AUTH_account/container/objé', sha*).
  const o = { method: 'GET', expires: 1512508563, path: '/v1/AUTH_account/container/objé', key: 'mykey' };
  it('hex for sha1 and sha256, "sha512:" + base64url for sha512, UTF-8 paths', () => {
    expect(signTempUrl({ ...o, digest: 'sha256' })).toBe('93a211c8decccc5e1a0f0aa3aa2ea6b377967561597a2d8f91382b4379a846b0');
    expect(signTempUrl({ ...o, digest: 'sha1' })).toBe('cc776625347498553d670c2f35e857718758ddf6');
    expect(signTempUrl({ ...o, digest: 'sha512' })).toBe('sha512:EBX1M9LoujZHAzmPK9Je3QHU1BoTBk9OnUy5EioIJLkfdiIq4enlCUncJk_zIq40T7trsVyJV8OM0XgWm-5zqg');
  });
  it('prefers sha256, falls back to sha512 then sha1', () => {
    expect(chooseDigest(['sha1', 'sha256', 'sha512'])).toBe('sha256');
    expect(chooseDigest(['sha1', 'sha512'])).toBe('sha512');
    expect(chooseDigest(['sha1'])).toBe('sha1');
    expect(chooseDigest(['md5'])).toBeNull();
  });
});

describe('CLI times', () => {
  it('durations and dates', () => {
    expect([parseDuration('90s', 'x'), parseDuration('15m', 'x'), parseDuration('1h', 'x'), parseDuration('7d', 'x'), parseDuration('30', 'x')]).toEqual([90, 900, 3600, 604800, 30]);
    expect(() => parseDuration('1 year', 'expires')).toThrow(/--expires needs a duration/);
    expect(parseDate('2027-01-31T00:00:00Z', 'x')).toBe(1801353600);
    expect(parseDate('1801353600', 'x')).toBe(1801353600);
  });
});
