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
  /** One character per segment (p pending, s sending, v verified, f failed) — the contract's SegmentStates. */
  segments: string;
  resentBytes: number;
}

const WINDOW_MS = 5_000;
const THROTTLE_MS = 100;

export class ProgressTracker {
  phase: Phase = 'preparing';
  bytesDone = 0;
  resentBytes = 0;
  segmentSize = 0;
  private states: SegmentState[] = [];
  private samples: Array<[number, number]> = [];
  private lastEmit = 0;

  constructor(
    public totalBytes: number,
    private readonly onProgress?: (p: TransferProgress) => void,
    private readonly now: () => number = Date.now,
  ) {}

  setSegments(count: number, segmentSize: number): void {
    this.states = new Array<SegmentState>(count).fill('p');
    this.segmentSize = segmentSize;
  }

  setState(i: number, s: SegmentState): void {
    if (i >= 0 && i < this.states.length) this.states[i] = s;
    this.tick();
  }

  state(i: number): SegmentState | undefined {
    return this.states[i];
  }

  indexesIn(...s: SegmentState[]): number[] {
    const out: number[] = [];
    this.states.forEach((v, i) => s.includes(v) && out.push(i));
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
      segments: this.states.join(''),
      resentBytes: this.resentBytes,
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
