// Progress for one transfer: bytes, a sliding-window rate, ETA and per-segment states, reported at most every
// 100 ms (plus a forced final report) so a fast transfer does not flood the UI.
export type Phase = 'preparing' | 'transferring' | 'finishing' | 'done';
export type SegmentState = 'p' | 's' | 'v' | 'f';

export interface TransferProgress {
  phase: Phase;
  bytesDone: number;
  totalBytes: number;
  rateBps: number;
  etaSeconds: number | null;
  segmentSize: number;
  /**
   * One character per segment (p pending, s sending, v verified, f failed) — the contract's SegmentStates; past
   * MAX_STATE_CHARS segments one character per run of segments.
   */
  segments: string;
  /** Segments (leaves) in all, and how many are verified: `segments` may fold them into runs (absent: one each). */
  segmentCount?: number;
  segmentsVerified?: number;
  resentBytes: number;
  /** Segments in flight allowed now (adaptive concurrency may raise it during the transfer); absent before the start. */
  concurrency?: number;
}

const WINDOW_MS = 5_000;
const THROTTLE_MS = 100;
/**
 * Most characters in `segments`. Past this, one character stands for a run of consecutive segments (verified when
 * all of them are, failed when any is, sending when any is), so a download of 10⁸ leaves reports 10,000 characters
 * and keeps counters, not a state per leaf.
 */
export const MAX_STATE_CHARS = 10_000;

export class ProgressTracker {
  phase: Phase = 'preparing';
  bytesDone = 0;
  resentBytes = 0;
  segmentSize = 0;
  concurrency: number | undefined;
  private states: SegmentState[] = [];
  /** Bucketed mode (more segments than MAX_STATE_CHARS): leaves per character, and counters per character. */
  private per = 0;
  private verified = new Float64Array(0);
  private failed = new Float64Array(0);
  private sizes = new Float64Array(0);
  /** Bucketed mode: the leaves in flight or failed, by index (bounded by the concurrency and the failures). */
  private open = new Map<number, SegmentState>();
  private samples: Array<[number, number]> = [];
  private lastEmit = 0;

  constructor(
    public totalBytes: number,
    private readonly onProgress?: (p: TransferProgress) => void,
    private readonly now: () => number = Date.now,
  ) {}

  setSegments(count: number, segmentSize: number): void {
    this.segmentSize = segmentSize;
    this.open.clear();
    if (count <= MAX_STATE_CHARS) {
      this.per = 0;
      this.states = new Array<SegmentState>(count).fill('p');
      return;
    }
    this.per = Math.ceil(count / MAX_STATE_CHARS);
    const buckets = Math.ceil(count / this.per);
    this.states = [];
    this.verified = new Float64Array(buckets);
    this.failed = new Float64Array(buckets);
    this.sizes = new Float64Array(buckets).fill(this.per);
    this.sizes[buckets - 1] = count - this.per * (buckets - 1);
  }

  setState(i: number, s: SegmentState): void {
    if (this.per === 0) {
      if (i >= 0 && i < this.states.length) this.states[i] = s;
    } else if (i >= 0 && i < this.per * this.verified.length) {
      const b = Math.floor(i / this.per);
      const was = this.open.get(i);
      if (was === 'f') this.failed[b]!--;
      this.open.delete(i);
      if (s === 'v') this.verified[b]!++;
      else if (s === 'f') this.failed[b]!++;
      if (s === 's' || s === 'f') this.open.set(i, s);
    }
    this.tick();
  }

  /** Marks segments [from, to) verified at once (a resumed download's earlier work); they must not be in flight. */
  setVerifiedRange(from: number, to: number): void {
    if (this.per === 0) {
      for (let i = Math.max(0, from); i < Math.min(to, this.states.length); i++) this.states[i] = 'v';
      return;
    }
    for (let b = Math.floor(from / this.per); b * this.per < to && b < this.verified.length; b++) {
      const lo = Math.max(from, b * this.per);
      const hi = Math.min(to, (b + 1) * this.per);
      this.verified[b]! += Math.max(0, hi - lo);
    }
  }

  state(i: number): SegmentState | undefined {
    return this.states[i];
  }

  indexesIn(...s: SegmentState[]): number[] {
    const out: number[] = [];
    this.states.forEach((v, i) => s.includes(v) && out.push(i));
    return out;
  }

  private stateChars(): string {
    if (this.per === 0) return this.states.join('');
    const sending = new Set<number>();
    for (const [i, s] of this.open) if (s === 's') sending.add(Math.floor(i / this.per));
    let out = '';
    for (let b = 0; b < this.verified.length; b++) {
      out += this.failed[b]! > 0 ? 'f' : sending.has(b) ? 's' : this.verified[b]! >= this.sizes[b]! ? 'v' : 'p';
    }
    return out;
  }

  add(bytes: number): void {
    this.bytesDone += bytes;
    this.tick();
  }

  /** Takes back bytes of an attempt that will be sent again, and counts them as re-sent. */
  retract(bytes: number): void {
    this.bytesDone -= bytes;
    this.resentBytes += bytes;
    this.tick();
  }

  setPhase(p: Phase): void {
    this.phase = p;
    this.emit(true);
  }

  /** Bytes already there before this run (resume): counted as done, kept out of the rate. */
  preset(bytes: number): void {
    this.bytesDone += bytes;
    this.samples = [];
  }

  rate(): number {
    const t = this.now();
    this.samples.push([t, this.bytesDone]);
    while (this.samples.length > 2 && this.samples[0]![0] < t - WINDOW_MS) this.samples.shift();
    const [t0, b0] = this.samples[0]!;
    return t > t0 ? Math.max(0, ((this.bytesDone - b0) * 1000) / (t - t0)) : 0;
  }

  snapshot(): TransferProgress {
    const rateBps = this.rate();
    const left = this.totalBytes - this.bytesDone;
    return {
      phase: this.phase,
      bytesDone: this.bytesDone,
      totalBytes: this.totalBytes,
      rateBps,
      etaSeconds: left <= 0 ? 0 : rateBps > 0 ? left / rateBps : null,
      segmentSize: this.segmentSize,
      segments: this.stateChars(),
      segmentCount: this.per === 0 ? this.states.length : this.sizes.reduce((a, b) => a + b, 0),
      segmentsVerified: this.per === 0 ? this.states.filter((x) => x === 'v').length : this.verified.reduce((a, b) => a + b, 0),
      resentBytes: this.resentBytes,
      ...(this.concurrency !== undefined ? { concurrency: this.concurrency } : {}),
    };
  }

  private trailing: ReturnType<typeof setTimeout> | undefined;

  /**
   * Emits now when the last report is old enough; otherwise makes sure a trailing report follows, so the last change
   * of a burst (a segment turning verified, then a quiet wait on Swift) is never left unreported.
   */
  private tick(): void {
    const since = this.now() - this.lastEmit;
    if (since >= THROTTLE_MS) this.emit(false);
    else if (!this.trailing && this.onProgress) {
      this.trailing = setTimeout(() => {
        this.trailing = undefined;
        this.emit(true); // forced: timers may fire a millisecond "early" by Date.now(), and then nothing would follow
      }, THROTTLE_MS - since);
      this.trailing.unref?.();
    }
  }

  emit(force: boolean): void {
    const t = this.now();
    if (!force && t - this.lastEmit < THROTTLE_MS) return;
    if (this.trailing) {
      clearTimeout(this.trailing);
      this.trailing = undefined;
    }
    this.lastEmit = t;
    if (this.onProgress) this.onProgress(this.snapshot());
    else this.rate(); // keep the window fed
  }
}
