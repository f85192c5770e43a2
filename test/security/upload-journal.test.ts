// Upload journals: kept in the per-user data dir (0700), never in a shared /tmp with predictable names; and trusted
// only for the upload they claim — a journal naming objects outside the target's own segment prefix makes nothing
// get deleted. The planted journals below play another local user; the objects they name live in real Swift.
import { chown, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putObject } from '../../app/swift/objects.ts';
import { openFileSource } from '../../app/transfer/file-source.ts';
import { defaultJournalDir, JournalFile, uploadJournalPath, type UploadJournal } from '../../app/transfer/journal.ts';
import { discardUpload, uploadObject } from '../../app/transfer/upload.ts';
import { KiB, patternBytes } from '../helpers/files.ts';
import { makeContainer, removeContainers, sandboxClient, storedNames, uniqueName } from '../helpers/swift.ts';

describe('upload journals', () => {
  const client = sandboxClient();
  let dir: string;
  let victim: string;
  let target: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slo-journal-'));
    victim = await makeContainer(client, uniqueName('victim'));
    target = uniqueName('jt');
  });
  afterAll(async () => {
    await removeContainers(client, target, `${target}_segments`, victim);
    await client.close();
    await rm(dir, { recursive: true, force: true });
  });

  const plant = async (journalDir: string, object: string, over: Partial<UploadJournal>) => {
    const j: UploadJournal = {
      version: 1, identity: 'planted', container: target, object, size: 1, segmentContainer: victim, prefix: 'precious',
      segmentSize: 1, segmentCount: 1, done: {}, updatedAt: Date.now(), ...over,
    };
    await mkdir(journalDir, { recursive: true });
    await writeFile(uploadJournalPath(journalDir, target, object), JSON.stringify(j));
  };

  it('live in the per-user data dir with mode 0700, not in the shared temp dir', async () => {
    const before = process.env.SLO_STUDIO_DATA_DIR;
    process.env.SLO_STUDIO_DATA_DIR = join(dir, 'data');
    try {
      const jd = defaultJournalDir();
      expect(jd).toBe(join(dir, 'data', 'journals'));
      await new JournalFile(uploadJournalPath(jd, 'c', 'o'), { privateDir: true }).write({ x: 1 });
      expect((await stat(jd)).mode & 0o777).toBe(0o700);
    } finally {
      if (before === undefined) delete process.env.SLO_STUDIO_DATA_DIR;
      else process.env.SLO_STUDIO_DATA_DIR = before;
    }
  });

  it('an upload never deletes what a planted journal names outside its own segment prefix', async () => {
    await putObject(client, victim, 'precious/00000000', { body: 'keep me' });
    await putObject(client, victim, 'precious/00000001', { body: 'keep me too' });
    const journalDir = join(dir, 'j-upload');
    await plant(journalDir, 'a.bin', { segmentCount: 2 });
    const file = join(dir, 'a.bin');
    await writeFile(file, patternBytes(40 * KiB, 3));
    const r = await uploadObject(client, await openFileSource(file), { container: target, object: 'a.bin' }, { segmentSize: 16 * KiB, journalDir });
    expect(r.segments).toBe(3);
    expect(await storedNames(client, victim, 'precious/')).toEqual(['precious/00000000', 'precious/00000001']);
  });

  it('a discard (cancel/dismiss) never deletes what a planted journal names outside the prefix', async () => {
    const journalDir = join(dir, 'j-discard');
    await plant(journalDir, 'b.bin', { segmentCount: 2 });
    await discardUpload(client, { container: target, object: 'b.bin' }, { journalDir });
    expect(await storedNames(client, victim, 'precious/')).toEqual(['precious/00000000', 'precious/00000001']);
    // Even a journal shaped like a real one for this target, but pointing its segment container elsewhere.
    await putObject(client, victim, 'b.bin/slo/1.000000/2/1/00000000', { body: 'not a segment of ours' });
    await plant(journalDir, 'b.bin', { size: 2, segmentSize: 1, segmentCount: 2, prefix: 'b.bin/slo/1.000000/2/1' });
    await discardUpload(client, { container: target, object: 'b.bin' }, { journalDir });
    expect(await storedNames(client, victim, 'b.bin/')).toEqual(['b.bin/slo/1.000000/2/1/00000000']);
  });

  it('a journal file owned by another user is ignored', async () => {
    const journalDir = join(dir, 'j-owner');
    await plant(journalDir, 'c.bin', {});
    const path = uploadJournalPath(journalDir, target, 'c.bin');
    expect(await new JournalFile(path).read()).toBeDefined();
    await chown(path, 65534, 65534);
    expect(await new JournalFile(path).read()).toBeUndefined();
  });
});
