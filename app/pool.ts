// Bounded parallelism for the whole core, one worker loop for transfers (runPool), ordered maps (mapLimit) and
// recursive fan-out (limiter).
import { setMaxListeners } from 'node:events';
import { SwiftError } from './swift/errors.ts';

/**
 * Runs `work` over `items` with at most `concurrency` in flight. The first failure stops new work and aborts the
 * signal `work` gets, so in-flight work stops promptly (an open PUT would otherwise keep streaming a segment nobody
 * will use); once in-flight work has settled, that first error is thrown. An outside abort is thrown as 'cancelled'.
 * `items` may be a lazy iterable (a generator of 10⁸ leaves): it is pulled one item at a time, never collected.
 */
export async function runPool<T>(
  items: readonly T[] | Iterable<T>,
  concurrency: number,
  work: (item: T, signal: AbortSignal, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const inner = new AbortController();
  const combined = signal ? AbortSignal.any([signal, inner.signal]) : inner.signal;
  setMaxListeners(0, combined); // every in-flight request listens to it
  let next = 0;
  let failed = false;
  let first: unknown;
  const it = (items as Iterable<T>)[Symbol.iterator]();
  const worker = async (): Promise<void> => {
    while (!failed) {
      if (combined.aborted) break;
      try {
        const item = it.next();
        if (item.done) break;
        await work(item.value, combined, next++);
      } catch (e) {
        if (!failed) {
          failed = true;
          first = e;
          inner.abort(e);
        }
        return;
      }
    }
  };
  const workers = Array.isArray(items) ? Math.min(concurrency, items.length) : concurrency;
  await Promise.all(Array.from({ length: Math.max(1, workers) }, worker));
  if (failed) {
    // An outside abort makes every worker fail with some error; report it as the cancellation it is.
    if (signal?.aborted && !(first instanceof SwiftError && first.kind === 'cancelled')) {
      throw new SwiftError({ kind: 'cancelled', message: 'Cancelled.', cause: first });
    }
    throw first;
  }
  if (signal?.aborted) throw new SwiftError({ kind: 'cancelled', message: 'Cancelled.' });
}

/** runPool that collects what `fn` returns, in input order. */
export async function mapLimit<T, R>(items: readonly T[], n: number, fn: (item: T, index: number) => Promise<R>, signal?: AbortSignal): Promise<R[]> {
  const out = new Array<R>(items.length);
  await runPool(items, n, async (item, _signal, i) => {
    out[i] = await fn(item, i);
  }, signal);
  return out;
}

/** A gate that lets at most `n` calls run at once (for recursive work, whose items are not known up front). */
export function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
