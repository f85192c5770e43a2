// Reading a Swift answer's body as bounded text. Apart from client.ts so that code which only reads bodies (the
// manifest reader) does not pull in undici's Agent, which `slo --help` would otherwise load at every start.
import type { Dispatcher } from 'undici';
import { SwiftError } from './errors.ts';

/** No listing page or manifest comes near this (8 MiB manifests, 10,000-name pages): a bigger text body is hostile. */
export const MAX_TEXT_BODY = 64 * 1024 * 1024;

/**
 * Reads a body as text, at most `max` bytes: beyond it, `truncate` keeps what came and drops the connection; otherwise
 * a 'limit' error — an endless or absurd body must never be buffered whole.
 */
export async function readText(body: Dispatcher.ResponseData['body'], max: number, what: string, truncate = false): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > max) {
      body.destroy();
      if (truncate) break;
      throw new SwiftError({ kind: 'limit', message: `The answer for ${what} was larger than ${max / 1024 / 1024} MiB, far beyond any listing or manifest; it was cut off.` });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, truncate ? max : undefined);
}
