// Listing-only fixtures: rows merged straight into a container's listing database through the container server's
// UPDATE verb (the batched merge_items RPC Swift's proxy uses; one sqlite transaction per request). Swift's object
// server stores ~100 objects/s here; this writes thousands of rows per second, so a test that needs only a listing at
// scale (pagination, scrolling) gets one in seconds. The objects exist only in the listing — a GET of one is a 404 —
// and every test that uses one says so.
import { createHash } from 'node:crypto';
import { request } from 'undici';
import type { SandboxInfo } from '../../app/sandbox/manager.ts';

export type ContainerServer = SandboxInfo['containerServer'];

export interface ListingRow {
  name: string;
  size: number;
}

const BATCH = 5_000;

/** Percent-encodes each path segment the way Swift's servers expect. */
const quote = (s: string) => s.split('/').map(encodeURIComponent).join('/');

/**
 * Merges `rows` into the listing of `container` (which must exist); with `deleted`, removes them again (rows that
 * exist only in the listing cannot be deleted through the object API). Returns how many rows were written.
 */
export async function writeListingRows(server: ContainerServer, container: string, rows: Iterable<ListingRow>, opts: { deleted?: boolean } = {}): Promise<number> {
  const url = `http://127.0.0.1:${server.port}/${server.device}/${server.partition}/${quote(server.account)}/${quote(container)}`;
  // One timestamp for the batch: rows differ by name, and a later real PUT of the same name wins over it.
  const timestamp = (Date.now() / 1000).toFixed(5);
  let batch: object[] = [];
  let written = 0;
  const flush = async () => {
    const res = await request(url, {
      method: 'UPDATE',
      headers: { 'x-timestamp': timestamp, 'x-backend-storage-policy-index': '0', 'content-type': 'application/json' },
      body: JSON.stringify(batch),
    });
    const text = await res.body.text();
    if (res.statusCode !== 202) throw new Error(`container server refused ${batch.length} listing rows: HTTP ${res.statusCode} ${text.slice(0, 200)}`);
    written += batch.length;
    batch = [];
  };
  for (const { name, size } of rows) {
    const etag = createHash('md5').update(name).digest('hex');
    batch.push({ name, created_at: timestamp, size, content_type: 'application/octet-stream', etag, deleted: opts.deleted ? 1 : 0, storage_policy_index: 0 });
    if (batch.length === BATCH) await flush();
  }
  if (batch.length) await flush();
  return written;
}
