// The live half of the manifest rules, shared by the doctor and the composer: what Swift holds for each entry —
// containers, segments, etags, sizes, ranges, nesting — checked with one HEAD per distinct segment. The static half
// (the JSON of each entry) is doctor-checks.ts; the codes and sentences are rules.ts.
import type { Finding } from '../domain/findings.ts';
import type { Limits, ReadEntry } from './doctor-checks.ts';
import { resolvePath, type PathResolution, type SwiftLookup } from './doctor-live.ts';
import { resolveRange } from './manifest.ts';
import { finding } from './rules.ts';

export interface EntryLive {
  entry: ReadEntry;
  resolution?: PathResolution;
  /** Nesting depth of the segment when it is itself an SLO. */
  subDepth?: number;
}

/**
 * How entries are read: 'written' is a manifest someone wrote by hand (a mistyped path is corrected when the
 * correction is unambiguous), 'compose' a composition (close names are suggested, never substituted), 'stored' a
 * real SLO's manifest (Swift validated it when it was written, so a missing segment was deleted and a different etag
 * means it changed).
 */
export type LiveMode = 'written' | 'compose' | 'stored';

/** Bytes an entry contributes given the segment's real size, and its normalised range (undefined when whole). */
export function effective(range: string | undefined, size: number): { bytes: number; range?: string } | null {
  if (!range) return { bytes: size };
  const r = resolveRange(range, size);
  if (!r) return null;
  if (r.start === 0 && r.end === size - 1) return { bytes: size };
  return { bytes: r.end - r.start + 1, range: `${r.start}-${r.end}` };
}

/** Resolves every segment entry (cached HEADs) and the depth of each sub-SLO, once each. */
async function resolveAll(look: SwiftLookup, entries: readonly ReadEntry[], limits: Limits, mode: LiveMode): Promise<EntryLive[]> {
  const used = new Set(entries.filter((e) => e.kind === 'segment').map((e) => `${e.container}/${e.object}`));
  const live = await Promise.all(
    entries.map(async (entry): Promise<EntryLive> => {
      if (entry.kind !== 'segment') return { entry };
      const resolution = await resolvePath(look, entry.container!, entry.object!, { suggest: mode !== 'stored', correct: mode === 'written', exclude: used });
      return { entry, resolution };
    }),
  );
  const depthOf = new Map<string, number>();
  await Promise.all(
    live.map(async ({ resolution: r }) => {
      const i = r?.info;
      if (i?.status === 'found' && i.kind === 'slo') depthOf.set(`${i.container}/${i.object}`, await look.sloDepth(i.container, i.object, limits.maxNestingDepth));
    }),
  );
  for (const item of live) {
    const i = item.resolution?.info;
    if (i?.status === 'found' && i.kind === 'slo') item.subDepth = depthOf.get(`${i.container}/${i.object}`) ?? 1;
  }
  return live;
}

/** Findings about where an entry's path points: a missing container or segment (with suggestions). */
function checkWhere(item: EntryLive, mode: LiveMode): Finding[] {
  const { entry, resolution: r } = item;
  if (!r) return [];
  const path = `/${entry.container}/${entry.object}`;
  const fixed = r.resolved && (r.resolved.container !== entry.container || r.resolved.object !== entry.object) ? `/${r.resolved.container}/${r.resolved.object}` : undefined;
  const candidates = r.candidates.map((c) => `/${c}`);
  if (!r.containerExists) return [finding('container-missing', entry.index, { where: 'entry', container: entry.container!, path, fixed, candidates, containers: r.containerCandidates })];
  if (!r.resolved || fixed) return [finding('segment-missing', entry.index, { path, fixed, candidates, stored: mode === 'stored' })];
  return [];
}

/** Findings about the segment an entry names, once it is found: etag, size, range, size limits, nesting, DLOs. */
function checkSegment(item: EntryLive, limits: Limits, mode: LiveMode, last: boolean): Finding[] {
  const { entry } = item;
  const seg = item.resolution?.info;
  const i = entry.index;
  if (!seg) return [];
  const shown = `/${seg.container}/${seg.object}`;
  if (seg.status === 'forbidden') return [finding('segment-forbidden', i, { path: shown, detail: seg.message ?? '403' })];
  if (seg.status === 'error') return [finding('segment-unavailable', i, { path: shown, detail: seg.message ?? 'unknown error' })];
  if (seg.status !== 'found') return [];
  const out: Finding[] = [];
  const realSize = seg.size ?? 0;
  const realEtag = seg.etag ?? '';
  const written = `/${entry.container}/${entry.object}`;
  const subject = shown !== written ? `${shown} (corrected from ${written})` : shown;
  const stored = mode === 'stored';
  if (typeof entry.etag === 'string' && entry.etag !== realEtag) out.push(finding('etag-mismatch', i, { path: shown, subject, written: entry.etag, real: realEtag, stored }));
  if (typeof entry.size === 'number' && entry.size !== realSize) out.push(finding('size-mismatch', i, { path: shown, subject, written: entry.size, real: realSize, stored }));
  let bytes = realSize;
  if (entry.range) {
    const eff = effective(entry.range, realSize);
    if (!eff) return [...out, finding('range-unsatisfiable', i, { range: entry.range, path: shown, size: realSize })];
    bytes = eff.bytes;
    if (!eff.range) out.push(finding('range-whole', i, { range: entry.range, path: shown }));
  }
  if (!last && bytes < Math.max(1, limits.minSegmentSize)) out.push(finding('segment-too-small', i, { kind: 'contributes', label: `segment ${shown}`, bytes, min: limits.minSegmentSize }));
  if (seg.kind === 'slo') {
    const d = item.subDepth ?? 1;
    if (1 + d > limits.maxNestingDepth) out.push(finding('too-deep', i, { path: shown, depth: d, max: limits.maxNestingDepth }));
    else if (!stored) out.push(finding('sub-slo', i, { path: shown, size: realSize, etag: realEtag }));
  } else if (seg.kind === 'dlo') {
    out.push(finding('segment-is-dlo', i, { path: shown }));
  }
  return out;
}

/** Live checks of read entries; pushes findings and returns what was found for each entry. */
export async function checkLive(look: SwiftLookup, entries: ReadEntry[], limits: Limits, mode: LiveMode, findings: Finding[]): Promise<EntryLive[]> {
  const live = await resolveAll(look, entries, limits, mode);
  const last = entries.length - 1;
  for (const item of live) {
    const e = item.entry;
    if (e.kind === 'data') {
      if (e.index !== last && e.dataBytes! < limits.minSegmentSize) findings.push(finding('segment-too-small', e.index, { kind: 'contributes', label: 'inline data', bytes: e.dataBytes!, min: limits.minSegmentSize }));
      continue;
    }
    findings.push(...checkWhere(item, mode), ...checkSegment(item, limits, mode, e.index === last));
  }
  return live;
}
