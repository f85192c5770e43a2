import { describe, expect, it } from 'vitest';
import type { Capabilities } from '../../app/domain/cluster.ts';
import { DEFAULT_CAPABILITIES } from '../../app/swift/info.ts';
import { DEFAULT_SEGMENT_SIZE, entriesPerManifest, GiB, MiB, planUpload } from '../../app/transfer/plan.ts';

const caps: Capabilities = DEFAULT_CAPABILITIES; // 1000 segments, 8 MiB manifests, min 1, 5 GiB objects
const base = { container: 'c', object: 'big.iso' };

describe('planUpload', () => {
  it('sends small files, including empty ones, as one object', () => {
    expect(planUpload({ ...base, size: 0 }, caps)).toMatchObject({ single: true, segmentCount: 0, subManifests: 0 });
    expect(planUpload({ ...base, size: 1 }, caps)).toMatchObject({ single: true, segmentCount: 1 });
    expect(planUpload({ ...base, size: DEFAULT_SEGMENT_SIZE }, caps)).toMatchObject({ single: true, segmentSize: DEFAULT_SEGMENT_SIZE });
  });

  it('makes an SLO of a small file when asked: one segment of its size, or a chosen smaller size', () => {
    expect(planUpload({ ...base, size: 10 * MiB, asSlo: true }, caps)).toMatchObject({ single: false, segmentCount: 1, segmentSize: 10 * MiB });
    expect(planUpload({ ...base, size: DEFAULT_SEGMENT_SIZE, asSlo: true }, caps)).toMatchObject({ single: false, segmentCount: 1 });
    expect(planUpload({ ...base, size: 10 * MiB, segmentSize: 4 * MiB, asSlo: true }, caps)).toMatchObject({ single: false, segmentCount: 3, segmentSize: 4 * MiB });
    expect(planUpload({ ...base, size: 0, asSlo: true }, caps)).toMatchObject({ single: true, segmentCount: 0 });
  });

  it('segments a file one byte over the segment size', () => {
    const p = planUpload({ ...base, size: 10 * MiB + 1, segmentSize: 10 * MiB }, caps);
    expect(p).toMatchObject({ single: false, segmentCount: 2, segmentSize: 10 * MiB, subManifests: 0, segmentContainer: 'c_segments', concurrency: 4 });
  });

  it('carries the adaptive maximum: the concurrency unless a higher one is asked, never below it, at most 32', () => {
    expect(planUpload({ ...base, size: 256 * MiB }, caps)).toMatchObject({ concurrency: 4, maxConcurrency: 4 });
    expect(planUpload({ ...base, size: 256 * MiB, concurrency: 2, maxConcurrency: 8 }, caps)).toMatchObject({ concurrency: 2, maxConcurrency: 8 });
    expect(planUpload({ ...base, size: 256 * MiB, concurrency: 6, maxConcurrency: 3 }, caps)).toMatchObject({ concurrency: 6, maxConcurrency: 6 });
    expect(planUpload({ ...base, size: 256 * MiB, maxConcurrency: 99 }, caps)).toMatchObject({ maxConcurrency: 32 });
  });

  it('uses 64 MiB segments by default and grows them to avoid nesting', () => {
    expect(planUpload({ ...base, size: 256 * MiB }, caps)).toMatchObject({ segmentSize: 64 * MiB, segmentCount: 4 });
    const huge = planUpload({ ...base, size: 200 * GiB }, caps);
    expect(huge.subManifests).toBe(0);
    expect(huge.segmentCount).toBeLessThanOrEqual(1000);
    expect(huge.segmentSize % MiB).toBe(0);
    expect(huge.segmentSize).toBeGreaterThan(64 * MiB);
  });

  it('nests only when even the largest segment would need too many entries', () => {
    const p = planUpload({ ...base, size: 6000 * GiB }, caps);
    expect(p.segmentSize).toBe(5 * GiB);
    expect(p.segmentCount).toBe(1200);
    expect(p.subManifests).toBe(2);
  });

  it('plans sub-manifests for an explicit small segment size, and refuses more than two levels', () => {
    const p = planUpload({ ...base, size: 1100, segmentSize: 1 }, caps);
    expect(p).toMatchObject({ segmentCount: 1100, subManifests: 2 });
    expect(p.warnings.join(' ')).toMatch(/sub-manifests/);
    expect(p.warnings.join(' ')).toMatch(/under 1 MiB/);
    expect(() => planUpload({ ...base, size: 1_000_001, segmentSize: 1 }, caps)).toThrow(/at least 2 bytes/);
  });

  it('clamps an explicit segment size into the cluster limits with a warning', () => {
    const strict: Capabilities = { ...caps, slo: { ...caps.slo!, minSegmentSize: 1 * MiB } };
    const low = planUpload({ ...base, size: 10 * MiB, segmentSize: 1000 }, strict);
    expect(low.segmentSize).toBe(MiB);
    expect(low.warnings[0]).toMatch(/raised/);
    const high = planUpload({ ...base, size: 20 * GiB, segmentSize: 6 * GiB }, caps);
    expect(high.segmentSize).toBe(5 * GiB);
    expect(high.warnings[0]).toMatch(/lowered/);
  });

  it('honours max_file_size below 5 GiB and a custom segment container', () => {
    const small: Capabilities = { ...caps, maxFileSize: 100 * MiB };
    const p = planUpload({ ...base, size: 300 * GiB, segmentContainer: 'segs' }, small);
    expect(p.segmentSize).toBeLessThanOrEqual(100 * MiB);
    expect(p.segmentContainer).toBe('segs');
  });

  it('explains what cannot be done', () => {
    expect(() => planUpload({ ...base, size: 6 * GiB }, { ...caps, slo: null })).toThrow(/does not offer Static Large Objects/);
    expect(() => planUpload({ ...base, size: -1 }, caps)).toThrow(/not a valid byte count/);
    expect(() => planUpload({ ...base, size: 10, segmentSize: 0 }, caps)).toThrow(/positive whole number/);
  });

  it('keeps manifests under max_manifest_size when names are long', () => {
    const tight: Capabilities = { ...caps, slo: { ...caps.slo!, maxManifestSize: 64 * 1024 } };
    const p = planUpload({ ...base, object: 'x'.repeat(900), size: 500, segmentSize: 1 }, tight);
    expect(p.subManifests).toBeGreaterThan(0);
  });
});

describe('planUpload for 1 TB and 10 TB files under several /info limits', () => {
  const TiB = 1024 * GiB;
  const TB = 1e12;
  const limits = (maxManifestSegments: number, maxManifestSize: number, maxFileSize: number): Capabilities => ({
    ...caps, maxFileSize, slo: { ...caps.slo!, maxManifestSegments, maxManifestSize },
  });

  /** What any accepted plan must satisfy: the bytes are covered, each object fits, each manifest fits, ≤ 2 levels. */
  function checkNests(size: number, c: Capabilities): ReturnType<typeof planUpload> {
    const p = planUpload({ ...base, size }, c);
    const per = entriesPerManifest(c, `${base.container}_segments`, base.object);
    expect(p.single).toBe(false);
    expect(p.segmentSize).toBeLessThanOrEqual(Math.min(5 * GiB, c.maxFileSize));
    expect(p.segmentSize * p.segmentCount).toBeGreaterThanOrEqual(size);
    expect(p.segmentSize * (p.segmentCount - 1)).toBeLessThan(size);
    if (p.subManifests === 0) expect(p.segmentCount).toBeLessThanOrEqual(per);
    else {
      expect(p.subManifests).toBe(Math.ceil(p.segmentCount / per)); // full sub-manifests, the last one partial
      expect(p.subManifests).toBeLessThanOrEqual(per); // the top manifest holds them all
      expect(p.segmentCount).toBeGreaterThan(per); // nesting only when needed
      expect(p.warnings.join(' ')).toMatch(/sub-manifests/);
    }
    return p;
  }

  it.each([
    // [what, maxManifestSegments, maxManifestSize, maxFileSize, size, expected segmentSize, count, subManifests]
    ['1 TiB, Swift defaults: segments grow to ~1 GiB, one manifest', 1000, 8 * MiB, 5 * GiB, TiB, 1049 * MiB, 1000, 0],
    ['1 TB, Swift defaults', 1000, 8 * MiB, 5 * GiB, TB, 954 * MiB, 1000, 0],
    ['10 TiB, Swift defaults: 5 GiB segments, 3 sub-manifests', 1000, 8 * MiB, 5 * GiB, 10 * TiB, 5 * GiB, 2048, 3],
    ['10 TB, Swift defaults', 1000, 8 * MiB, 5 * GiB, 10 * TB, 5 * GiB, 1863, 2],
    ['1 TiB, 100 entries per manifest', 100, 8 * MiB, 5 * GiB, TiB, 5 * GiB, 205, 3],
    ['10 TiB, 100 entries per manifest', 100, 8 * MiB, 5 * GiB, 10 * TiB, 5 * GiB, 2048, 21],
    ['1 TiB, objects of at most 1 GiB', 1000, 8 * MiB, GiB, TiB, GiB, 1024, 2],
    ['10 TiB, objects of at most 1 GiB', 1000, 8 * MiB, GiB, 10 * TiB, GiB, 10240, 11],
    ['10 TiB, 10,000 entries per manifest: no nesting', 10_000, 8 * MiB, 5 * GiB, 10 * TiB, 1049 * MiB, 9996, 0],
  ])('%s', (_what, segs, manifestSize, fileSize, size, segmentSize, count, subs) => {
    const p = checkNests(size, limits(segs, manifestSize, fileSize));
    expect(p).toMatchObject({ segmentSize, segmentCount: count, subManifests: subs });
  });

  it('max_manifest_size caps the entries per manifest below max_manifest_segments', () => {
    const c = limits(10_000, 64 * 1024, 5 * GiB);
    const per = entriesPerManifest(c, 'c_segments', base.object);
    expect(per).toBeLessThan(1000);
    const p = checkNests(10 * TiB, c);
    expect(p.segmentCount).toBe(2048);
    expect(p.subManifests).toBe(Math.ceil(2048 / per));
  });

  it('refuses clearly when even the largest segments need more than two levels of manifests', () => {
    expect(() => planUpload({ ...base, size: TiB }, limits(10, 8 * MiB, 5 * GiB))).toThrow(
      /A 1024 GiB file cannot be uploaded to this cluster: even segments of 5 GiB \(its largest object\) make 205 segments, more than the 100 that two levels of manifests of at most 10 entries hold/,
    );
    expect(() => planUpload({ ...base, size: 10 * TiB }, limits(100, 8 * MiB, 100 * MiB))).toThrow(/cannot be uploaded to this cluster: even segments of 100 MiB .* make 104858 segments, more than the 10000/);
    // Past max_file_size a file is never sent whole either.
    expect(() => planUpload({ ...base, size: TiB }, { ...limits(1000, 8 * MiB, 5 * GiB), slo: null })).toThrow(/does not offer Static Large Objects/);
  });

  it('an explicit small segment size that would need a third level is refused with the size that works', () => {
    expect(() => planUpload({ ...base, size: TiB, segmentSize: 64 * MiB }, limits(100, 8 * MiB, 5 * GiB))).toThrow(/16384 segments of 64 MiB need more than two levels of manifests \(at most 100 entries each\); use segments of at least 109951163 bytes/);
  });
});
