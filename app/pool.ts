// Bounded parallelism for the whole core, one worker loop for transfers (runPool), ordered maps (mapLimit) and
// recursive fan-out (limiter).
import { setMaxListeners } from 'node:events';
import { SwiftError } from './swift/errors.ts';

/**
 * Runs `work` over `items` with at most `concurrency` in flight. The first failure stops new work and aborts the
 * signal `work` gets, so in-flight work stops promptly (an open PUT would otherwise keep streaming a segment nobody
 * will use); once in-flight work has settled, that first error is thrown. An outside abort is thrown as 'cancelled'.
 * `items` may be a lazy iterable (a generator of 10⁸ leaves): it is pulled one item at a time, never collected.
 * `concurrency` may be a function (adaptive concurrency): it is asked again whenever an item completes; a slot
 * is added when it grew, and a slot retires after its item when it shrank.
 */
export async function runPool<T>(
  items: readonly T[] | Iterable<T>,
  concurrency: number | (() => number),
  work: (item: T, signal: AbortSignal, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const inner = new AbortController();
  const combined = signal ? AbortSignal.any([signal, inner.signal]) : inner.signal;
  setMaxListeners(0, combined); // every in-flight request listens to it
  const limit = typeof concurrency === 'number' ? () => concurrency : concurrency;
  const total = Array.isArray(items) ? items.length : Infinity;
  let next = 0;
  let failed = false;
  let exhausted = false;
  let first: unknown;
  let slots = 0;
  const running = new Set<Promise<void>>();
  const it = (items as Iterable<T>)[Symbol.iterator]();
  const worker = async (): Promise<void> => {
    try {
      while (!failed) {
        if (combined.aborted) break;
        if (slots > Math.max(1, limit())) return; // the limit shrank: this slot retires
        const item = it.next();
        if (item.done) {
          exhausted = true;
          break;
        }
        await work(item.value, combined, next++);
        fill();
      }
    } catch (e) {
      if (!failed) {
        failed = true;
        first = e;
        inner.abort(e);
      }
    } finally {
      slots--; // synchronously, so two slots never both retire for one step down
    }
  };
  const fill = (): void => {
    while (!failed && !exhausted && !combined.aborted && slots < Math.max(1, limit()) && (slots === 0 || slots < total - next)) {
      slots++;
      const p = worker();
      running.add(p);
      void p.finally(() => running.delete(p));
    }
  };
  fill();
  while (running.size) await Promise.all(running);
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
