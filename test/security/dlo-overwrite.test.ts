// Overwriting a DLO whose prefix points into another container: the upload replaces the object, but never deletes
// objects beyond the target's container and its segment containers — it keeps them and says so in a warning.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putObject } from '../../app/swift/objects.ts';
import { openFileSource } from '../../app/transfer/file-source.ts';
import { uploadObject } from '../../app/transfer/upload.ts';
import { KiB, patternBytes } from '../helpers/files.ts';
import { makeContainer, removeContainers, sandboxClient, storedNames, uniqueName } from '../helpers/swift.ts';

describe('overwriting a DLO that reaches into another container', () => {
  const client = sandboxClient();
  let dir: string;
  let home: string;
  let other: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slo-dlo-ow-'));
    home = await makeContainer(client, uniqueName('ow-home'));
    other = await makeContainer(client, uniqueName('ow-other'));
  });
  afterAll(async () => {
    await removeContainers(client, home, `${home}_segments`, other);
    await client.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the objects in the other container and names them in a warning', async () => {
    for (const n of ['p/1', 'p/2']) await putObject(client, other, n, { body: `theirs ${n}` });
    await putObject(client, home, 'd', { body: '', headers: { 'x-object-manifest': `${other}/p/` } });
    const file = join(dir, 'new.bin');
    await writeFile(file, patternBytes(10 * KiB, 5));
    const r = await uploadObject(client, await openFileSource(file), { container: home, object: 'd' }, { journalDir: join(dir, 'j') });
    expect(await storedNames(client, other, 'p/')).toEqual(['p/1', 'p/2']);
    expect(r.warnings.join(' ')).toContain(other);
    expect(r.oldSegmentsDeleted).toBe(0);
  });
});
