// Reads a byte run of an object and survives a body that ends early or a socket that drops mid-body: it asks again for
// the bytes still missing (`Range: bytes=<got>-…`, `If-Match` so the continuation is the same object). The proxy may
// already have answered 200 when a later segment of an SLO fails; then only the byte count shows it. The requests and
// the resumes of one run draw from one retry budget (app/swift/retry.ts).
import type { StreamResponse, SwiftClient } from '../swift/client.ts';
import { SwiftError, toSwiftError } from '../swift/errors.ts';
import { getObject, unquote } from '../swift/objects.ts';
import type { Attempts } from '../swift/retry.ts';

/** Drops a response body we no longer want; undici reports that as an 'error' event, which must not go unheard. */
export function discardBody(body: StreamResponse['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

export interface RangeRead {
  container: string;
  object: string;
  /** First byte within the object. */
  start: number;
  /** One past the last byte. */
  end: number;
  /** The run is the whole object: the first request goes without a Range header (the answer is then 200). */
  whole: boolean;
  /** ETag the object must have (sent as If-Match from the first request); otherwise the first answer's ETag is used for continuations. */
  ifMatch?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Receives every chunk in order with its position relative to `start`; awaited (backpressure). */
  onChunk: (chunk: Uint8Array, pos: number) => Promise<void> | void;
  /** A request for this run already sent (read-ahead); used for the first attempt. */
  first?: Promise<StreamResponse> | undefined;
}

export interface RangeReadResult {
  /** ETag the object was served with (unquoted). */
  etag: string;
  /** Times the body had to be resumed. */
  resumes: number;
}

/** The writer failed (disk full, sink closed): never a reason to ask Swift again. */
function writerError(e: unknown): SwiftError {
  return e instanceof SwiftError ? e : toSwiftError(e, 'Writing the download');
}

/**
 * Hands the body's chunks to `onChunk` in order and pauses the body while a returned promise is pending. Event-driven
 * on purpose: async iteration of a Readable concatenates the chunks that piled up while we awaited (a copy per MiB).
 * Ends when the body ends; rejects with the first error (a throwing `onChunk`, or the socket's), but only once the
 * pending `onChunk` settled, so nothing of this attempt still writes when the caller carries on.
 */
export function pump(body: StreamResponse['body'], onChunk: (chunk: Buffer) => Promise<void> | void): Promise<void> {
  return new Promise((resolve, reject) => {
    let pending: Promise<void> | undefined;
    let over = false;
    const finish = (e?: unknown) => {
      if (over) return;
      over = true;
      body.removeListener('data', onData);
      const settle = () => (e === undefined ? resolve() : reject(e));
      if (pending) pending.then(settle, (e2: unknown) => (e === undefined ? reject(e2) : reject(e)));
      else settle();
    };
    const onData = (chunk: Buffer) => {
      if (over) return;
      let p: Promise<void> | void;
      try {
        p = onChunk(chunk);
      } catch (e) {
        finish(e);
        return;
      }
      if (!p) return;
      body.pause();
      const mine: Promise<void> = p.then(() => {
        if (pending === mine) pending = undefined;
        if (!over) body.resume();
      });
      pending = mine;
      mine.catch((e: unknown) => {
        if (pending === mine) pending = undefined;
        finish(e);
      });
    };
    body.on('data', onData);
    body.once('end', () => finish());
    body.once('error', (e: unknown) => finish(e ?? new Error('the response body failed')));
    body.once('close', () => finish(new Error('the response body closed before its end')));
  });
}

export function openRange(client: SwiftClient, r: Pick<RangeRead, 'container' | 'object' | 'start' | 'end' | 'whole' | 'ifMatch' | 'signal'>, got = 0, etag?: string, attempts?: Attempts): Promise<StreamResponse> {
  const headers: Record<string, string> = {};
  if (!(r.whole && got === 0)) headers['range'] = `bytes=${r.start + got}-${r.end - 1}`;
  const match = r.ifMatch ?? etag;
  if (match) headers['if-match'] = `"${match}"`;
  return getObject(client, r.container, r.object, { headers, ...(r.signal ? { signal: r.signal } : {}), ...(attempts ? { attempts } : {}) });
}

export async function readRangeResumable(client: SwiftClient, r: RangeRead): Promise<RangeReadResult> {
  const total = r.end - r.start;
  const what = `${r.container}/${r.object}`;
  let got = 0;
  let etag: string | undefined = r.ifMatch;
  let resumes = 0;
  let first = r.first;
  const attempts = client.attempts();
  for (;;) {
    let res: StreamResponse;
    try {
      res = await (first ?? openRange(client, r, got, etag, attempts));
    } catch (e) {
      const err = toSwiftError(e);
      if (err.kind === 'precondition' || err.status === 412) {
        throw new SwiftError({ kind: 'precondition', message: `${what} changed on the server during the download (its ETag no longer matches); start the download again.`, status: 412, ...(err.transId ? { transId: err.transId } : {}) });
      }
      throw err;
    }
    first = undefined;
    const servedEtag = unquote(res.headers['etag']);
    if (etag === undefined && servedEtag) etag = servedEtag;
    const expect = total - got;
    const length = res.headers['content-length'] !== undefined ? Number(res.headers['content-length']) : undefined;
    if (length !== undefined && length !== expect) {
      await res.body.dump().catch(() => undefined);
      throw new SwiftError({
        kind: 'integrity',
        message: `${what} is not the size the manifest or listing says: Swift sends ${length} bytes where ${expect} were expected.`,
        ...(res.headers['x-trans-id'] ? { transId: res.headers['x-trans-id'] } : {}),
      });
    }
    try {
      await pump(res.body, (chunk) => {
        if (got + chunk.length > total) {
          throw new SwiftError({ kind: 'integrity', message: `${what} sent more bytes than the ${total} expected.` });
        }
        let p: Promise<void> | void;
        try {
          p = r.onChunk(chunk, got);
        } catch (e) {
          throw writerError(e);
        }
        got += chunk.length;
        return p?.catch((e: unknown) => {
          throw writerError(e);
        });
      });
    } catch (e) {
      if (e instanceof SwiftError) {
        discardBody(res.body);
        throw e;
      }
      if (r.signal?.aborted) throw new SwiftError({ kind: 'cancelled', message: `The download of ${what} was cancelled.`, cause: e });
      // A socket error mid-body: fall through and ask for the rest.
    }
    if (got === total) return { etag: etag ?? servedEtag, resumes };
    const cut = new SwiftError({ kind: 'network', message: `The connection kept breaking while downloading ${what} (${got} of ${total} bytes after ${resumes} resumes).` });
    if (!(await attempts.next(cut, r.signal))) throw cut;
    resumes++;
  }
}
