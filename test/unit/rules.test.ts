// The manifest rulebook: one code, one sentence, severities from the book, data next to the sentence — and the docs
// list every code with the severities it can have.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkEntries, type Limits } from '../../app/slo/doctor-checks.ts';
import { checkManifestSize, finding, ruleTable, sortFindings, usualSeverity } from '../../app/slo/rules.ts';

const limits: Limits = { maxManifestSegments: 1000, maxManifestSize: 8 * 1024 * 1024, minSegmentSize: 1, maxNestingDepth: 10, swiftVersion: '2.30.1' };
const target = { container: 'c', object: 'o' };

describe('the rulebook', () => {
  it('gives each finding the severity of its variant, the sentence, the advice and the data', () => {
    const quoted = finding('etag-invalid', 2, { kind: 'quoted', value: '"abc"', fixed: 'abc' });
    expect(quoted).toEqual({
      severity: 'error',
      code: 'etag-invalid',
      index: 2,
      field: 'etag',
      old: '"abc"',
      new: 'abc',
      message: 'Entry 2: the etag "abc" is wrapped in quotes; Swift compares it without quotes and would report "Etag Mismatch".',
      suggestion: 'Use "abc".',
    });
    expect(finding('etag-invalid', 2, { kind: 'not-md5', value: 'abc' }).severity).toBe('warning');
    const key = finding('misspelled-key', 0, { key: 'size bytes', target: 'size_bytes', synonym: false, duplicate: false, swiftSays: '' });
    expect(key).toMatchObject({ field: 'size_bytes', old: 'size bytes', new: 'size_bytes', suggestion: 'Rename "size bytes" to "size_bytes".' });
    expect(finding('segment-missing', 1, { path: '/c/gone', stored: true })).toMatchObject({ action: 'doctor-fix-drop-missing', field: 'path', old: '/c/gone' });
    expect(finding('segment-missing', 1, { path: '/c/gone', stored: false }).action).toBeUndefined();
  });

  it('every severity a finding can have is one the book lists for its code', () => {
    const raw = [
      { path: '/c/a', 'size bytes': 1, etga: 'x' }, { path: 'c/b', etag: 5, size_bytes: '12' }, { path: '/c/a', etag: '"x"', size_bytes: 1.5 },
      { data: '!!' }, { name: '/c/d', hash: 'h', bytes: 1, content_type: 'x' }, 'nope', { path: '/c/o', range: 'bytes=1-2' }, { path: '/c/e', size_bytes: 0 }, { path: '/c/%20' },
    ];
    const book = new Map(ruleTable().map((r) => [r.code, r.levels]));
    const found = checkEntries(raw, limits, target).findings;
    expect(found.length).toBeGreaterThan(10);
    for (const f of found) expect(book.get(f.code), f.code).toContain(f.severity);
  });

  it("Swift's refusals take the book's severity; unknown codes are errors", () => {
    expect(usualSeverity('duplicate-segment')).toBe('warning');
    expect(usualSeverity('swift-rejected')).toBe('error');
  });

  it('sorts the object first, then entry by entry, errors before warnings before notes', () => {
    const fs = [finding('sub-slo', 1, { path: '/c/s', size: 1, etag: 'e' }), finding('duplicate-segment', 1, { path: 'c/s', first: 0 }), finding('data-only', null, {}), finding('etag-null', 0, {})];
    expect(sortFindings(fs).map((f) => [f.index, f.code])).toEqual([[null, 'data-only'], [0, 'etag-null'], [1, 'duplicate-segment'], [1, 'sub-slo']]);
  });

  it('checks a manifest against max_manifest_size (the composer, the fix and uploads share it)', () => {
    expect(checkManifestSize('[]', 2)).toBeUndefined();
    expect(checkManifestSize('[{}]', 2)).toMatchObject({ code: 'manifest-too-large', severity: 'error', message: 'The manifest is 4 bytes; this cluster accepts at most 2 (slo.max_manifest_size).' });
  });

  it('docs/doctor.md lists every code with the severities it can have', () => {
    const doc = readFileSync(new URL('../../docs/doctor.md', import.meta.url), 'utf8');
    for (const { code, levels } of ruleTable()) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${code}\``));
      expect(row, `docs/doctor.md has no row for ${code}`).toBeDefined();
      expect(row!.split('|')[2]!.trim()).toBe(levels.join('/'));
    }
  });
});
