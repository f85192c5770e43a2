import { describe, expect, it } from 'vitest';
import type { Capabilities } from '../../app/domain/cluster.ts';
import { DEFAULT_CAPABILITIES } from '../../app/swift/info.ts';
import { DEFAULT_SEGMENT_SIZE, GiB, MiB, planUpload } from '../../app/transfer/plan.ts';

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
