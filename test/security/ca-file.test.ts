// The CA for TLS comes as PEM text from a file the user picked. The one place a path is still read (the CLI's
// --cacert) reads asynchronously, regular files only, at most 1 MiB: a FIFO or /dev/zero ends quickly with a clear
// error instead of hanging the host or exhausting its memory. A custom CA adds to the system roots.
import { execFileSync } from 'node:child_process';
import { rootCertificates } from 'node:tls';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSlo } from '../helpers/cli.ts';
import { sandboxCreds } from '../helpers/swift.ts';

const creds = sandboxCreds();

describe('the CA file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slo-ca-'));
    execFileSync('mkfifo', [join(dir, 'fifo.pem')]);
    await writeFile(join(dir, 'big.pem'), Buffer.alloc(1024 * 1024 + 1, 0x41));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const cli = (ca: string) =>
    runSlo(['-A', creds.authUrl, '-U', creds.user, '-K', creds.key, '--cacert', ca, 'ls'], { timeoutMs: 15_000 });

  it.each([
    ['a FIFO', () => join(dir, 'fifo.pem'), /not a regular file/],
    ['/dev/zero', () => '/dev/zero', /not a regular file/],
    ['a file over 1 MiB', () => join(dir, 'big.pem'), /1 MiB/],
    ['a missing file', () => join(dir, 'nope.pem'), /does not exist|no such file/i],
  ])('--cacert %s: a quick, clear error', async (_what, path, message) => {
    const started = Date.now();
    const r = await cli(path());
    const ms = Date.now() - started;
    console.log(`[security] --cacert ${_what}: exit ${r.code} after ${ms} ms`);
    expect(r.code, 'the CLI hung and was killed').not.toBeNull();
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
    expect(ms).toBeLessThan(10_000);
  });

  it('a custom CA adds to the system roots instead of replacing them', async () => {
    const { trustedCas } = await import('../../app/swift/ca.ts');
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const list = trustedCas(pem);
    expect(list).toContain(pem);
    for (const root of rootCertificates) expect(list).toContain(root);
  });
});
