// The one retry policy. Which failures are worth another try, how long to wait (exponential backoff with "equal
// jitter", or what Retry-After says), and how many tries an operation gets. A retry budget (`Attempts`) belongs to one
// operation and is handed down to every loop working on it, so a retried call wrapped in another retried call draws
// from the same budget: attempts never multiply.
import { SwiftError, toSwiftError } from './errors.ts';

export interface RetryPolicy {
  /** Retries after the first try. */
  retries: number;
  /** Base delay of the exponential backoff, ms. */
  backoffMs: number;
  /** Cap for a single wait (backoff or Retry-After), ms. */
  maxWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 4, backoffMs: 250, maxWaitMs: 30_000 };

/** Statuses that mean "try again later": server trouble and rate limits (498 is Swift's ratelimit middleware). */
export function isRetryableStatus(status: number): boolean {
  return status === 500 || status === 502 || status === 503 || status === 504 || status === 429 || status === 498;
}

/** The one predicate: network failures (but not a TLS certificate that will not verify) and retryable statuses. */
export function isRetryable(e: SwiftError): boolean {
  if (e.kind === 'cancelled') return false;
  if (e.kind === 'network') return !/TLS certificate/.test(e.message);
  return e.status !== undefined && isRetryableStatus(e.status);
}

/** Wait before retry number `retry` (0-based): Retry-After when Swift sent one, else equal-jitter backoff. */
export function retryDelay(policy: RetryPolicy, retry: number, error?: SwiftError, random: () => number = Math.random): number {
  if (error?.retryAfterMs !== undefined) return Math.min(policy.maxWaitMs, error.retryAfterMs);
  const exp = Math.min(policy.maxWaitMs, policy.backoffMs * 2 ** retry);
  return exp / 2 + random() * (exp / 2); // never retry in lock-step, never wait zero
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new SwiftError({ kind: 'cancelled', message: 'Cancelled.' }));
    const onAbort = () => {
      clearTimeout(t);
      reject(new SwiftError({ kind: 'cancelled', message: 'Cancelled.' }));
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The retry budget of one operation. */
export class Attempts {
  private spent = 0;

  constructor(
    readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    private readonly random: () => number = Math.random,
  ) {}

  /** Retries already used. */
  get used(): number {
    return this.spent;
  }

  get exhausted(): boolean {
    return this.spent >= this.policy.retries;
  }

  /** Spends one retry and waits for it; false (and no wait) when the budget is spent. */
  async next(error: SwiftError, signal?: AbortSignal): Promise<boolean> {
    if (this.exhausted) return false;
    const wait = retryDelay(this.policy, this.spent, error, this.random);
    this.spent++;
    await sleep(wait, signal);
    return true;
  }
}

export interface RetryingOptions {
  signal?: AbortSignal | undefined;
  /** Replaces the policy's predicate for this loop (e.g. `isRetryable` and a body that can be sent again). */
  retryable?: (e: SwiftError) => boolean;
  /** Turns what `run` threw into a SwiftError (default: toSwiftError). */
  toError?: (e: unknown) => SwiftError;
  /** Called before each retry; lets a caller reset per-attempt state such as a running hash. */
  onRetry?: (attempt: number, error: SwiftError) => void;
}

/** Runs `run` until it succeeds, the failure is not retryable, or the budget is spent; throws a SwiftError. */
export async function retrying<T>(attempts: Attempts, run: (attempt: number) => Promise<T>, o: RetryingOptions = {}): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run(attempt);
    } catch (e) {
      const err = o.toError ? o.toError(e) : toSwiftError(e);
      if (o.signal?.aborted && err.kind !== 'cancelled') throw new SwiftError({ kind: 'cancelled', message: 'Cancelled.', cause: e });
      if (err.kind === 'cancelled' || !(o.retryable ?? isRetryable)(err) || attempts.exhausted) throw err;
      o.onRetry?.(attempt + 1, err);
      await attempts.next(err, o.signal);
    }
  }
}
