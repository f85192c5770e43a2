import { describe, expect, it } from 'vitest';
import { encodeName, splitTarget, checkObjectName, storagePath } from '../../app/swift/names.ts';
import { Transcript, toCurl, REDACTED } from '../../app/swift/transcript.ts';
import { errorFromResponse } from '../../app/swift/status-errors.ts';
import { keystoneTokensUrl, pickObjectStore } from '../../app/swift/auth.ts';
import { infoUrl, parseCapabilities } from '../../app/swift/info.ts';
import { queryString } from '../../app/swift/client.ts';
import { kindFromListing } from '../../app/swift/listing.ts';
import { kindFromHeaders, unquote } from '../../app/swift/objects.ts';

describe('names', () => {
  it('encodes every special character but keeps slashes', () => {
    expect(encodeName('a b?c#d%e+f&g')).toBe('a%20b%3Fc%23d%25e%2Bf%26g');
    expect(encodeName('dir/sub/ünï.txt')).toBe('dir/sub/%C3%BCn%C3%AF.txt');
    expect(storagePath('/v1/AUTH_t', 'c', '/lead')).toBe('/v1/AUTH_t/c//lead');
  });
  it('measures name limits in UTF-8 bytes', () => {
    expect(() => checkObjectName('é'.repeat(512))).not.toThrow(); // 1024 bytes
    expect(() => checkObjectName('é'.repeat(513))).toThrow(/1026 bytes/);
    expect(() => checkObjectName('')).toThrow(/empty/);
  });
  it('splits container/object specs', () => {
    expect(splitTarget('c/a/b')).toEqual({ container: 'c', object: 'a/b' });
    expect(splitTarget('/c')).toEqual({ container: 'c', object: undefined });
  });
});

describe('transcript', () => {
  it('redacts tokens and keys at the source and in curl', () => {
    const t = new Transcript();
    const rec = t.record({ time: 0, method: 'PUT', url: 'http://h/v1/a/c/o?temp_url_sig=abc', status: 201, durationMs: 3, requestHeaders: { 'x-auth-token': 'SECRET', 'X-Auth-Key': 'KEY', etag: 'e' }, responseHeaders: { 'x-trans-id': 'tx1' } });
    expect(JSON.stringify(rec)).not.toMatch(/SECRET|KEY|abc/);
    expect(rec.requestHeaders['x-auth-token']).toBe(REDACTED);
    const curl = toCurl(rec);
    expect(curl).toContain("-X PUT");
    expect(curl).not.toContain('SECRET');
    expect(toCurl(rec, 'TOK')).toContain("x-auth-token: TOK");
  });
  it('keeps a bounded ring', () => {
    const t = new Transcript(3);
    for (let i = 0; i < 5; i++) t.record({ time: i, method: 'GET', url: 'u', status: 200, durationMs: 1, requestHeaders: {}, responseHeaders: {} });
    expect(t.list().map((r) => r.id)).toEqual([3, 4, 5]);
    expect(t.list(4).map((r) => r.id)).toEqual([5]);
  });
});

describe('status errors', () => {
  const base = { method: 'GET', what: 'object c/o', headers: { 'x-trans-id': 'tx9' }, body: '' };
  it.each([
    [401, 'auth'], [403, 'auth'], [404, 'not-found'], [409, 'conflict'], [412, 'precondition'], [422, 'integrity'],
    [413, 'too-large'], [507, 'too-large'], [429, 'rate-limited'], [498, 'rate-limited'], [503, 'server'], [400, 'invalid'],
  ])('%i → %s with transaction id', (status, kind) => {
    const e = errorFromResponse({ ...base, status });
    expect(e.kind).toBe(kind);
    expect(e.transId).toBe('tx9');
    expect(e.message).toMatch(/\.$|\)$/);
  });
  it('honours Retry-After', () => {
    expect(errorFromResponse({ ...base, status: 429, headers: { 'retry-after': '2' } }).retryAfterMs).toBe(2000);
  });
  it('names the cause of a 503: too few storage servers answered', () => {
    const e = errorFromResponse({ ...base, method: 'PUT', status: 503 });
    expect(e.message).toBe('Swift could not reach enough storage servers for object c/o (503 Service Unavailable): part of the cluster is down or overloaded; try again once it has recovered.');
    expect(e.describe()).toBe(`${e.message} (transaction tx9)`);
  });
  it('explains a non-empty container', () => {
    expect(errorFromResponse({ ...base, method: 'DELETE', what: 'container c', status: 409 }).message).toMatch(/not empty/);
  });
});

describe('keystone', () => {
  const catalog = [
    { type: 'identity', endpoints: [{ url: 'https://k/v3', interface: 'public', region_id: 'r1' }] },
    { type: 'object-store', endpoints: [
      { url: 'https://s1/v1/AUTH_p', interface: 'public', region_id: 'r1' },
      { url: 'https://s2/v1/AUTH_p/', interface: 'public', region_id: 'r2' },
      { url: 'http://int/v1/AUTH_p', interface: 'internal', region_id: 'r1' },
    ] },
  ];
  it('picks by interface and region', () => {
    expect(pickObjectStore(catalog, 'public', 'r2')).toBe('https://s2/v1/AUTH_p');
    expect(pickObjectStore(catalog, 'internal')).toBe('http://int/v1/AUTH_p');
    expect(() => pickObjectStore(catalog, 'public', 'r9')).toThrow(/r1, r2/);
    expect(() => pickObjectStore([], 'public')).toThrow(/no object-store/);
  });
  it('normalises the auth URL', () => {
    expect(keystoneTokensUrl('https://k:5000/v3/')).toBe('https://k:5000/v3/auth/tokens');
    expect(keystoneTokensUrl('https://k:5000')).toBe('https://k:5000/v3/auth/tokens');
    expect(keystoneTokensUrl('https://k/identity/v3/auth/tokens')).toBe('https://k/identity/v3/auth/tokens');
  });
});

describe('info and misc', () => {
  it('finds /info beside /v1', () => {
    expect(infoUrl('http://127.0.0.1:8080/v1/AUTH_test')).toBe('http://127.0.0.1:8080/info');
    expect(infoUrl('https://h/swift/v1/AUTH_x')).toBe('https://h/swift/info');
  });
  it('parses capabilities', () => {
    const c = parseCapabilities({ swift: { max_file_size: 10, version: '2.30' }, slo: { max_manifest_segments: 5, min_segment_size: 1 }, bulk_delete: {} });
    expect(c.slo?.maxManifestSegments).toBe(5);
    expect(c.maxFileSize).toBe(10);
    expect(c.bulkDelete).toBe(true);
    expect(c.dlo).toBe(true);
    expect(parseCapabilities({}).slo).toBeNull();
  });
  it('builds query strings', () => {
    expect(queryString({ 'multipart-manifest': 'put', heartbeat: 'on', x: undefined })).toBe('?multipart-manifest=put&heartbeat=on');
    expect(queryString({ prefix: 'a b+c' })).toBe('?prefix=a%20b%2Bc');
  });
  it('tells kinds apart', () => {
    expect(kindFromListing({ bytes: 5, slo_etag: '"x"' })).toBe('slo');
    expect(kindFromListing({ bytes: 0 })).toBe('unknown');
    expect(kindFromHeaders({ 'x-static-large-object': 'True' })).toBe('slo');
    expect(kindFromHeaders({ 'x-object-manifest': 'c/p' })).toBe('dlo');
    expect(unquote('"abc"')).toBe('abc');
  });
});
