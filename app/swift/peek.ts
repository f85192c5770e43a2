// The first bytes of an object, for a preview: one Range GET, read to the end (at most `bytes`).
import type { ObjectPeek } from '../domain/objects.ts';
import type { SwiftClient } from './client.ts';
import { getObject } from './objects.ts';

export async function peekObject(client: SwiftClient, container: string, object: string, bytes: number): Promise<ObjectPeek> {
  // 416: the object is empty, so no range of it is satisfiable.
  const res = await getObject(client, container, object, { headers: { range: `bytes=0-${bytes - 1}` }, ok: (s) => s === 416 || (s >= 200 && s < 300) });
  if (res.status === 416) {
    await res.body.dump();
    return { base64: '', total: 0, text: '' };
  }
  // A server that ignores Range sends everything: stop reading once we have what was asked for.
  const chunks: Buffer[] = [];
  let got = 0;
  for await (const chunk of res.body) {
    chunks.push(chunk as Buffer);
    got += (chunk as Buffer).length;
    if (got >= bytes) break;
  }
  if (got >= bytes) res.body.destroy();
  const buf = Buffer.concat(chunks).subarray(0, bytes);
  const total = Number(/\/(\d+)$/.exec(res.headers['content-range'] ?? '')?.[1] ?? res.headers['content-length'] ?? buf.length);
  return { base64: buf.toString('base64'), total, text: asText(buf, buf.length < total) };
}

/** UTF-8 text without control characters (other than tab, newline, carriage return), else null. */
export function asText(buf: Uint8Array, cut: boolean): string | null {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // A cut may split a multi-byte character: try dropping up to three trailing bytes.
  for (let drop = 0; drop <= (cut ? 3 : 0) && drop <= buf.length; drop++) {
    try {
      const text = decoder.decode(buf.subarray(0, buf.length - drop));
      // eslint-disable-next-line no-control-regex -- control characters are exactly what marks binary data
      return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) ? null : text;
    } catch {
      // not valid UTF-8 at this length
    }
  }
  return null;
}
