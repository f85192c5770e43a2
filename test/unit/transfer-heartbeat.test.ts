import { describe, expect, it } from 'vitest';
import { manifestError, parseHeartbeatResult, parseSloErrorBody } from '../../app/slo/manifest-put.ts';

// Bodies as the sandbox's Swift 2.30 sends them (see shared/swift-slo-facts.md).
const OK = '\r\n\r\n {"Response Status": "201 Created", "Etag": "\\"99fb1ba4b0d5e3bbad9bc2d4b46fca3c\\"", "Last Modified": "Tue, 01 Oct 2024 10:00:00 GMT", "Response Body": "", "Errors": []}';
const FAIL = '\r\n\r\n {"Response Status": "400 Bad Request", "Response Body": "Bad Request\\nThe server could not comply with the request since it is either malformed or otherwise incorrect.", "Errors": [["/t-fx/s1", "Etag Mismatch"], ["/t-fx/n%25C3%25A9pe%20%C3%A9", "404 Not Found"]]}';

describe('parseHeartbeatResult', () => {
  it('reads the status and the unquoted ETag after the whitespace', () => {
    expect(parseHeartbeatResult(OK)).toEqual({
      status: 201,
      statusText: 'Created',
      etag: '99fb1ba4b0d5e3bbad9bc2d4b46fca3c',
      lastModified: 'Tue, 01 Oct 2024 10:00:00 GMT',
      responseBody: '',
      errors: [],
    });
  });
  it('reads the errors of a refused manifest', () => {
    const r = parseHeartbeatResult(FAIL);
    expect(r.status).toBe(400);
    expect(r.errors).toEqual([
      ['/t-fx/s1', 'Etag Mismatch'],
      ['/t-fx/n%25C3%25A9pe%20%C3%A9', '404 Not Found'],
    ]);
  });
  it('turns a cut-off body into a server error', () => {
    expect(() => parseHeartbeatResult('   \r\n ')).toThrow(/not JSON/);
    expect(() => parseHeartbeatResult('{"x": 1}')).toThrow(/Response Status/);
  });
});

describe('parseSloErrorBody', () => {
  it('reads per-path errors', () => {
    expect(parseSloErrorBody('Errors:\n/fx_segments/s1, Etag Mismatch\n/fx_segments/nope, 404 Not Found\n')).toEqual([
      { path: '/fx_segments/s1', reason: 'Etag Mismatch' },
      { path: '/fx_segments/nope', reason: '404 Not Found' },
    ]);
  });
  it('reads per-index errors', () => {
    expect(parseSloErrorBody('Index 1: extraneous keys "size bytes"\nIndex 3: Invalid etag')).toEqual([
      { index: 1, reason: 'extraneous keys "size bytes"' },
      { index: 3, reason: 'Invalid etag' },
    ]);
  });
});

describe('manifestError', () => {
  it('names entry numbers and decoded paths, and picks the kind', () => {
    const entries = [
      { path: '/t-fx/s1', etag: '0'.repeat(32), size_bytes: 5 },
      { path: '/t-fx/n%C3%A9pe é', etag: null, size_bytes: null },
    ];
    const r = parseHeartbeatResult(FAIL);
    const e = manifestError('t-fx', 'm', r.status, r.statusText, r.errors.map(([path, reason]) => ({ path, reason })), entries);
    expect(e.kind).toBe('precondition');
    expect(e.message).toBe('Swift refused the manifest for t-fx/m (400 Bad Request): entry 1 (/t-fx/s1): Etag Mismatch; entry 2 (/t-fx/n%C3%A9pe é): 404 Not Found.');
    const bad = manifestError('c', 'o', 400, 'Bad Request', parseSloErrorBody('Index 0: extraneous keys "size bytes"'), entries);
    expect(bad.kind).toBe('invalid');
    expect(bad.message).toMatch(/entry 1: extraneous keys/);
  });
});
