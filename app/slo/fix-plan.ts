// The doctor's fix: the manifest it would write (real etags and sizes, corrected paths, original order) and every
// change from what was written, as steps a front end can show (a renamed key, a corrected value, an entry left out).
import type { FixBlock, FixStep, JsonValue } from '../domain/findings.ts';
import type { Limits } from './doctor-checks.ts';
import { dataEntryEtag, sloEtag, type EtagPart } from './etag.ts';
import { effective, type EntryLive } from './live-checks.ts';
import type { PutEntry } from './manifest.ts';
import { checkManifestSize } from './rules.ts';

export interface Proposal {
  manifest?: PutEntry[];
  blocked?: FixBlock;
  etag?: string;
  size?: number;
  steps: FixStep[];
  dropped: number[];
}

const countEntries = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`;
const same = (a: JsonValue | undefined, b: JsonValue | undefined) => JSON.stringify(a) === JSON.stringify(b);

/** Steps turning what entry `index` says (`written`) into `next`: one per value that changes. */
function valueSteps(index: number, written: Partial<Record<string, JsonValue>>, next: PutEntry): FixStep[] {
  const steps: FixStep[] = [];
  for (const [field, value] of Object.entries(next) as Array<[string, JsonValue]>) {
    const old = written[field];
    if (same(old, value)) continue;
    const shown = (v: JsonValue) => (typeof v === 'string' ? v : JSON.stringify(v));
    steps.push({
      action: 'set-value',
      index,
      field,
      ...(old !== undefined ? { old } : {}),
      new: value,
      message: old === undefined ? `entry ${index}: ${field} set to ${shown(value)}` : `entry ${index}: ${field} ${shown(old)} → ${shown(value)}`,
    });
  }
  return steps;
}

/** Builds the manifest a fix would PUT from live-checked entries, or says why it cannot. */
export function buildProposal(live: readonly EntryLive[], limits: Limits, dropMissing: boolean): Proposal {
  const p: Proposal = { steps: [], dropped: [] };
  const manifest: PutEntry[] = [];
  const parts: EtagPart[] = [];
  const unfixable: Array<{ index: number; why: string }> = [];
  const missing: number[] = [];
  let size = 0;
  for (const { entry, resolution: r, subDepth } of live) {
    const i = entry.index;
    if (subDepth !== undefined && 1 + subDepth > limits.maxNestingDepth) {
      unfixable.push({ index: i, why: `entry ${i} is an SLO nested ${subDepth} levels deep, which makes this one too deep (flatten it first)` });
      continue;
    }
    if (entry.kind === 'data') {
      const next = { data: entry.data! };
      p.steps.push(...entry.keySteps, ...valueSteps(i, entry.written, next));
      manifest.push(next);
      parts.push({ etag: dataEntryEtag(entry.data!) });
      size += entry.dataBytes!;
      continue;
    }
    const seg = r?.info;
    if (entry.kind === 'invalid' || !seg || seg.status !== 'found') {
      if (seg?.status === 'error') {
        unfixable.push({ index: i, why: `entry ${i} could not be checked (${seg.message ?? 'error'})` });
        continue;
      }
      missing.push(i);
      if (dropMissing) {
        p.dropped.push(i);
        p.steps.push({ action: 'drop-entry', index: i, message: `entry ${i}: left out (${entry.kind === 'invalid' ? 'it names no usable segment' : `segment /${entry.container}/${entry.object} not found`})` });
      }
      continue;
    }
    if (entry.rangeInvalid) {
      unfixable.push({ index: i, why: `entry ${i} has an invalid range` });
      continue;
    }
    const eff = effective(entry.range, seg.size!);
    if (!eff) {
      unfixable.push({ index: i, why: `entry ${i}: the range "${entry.range}" lies outside its ${seg.size}-byte segment` });
      continue;
    }
    const next: PutEntry = { path: `/${seg.container}/${seg.object}`, etag: seg.etag!, size_bytes: seg.size!, ...(eff.range ? { range: eff.range } : {}) };
    p.steps.push(...entry.keySteps, ...valueSteps(i, entry.written, next));
    manifest.push(next);
    parts.push({ etag: seg.etag!, range: eff.range });
    size += eff.bytes;
  }
  const block = (message: string, entries: number[] = [], dropMissingHelps = false): Proposal => ({ ...p, blocked: { message, entries, dropMissingHelps } });
  if (unfixable.length) return block(`${unfixable.map((u) => u.why).join('; ')}; correct ${unfixable.length === 1 ? 'it' : 'them'} by hand.`, unfixable.map((u) => u.index));
  if (missing.length && !dropMissing) {
    const them = missing.length === 1 ? 'it' : 'them';
    return block(`${countEntries(missing.length)} (${missing.map((m) => `#${m}`).join(', ')}) name${missing.length === 1 ? 's' : ''} a segment that cannot be found; correct ${them} by hand, or leave ${them} out.`, missing, true);
  }
  const objectBacked = manifest.filter((e) => 'path' in e);
  if (!objectBacked.length) return block('No segment of this manifest exists, so there is nothing to build an SLO from.');
  if (objectBacked.length > limits.maxManifestSegments) return block(`The manifest would have ${objectBacked.length} segments; this cluster allows ${limits.maxManifestSegments}. Make sub-manifests and a manifest of those instead.`);
  // Every contribution but the last must be at least min_segment_size bytes.
  for (let k = 0; k < manifest.length - 1; k++) {
    const e = manifest[k]!;
    const bytes = 'data' in e ? Buffer.from(e.data, 'base64').length : e.range ? Number(e.range.split('-')[1]) - Number(e.range.split('-')[0]) + 1 : e.size_bytes!;
    if (bytes < Math.max(1, limits.minSegmentSize)) {
      return block(`Segment ${'path' in e ? e.path : '(inline data)'} contributes ${bytes} bytes, below this cluster's minimum of ${Math.max(1, limits.minSegmentSize)} for all but the last segment.`);
    }
  }
  const tooLarge = checkManifestSize(JSON.stringify(manifest), limits.maxManifestSize);
  if (tooLarge) return block(`The corrected manifest is too large: ${tooLarge.message}`);
  return { ...p, manifest, etag: sloEtag(parts), size };
}
