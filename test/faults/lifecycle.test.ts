// Cancel, pause + discard, delete: nothing is left behind in the segment container, even when the cancel lands while
// segment PUTs are in flight (some already stored by Swift, their answers still on the way). Token expiry in the
// middle of an upload or a download: one re-auth, no failure the user can see.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteObjectAndSegments } from '../../app/slo/delete.ts';
import type { SwiftClient } from '../../app/swift/client.ts';
import { SwiftError } from '../../app/swift/errors.ts';
import { headObject } from '../../app/swift/objects.ts';
import { downloadObject } from '../../app/transfer/download.ts';
import { openFileSource } from '../../app/transfer/file-source.ts';
import { uploadJournalPath } from '../../app/transfer/journal.ts';
import { discardUpload, PAUSE, uploadObject } from '../../app/transfer/upload.ts';
import { KiB, MiB, patternBytes } from '../helpers/files.ts';
import { listNames, makeContainer, removeContainers, sandboxClient, sandboxCreds } from '../helpers/swift.ts';
import type { FaultProxy } from './fault-proxy.ts';
import { clientVia, proxyFor, withTimeout } from './helpers.ts';
import { slowSource } from './slow-source.ts';

const creds = sandboxCreds();
const SEG = 256 * KiB;

describe('cancel, delete and token expiry leave nothing behind and show no failure', () => {
  let proxy: FaultProxy;
  let client: SwiftClient;
  let direct: SwiftClient;
  let container: string;
  let segc: string;
  let dir: string;
  const figures: Record<string, unknown>[] = [];

  beforeAll(async () => {
    proxy = await proxyFor(creds);
    client = clientVia(proxy, creds);
    direct = sandboxClient();
    container = await makeContainer(direct);
    segc = `${container}_segments`;
    dir = await mkdtemp(join(tmpdir(), 'slo-faults-life-'));
  });

  afterAll(async () => {
    console.log(`[faults] lifecycle:\n${figures.map((f) => '  ' + JSON.stringify(f)).join('\n')}`);
    await client?.close();
    await proxy?.stop();
    await removeContainers(direct, container, segc);
    await direct?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const reset = () => {
    proxy.clearRules();
    proxy.setRandom(undefined);
    proxy.resetStats();
  };

  async function file(name: string, size: number, seed: number): Promise<{ path: string; data: Buffer }> {
    const data = patternBytes(size, seed);
    const path = join(dir, name);
    await writeFile(path, data);
    return { path, data };
  }

  it('cancel while segment PUTs are in flight (stored, answers stalled): 0 segments left, no manifest, no journal', async () => {
    reset();
    // Every segment PUT is stored by Swift but its answer is held back 800 ms: at the cancel several are "in flight".
    proxy.addRule({ match: { method: 'PUT', path: '_segments/' }, fault: { type: 'stall', ms: 800 } });
    const { path } = await file('cancel.bin', 4 * MiB, 41);
    const journalDir = join(dir, 'j-cancel');
    const source = await openFileSource(path);
    const ac = new AbortController();
    let cancelledAt = 0;
    const t0 = Date.now();
    const err = await uploadObject(client, source, { container, object: 'cancel.bin' }, {
      segmentSize: SEG,
      concurrency: 4,
      journalDir,
      signal: ac.signal,
      onProgress: (p) => {
        if (!cancelledAt && p.bytesDone >= 2 * MiB) {
          cancelledAt = p.bytesDone;
          ac.abort();
        }
      },
    }).catch((e: unknown) => e);
    const cancelMs = Date.now() - t0;
    await source.close();
    expect(err).toBeInstanceOf(SwiftError);
    expect((err as SwiftError).kind).toBe('cancelled');
    expect((err as SwiftError).message).toBe('The upload of cancel.bin to ' + container + '/cancel.bin was cancelled and the segments it had stored were deleted.');
    // Late answers must not resurrect anything: look again after every stalled PUT has surely completed.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await listNames(direct, segc, 'cancel.bin/')).toEqual([]);
    expect(await headObject(direct, container, 'cancel.bin').catch((e: SwiftError) => e.kind)).toBe('not-found');
    expect(existsSync(uploadJournalPath(journalDir, container, 'cancel.bin'))).toBe(false);
    figures.push({ test: 'cancel with PUTs in flight', cancelledAtBytes: cancelledAt, msToCancelled: cancelMs, segmentPutsStored: proxy.entries({ method: 'PUT', path: '_segments/' }).filter((e) => e.status === 201).length, leftAfter: 0 });
  });

  it('cancel while a segment PUT body is still streaming (slow request): 0 segments left', async () => {
    reset();
    proxy.addRule({ match: { method: 'PUT', path: '_segments/' }, fault: { type: 'slow', bytesPerSec: 1 * MiB, direction: 'request' } });
    const { path } = await file('cancel2.bin', 2 * MiB, 42);
    const source = await openFileSource(path);
    const ac = new AbortController();
    const err = await uploadObject(client, source, { container, object: 'cancel2.bin' }, {
      segmentSize: SEG,
      concurrency: 2,
      journalDir: join(dir, 'j-cancel2'),
      signal: ac.signal,
      onProgress: (p) => {
        if (p.bytesDone >= 700 * KiB) ac.abort();
      },
    }).catch((e: unknown) => e);
    await source.close();
    expect((err as SwiftError).kind).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await listNames(direct, segc, 'cancel2.bin/')).toEqual([]);
  });

  it('pause keeps verified segments and the journal; discarding the paused upload then leaves 0 segments', async () => {
    reset();
    const { path } = await file('pause.bin', 3 * MiB, 43);
    const journalDir = join(dir, 'j-pause');
    const file1 = await openFileSource(path);
    const src = slowSource(file1, 4 * MiB);
    const ac = new AbortController();
    const err = await uploadObject(client, src, { container, object: 'pause.bin' }, {
      segmentSize: SEG,
      concurrency: 2,
      journalDir,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.bytesDone >= 1.5 * MiB) ac.abort(PAUSE);
      },
    }).catch((e: unknown) => e);
    await file1.close();
    expect((err as SwiftError).kind).toBe('cancelled');
    expect((err as SwiftError).message).toMatch(/^The upload of pause\.bin to .* was paused; \d+ of 12 segments are stored and a resume sends only the rest\.$/);
    const kept = await listNames(direct, segc, 'pause.bin/');
    expect(kept.length).toBeGreaterThan(0);
    expect(existsSync(uploadJournalPath(journalDir, container, 'pause.bin'))).toBe(true);
    const removed = await discardUpload(client, { container, object: 'pause.bin' }, { journalDir });
    expect(removed).toBe(kept.length);
    expect(await listNames(direct, segc, 'pause.bin/')).toEqual([]);
    expect(existsSync(uploadJournalPath(journalDir, container, 'pause.bin'))).toBe(false);
    figures.push({ test: 'pause then discard', segmentsKeptByPause: kept.length, deletedByDiscard: removed });
  });

  it('delete of a nested SLO (1 100 segments, 2 sub-manifests) through faults leaves 0 segments', { timeout: 180_000 }, async () => {
    reset();
    const { path } = await file('nested.bin', 1100 * KiB, 44);
    const source = await openFileSource(path);
    const up = await uploadObject(direct, source, { container, object: 'nested.bin' }, { segmentSize: KiB, concurrency: 8, journalDir: join(dir, 'j-nested') });
    await source.close();
    expect(up.manifest?.subManifests.length).toBe(2);
    expect((await listNames(direct, segc, 'nested.bin/')).length).toBe(1102);
    // Faults on the segment deletes the bulk middleware does server-side cannot be injected; fault the listing and
    // HEADs the client does instead (retried), and check the outcome against Swift directly.
    proxy.setRandom({ rate: 0.2, seed: 99, kinds: ['503', 'stall'], maxStallMs: 400, match: { method: ['HEAD', 'GET'] } });
    const t0 = Date.now();
    const r = await deleteObjectAndSegments(client, container, 'nested.bin');
    proxy.setRandom(undefined);
    expect(r.errors).toEqual([]);
    expect(r.summary).toBe(`Deleted ${container}/nested.bin and its 1102 segments.`);
    expect(await listNames(direct, segc, 'nested.bin/')).toEqual([]);
    figures.push({ test: 'delete nested SLO', segments: 1100, subManifests: 2, deleteMs: Date.now() - t0, deleted: r.deleted, faults: proxy.stats.injectedTotal });
  });

  it('delete of an SLO through the proxy removes the manifest and every segment', async () => {
    reset();
    const { path } = await file('del.bin', 2 * MiB, 45);
    const source = await openFileSource(path);
    await uploadObject(direct, source, { container, object: 'del.bin' }, { segmentSize: SEG, journalDir: join(dir, 'j-del') });
    await source.close();
    const r = await deleteObjectAndSegments(client, container, 'del.bin');
    expect(r.errors).toEqual([]);
    expect(r.deleted).toBe(9);
    expect(await listNames(direct, segc, 'del.bin/')).toEqual([]);
  });

  it('a transient 503 on DELETE ?multipart-manifest=delete is retried, not reported as a failure', async () => {
    reset();
    const { path } = await file('del503.bin', 1 * MiB, 46);
    const source = await openFileSource(path);
    await uploadObject(direct, source, { container, object: 'del503.bin' }, { segmentSize: SEG, journalDir: join(dir, 'j-del503') });
    await source.close();
    proxy.addRule({ match: { method: 'DELETE', query: 'multipart-manifest=delete' }, fault: { type: 'status', status: 503 }, times: 1 });
    // The bulk DELETE treats only non-retryable statuses as answers; 5xx/429/498 go through the client's retries.
    const r = await deleteObjectAndSegments(client, container, 'del503.bin');
    expect(r.errors).toEqual([]);
  });

  // Fails until app/transfer/put-verified.ts keeps per-attempt state per body: after a 401 the old body generator is
  // still drained by undici and adds to the new attempt's byte count and MD5 ("Only 0 of 262144 bytes could be read").
  it('token expiry in the middle of an upload: one re-auth, the upload succeeds, nothing re-sent beyond the requests refused', async () => {
    reset();
    const { path, data } = await file('expire-up.bin', 4 * MiB, 47);
    const file1 = await openFileSource(path);
    const src = slowSource(file1, 4 * MiB);
    let expired = 0;
    const errors: string[] = [];
    const result = await withTimeout(
      uploadObject(client, src, { container, object: 'expire-up.bin' }, {
        segmentSize: SEG,
        concurrency: 4,
        journalDir: join(dir, 'j-exp'),
        onProgress: (p) => {
          if (!expired && p.bytesDone >= 2 * MiB) expired = proxy.expireTokens();
          if (p.segments.includes('f')) errors.push(p.segments);
        },
      }),
      60_000,
      'upload',
    );
    await file1.close();
    expect(expired).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    expect(result.size).toBe(data.length);
    const refused = proxy.stats.injected['expired-token'] ?? 0;
    const auths = proxy.entries({ path: '/auth/' }).length;
    expect(refused).toBeGreaterThanOrEqual(1);
    expect(auths).toBeGreaterThanOrEqual(1); // at least one renewal (the first login happened in an earlier test)
    expect(auths).toBeLessThanOrEqual(4); // at most one renewal per request in flight
    const dest = join(dir, 'expire-up.out');
    await downloadObject(direct, { container, object: 'expire-up.bin' }, dest);
    expect((await readFile(dest)).equals(data)).toBe(true);
    figures.push({ test: 'token expiry mid-upload', refused401: refused, authRequests: auths, resentBytes: result.resentBytes, sourceBytesRead: src.bytesRead - data.length });
  });

  it('token expiry in the middle of a download: one re-auth, the file is byte-identical', async () => {
    reset();
    const { path, data } = await file('expire-down.bin', 4 * MiB, 48);
    const source = await openFileSource(path);
    await uploadObject(direct, source, { container, object: 'expire-down.bin' }, { segmentSize: SEG, journalDir: join(dir, 'j-exp2') });
    await source.close();
    proxy.addRule({ match: { method: 'GET', path: '_segments/' }, fault: { type: 'slow', bytesPerSec: 2 * MiB } });
    let expired = 0;
    const dest = join(dir, 'expire-down.out');
    const r = await withTimeout(
      downloadObject(client, { container, object: 'expire-down.bin' }, dest, {
        concurrency: 2,
        onProgress: (p) => {
          if (!expired && p.bytesDone >= 2 * MiB) expired = proxy.expireTokens();
        },
      }),
      60_000,
      'download',
    );
    expect(expired).toBeGreaterThan(0);
    expect(r.verified).toBe(true);
    expect((await readFile(dest)).equals(data)).toBe(true);
    expect(proxy.stats.injected['expired-token']).toBeGreaterThanOrEqual(1);
    expect((await readdir(dir)).filter((f) => f.startsWith('expire-down.out.'))).toEqual([]);
    figures.push({ test: 'token expiry mid-download', refused401: proxy.stats.injected['expired-token'], authRequests: proxy.entries({ path: '/auth/' }).length, resentBytes: r.resentBytes });
  });
});
