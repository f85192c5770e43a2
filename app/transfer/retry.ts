// Idempotent reads made of several requests (resolving a manifest tree, HEAD + manifest GET) are retried as a whole
// when the connection breaks mid-body: the client retries a request only until its headers arrive, and a body cut
// short surfaces as a raw socket error. Swift answers (404, 401, …) are final here; the client already retried those
// that deserve it.
import { SwiftError, toSwiftError } from '../swift/errors.ts';

const TRIES = 3;

function transient(e: unknown): boolean {
  if (e instanceof SwiftError) return e.kind === 'network';
  const name = (e as Error | undefined)?.name ?? '';
  return name !== 'AbortError' && !(e instanceof TypeError) && !(e instanceof RangeError);
}

export async function retryRead<T>(what: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (signal?.aborted) throw new SwiftError({ kind: 'cancelled', message: `Cancelled: ${what}.`, cause: e });
      if (attempt >= TRIES || !transient(e)) throw toSwiftError(e, what);
      await new Promise((r) => setTimeout(r, 250 * attempt));
    }
  }
}
