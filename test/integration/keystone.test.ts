// Against a real Keystone v3 (Debian's, under uwsgi) in front of a private Swift sandbox: password and application-
// credential auth from the OS_* variables exactly as python-swiftclient reads them, region choice from the catalog, a
// sentence for each way a login is refused, and a token that expires in the middle of an upload.
// Skipped, with the install command, where Keystone's packages are missing and cannot be installed (not root).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import type { KeystoneAccounts } from '../../app/sandbox/keystone.ts';
import type { SandboxInfo } from '../../app/sandbox/manager.ts';
import { SwiftClient } from '../../app/swift/client.ts';
import { createContainer } from '../../app/swift/objects.ts';
import { downloadObject } from '../../app/transfer/download.ts';
import { openFileSource } from '../../app/transfer/file-source.ts';
import { uploadObject } from '../../app/transfer/upload.ts';
import { slowSource } from '../faults/slow-source.ts';
import { runSlo } from '../helpers/cli.ts';
import { removeContainers, uniqueName } from '../helpers/swift.ts';
import { KiB, md5File, randomFile } from '../helpers/files.ts';
import { KEYSTONE_TOKEN_SECONDS, keystoneSandbox } from '../helpers/keystone-sandbox.ts';

const run = promisify(execFile);
const TOKEN_SECONDS = KEYSTONE_TOKEN_SECONDS;

let dir = '';
let sb: SandboxInfo | undefined;
let skipReason = '';
const ks = (): KeystoneAccounts => sb!.keystone!;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slo-keystone-'));
  const started = await keystoneSandbox();
  if ('skip' in started) skipReason = started.skip;
  else sb = started.info;
}, 400_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function needKeystone(ctx: TestContext): void {
  if (skipReason) ctx.skip(skipReason);
}

/** The environment python-swiftclient reads: the OS_* variables only (no ST_*), plus `extra`. */
function osEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir };
  if (process.env.SLO_STUDIO_DATA_DIR) env.SLO_STUDIO_DATA_DIR = process.env.SLO_STUDIO_DATA_DIR;
  return { ...env, OS_AUTH_URL: ks().authUrl, ...extra };
}

const passwordEnv = (over: Record<string, string> = {}) =>
  osEnv({
    OS_USERNAME: ks().username,
    OS_PASSWORD: ks().password,
    OS_PROJECT_NAME: ks().projectName,
    OS_USER_DOMAIN_NAME: ks().userDomainName,
    OS_PROJECT_DOMAIN_NAME: ks().projectDomainName,
    ...over,
  });

function passwordClient(region?: string): SwiftClient {
  const k = ks();
  return new SwiftClient({
    auth: { type: 'keystone-password', authUrl: k.authUrl, username: k.username, password: k.password, userDomain: k.userDomainName, projectName: k.projectName, projectDomain: k.projectDomainName, interface: 'public', ...(region ? { region } : {}) },
  });
}

describe('Keystone v3 for real', () => {
  it('slo ls works with only the six OS_* password variables, and python-swiftclient sees the same account', { timeout: 120_000 }, async (ctx) => {
    needKeystone(ctx);
    const client = passwordClient();
    await createContainer(client, 'ks-listed');
    await client.close();
    const r = await runSlo(['ls'], { env: passwordEnv() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toContain('ks-listed');
    const { stdout } = await run('swift', ['list'], { env: passwordEnv() });
    expect(stdout.split('\n')).toContain('ks-listed');
  });

  it('slo ls works with only the application-credential pair', { timeout: 60_000 }, async (ctx) => {
    needKeystone(ctx);
    const env = osEnv({ OS_APPLICATION_CREDENTIAL_ID: ks().applicationCredentialId, OS_APPLICATION_CREDENTIAL_SECRET: ks().applicationCredentialSecret });
    const r = await runSlo(['ls'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')).toContain('ks-listed');
    const bad = await runSlo(['ls'], { env: { ...env, OS_APPLICATION_CREDENTIAL_SECRET: 'wrong' } });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`rejected application credential ${ks().applicationCredentialId}: a wrong secret`);
  });

  it('picks the object-store endpoint of the region asked for, and names the regions that exist', { timeout: 60_000 }, async (ctx) => {
    needKeystone(ctx);
    const storageUrl = async (region?: string) => {
      const client = passwordClient(region);
      try {
        return (await client.auth()).storageUrl;
      } finally {
        await client.close();
      }
    };
    expect(new URL(await storageUrl('RegionOne')).hostname).toBe('127.0.0.1');
    expect(new URL(await storageUrl('RegionTwo')).hostname).toBe('localhost');
    await expect(storageUrl('Atlantis')).rejects.toThrow('No public object-store endpoint in region "Atlantis"; the catalog has regions: RegionOne, RegionTwo.');
    const r = await runSlo(['ls'], { env: passwordEnv({ OS_REGION_NAME: 'RegionTwo' }) });
    expect(r.code, r.stderr).toBe(0);
  });

  it('says which part of a refused login is wrong, as far as Keystone lets anyone know', { timeout: 120_000 }, async (ctx) => {
    needKeystone(ctx);
    const refused = async (over: Record<string, string>) => {
      const r = await runSlo(['ls'], { env: passwordEnv(over) });
      expect(r.code).toBe(1);
      return r.stderr;
    };
    const k = ks();
    expect(await refused({ OS_PASSWORD: 'wrong' })).toContain(`rejected user "${k.username}" in domain "Default": a wrong password, no such user in that domain, or a disabled account`);
    expect(await refused({ OS_USERNAME: k.disabledUsername })).toContain(`rejected user "${k.disabledUsername}" in domain "Default"`);
    expect(await refused({ OS_USER_DOMAIN_NAME: 'Elsewhere' })).toContain(`rejected user "${k.username}" in domain "Elsewhere"`);
    expect(await refused({ OS_PROJECT_NAME: 'no-such-project' })).toContain(
      `Keystone accepted user "${k.username}" in domain "Default" but not project "no-such-project" in domain "Default": no such project there, or no role on it (projects it can use: ${k.projectName}).`,
    );
    expect(await refused({ OS_PROJECT_DOMAIN_NAME: 'Elsewhere' })).toContain(`but not project "${k.projectName}" in domain "Elsewhere"`);
  });

  it(`a token that expires mid-upload (${TOKEN_SECONDS} s lifetime) is renewed and the upload completes verified`, { timeout: 180_000 }, async (ctx) => {
    needKeystone(ctx);
    const client = passwordClient();
    const f = await randomFile(dir, 'expiring.bin', 1536 * KiB + 7);
    const inner = await openFileSource(f.path);
    // Two segments in flight at 20 KiB/s each: ~39 s, about two lifetimes, so renewals happen while segments are sent.
    const source = slowSource(inner, 20 * KiB);
    const started = Date.now();
    const container = uniqueName('ks-expiry');
    const r = await uploadObject(client, source, { container, object: 'slow.bin' }, { segmentSize: 128 * KiB, concurrency: 2, journalDir: join(dir, 'journals') });
    await inner.close();
    expect(Date.now() - started).toBeGreaterThan(1.5 * TOKEN_SECONDS * 1000);
    expect(r.segments).toBe(13);
    const logins = client.transcript.list().filter((t) => t.method === 'POST' && t.url.endsWith('/v3/auth/tokens') && t.status === 201);
    expect(logins.length).toBeGreaterThanOrEqual(3);
    const out = join(dir, 'expiring.out');
    await downloadObject(client, { container, object: 'slow.bin' }, out);
    expect(await md5File(out)).toBe(f.md5);
    await removeContainers(client, container, `${container}_segments`);
    await client.close();
  });
});
