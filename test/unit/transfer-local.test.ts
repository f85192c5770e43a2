import { mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatMtime, openFileSource } from '../../app/transfer/file-source.ts';
import { JournalFile } from '../../app/transfer/journal.ts';
import { ProgressTracker, type TransferProgress } from '../../app/transfer/progress.ts';
import { segmentPrefix, uploadOfSegment } from '../../app/transfer/segment-names.ts';
import { sourceMtime } from '../../app/transfer/upload.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'transfer-local-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of it) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

describe('file source', () => {
  it('reads any range, reports identity and swiftclient-style mtime', async () => {
    const p = join(dir, 'a.bin');
    const data = Buffer.alloc(3 * 1024 * 1024 + 7, 0).map((_, i) => i % 251);
    await writeFile(p, data);
    await utimes(p, 1700000000.123456, 1700000000.123456);
    const s = await openFileSource(p);
    try {
      expect(s.size).toBe(data.length);
      expect(s.identity).toMatch(new RegExp(`^file:${p}:${data.length}:1700000000123`));
      expect(s.mtime).toBe('1700000000.123456');
      expect(sourceMtime(s)).toBe('1700000000.123456');
      expect((await collect(s.read(5, 2 * 1024 * 1024 + 3))).equals(data.subarray(5, 2 * 1024 * 1024 + 3))).toBe(true);
      expect((await collect(s.read(0, 0))).length).toBe(0);
      await expect(collect(s.read(0, data.length + 1))).rejects.toThrow(/Cannot read bytes/);
      await s.checkUnchanged();
      await writeFile(p, data.subarray(1));
      await expect(s.checkUnchanged()).rejects.toMatchObject({ kind: 'io', message: expect.stringMatching(/changed while it was being uploaded .*nothing was committed/) });
    } finally {
      await s.close();
    }
  });
  it('refuses folders and missing files with a sentence', async () => {
    await expect(openFileSource(dir)).rejects.toMatchObject({ kind: 'io', message: expect.stringMatching(/is a folder/) });
    await expect(openFileSource(join(dir, 'nope'))).rejects.toMatchObject({ kind: 'io', message: expect.stringMatching(/no such file/) });
  });
  it('formats mtimes like Python "%f" and derives one from a browser identity', () => {
    expect(formatMtime(1700000000123456789n)).toBe('1700000000.123457');
    expect(formatMtime(5n)).toBe('0.000000');
    const browser = { size: 1, identity: 'browser:a.txt:1:1700000000123', name: 'a.txt', read: () => (async function* () {})(), checkUnchanged: async () => {} };
    expect(sourceMtime(browser)).toBe('1700000000.123000');
  });
  it('names segments like python-swiftclient, hashing names that would be too long', () => {
    expect(segmentPrefix('dir/a.bin', '1.000000', 10, 4)).toBe('dir/a.bin/slo/1.000000/10/4');
    const long = segmentPrefix('é'.repeat(500), '1.000000', 10, 4);
    expect(long).toMatch(/^[0-9a-f]{40}\/slo\/1.000000\/10\/4$/);
  });
  it('reads back which upload a segment name belongs to', () => {
    expect(uploadOfSegment(`${segmentPrefix('dir/a.bin', '1700000000.123456', 10, 4)}/00000002`)).toBe('dir/a.bin');
    expect(uploadOfSegment('dir/a.bin/slo/1700000000.123456/10/4')).toBeNull();
    expect(uploadOfSegment('notes/slo/readme.txt')).toBeNull();
  });
});

describe('journal file', () => {
  it('writes atomically and coalesces bursts', async () => {
    const j = new JournalFile<{ n: number }>(join(dir, 'j', 'x.json'));
    const state = { n: 0 };
    const writes: Promise<void>[] = [];
    for (let i = 1; i <= 50; i++) {
      state.n = i;
      writes.push(j.write(state));
    }
    await Promise.all(writes);
    expect(JSON.parse(await readFile(j.path, 'utf8'))).toEqual({ n: 50 });
    expect((await readdir(join(dir, 'j'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(await j.read()).toEqual({ n: 50 });
    // A writer that died mid-write left a temp file; the next reader removes it (a live writer's stays).
    await writeFile(`${j.path}.999999999.abcd1234.tmp`, '{');
    await writeFile(`${j.path}.${process.pid}.abcd1234.tmp`, '{');
    await j.read();
    expect((await readdir(join(dir, 'j'))).sort()).toEqual(['x.json', `x.json.${process.pid}.abcd1234.tmp`]);
    await rm(`${j.path}.${process.pid}.abcd1234.tmp`);
    await j.remove();
    expect(await j.read()).toBeUndefined();
    await j.write({ n: 1 }); // ignored after remove
    expect(await j.read()).toBeUndefined();
  });
});

describe('progress', () => {
  it('throttles to one report per 100 ms plus forced ones, with rate and ETA', () => {
    let t = 0;
    const seen: TransferProgress[] = [];
    const p = new ProgressTracker(1000, (x) => seen.push(x), () => t);
    p.setSegments(4, 250);
    p.setPhase('transferring');
    const before = seen.length;
    p.setState(0, 's');
    p.add(100);
    expect(seen.length).toBe(before);
    t = 1000;
    p.add(100);
    expect(seen.length).toBe(before + 1);
    const last = seen[seen.length - 1]!;
    expect(last.segments).toBe('sppp');
    expect(last.rateBps).toBe(200);
    expect(last.etaSeconds).toBe(4);
    t = 1050;
    p.retract(50);
    p.emit(true);
    expect(seen[seen.length - 1]).toMatchObject({ bytesDone: 150, resentBytes: 50 });
  });

  it('reports the last change of a burst within the throttle interval, not at the next byte', async () => {
    const seen: TransferProgress[] = [];
    const p = new ProgressTracker(1000, (x) => seen.push(x));
    p.setSegments(2, 500);
    p.setPhase('transferring');
    p.add(500);
    p.setState(0, 'v'); // throttled: no report now …
    const before = seen.length;
    await vi.waitFor(() => expect(seen.length).toBe(before + 1), { timeout: 1000, interval: 20 }); // … but one follows by itself
    expect(seen[seen.length - 1]).toMatchObject({ bytesDone: 500, segments: 'vp' });
  });
});
