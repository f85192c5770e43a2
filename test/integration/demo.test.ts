// The first-run demo container against the real sandbox: one of each kind of object the app explains, made once.
import { afterAll, describe, expect, it } from 'vitest';
import { createDemo } from '../../app/studio/demo.ts';
import { getObject, headObject } from '../../app/swift/objects.ts';
import { runSlo } from '../helpers/cli.ts';
import { removeContainers, sandboxClient, swiftEnv, uniqueName } from '../helpers/swift.ts';

const client = sandboxClient();
const c = uniqueName('demo');

afterAll(async () => {
  await removeContainers(client, c, `${c}_segments`);
  await client.close();
});

describe('demo container', () => {
  it('holds an SLO, a nested SLO, a DLO and the misspelled-query story, and a second run keeps them', { timeout: 120_000 }, async () => {
    const first = await createDemo(client, c);
    expect(first.created).toEqual(['big.bin', 'small.bin', 'nested.bin', 'dlo.txt', 'story/manifest.json']);

    const manifest = async (object: string) => {
      const head = await headObject(client, c, object);
      expect(head.headers['x-static-large-object']).toBe('True');
      const stored = JSON.parse(await (await getObject(client, c, object, { query: { 'multipart-manifest': 'get' } })).body.text()) as { sub_slo?: boolean }[];
      return { size: head.size, stored };
    };
    const big = await manifest('big.bin');
    expect(big.size).toBe(6 * 1024 * 1024 + 4321);
    expect(big.stored).toHaveLength(7);
    const nested = await manifest('nested.bin');
    expect(nested.size).toBe(big.size + 2 * 1024 * 1024);
    expect(nested.stored.map((e) => e.sub_slo)).toEqual([true, true]);

    const dlo = await headObject(client, c, 'dlo.txt');
    expect(dlo.headers['x-object-manifest']).toBe(`${c}/dlo-parts/`);
    expect(await (await getObject(client, c, 'dlo.txt')).body.text()).toBe('Dynamic Large Object\n');

    const story = await headObject(client, c, 'story/manifest.json');
    expect(story.headers['x-static-large-object']).toBeUndefined();
    const doctor = await runSlo(['doctor', `${c}/story/manifest.json`], { env: swiftEnv() });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain('[not-an-slo]');
    expect(doctor.stdout).toContain('[misspelled-key] "size bytes"');

    const again = await createDemo(client, c);
    expect(again).toEqual({ container: c, created: [], kept: first.created });
  });
});
