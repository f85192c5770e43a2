// The sandbox manager against a real Swift: reuse, auth, and a second isolated sandbox on other ports.
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_PORTS } from '../../app/sandbox/config.ts';
import { pidAlive, sandboxStatus, startSandbox, stopSandbox, type SandboxInfo } from '../../app/sandbox/manager.ts';

const main = inject('sandbox');
const T = 60_000;

async function token(authUrl: string, user: string, key: string): Promise<Response> {
  const res = await fetch(authUrl, { headers: { 'X-Auth-User': user, 'X-Auth-Key': key } });
  await res.arrayBuffer();
  return res;
}

describe('local Swift sandbox', () => {
  it('reports running for the sandbox started by globalSetup', { timeout: T }, async () => {
    const status = await sandboxStatus({ dataDir: main.dataDir });
    expect(status.problems).toEqual([]);
    expect(status.state).toBe('running');
    expect(status.info?.proxyPort).toBe(main.proxyPort);
    expect(status.info?.storageUrl).toBe(main.storageUrl);
  });

  it('reuses a running sandbox instead of starting another', { timeout: T }, async () => {
    const first = await startSandbox({ dataDir: main.dataDir });
    const second = await startSandbox({ dataDir: main.dataDir });
    expect(first.reused).toBe(true);
    expect(second.reused).toBe(true);
    expect(second.proxyPort).toBe(main.proxyPort);
    expect(second.pids).toEqual(first.pids);
  });

  it('issues tokens for the test user and rejects a wrong key with 401', { timeout: T }, async () => {
    const ok = await token(main.authUrl, main.user, main.key);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-storage-url')).toBe(main.storageUrl);
    const account = await fetch(main.storageUrl, { headers: { 'X-Auth-Token': ok.headers.get('x-auth-token')! } });
    await account.arrayBuffer();
    expect(account.status).toBeLessThan(300);
    expect((await token(main.authUrl, main.user, 'wrong-key')).status).toBe(401);
    expect((await token(main.authUrl, 'test2:tester2', 'testing2')).status).toBe(200);
  });

  describe('a second sandbox in its own directory', () => {
    let dir = '';
    let other: SandboxInfo | undefined;

    afterAll(async () => {
      if (dir) {
        await stopSandbox({ dataDir: dir });
        await rm(dir, { recursive: true, force: true });
      }
    }, T);

    it('starts on free ports (never the well-known ones), stops cleanly, and leaves the first one healthy', { timeout: 2 * T }, async () => {
      dir = await mkdtemp(join(tmpdir(), 'slo-sandbox-test-'));
      other = await startSandbox({ dataDir: dir, freePorts: true });
      expect(other.reused).toBe(false);
      expect(other.proxyPort).not.toBe(main.proxyPort);
      const state = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as { ports: Record<string, number> };
      for (const port of Object.values(state.ports)) expect(Object.values(DEFAULT_PORTS)).not.toContain(port);
      expect(Object.keys(other.pids).sort()).toEqual(['account', 'container', 'container-updater', 'memcached', 'object', 'proxy']);
      const mainPids = (await sandboxStatus({ dataDir: main.dataDir })).info?.pids ?? {};
      for (const pid of Object.values(other.pids)) expect(Object.values(mainPids)).not.toContain(pid);
      expect((await token(other.authUrl, other.user, other.key)).status).toBe(200);
      expect((await sandboxStatus({ dataDir: dir })).state).toBe('running');

      // A config on disk that this code would render differently (an older version's): restarted, not reused.
      await appendFile(join(dir, 'proxy-server.conf'), '# written by an older version\n');
      const lines: string[] = [];
      other = await startSandbox({ dataDir: dir, log: (l) => lines.push(l) });
      expect(other.reused).toBe(false);
      expect(lines).toContain("the sandbox's configuration changed (proxy-server.conf); restarting it");
      expect((await token(other.authUrl, other.user, other.key)).status).toBe(200);
      expect((await startSandbox({ dataDir: dir })).reused).toBe(true);

      await stopSandbox({ dataDir: dir });
      for (const pid of Object.values(other.pids)) expect(pidAlive(pid), `pid ${pid}`).toBe(false);
      expect((await sandboxStatus({ dataDir: dir })).state).toBe('stopped');

      const mainStatus = await sandboxStatus({ dataDir: main.dataDir });
      expect(mainStatus.problems).toEqual([]);
      expect(mainStatus.state).toBe('running');
    });
  });
});
