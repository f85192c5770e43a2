import { describe, expect, it } from 'vitest';
import { adviseKey, closestNames, editDistance, keySuggestion, nameDistance, normaliseKey, typoBudget } from '../../app/slo/doctor-keys.ts';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent transpositions as one each', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('', 'ab')).toBe(2);
    expect(editDistance('contl', 'cont1')).toBe(1);
    expect(editDistance('etga', 'etag')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('sizebytes', 'sizbytes')).toBe(1);
    expect(editDistance('photos', 'photso')).toBe(1);
    expect(editDistance('ca', 'abc')).toBe(3); // OSA, not full Damerau
  });

  it('is symmetric and handles non-ASCII by code point', () => {
    expect(editDistance('größe', 'grösse')).toBe(editDistance('grösse', 'größe'));
    expect(editDistance('日本語', '日本')).toBe(1);
  });
});

describe('nameDistance and closestNames', () => {
  it('prefers look-alike characters and case slips', () => {
    expect(nameDistance('contl', 'cont1')).toBeLessThan(nameDistance('contl', 'cont2'));
    expect(nameDistance('Backup', 'backup')).toBeLessThan(1);
    expect(nameDistance('dataO', 'data0')).toBe(0.5);
  });

  it('ranks candidates within the typo budget, best first, never the name itself', () => {
    const c = closestNames('contl', ['cont2', 'cont1', 'contl', 'other', 'cont1_segments']);
    expect(c.map((x) => x.name)).toEqual(['cont1', 'cont2']);
    expect(c[0]!.distance).toBe(1);
    expect(closestNames('ab', ['ac', 'xy', 'abc'])).toEqual([
      { name: 'abc', distance: 1, score: 1 },
      { name: 'ac', distance: 1, score: 1 },
    ]);
    expect(closestNames('videos-2024', ['videos-2023', 'videos-2024-old'], { max: 1 }).map((x) => x.name)).toEqual(['videos-2023']);
    expect(closestNames('x', ['y', 'zz'], { limit: 1 })).toHaveLength(1);
  });

  it('counts a case-only slip as one typo, however many letters changed case', () => {
    expect(closestNames('CONT1', ['cont2', 'cont1']).map((x) => [x.name, x.distance])).toEqual([['cont1', 1], ['cont2', 1]]);
    expect(closestNames('PROJECTX', ['ProjectX'])).toEqual([expect.objectContaining({ name: 'ProjectX', distance: 1 })]);
  });

  it('allows one typo in very short names and two otherwise', () => {
    expect(typoBudget('ab')).toBe(1);
    expect(typoBudget('abcd')).toBe(2);
    expect(typoBudget('abcd', 1)).toBe(1);
  });
});

describe('adviseKey', () => {
  it('accepts the PUT keys as they are', () => {
    for (const k of ['path', 'etag', 'size_bytes', 'range', 'data']) expect(adviseKey(k)).toEqual({ kind: 'ok', key: k, target: k });
  });

  it.each([
    ['size bytes', 'size_bytes'],
    ['sizebytes', 'size_bytes'],
    ['size-bytes', 'size_bytes'],
    ['Size_Bytes', 'size_bytes'],
    ['SIZE BYTES', 'size_bytes'],
    ['size.bytes', 'size_bytes'],
    ['szie_bytes', 'size_bytes'],
    ['size_byts', 'size_bytes'],
    ['size_bites', 'size_bytes'],
    ['etga', 'etag'],
    ['ETag', 'etag'],
    ['e-tag', 'etag'],
    ['eTAG', 'etag'],
    ['pth', 'path'],
    ['Path', 'path'],
    ['paht', 'path'],
    ['rnage', 'range'],
    ['Range', 'range'],
    ['dat', 'data'],
  ])('"%s" is a misspelling of %s', (key, target) => {
    const a = adviseKey(key);
    expect(a.kind).toBe('misspelled');
    expect(a.target).toBe(target);
    expect(keySuggestion(a)).toContain(`"${target}"`);
  });

  it.each([
    ['name', 'path'],
    ['hash', 'etag'],
    ['bytes', 'size_bytes'],
    ['Name', 'path'],
    ['BYTES', 'size_bytes'],
  ])('"%s" is the GET format for %s', (key, target) => {
    const a = adviseKey(key);
    expect(a).toEqual({ kind: 'get-format', key, target });
    expect(keySuggestion(a)).toMatch(/GET|PUT format/);
  });

  it('tells GET-format bookkeeping to be removed', () => {
    for (const k of ['content_type', 'last_modified', 'sub_slo', 'Content-Type']) {
      const a = adviseKey(k);
      expect(a.kind).toBe('get-extra');
      expect(keySuggestion(a)).toMatch(/^Remove/);
    }
  });

  it.each([
    ['size', 'size_bytes'],
    ['length', 'size_bytes'],
    ['size_in_bytes', 'size_bytes'],
    ['segment_size', 'size_bytes'],
    ['md5', 'etag'],
    ['checksum', 'etag'],
    ['md5sum', 'etag'],
    ['object', 'path'],
    ['segment_path', 'path'],
    ['object_name', 'path'],
  ])('"%s" means %s', (key, target) => {
    expect(adviseKey(key)).toMatchObject({ kind: 'synonym', target });
  });

  it('says "remove" for keys that mean nothing', () => {
    for (const k of ['foo', 'comment', 'x']) {
      const a = adviseKey(k);
      expect(a).toEqual({ kind: 'unknown', key: k, target: null });
      expect(keySuggestion(a)).toMatch(/^Remove/);
    }
  });

  it('normalises case and separators', () => {
    expect(normaliseKey(' Size - Bytes ')).toBe('sizebytes');
    expect(normaliseKey('size_bytes')).toBe('sizebytes');
  });
});
