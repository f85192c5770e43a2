// Checks that every segment an object depends on is still there as the manifest recorded it: HEAD each distinct
// segment (bounded parallelism), compare size and etag, and descend into sub-SLOs. Reads no segment bytes.
import { limiter } from '../pool.ts';
import type { SegmentCheck, VerifyResult } from '../domain/manifest.ts';
import type { ObjectKind } from '../domain/objects.ts';
import type { SwiftClient } from '../swift/client.ts';
import { SwiftError, toSwiftError } from '../swift/errors.ts';
import { headObject } from '../swift/objects.ts';
import type { ObjectStat } from '../domain/objects.ts';
import type { StoredEntry } from './manifest.ts';
import { bareSegmentPath, DEFAULT_MAX_DEPTH, LEAF_LIMITS, listDloSegments, parseDloHeader, readManifest } from './resolve.ts';

export interface VerifyOptions {
  /** HEADs in flight (default 8). */
  concurrency?: number;
  signal?: AbortSignal;
  /** Called as checks finish; `total` grows while sub-manifests are discovered. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Most distinct objects checked (default LEAF_LIMITS.verify). Verify works per distinct object, however often the
   * manifests refer to it, so 10⁹ leaves of one segment are 3 checks; past this many it stops with a 'limit' sentence.
   */
  maxChecks?: number;
}

type Head = { stat: ObjectStat } | { missing: true } | { error: SwiftError };

interface Expectation {
  path: string;
  bytes: number | null;
  etag: string | null;
  subSlo: boolean;
  /** Position in the manifest tree (indices along the way down), for a stable order. */
  order: number[];
}

function split(path: string): { container: string; object: string } {
  const i = path.indexOf('/');
  return { container: path.slice(0, i), object: path.slice(i + 1) };
}

/** Compares one HEAD answer with what the manifest recorded; the sentence names the segment. */
export function judgeSegment(exp: Pick<Expectation, 'path' | 'bytes' | 'etag' | 'subSlo'>, head: Head, index = 0): SegmentCheck {
  const base = { index, path: exp.path, expectedSize: exp.bytes, expectedEtag: exp.etag };
  const what = exp.subSlo ? 'Sub-manifest' : 'Segment';
  if ('missing' in head) return { ...base, status: 'missing', actualSize: null, actualEtag: null, message: `${what} ${exp.path} is missing (404 Not Found).` };
  if ('error' in head) return { ...base, status: 'error', actualSize: null, actualEtag: null, message: `Could not check ${what.toLowerCase()} ${exp.path}: ${head.error.message}` };
  const { stat } = head;
  const actual = { actualSize: stat.size, actualEtag: stat.etag };
  if (exp.subSlo && stat.kind !== 'slo') {
    return { ...base, ...actual, status: 'etag-mismatch', message: `Sub-manifest ${exp.path} is no longer a Static Large Object; it was replaced after the manifest was written.` };
  }
  if (exp.bytes !== null && stat.size !== exp.bytes) {
    return { ...base, ...actual, status: 'size-mismatch', message: `${what} ${exp.path} is ${stat.size} bytes but the manifest records ${exp.bytes}.` };
  }
  if (exp.etag && stat.etag !== exp.etag) {
    return { ...base, ...actual, status: 'etag-mismatch', message: `${what} ${exp.path} has etag ${stat.etag} but the manifest records ${exp.etag}: it was overwritten after the manifest was written.` };
  }
  return { ...base, ...actual, status: 'ok', message: `${what} ${exp.path} is present${exp.bytes !== null ? ` (${stat.size} bytes)` : ''}${exp.etag ? ' and its etag matches' : ''}.` };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "All 10 segments are present and match the manifest." / "2 of 10 segments have problems: 1 missing, 1 etag mismatch." */
export function summarize(checks: readonly SegmentCheck[], kind: ObjectKind): string {
  const n = checks.length;
  const bad = checks.filter((c) => c.status !== 'ok');
  const source = kind === 'dlo' ? 'the listing' : 'the manifest';
  if (bad.length === 0) {
    if (kind === 'dlo') return n === 1 ? 'The 1 segment is present.' : `All ${n} segments are present.`;
    return n === 1 ? `The 1 segment is present and matches ${source}.` : `All ${n} segments are present and match ${source}.`;
  }
  const count = (s: SegmentCheck['status']) => bad.filter((c) => c.status === s).length;
  const parts = [
    count('missing') && `${count('missing')} missing`,
    count('size-mismatch') && `${count('size-mismatch')} size mismatch`,
    count('etag-mismatch') && `${count('etag-mismatch')} etag mismatch`,
    count('error') && `${count('error')} could not be checked`,
  ].filter(Boolean);
  return `${bad.length} of ${plural(n, 'segment')} ${bad.length === 1 ? 'has a problem' : 'have problems'}: ${parts.join(', ')}.`;
}

function compareOrder(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export async function verifyObject(client: SwiftClient, container: string, object: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const signal = opts.signal;
  const gate = limiter(opts.concurrency ?? 8);
  const top = await headObject(client, container, object, signal ? { signal } : {});

  // One HEAD per distinct path, however often the manifests mention it.
  const heads = new Map<string, Promise<Head>>();
  const head = (path: string): Promise<Head> => {
    let p = heads.get(path);
    if (!p) {
      const { container: c, object: o } = split(path);
      p = gate(async () => {
        try {
          return { stat: await headObject(client, c, o, signal ? { signal } : {}) };
        } catch (e) {
          const err = toSwiftError(e);
          if (err.kind === 'cancelled') throw err;
          return err.kind === 'not-found' ? { missing: true as const } : { error: err };
        }
      });
      heads.set(path, p);
    }
    return p;
  };

  let done = 0;
  let total = 0;
  const maxChecks = opts.maxChecks ?? LEAF_LIMITS.verify;
  const results: { exp: Expectation; check: SegmentCheck }[] = [];
  const seen = new Set<string>();
  type Row = { exp: Expectation; check: SegmentCheck };
  const check = async (exp: Expectation): Promise<{ h: Head; row: Row } | null> => {
    const key = `${exp.path}\0${exp.bytes}\0${exp.etag}`;
    if (seen.has(key)) return null;
    seen.add(key);
    if (++total > maxChecks) {
      throw new SwiftError({ kind: 'limit', message: `${container}/${object} refers to more than ${maxChecks.toLocaleString('en-US')} distinct segments and sub-manifests, the limit for verifying it; verify stopped after ${done.toLocaleString('en-US')} checks without a verdict.` });
    }
    const h = await head(exp.path);
    const row = { exp, check: judgeSegment(exp, h) };
    results.push(row);
    opts.onProgress?.(++done, total);
    return { h, row };
  };

  if (top.kind === 'plain') {
    return { ok: true, kind: 'plain', checked: 0, problems: 0, segments: [], summary: `${container}/${object} is a plain object, not a large object: there are no segments to check.` };
  }

  if (top.kind === 'dlo') {
    const dlo = parseDloHeader(top.headers['x-object-manifest'] ?? '');
    if (!dlo) throw new SwiftError({ kind: 'invalid', message: `${container}/${object} has an X-Object-Manifest header without a "container/prefix" value.` });
    const { tree } = await listDloSegments(client, dlo.container, dlo.prefix, signal);
    const self = `${container}/${object}`;
    // A DLO records no etags: the listing is all there is, so check each listed object still exists with that size.
    await Promise.all(tree.filter((n) => n.path !== self).map((n, i) => check({ path: n.path, bytes: n.size, etag: null, subSlo: false, order: [i] })));
    if (results.length === 0) {
      return { ok: true, kind: 'dlo', checked: 0, problems: 0, segments: [], summary: `No objects match the prefix "${dlo.prefix}" in container ${dlo.container}, so the DLO ${container}/${object} reads as empty.` };
    }
  } else {
    const maxDepth = DEFAULT_MAX_DEPTH;
    const walked = new Set<string>();
    const walk = async (entries: readonly StoredEntry[], chain: string[], order: number[]): Promise<void> => {
      await Promise.all(
        entries.map(async (e, i) => {
          if (e.data !== undefined) return;
          const path = bareSegmentPath(e.name ?? '');
          const exp: Expectation = { path, bytes: e.bytes ?? null, etag: e.hash ?? null, subSlo: e.sub_slo === true, order: [...order, i] };
          const r = await check(exp);
          // Descend into a sub-SLO once, and only when it is still an SLO (otherwise its check already says so).
          if (!exp.subSlo || !r || !('stat' in r.h) || r.h.stat.kind !== 'slo' || walked.has(path)) return;
          walked.add(path);
          const fail = (message: string) => (r.row.check = { ...r.row.check, status: 'error', message });
          if (chain.includes(path)) return void fail(`Sub-manifest ${path} contains itself (a cycle); Swift cannot serve this SLO.`);
          if (chain.length >= maxDepth) return void fail(`Sub-manifest ${path} is nested more than ${maxDepth} levels deep; Swift cannot serve this SLO.`);
          const { container: c, object: o } = split(path);
          let sub: StoredEntry[];
          try {
            sub = await gate(() => readManifest(client, c, o, signal ? { signal } : {}));
          } catch (err) {
            const se = toSwiftError(err);
            if (se.kind === 'cancelled') throw se;
            return void fail(`Could not read the manifest of sub-SLO ${path}: ${se.message}`);
          }
          await walk(sub, [...chain, path], exp.order);
        }),
      );
    };
    const entries = await readManifest(client, container, object, signal ? { signal } : {});
    await walk(entries, [`${container}/${object}`], []);
    if (results.length === 0) {
      return { ok: true, kind: 'slo', checked: 0, problems: 0, segments: [], summary: `The manifest of ${container}/${object} holds only inline data; there are no segments to check.` };
    }
  }

  results.sort((a, b) => compareOrder(a.exp.order, b.exp.order));
  const segments = results.map((r, i) => ({ ...r.check, index: i }));
  const problems = segments.filter((s) => s.status !== 'ok').length;
  return { ok: problems === 0, kind: top.kind, checked: segments.length, problems, segments, summary: summarize(segments, top.kind) };
}
