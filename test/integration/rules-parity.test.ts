// One rulebook: the doctor and the composer, fed the same broken manifest, report the same problems — the same code
// with the same severity at the same entry — because both check it with app/slo/rules.ts.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Finding } from '../../app/rpc/contract.ts';
import { composeManifest } from '../../app/slo/compose.ts';
import { diagnose } from '../../app/slo/doctor.ts';
import type { SwiftClient } from '../../app/swift/client.ts';
import { createContainer, putObject } from '../../app/swift/objects.ts';
import { md5 } from '../helpers/files.ts';
import { removeContainers, sandboxClient } from '../helpers/swift.ts';

const C = `par${randomBytes(3).toString('hex')}`;
let client: SwiftClient;

beforeAll(async () => {
  client = sandboxClient();
  await createContainer(client, C);
  for (const [name, body] of [['a.txt', 'Alpha content; '], ['b.txt', 'Bravo, a little longer; '], ['c.txt', 'Charlie.']]) {
    await putObject(client, C, name!, { body: Buffer.from(body!) });
  }
});

afterAll(async () => {
  await removeContainers(client, C);
  await client.close();
});

const key = (f: Finding) => `${f.index ?? '-'} ${f.code} ${f.severity}`;
// Each front door has one finding about the object itself: the doctor says the JSON was stored as plain data, the
// composer that its target already exists. Everything about the manifest must agree.
const aboutTheManifest = (fs: readonly Finding[]) => new Set(fs.filter((f) => f.code !== 'not-an-slo' && f.code !== 'target-exists').map(key));

it('the doctor and the composer report the same (code, severity, entry) for one broken manifest', async () => {
  const a = md5('Alpha content; ');
  const broken = [
    { path: `/${C}/a.txt`, etag: a, 'size bytes': 15 }, // 0: a misspelled key
    { path: `/${C}/b.txt`, etag: 'not-an-etag', size_bytes: 24 }, // 1: an etag that cannot be one (and is not the real one)
    { path: `/${C}/a.txt`, etag: a, size_bytes: 15 }, // 2: the same segment as entry 0
    { path: `/${C}/c.txt`, size_bytes: 0 }, // 3: zero size (and not the real one)
    { path: `/${C}/b.txt`, range: '9-3' }, // 4: a range that is not one
    { path: `/${C}/nope.txt` }, // 5: a segment that does not exist
    { data: 'aGk=', etag: null }, // 6: a key inline data may not have
    { path: `/${C}/c.txt`, range: '100-200' }, // 7: a range outside the segment
    { path: `/${C}/a.txt`, etag: `"${a}"` }, // 8: a quoted etag
  ];
  await putObject(client, C, 'broken', { body: Buffer.from(JSON.stringify(broken)) });

  const doctor = aboutTheManifest((await diagnose(client, C, 'broken')).findings);
  const compose = aboutTheManifest((await composeManifest(client, broken, { target: { container: C, object: 'broken' } })).problems);
  expect([...compose].sort()).toEqual([...doctor].sort());
  // …and they found what is there to find.
  for (const k of [
    '0 misspelled-key error', '1 etag-invalid warning', '1 etag-mismatch error', '2 duplicate-segment warning', '3 segment-too-small error',
    '3 size-mismatch error', '4 range-invalid error', '5 segment-missing error', '6 extraneous-key error', '7 range-unsatisfiable error',
    '8 etag-invalid error',
  ]) expect(doctor).toContain(k);
});
