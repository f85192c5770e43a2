// The one retry policy (app/swift/retry.ts): predicate, backoff, Retry-After, and a budget that nesting cannot multiply.
import { describe, expect, it } from 'vitest';
import { SwiftError } from '../../app/swift/errors.ts';
import { Attempts, isRetryable, isRetryableStatus, retryDelay, retrying, type RetryPolicy } from '../../app/swift/retry.ts';

const fast: RetryPolicy = { retries: 3, backoffMs: 1, maxWaitMs: 5 };
const status = (s: number, extra: Partial<ConstructorParameters<typeof SwiftError>[0]> = {}) => new SwiftError({ kind: s === 429 ? 'rate-limited' : 'server', message: `status ${s}`, status: s, ...extra });
const network = () => new SwiftError({ kind: 'network', message: 'The connection was reset while talking to Swift about x.' });

describe('which failures are retried', () => {
  it('retries server trouble, rate limits and network failures', () => {
    for (const s of [500, 502, 503, 504, 429, 498]) expect(isRetryableStatus(s), String(s)).toBe(true);
    expect(isRetryable(status(503))).toBe(true);
    expect(isRetryable(network())).toBe(true);
  });

  it('does not retry answers that will not change, cancellation, or a TLS certificate that does not verify', () => {
    for (const s of [400, 401, 403, 404, 409, 412, 413, 422, 501, 507]) expect(isRetryableStatus(s), String(s)).toBe(false);
    expect(isRetryable(new SwiftError({ kind: 'not-found', message: 'gone', status: 404 }))).toBe(false);
    expect(isRetryable(new SwiftError({ kind: 'cancelled', message: 'Cancelled.' }))).toBe(false);
    expect(isRetryable(new SwiftError({ kind: 'integrity', message: 'md5 differs' }))).toBe(false);
    expect(isRetryable(new SwiftError({ kind: 'network', message: 'The TLS certificate of the Swift endpoint could not be verified (CERT_HAS_EXPIRED).' }))).toBe(false);
  });
});

describe('how long to wait', () => {
  const policy: RetryPolicy = { retries: 10, backoffMs: 100, maxWaitMs: 1_000 };

  it('doubles per retry with equal jitter: between half and all of the exponential step, never zero', () => {
    expect(retryDelay(policy, 0, undefined, () => 0)).toBe(50);
    expect(retryDelay(policy, 0, undefined, () => 1)).toBe(100);
    expect(retryDelay(policy, 2, undefined, () => 0)).toBe(200);
    expect(retryDelay(policy, 2, undefined, () => 0.999)).toBeCloseTo(399.8, 1);
  });

  it('caps the step at maxWaitMs', () => {
    expect(retryDelay(policy, 20, undefined, () => 1)).toBe(1_000);
  });

  it('honours Retry-After, capped too', () => {
    expect(retryDelay(policy, 0, status(429, { retryAfterMs: 700 }), () => 0)).toBe(700);
    expect(retryDelay(policy, 0, status(429, { retryAfterMs: 60_000 }), () => 0)).toBe(1_000);
  });
});

describe('retrying', () => {
  it('tries once plus the budget, then throws the last error', async () => {
    let calls = 0;
    const p = retrying(new Attempts(fast), async () => {
      calls++;
      throw status(503);
    });
    await expect(p).rejects.toMatchObject({ kind: 'server', status: 503 });
    expect(calls).toBe(4);
  });

  it('stops at the first failure that is not retryable', async () => {
    let calls = 0;
    const p = retrying(new Attempts(fast), async () => {
      calls++;
      throw calls === 1 ? network() : new SwiftError({ kind: 'not-found', message: 'gone', status: 404 });
    });
    await expect(p).rejects.toMatchObject({ kind: 'not-found' });
    expect(calls).toBe(2);
  });

  it('returns the first success and tells onRetry about each retry', async () => {
    const seen: number[] = [];
    let calls = 0;
    const v = await retrying(
      new Attempts(fast),
      async (attempt) => {
        calls++;
        if (attempt < 2) throw network();
        return 'ok';
      },
      { onRetry: (n) => seen.push(n) },
    );
    expect(v).toBe('ok');
    expect(calls).toBe(3);
    expect(seen).toEqual([1, 2]);
  });

  it('a retried call inside a retried call draws from the same budget: attempts do not multiply', async () => {
    const budget = new Attempts(fast);
    let inner = 0;
    const p = retrying(budget, () =>
      retrying(budget, async () => {
        inner++;
        throw status(502);
      }),
    );
    await expect(p).rejects.toMatchObject({ status: 502 });
    expect(inner).toBe(fast.retries + 1); // not (retries + 1)²
    expect(budget.used).toBe(fast.retries);
  });

  it('a replaced predicate decides alone (e.g. a body that cannot be sent again)', async () => {
    let calls = 0;
    const p = retrying(new Attempts(fast), async () => {
      calls++;
      throw network();
    }, { retryable: () => false });
    await expect(p).rejects.toMatchObject({ kind: 'network' });
    expect(calls).toBe(1);
  });

  it('an abort during the wait ends the loop as cancelled', async () => {
    const ac = new AbortController();
    const slow = new Attempts({ retries: 5, backoffMs: 10_000, maxWaitMs: 10_000 });
    const p = retrying(slow, async () => {
      setTimeout(() => ac.abort(), 10);
      throw network();
    }, { signal: ac.signal });
    await expect(p).rejects.toMatchObject({ kind: 'cancelled' });
  });
});
