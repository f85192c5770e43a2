// Deleting a DLO follows its prefix — possibly into another container. Before anything is deleted, the CLI names
// every container that will lose objects and how many, and needs --yes when that reaches beyond the object's own
// container and its segment container; the GUI gets the same plan as structured data from slo.inspect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectObject } from '../../app/slo/inspect.ts';
import { putObject } from '../../app/swift/objects.ts';
import { runSlo } from '../helpers/cli.ts';
import { makeContainer, removeContainers, sandboxClient, sandboxCreds, storedNames, uniqueName } from '../helpers/swift.ts';

describe('a DLO whose prefix points into another container', () => {
  const client = sandboxClient();
  const s = sandboxCreds();
  let other: string;
  let home: string;
  const rm = (...args: string[]) => runSlo(['-A', s.authUrl, '-U', s.user, '-K', s.key, 'rm', ...args], { timeoutMs: 60_000 });

  beforeAll(async () => {
    other = await makeContainer(client, uniqueName('dlo-other'));
    home = await makeContainer(client, uniqueName('dlo-home'));
    for (const n of ['p/1', 'p/2', 'p/3']) await putObject(client, other, n, { body: `part ${n}` });
    await putObject(client, home, 'd', { body: '', headers: { 'x-object-manifest': `${other}/p/` } });
  });
  afterAll(async () => {
    await removeContainers(client, other, home);
    await client.close();
  });

  it('slo.inspect carries the delete plan: every container and its count', async () => {
    const r = await inspectObject(client, home, 'd');
    expect(r.deletePlan).toEqual({ containers: [{ container: home, objects: 1 }, { container: other, objects: 3 }], beyondOwn: [other] });
  });

  it('the CLI names the containers and counts and deletes nothing without --yes', async () => {
    const r = await rm(`${home}/d`);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain(`3 objects in ${other}`);
    expect(r.stdout + r.stderr).toContain(`1 object in ${home}`);
    expect(r.stderr).toMatch(/--yes/);
    expect(await storedNames(client, other, 'p/')).toEqual(['p/1', 'p/2', 'p/3']);
    expect(await storedNames(client, home)).toEqual(['d']);
  });

  it('with --yes it deletes them and says where', async () => {
    const r = await rm(`${home}/d`, '--yes');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`3 objects in ${other}`);
    expect(await storedNames(client, other, 'p/')).toEqual([]);
  });
});
