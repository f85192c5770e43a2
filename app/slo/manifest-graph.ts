// An SLO as a graph of manifests rather than a list of leaves. Swift lets a manifest name the same sub-manifest many
// times at every level, so three levels of 1,000 references to one sub-manifest assemble 10⁹ leaves from three small
// manifests. Here every distinct sub-manifest is read once (per resolve, keyed by its path: the bytes at a path are
// what Swift will serve, whatever etag a referring entry recorded) and its size, leaf count and depth are computed once;
// leaves are produced one at a time by a generator, so memory follows the number of distinct manifests, not leaves.
import type { FlatSegment, ManifestNode } from '../domain/manifest.ts';
import { SwiftError } from '../swift/errors.ts';
import { dataEntryEtag } from './etag.ts';
import { resolveRange, type StoredEntry } from './manifest.ts';

/** Swift's own nesting limit (manifests in a chain, the top one included). */
export const DEFAULT_MAX_DEPTH = 10;

export interface ManifestSummary {
  /** Bytes of the assembled object. */
  size: number;
  /** Leaves (non-empty byte runs of segments or inline data) in the assembled object. */
  leaves: number;
  /** Nodes of the fully expanded tree (every entry, at every level, once per reference). */
  nodes: number;
  /** 1 for a manifest of plain segments, 1 + the deepest sub-manifest otherwise. */
  depth: number;
}

/** One entry of a manifest, measured: what it contributes to the object that manifest assembles. */
interface Part {
  kind: 'data' | 'segment' | 'sub' | 'broken';
  /** "c/o" ("" for inline data). */
  path: string;
  /** Bytes contributed. */
  size: number;
  /** First byte taken from the segment / sub-object. */
  start: number;
  /** Full size recorded for the segment (inline data: its length). */
  segmentSize: number;
  etag: string | null;
  range?: string;
  leaves: number;
  nodes: number;
  depth: number;
}

interface Measured {
  parts: Part[];
  summary: ManifestSummary;
}

export interface GraphOptions {
  /** Fetches a sub-manifest by its "c/o" path (GET format); the caller bounds how many run at once. */
  fetch: (path: string) => Promise<StoredEntry[]>;
  maxDepth?: number;
  /**
   * When given, a sub-manifest that is missing or no longer an SLO is recorded here (one sentence each) and laid out
   * as a placeholder of its recorded size without leaves, instead of failing. For showing broken SLOs.
   */
  problems?: string[];
}

/**
 * Can the leaves (and the expanded tree) of an SLO so measured be listed within `limit`? The tree may outgrow the
 * leaves (sub-manifests of inline data or empty segments), so it gets twice the room.
 */
export function listable(summary: ManifestSummary, limit: number): boolean {
  return summary.leaves <= limit && summary.nodes <= 2 * limit;
}

const BROKEN = Symbol('unreadable sub-manifest');

/** "/c/o" or "c/o" → "c/o". */
export function bareSegmentPath(name: string): string {
  return name.replace(/^\//, '');
}

function entrySize(e: StoredEntry, what: string): number {
  if (typeof e.bytes !== 'number' || !Number.isFinite(e.bytes) || e.bytes < 0) {
    throw new SwiftError({ kind: 'server', message: `The manifest entry for ${what} has no valid byte count.` });
  }
  return e.bytes;
}

/** Byte run an entry selects from its segment (inclusive), honouring `range` as Swift does. */
function entryRun(e: StoredEntry, bytes: number, what: string, manifest: string): { start: number; end: number } {
  if (!e.range) return { start: 0, end: bytes - 1 };
  const r = resolveRange(e.range, bytes);
  if (!r) throw new SwiftError({ kind: 'invalid', message: `The range "${e.range}" of ${what} in the manifest of ${manifest} does not fit its ${bytes} bytes.` });
  return r;
}

function tooDeep(path: string, maxDepth: number): SwiftError {
  return new SwiftError({ kind: 'limit', message: `${path} is nested more than ${maxDepth} manifests deep; Swift does not serve SLOs nested that deep.` });
}

export class ManifestGraph {
  private readonly manifests = new Map<string, StoredEntry[] | typeof BROKEN>();
  /** Who first referred to each sub-manifest, for sentences. */
  private readonly parents = new Map<string, string>();
  private readonly measured = new Map<string, Measured>();
  private readonly ranged = new Map<string, number>();
  private readonly trees = new Map<string, ManifestNode[]>();
  private readonly maxDepth: number;

  private constructor(readonly top: string, maxDepth: number) {
    this.maxDepth = maxDepth;
  }

  /**
   * Reads every distinct sub-manifest reachable from `entries` (the manifest of `top`, "c/o"), level by level, at most
   * `maxDepth` levels, then measures the graph. Throws on cycles, on nesting past the limit and (unless tolerant) on
   * unreadable sub-manifests.
   */
  static async load(top: string, entries: StoredEntry[], opts: GraphOptions): Promise<ManifestGraph> {
    const g = new ManifestGraph(top, opts.maxDepth ?? DEFAULT_MAX_DEPTH);
    g.manifests.set(top, entries);
    let frontier = [top];
    for (let level = 1; frontier.length && level < g.maxDepth; level++) {
      const next: string[] = [];
      for (const parent of frontier) {
        const m = g.manifests.get(parent);
        if (m === BROKEN || !m) continue;
        for (const e of m) {
          if (!e.sub_slo || e.data !== undefined) continue;
          const path = bareSegmentPath(e.name ?? '');
          if (!path || g.manifests.has(path) || g.parents.has(path)) continue;
          g.parents.set(path, parent);
          next.push(path);
        }
      }
      const read = await Promise.all(next.map((p) => g.read(p, opts)));
      next.forEach((p, i) => g.manifests.set(p, read[i]!));
      frontier = next;
    }
    g.measure(top, []);
    return g;
  }

  private async read(path: string, opts: GraphOptions): Promise<StoredEntry[] | typeof BROKEN> {
    try {
      return await opts.fetch(path);
    } catch (err) {
      if (!(err instanceof SwiftError) || (err.kind !== 'not-found' && err.kind !== 'invalid')) throw err;
      const message = `The sub-manifest ${path} used by ${this.parents.get(path) ?? this.top} cannot be read: ${err.message}`;
      if (!opts.problems) throw new SwiftError({ kind: err.kind, message, ...(err.status ? { status: err.status } : {}), ...(err.transId ? { transId: err.transId } : {}), cause: err });
      opts.problems.push(message);
      return BROKEN;
    }
  }

  /** Size, leaf count, node count and depth of the whole object. */
  get summary(): ManifestSummary {
    return this.measured.get(this.top)!.summary;
  }

  /** Measures the manifest at `path` once; `chain` is the manifests above it (for cycles and depth). */
  private measure(path: string, chain: readonly string[]): Measured {
    const known = this.measured.get(path);
    if (known) return known;
    const here = chain[chain.length - 1] ?? path;
    if (chain.includes(path)) {
      throw new SwiftError({ kind: 'invalid', message: `The manifest of ${here} refers back to ${path}, which contains it: the SLO is a cycle and cannot be read.` });
    }
    if (chain.length >= this.maxDepth) throw tooDeep(path, this.maxDepth);
    const entries = this.manifests.get(path);
    if (!entries || entries === BROKEN) throw tooDeep(path, this.maxDepth); // not read: past the depth limit
    const below = [...chain, path];
    const parts = entries.map((e, i) => this.part(e, i, path, below));
    const summary: ManifestSummary = { size: 0, leaves: 0, nodes: 0, depth: 1 };
    for (const p of parts) {
      summary.size += p.size;
      summary.leaves += p.leaves;
      summary.nodes += p.nodes;
      summary.depth = Math.max(summary.depth, 1 + p.depth);
    }
    const m = { parts, summary };
    this.measured.set(path, m);
    return m;
  }

  private part(e: StoredEntry, i: number, here: string, chain: readonly string[]): Part {
    if (e.data !== undefined) {
      const size = Buffer.from(e.data, 'base64').length;
      return { kind: 'data', path: '', size, start: 0, segmentSize: size, etag: dataEntryEtag(e.data), leaves: size > 0 ? 1 : 0, nodes: 1, depth: 0 };
    }
    const path = bareSegmentPath(e.name ?? '');
    if (!path) throw new SwiftError({ kind: 'server', message: `Entry ${i} of the manifest of ${here} has no segment name.` });
    const bytes = entrySize(e, path);
    const base = { path, etag: e.hash ?? null, ...(e.range ? { range: e.range } : {}) };
    const sub = e.sub_slo ? this.manifests.get(path) : undefined;
    if (e.sub_slo && sub !== BROKEN) {
      const m = this.measure(path, chain);
      const run = e.range ? entryRun(e, bytes, path, here) : { start: 0, end: m.summary.size - 1 };
      const size = run.end - run.start + 1;
      const leaves = e.range ? this.countIn(path, run.start, run.end) : m.summary.leaves;
      return { ...base, kind: 'sub', size, start: run.start, segmentSize: bytes, leaves, nodes: 1 + m.summary.nodes, depth: m.summary.depth };
    }
    const run = bytes === 0 ? { start: 0, end: -1 } : entryRun(e, bytes, path, here);
    const size = run.end - run.start + 1;
    // A broken sub-manifest keeps the place Swift recorded for it, but its contents (leaves) are unknown.
    const kind = e.sub_slo ? 'broken' : 'segment';
    return { ...base, kind, size, start: run.start, segmentSize: bytes, leaves: kind === 'segment' && size > 0 ? 1 : 0, nodes: 1, depth: 0 };
  }

  /** Leaves of the manifest at `path` that fall in its bytes [lo, hi]; only the edge entries are descended. */
  private countIn(path: string, lo: number, hi: number): number {
    const key = `${path}\0${lo}\0${hi}`;
    const known = this.ranged.get(key);
    if (known !== undefined) return known;
    let n = 0;
    let off = 0;
    for (const p of this.measured.get(path)!.parts) {
      const a = Math.max(lo, off);
      const b = Math.min(hi, off + p.size - 1);
      if (a <= b) {
        if (a === off && b === off + p.size - 1) n += p.leaves;
        else if (p.kind === 'sub') n += this.countIn(p.path, p.start + a - off, p.start + b - off);
        else if (p.kind !== 'broken') n += 1;
      }
      off += p.size;
    }
    this.ranged.set(key, n);
    return n;
  }

  /** Every distinct object the SLO references ("c/o": segments and sub-manifests), each manifest looked at once. */
  referencedPaths(): Set<string> {
    const out = new Set<string>();
    for (const m of this.measured.values()) for (const p of m.parts) if (p.kind !== 'data') out.add(p.path);
    return out;
  }

  /**
   * Every distinct object the SLO references, in a safe deletion order: segments first, then sub-manifests children
   * before parents (a sub-manifest shared at several depths goes after all of its users' children). Unreadable
   * sub-manifests are listed with the sub-manifests (their own segments are unknown).
   */
  deletionOrder(): { segments: string[]; subManifests: string[]; unreadable: string[] } {
    const segments = new Set<string>();
    const subs: string[] = [];
    const unreadable: string[] = [];
    const seen = new Set<string>();
    const walk = (path: string): void => {
      for (const p of this.measured.get(path)!.parts) {
        if (p.kind === 'segment') segments.add(p.path);
        if ((p.kind !== 'sub' && p.kind !== 'broken') || seen.has(p.path)) continue;
        seen.add(p.path);
        if (p.kind === 'sub') walk(p.path);
        else unreadable.push(p.path);
        subs.push(p.path); // after its children: post-order
      }
    };
    walk(this.top);
    return { segments: [...segments].filter((p) => !seen.has(p)), subManifests: subs, unreadable };
  }

  /**
   * The leaves in order, one at a time, numbered from `from` (earlier ones are skipped by their counts, not walked).
   * Offsets are positions in the assembled object.
   */
  *leaves(from = 0): Generator<FlatSegment> {
    const { size } = this.summary;
    if (size > 0) yield* this.leavesIn(this.top, 0, size - 1, 0, [], { skip: from, index: from });
  }

  private *leavesIn(path: string, lo: number, hi: number, base: number, via: string[], at: { skip: number; index: number }): Generator<FlatSegment> {
    let off = 0;
    for (const p of this.measured.get(path)!.parts) {
      const a = Math.max(lo, off);
      const b = Math.min(hi, off + p.size - 1);
      const start = off;
      off += p.size;
      if (a > b || p.kind === 'broken') continue;
      const whole = a === start && b === start + p.size - 1;
      if (at.skip > 0) {
        const n = whole ? p.leaves : p.kind === 'sub' ? this.countIn(p.path, p.start + a - start, p.start + b - start) : 1;
        if (at.skip >= n) {
          at.skip -= n;
          continue;
        }
      }
      const offset = base + a - lo;
      if (p.kind === 'sub') {
        yield* this.leavesIn(p.path, p.start + a - start, p.start + b - start, offset, [...via, p.path], at);
        continue;
      }
      const s = p.start + (a - start);
      const e = s + (b - a);
      const full = s === 0 && e === p.segmentSize - 1;
      yield { index: at.index++, path: p.path, offset, size: b - a + 1, segmentSize: p.segmentSize, etag: p.etag, via, ...(full ? {} : { range: `${s}-${e}` }), ...(p.kind === 'data' ? { data: true } : {}) };
    }
  }

  /**
   * The manifest tree. `expand: false` gives only the top-level entries, each sub-manifest with its leaf count,
   * size and depth (what a huge SLO can show); otherwise sub-manifests carry their children (shared per path).
   */
  tree(expand = true): ManifestNode[] {
    return this.treeOf(this.top, expand);
  }

  private treeOf(path: string, expand: boolean): ManifestNode[] {
    const known = expand ? this.trees.get(path) : undefined;
    if (known) return known;
    const nodes = this.measured.get(path)!.parts.map((p): ManifestNode => {
      const base = { path: p.path, size: p.size, etag: p.etag, ...(p.range ? { range: p.range } : {}) };
      if (p.kind === 'data') return { ...base, kind: 'data' };
      if (p.kind === 'segment') return { ...base, kind: 'segment' };
      if (p.kind === 'broken') return { ...base, kind: 'sub-slo', children: [] };
      return { ...base, kind: 'sub-slo', leaves: p.leaves, depth: p.depth, ...(expand ? { children: this.treeOf(p.path, true) } : {}) };
    });
    if (expand) this.trees.set(path, nodes);
    return nodes;
  }
}
