// Adaptive concurrency (issue 18, for WAN links where one connection is limited, not the link): a transfer starts at
// the requested number of parallel segments and adds one while throughput keeps growing, never beyond the maximum.
//
// The rule (`nextLevel`) is pure: it sees the throughput measured at the current level and the best one before.
// - No earlier measurement: grow (there is nothing to compare with yet).
// - At least GROWTH (10 %) more than the previous level: grow again, up to the maximum.
// - Otherwise stop growing for good; when it is clearly worse (below STEP_BACK of the previous level), go back one.
// `AdaptiveConcurrency` turns completed segments into those measurements: after a change it ignores as many
// completions as slots (they started under the old level), then measures bytes per second over as many again.

export const GROWTH = 1.1;
export const STEP_BACK = 0.95;

export interface LevelState {
  level: number;
  max: number;
  /** Throughput (bytes/s) measured at the level before this one; undefined before the first measurement. */
  previousRate?: number | undefined;
  /** False once throughput stopped growing: the level stays as it is. */
  growing: boolean;
}

/** The next state after measuring `rate` bytes per second at `s.level`. */
export function nextLevel(s: LevelState, rate: number): LevelState {
  if (!s.growing) return s;
  if (s.previousRate === undefined || rate >= s.previousRate * GROWTH) {
    if (s.level >= s.max) return { ...s, previousRate: rate, growing: false };
    return { ...s, level: s.level + 1, previousRate: rate };
  }
  const back = rate < s.previousRate * STEP_BACK ? 1 : 0;
  return { ...s, level: s.level - back, growing: false };
}

export interface AdaptiveOptions {
  start: number;
  max?: number | undefined;
  /** Milliseconds now; injectable so tests feed synthetic completions. */
  now?: () => number;
  /** Called whenever the level changes. */
  onChange?: (level: number) => void;
}

/** Measures completions and applies `nextLevel`; `limit` is what runPool asks for the current slot count. */
export class AdaptiveConcurrency {
  private state: LevelState;
  private readonly now: () => number;
  private readonly onChange: ((level: number) => void) | undefined;
  private seen = 0;
  private bytes = 0;
  private since = 0;

  constructor(opts: AdaptiveOptions) {
    const start = Math.max(1, Math.floor(opts.start));
    const max = Math.max(start, Math.floor(opts.max ?? start));
    this.state = { level: start, max, growing: max > start };
    this.now = opts.now ?? Date.now;
    this.onChange = opts.onChange;
  }

  readonly limit = (): number => this.state.level;

  /** One segment of `bytes` finished. */
  completed(bytes: number): void {
    if (!this.state.growing) return;
    const level = this.state.level;
    this.seen++;
    // The first `level` completions after a change overlap the old level: they only start the clock.
    if (this.seen === level) {
      this.since = this.now();
      this.bytes = 0;
      return;
    }
    if (this.seen < level) return;
    this.bytes += bytes;
    if (this.seen < 2 * level) return;
    const ms = Math.max(1, this.now() - this.since);
    this.state = nextLevel(this.state, (this.bytes * 1000) / ms);
    this.seen = 0;
    if (this.state.level !== level) this.onChange?.(this.state.level);
  }
}
