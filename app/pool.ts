// Bounded worker pool. The first failure aborts the shared signal so in-flight work stops promptly (an open PUT
// would otherwise keep streaming a segment nobody will use), then that first error is thrown.
import { setMaxListeners } from 'node:events';
import { SwiftError } from '../swift/errors.ts';

export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, signal: AbortSignal) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const inner = new AbortController();
  const combined = signal ? AbortSignal.any([signal, inner.signal]) : inner.signal;
  setMaxListeners(0, combined); // every in-flight request listens to it
  let next = 0;
  let first: unknown;
  const worker = async (): Promise<void> => {
    while (first === undefined && next < items.length) {
      if (combined.aborted) break;
      const item = items[next++]!;
      try {
        await work(item, combined);
      } catch (e) {
        if (first === undefined) {
          first = e;
          inner.abort(e);
        }
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  if (first !== undefined) {
    // An outside abort makes every worker fail with some error; report it as the cancellation it is.
    if (signal?.aborted && !(first instanceof SwiftError && first.kind === 'cancelled')) {
      throw new SwiftError({ kind: 'cancelled', message: 'Cancelled.', cause: first });
    }
    throw first;
  }
  if (signal?.aborted) throw new SwiftError({ kind: 'cancelled', message: 'Cancelled.' });
}
