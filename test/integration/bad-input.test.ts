// Bad input, hostile names and hostile environments, through the public APIs (app/transfer, app/slo, SwiftClient) and
// the CLI, against the real sandbox (a fault proxy in front of it where the cluster itself cannot misbehave on cue).
// Every case asserts the exact sentence the user sees, that no file appears under the final name, and that no
// manifest points at segments that were not verified. The sentences are listed in docs/reliability.md; run with
// SLO_PRINT_MESSAGES=1 to print them as table rows.
import { execFileSync } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, truncateSync, writeSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose } from '../../app/slo/doctor.ts';
import { putManifest } from '../../app/slo/manifest-put.ts';
import { parseManifestJson } from '../../app/slo/manifest.ts';
import { readManifest } from '../../app/slo/resolve.ts';
import { INSECURE_TLS_WARNING, SwiftClient } from '../../app/swift/client.ts';
import { SwiftError } from '../../app/swift/errors.ts';
import { listObjectsPage } from '../../app/swift/listing.ts';
import { deleteObject, headAccount, headObject, putObject } from '../../app/swift/objects.ts';
import { downloadObject } from '../../app/transfer/download.ts';
import { openFileSource } from '../../app/transfer/file-source.ts';
import { uploadObject, type UploadOptions } from '../../app/transfer/upload.ts';
import type { ByteSource } from '../../app/domain/transfer.ts';
import type { FaultProxy } from '../faults/fault-proxy.ts';
import { clientVia, proxyFor } from '../faults/helpers.ts';
import { runSlo, type CliResult } from '../helpers/cli.ts';
import { KiB, md5, MiB, patternBytes } from '../helpers/files.ts';
import { listNames, makeContainer, removeContainers, sandboxClient, sandboxCreds, uniqueName } from '../helpers/swift.ts';

const creds = sandboxCreds();
const rows: Array<[string, string]> = [];

/** Runs `fn`, expects a SwiftError of `kind`, records and returns its message. */
async function failure(caseName: string, kind: string, fn: () => Promise<unknown>): Promise<string> {
  let err: unknown;
  try {
    await fn();
  } catch (e) {
    err = e;
  }
  expect(err, `${caseName}: expected a failure`).toBeInstanceOf(SwiftError);
  const e = err as SwiftError;
  expect(e.kind, `${caseName}: ${e.message}`).toBe(kind);
  // A sentence: ends with '.', '?' or ')', one line, no stack frame.
  expect(e.message).toMatch(/^\S/);
  expect(e.message).toMatch(/[.?)]$/);
  expect(e.message).not.toMatch(/\n|\s+at\s.+:\d+:\d+/);
  rows.push([caseName, e.describe()]);
  return e.message;
}

function note(caseName: string, outcome: string): void {
  rows.push([caseName, outcome]);
}

/** The CLI with no OS_* / ST_* settings but those `opts.env` gives: only its arguments say where Swift is. */
function cli(args: string[], opts: { uid?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  const env = { ...process.env, ...opts.env };
  for (const k of Object.keys(env)) if (/^(OS_|ST_)/.test(k) && !(opts.env && k in opts.env)) delete env[k];
  return runSlo(args, { env, uid: opts.uid, timeoutMs: 60_000 });
}

/** The CLI failed the way users should see it: the exit code, one line on stderr naming the cause, no stack. */
function expectCliFailure(caseName: string, r: CliResult, code: 1 | 2, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines.length, r.stderr).toBe(1);
  expect(lines[0]).toMatch(/^slo: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\s+at\s.+:\d+:\d+|Error:|node:internal/);
  rows.push([`CLI: ${caseName} (exit ${code})`, lines[0]!]);
}

describe('bad input gets one clear sentence and leaves nothing half-done', () => {
  let direct: SwiftClient;
  let c: string;
  let segc: string;
  let dir: string;
  const opts = (extra: UploadOptions = {}): UploadOptions => ({ journalDir: join(dir, 'journals'), ...extra });

  beforeAll(async () => {
    direct = sandboxClient();
    c = await makeContainer(direct, uniqueName('bad'));
    segc = `${c}_segments`;
    dir = await mkdtemp(join(tmpdir(), 'slo-bad-input-'));
  });

  afterAll(async () => {
    if (process.env.SLO_PRINT_MESSAGES) {
      const text = rows.map(([k, m]) => `| ${k} | ${m.replaceAll(c, '<c>').replaceAll('|', '\\|').replace(/\(transaction tx[0-9a-f-]+\)/, '(transaction tx…)')} |`).join('\n');
      console.log(`[bad-input] messages:\n${text}`);
    }
    await removeContainers(direct, c, segc);
    await direct?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function file(name: string, size: number, seed = 1): Promise<{ path: string; data: Buffer }> {
    const data = patternBytes(size, seed);
    const path = join(dir, name);
    await writeFile(path, data);
    return { path, data };
  }

  async function upload(client: SwiftClient, path: string, object: string, extra: UploadOptions = {}, container = c) {
    const src = await openFileSource(path);
    try {
      return await uploadObject(client, src, { container, object }, opts(extra));
    } finally {
      await src.close();
    }
  }

  async function roundTrip(object: string, size: number, segmentSize: number) {
    const { path, data } = await file(`rt-${md5(Buffer.from(object)).slice(0, 8)}.bin`, size, size);
    const up = await upload(direct, path, object, { segmentSize });
    const dest = join(dir, `rt-${md5(Buffer.from(object)).slice(0, 8)}.out`);
    const down = await downloadObject(direct, { container: c, object }, dest);
    expect(down.verified).toBe(true);
    expect((await readFile(dest)).equals(data)).toBe(true);
    const listed = (await listObjectsPage(direct, c, { prefix: object })).entries.map((e) => e.name);
    expect(listed).toContain(object);
    return up;
  }

  // ---------- manifests ----------

  it('malformed manifest JSON is refused with the parser position', async () => {
    const m = await failure('Malformed manifest JSON (parse)', 'invalid', async () => parseManifestJson('[{"path": "/c/s1", "etag": '));
    expect(m).toMatch(/^The manifest is not valid JSON: .+\.$/);
    await failure('Manifest JSON that is not an array', 'invalid', async () => parseManifestJson('{"path": "/c/s1"}'));
  });

  it('malformed manifest JSON stored as an object: it is plain data, and the doctor says so', async () => {
    await putObject(direct, c, 'malformed.json', { body: '[{"path": "/x/y", "etag": ' });
    const m = await failure('Reading the manifest of a plain object with malformed JSON', 'invalid', () => readManifest(direct, c, 'malformed.json'));
    expect(m).toBe(`${c}/malformed.json is not a Static Large Object, so it has no manifest.`);
    const report = await diagnose(direct, c, 'malformed.json');
    expect(report.findings[0]?.code).toBe('not-an-slo');
    note('Doctor on an object holding malformed manifest JSON', report.findings[0]!.message);
  });

  it('manifest entries pointing at missing segments: refused, nothing stored', async () => {
    await putObject(direct, c, 's1', { body: 'hello' });
    const m = await failure('Manifest entry pointing at a missing segment', 'precondition', () =>
      putManifest(direct, c, 'm-missing', [{ path: `/${c}/s1`, etag: null, size_bytes: null }, { path: `/${c}/nope`, etag: null, size_bytes: null }]),
    );
    expect(m).toBe(`Swift refused the manifest for ${c}/m-missing (400 Bad Request): entry 2 (/${c}/nope): 404 Not Found.`);
    expect(await headObject(direct, c, 'm-missing').catch((e: SwiftError) => e.kind)).toBe('not-found');
  });

  it('manifest entry with an ETag the segment does not have: refused', async () => {
    const m = await failure('Manifest entry with a wrong ETag', 'precondition', () => putManifest(direct, c, 'm-etag', [{ path: `/${c}/s1`, etag: '0'.repeat(32), size_bytes: 5 }]));
    expect(m).toBe(`Swift refused the manifest for ${c}/m-etag (400 Bad Request): entry 1 (/${c}/s1): Etag Mismatch.`);
  });

  it('manifest entry with a misspelled key: refused, naming the key', async () => {
    const m = await failure('Manifest entry with an extra key', 'invalid', () =>
      putManifest(direct, c, 'm-key', [{ path: `/${c}/s1`, etag: null, size_bytes: null, size: 5 } as never]),
    );
    expect(m).toBe(`Swift refused the manifest for ${c}/m-key (400 Bad Request): entry 1: extraneous keys "size".`);
  });

  it('cluster limit: a manifest with more entries than max_manifest_segments', async () => {
    const m = await failure('Manifest over max_manifest_segments (1001 entries)', 'too-large', () =>
      putManifest(direct, c, 'm-1001', Array.from({ length: 1001 }, () => ({ path: `/${c}/s1`, etag: null, size_bytes: null }))),
    );
    expect(m).toBe(`Swift refused the manifest for ${c}/m-1001 (413 Request Entity Too Large): Number of object-backed segments must be <= 1000.`);
  });

  it('cluster limit: a file that would need more than two levels of manifests is refused before any byte is sent', async () => {
    const huge: ByteSource = {
      size: 10 ** 13,
      identity: 'huge',
      name: 'huge.bin',
      read() {
        throw new Error('must not be read');
      },
      async checkUnchanged() {},
    };
    const m = await failure('Cluster limit: 10 TB in 1 MiB segments', 'limit', () => uploadObject(direct, huge, { container: c, object: 'huge.bin' }, opts({ segmentSize: MiB })));
    expect(m).toBe('9536744 segments of 1 MiB need more than two levels of manifests (at most 1000 entries each); use segments of at least 10000000 bytes.');
    expect(await listNames(direct, segc, 'huge.bin/')).toEqual([]);
  });

  // ---------- names ----------

  it('unicode names round-trip (segmented upload, verified download, listing)', async () => {
    const up = await roundTrip('ünïcødé/日本語 ファイル 🎉.bin', 600 * KiB, 256 * KiB);
    expect(up.segments).toBe(3);
    note('Unicode name `ünïcødé/日本語 ファイル 🎉.bin`', 'Works: uploaded in 3 segments, downloaded and verified, listed under its name.');
  });

  it('names with ? # % & + and spaces round-trip', async () => {
    const up = await roundTrip('odd/a?b#c%20d%e&f+g h=1;.bin', 300 * KiB, 256 * KiB);
    expect(up.segments).toBe(2);
    note('Name with `? # % & + = ;` and spaces', 'Works: every byte is percent-encoded except `/`; round trip verified.');
  });

  it('a 1024-byte name (the limit) round-trips; its segment names are hashed to fit', async () => {
    const name = 'n/' + 'é'.repeat(511); // 2 + 1022 = 1024 bytes of UTF-8
    expect(Buffer.byteLength(name)).toBe(1024);
    const up = await roundTrip(name, 300 * KiB, 256 * KiB);
    expect(up.segments).toBe(2);
    expect(Buffer.byteLength(up.manifest!.prefix)).toBeLessThan(1024);
    note('1024-byte name (at max_object_name_length)', 'Works; the segment prefix becomes a SHA-256 of the name so segment names fit too.');
  });

  it('a leading-slash name round-trips as written', async () => {
    await roundTrip('/leading/slash.bin', 10 * KiB, 256 * KiB);
    const stat = await headObject(direct, c, '/leading/slash.bin');
    expect(stat.size).toBe(10 * KiB);
    note('Leading-slash name `/leading/slash.bin`', 'Works: stored as `<c>//leading/slash.bin`, listed with its leading slash.');
  });

  it('an over-long object name (1025 bytes) is rejected before anything is stored (single object)', async () => {
    const { path } = await file('long1.bin', 3, 3);
    const m = await failure('Object name of 1025 bytes', 'invalid', () => upload(direct, path, 'x'.repeat(1025)));
    expect(m).toBe('Object name is 1025 bytes long (UTF-8); this cluster allows at most 1024.');
  });

  it('an over-long object name is rejected before any segment is sent (segmented upload)', async () => {
    const { path } = await file('long2.bin', 600 * KiB, 4);
    const name = 'long2-' + 'y'.repeat(1019);
    // Was a bug (fixed in 199e3e1): Swift only refused the name at the manifest PUT, after every segment was stored.
    const m = await failure('Object name of 1025 bytes, segmented upload', 'invalid', () => upload(direct, path, name, { segmentSize: 256 * KiB }));
    expect(m).toBe('Object name is 1025 bytes long (UTF-8); this cluster allows at most 1024.');
    expect(await listNames(direct, segc, 'long2-')).toEqual([]);
  });

  it('an over-long container name and a container name with "/" are rejected', async () => {
    const { path } = await file('cn.bin', 3, 5);
    const m1 = await failure('Container name of 257 bytes', 'invalid', () => upload(direct, path, 'x', {}, 'c'.repeat(257)));
    expect(m1).toBe('Container name is 257 bytes long; this cluster allows at most 256.');
    const m2 = await failure('Container name with "/"', 'invalid', () => upload(direct, path, 'x', {}, 'a/b'));
    expect(m2).toBe('Container name "a/b" cannot contain "/".');
    const m3 = await failure('Empty object name', 'invalid', () => upload(direct, path, ''));
    expect(m3).toBe('An object name cannot be empty.');
  });

  // ---------- sizes ----------

  it('a 0-byte file becomes a 0-byte object and downloads as a 0-byte file', async () => {
    const { path } = await file('zero.bin', 0);
    const up = await upload(direct, path, 'zero.bin', { segmentSize: 256 * KiB });
    expect(up.segments).toBe(0);
    expect(up.etag).toBe('d41d8cd98f00b204e9800998ecf8427e');
    const dest = join(dir, 'zero.out');
    const down = await downloadObject(direct, { container: c, object: 'zero.bin' }, dest);
    expect(down.verified).toBe(true);
    expect((await readFile(dest)).length).toBe(0);
    note('0-byte file', 'Works: one 0-byte object (ETag d41d8cd9…), no segments; downloads as a 0-byte file.');
  });

  it('a file of exactly one segment size goes up as one ordinary object', async () => {
    const { path, data } = await file('oneseg.bin', 256 * KiB, 6);
    const up = await upload(direct, path, 'oneseg.bin', { segmentSize: 256 * KiB });
    expect(up.segments).toBe(0);
    expect(up.plan.single).toBe(true);
    expect((await headObject(direct, c, 'oneseg.bin')).etag).toBe(md5(data));
    note('File exactly one segment size', 'Works: uploaded as one plain object (no manifest), ETag = its MD5.');
  });

  // ---------- the file changes ----------

  /**
   * `change` runs when the upload first reads past 1 MiB, before those bytes are read — deterministic, unlike a
   * throttled progress callback, which a fast upload can outrun.
   */
  async function changingUpload(name: string, change: (path: string) => void) {
    const { path } = await file(name, 3 * MiB, 7);
    const src = await openFileSource(path);
    let changed = false;
    const changeOnce = (position: number) => {
      if (!changed && position >= MiB) {
        changed = true;
        change(path);
      }
    };
    // Uploads read through readInto (pooled buffers) where the source has it, through read otherwise: hook both.
    const read = src.read.bind(src);
    src.read = (start, end, signal) => {
      changeOnce(start);
      return read(start, end, signal);
    };
    const readInto = src.readInto?.bind(src);
    if (readInto) {
      src.readInto = (into, position, length, signal) => {
        changeOnce(position);
        return readInto(into, position, length, signal);
      };
    }
    try {
      return await uploadObject(direct, src, { container: c, object: name }, opts({
        segmentSize: 256 * KiB,
        concurrency: 1,
      }));
    } finally {
      await src.close();
    }
  }

  it('a file that grows during the upload: refused, no manifest, its segments deleted', async () => {
    const m = await failure('File changed (grew) during upload', 'io', () => changingUpload('grow.bin', (p) => appendFileSync(p, 'x')));
    expect(m).toBe(`${join(dir, 'grow.bin')} changed while it was being uploaded (size or modification time differs); nothing was committed.`);
    expect(await headObject(direct, c, 'grow.bin').catch((e: SwiftError) => e.kind)).toBe('not-found');
    expect(await listNames(direct, segc, 'grow.bin/')).toEqual([]);
  });

  it('a file truncated during the upload: refused, no manifest, its segments deleted', async () => {
    const m = await failure('File truncated during upload', 'io', () => changingUpload('trunc.bin', (p) => truncateSync(p, 1_500_000)));
    expect(m).toBe(`${join(dir, 'trunc.bin')} changed while it was being uploaded (it is shorter than when it was opened); nothing was committed.`);
    expect(await headObject(direct, c, 'trunc.bin').catch((e: SwiftError) => e.kind)).toBe('not-found');
    expect(await listNames(direct, segc, 'trunc.bin/')).toEqual([]);
  });

  it('a file rewritten in place (same size) during the upload: refused', async () => {
    const m = await failure('File modified in place (same size) during upload', 'io', () =>
      changingUpload('inplace.bin', (p) => {
        const fd = openSync(p, 'r+');
        writeSync(fd, Buffer.from('Z'), 0, 1, 2_900_000);
        closeSync(fd);
      }),
    );
    expect(m).toMatch(/changed while it was being uploaded \(size or modification time differs\); nothing was committed\.$/);
    expect(await listNames(direct, segc, 'inplace.bin/')).toEqual([]);
  });

  // ---------- unreadable sources ----------

  it('a path that does not exist', async () => {
    const m = await failure('Upload of a path that does not exist', 'io', () => openFileSource(join(dir, 'nope', 'file.bin')));
    expect(m).toBe(`Cannot read ${join(dir, 'nope', 'file.bin')}: no such file or directory (${join(dir, 'nope', 'file.bin')}).`);
  });

  it('a directory', async () => {
    const m = await failure('Upload of a directory', 'io', () => openFileSource(dir));
    expect(m).toBe(`${dir} is a folder, not a file; choose a file to upload.`);
  });

  it('a FIFO (named pipe)', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const m = await failure('Upload of a FIFO', 'io', () => openFileSource(fifo));
    expect(m).toBe(`${fifo} is not a regular file (device, socket or pipe) and cannot be uploaded in segments.`);
  });

  // root reads any file, so as root the CLI runs as "nobody"; any other user cannot read a chmod 000 file anyway.
  it('an unreadable file (chmod 000)', async () => {
    const priv = await mkdtemp(join(tmpdir(), 'slo-perm-'));
    try {
      await chmod(priv, 0o755);
      const f = join(priv, 'secret.bin');
      await writeFile(f, 'x');
      await chmod(f, 0o000);
      const r = await cli(['upload', f, `${c}/secret.bin`, '-A', creds.authUrl, '-U', creds.user, '-K', creds.key], { uid: process.getuid?.() === 0 ? 65534 : undefined, env: { HOME: priv } });
      expectCliFailure('unreadable file (chmod 000, run as nobody)', r, 1, new RegExp(`^slo: Cannot open ${f}: permission denied reading or writing ${f}\\.$`));
    } finally {
      await rm(priv, { recursive: true, force: true });
    }
  });

  // ---------- the destination ----------

  it('destination disk full during a download (1 MiB tmpfs): no partial file, nothing under the final name', async (ctx) => {
    const mnt = join(dir, 'mnt');
    mkdirSync(mnt, { recursive: true });
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt], { stdio: 'ignore' });
    } catch {
      ctx.skip('mounting a 1 MiB tmpfs needs root (or CAP_SYS_ADMIN); see docs/reliability.md');
    }
    try {
      const { path } = await file('full.bin', 3 * MiB, 8);
      await upload(direct, path, 'full-slo.bin', { segmentSize: MiB });
      await upload(direct, path, 'full-plain.bin', { segmentSize: 8 * MiB });
      for (const [object, kind] of [['full-slo.bin', 'SLO'], ['full-plain.bin', 'plain object']] as const) {
        const dest = join(mnt, `${object}.out`);
        const m = await failure(`Destination disk full during download (${kind})`, 'io', () => downloadObject(direct, { container: c, object }, dest));
        // Whichever write meets the full disk first — segment data or the resume journal beside it — names itself.
        const esc = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        expect(m).toMatch(new RegExp(`^(Writing the download|Could not save the transfer journal ${esc(dest)}\\.slo-partial\\.json): the disk is full\\. The partial file ${esc(dest)}\\.slo-partial was removed to free the space; nothing was saved as ${esc(dest)}\\.$`));
        expect(await readdir(mnt)).toEqual([]);
      }
    } finally {
      execFileSync('umount', [mnt], { stdio: 'ignore' });
    }
  });

  it('a destination directory that does not exist', async () => {
    await putObject(direct, c, 'small.txt', { body: 'hello' });
    const dest = join(dir, 'no', 'such', 'dir', 'small.txt');
    const m = await failure('Download into a directory that does not exist', 'io', () => downloadObject(direct, { container: c, object: 'small.txt' }, dest));
    expect(m).toBe(`Cannot write the download to ${dest}.slo-partial: no such file or directory (${dest}.slo-partial).`);
  });

  // ---------- connection ----------

  it('wrong password', async () => {
    const w = new SwiftClient({ auth: { type: 'v1', authUrl: creds.authUrl, user: creds.user, key: 'not-the-key' } });
    try {
      const m = await failure('Wrong password (key)', 'auth', () => headAccount(w));
      expect(m).toBe(`The user name or key for "${creds.user}" was rejected by ${creds.authUrl}.`);
      expect(m).not.toContain('not-the-key');
    } finally {
      await w.close();
    }
    const r = await cli(['ls', '-A', creds.authUrl, '-U', creds.user, '-K', 'not-the-key']);
    expectCliFailure('wrong password', r, 1, /^slo: The user name or key for "test:tester" was rejected by .*\/auth\/v1\.0\. \(transaction tx[0-9a-f-]+\)$/);
    expect(r.stderr).not.toContain('not-the-key');
  });

  it('unreachable host (a closed local port)', async () => {
    const port = await closedPort();
    const u = new SwiftClient({ auth: { type: 'v1', authUrl: `http://127.0.0.1:${port}/auth/v1.0`, user: 'u', key: 'k' } });
    try {
      const m = await failure('Unreachable host (closed port)', 'network', () => headAccount(u));
      expect(m).toBe(`Could not connect to the Swift endpoint for authentication at http://127.0.0.1:${port}/auth/v1.0: connection refused. Is the cluster running and the URL right?`);
    } finally {
      await u.close();
    }
    const r = await cli(['ls', '-A', `http://127.0.0.1:${port}/auth/v1.0`, '-U', 'u', '-K', 'k']);
    expectCliFailure('unreachable host', r, 1, /connection refused\. Is the cluster running and the URL right\?$/);
  });

  describe('TLS with a self-signed certificate', () => {
    let tlsProxy: FaultProxy;
    let certFile: string;

    beforeAll(async () => {
      const keyFile = join(dir, 'tls-key.pem');
      certFile = join(dir, 'tls-cert.pem');
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
      tlsProxy = await proxyFor(creds, { tls: { key: await readFile(keyFile), cert: await readFile(certFile) } });
    });
    afterAll(async () => {
      await tlsProxy?.stop();
    });

    it('is refused with a sentence that names the certificate problem and the two ways out', async () => {
      const strict = clientVia(tlsProxy, creds);
      try {
        expect(strict.warnings).toEqual([]);
        const m = await failure('TLS: self-signed certificate', 'network', () => headAccount(strict));
        expect(m).toBe('The TLS certificate of the Swift endpoint could not be verified (DEPTH_ZERO_SELF_SIGNED_CERT). Add its CA file, or — only if you trust this network — allow insecure TLS explicitly.');
        expect(tlsProxy.stats.forwarded).toBe(0);
      } finally {
        await strict.close();
      }
      const r = await cli(['ls', '-A', tlsProxy.rewrite(creds.authUrl), '-U', creds.user, '-K', creds.key]);
      expectCliFailure('self-signed TLS certificate', r, 1, /could not be verified \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
    });

    it('works with the explicit insecure opt-in (and says so), and with the certificate as CA file', async () => {
      const insecure = clientVia(tlsProxy, creds, { insecure: true });
      const pinned = clientVia(tlsProxy, creds, { caPem: await readFile(certFile, 'utf8') });
      try {
        expect(insecure.warnings).toEqual([INSECURE_TLS_WARNING]);
        expect((await headAccount(insecure)).containers).toBeGreaterThan(0);
        expect(insecure.storageUrl).toMatch(/^https:\/\/127\.0\.0\.1:/);
        expect((await headAccount(pinned)).containers).toBeGreaterThan(0);
        note('TLS: self-signed certificate with `insecure: true` / `--insecure`', `Works, with the warning: ${INSECURE_TLS_WARNING}`);
        note('TLS: self-signed certificate given as `caPem` / `--cacert`', 'Works, verified.');
      } finally {
        await insecure.close();
        await pinned.close();
      }
      const r = await cli(['ls', '-A', tlsProxy.rewrite(creds.authUrl), '-U', creds.user, '-K', creds.key, '--insecure']);
      expect(r.code).toBe(0);
    });
  });

  // ---------- containers and objects that are not there ----------

  it('a container that does not exist', async () => {
    const missing = uniqueName('missing');
    const m1 = await failure('Listing a container that does not exist', 'not-found', () => listObjectsPage(direct, missing));
    expect(m1).toBe(`Container ${missing} does not exist (404 Not Found).`);
    const dest = join(dir, 'missing.out');
    const m2 = await failure('Downloading from a container that does not exist', 'not-found', () => downloadObject(direct, { container: missing, object: 'x' }, dest));
    expect(m2).toBe(`Object ${missing}/x does not exist (404 Not Found).`);
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(`${dest}.slo-partial`)).toBe(false);
    const r = await cli(['download', `${missing}/x`, dest, '-A', creds.authUrl, '-U', creds.user, '-K', creds.key]);
    expectCliFailure('download from a missing container', r, 1, new RegExp(`^slo: Object ${missing}/x does not exist \\(404 Not Found\\)\\. \\(transaction tx[0-9a-f-]+\\)$`));
  });

  it('an SLO whose segment was deleted: the download fails naming it; nothing under the final name', async () => {
    const { path } = await file('holey.bin', MiB, 9);
    const up = await upload(direct, path, 'holey.bin', { segmentSize: 256 * KiB });
    await deleteObject(direct, segc, `${up.manifest!.prefix}/00000002`);
    const dest = join(dir, 'holey.out');
    const m = await failure('Download of an SLO with a missing segment', 'not-found', () => downloadObject(direct, { container: c, object: 'holey.bin' }, dest));
    expect(m).toMatch(new RegExp(`^Object ${segc}/holey\\.bin/slo/[0-9.]+/1048576/262144/00000002 does not exist \\(404 Not Found\\)\\.`));
    expect(existsSync(dest)).toBe(false);
  });

  // ---------- quotas, rate limits, corruption (fault proxy in front of the real Swift) ----------

  describe('through a fault proxy', () => {
    let proxy: FaultProxy;
    let client: SwiftClient;

    beforeAll(async () => {
      proxy = await proxyFor(creds);
      client = clientVia(proxy, creds, { backoffMs: 50 });
    });
    afterAll(async () => {
      await client?.close();
      await proxy?.stop();
    });
    const fresh = () => {
      proxy.clearRules();
      proxy.resetStats();
    };

    it('quota exceeded (413 on a segment PUT): one sentence, no manifest', async () => {
      fresh();
      proxy.addRule({ match: { method: 'PUT', path: '_segments/q413.bin/' }, skip: 2, fault: { type: 'status', status: 413, body: 'Upload exceeds quota.' } });
      const { path } = await file('q413.bin', 2 * MiB, 10);
      const m = await failure('Quota exceeded (413) during upload', 'too-large', () => upload(client, path, 'q413.bin', { segmentSize: 256 * KiB, concurrency: 1 }));
      expect(m).toMatch(new RegExp(`^Object ${segc}/q413\\.bin/slo/[0-9.]+/2097152/262144/00000002 is too large for this cluster or exceeds a quota \\(413\\): Upload exceeds quota\\.$`));
      expect(await headObject(direct, c, 'q413.bin').catch((e: SwiftError) => e.kind)).toBe('not-found');
      expect(proxy.stats.injected.status).toBe(1); // not retried
    });

    it('no space left (507 on a segment PUT): one sentence, no manifest', async () => {
      fresh();
      proxy.addRule({ match: { method: 'PUT', path: '_segments/q507.bin/' }, fault: { type: 'status', status: 507 } });
      const { path } = await file('q507.bin', MiB, 11);
      const m = await failure('No space left on the cluster (507) during upload', 'too-large', () => upload(client, path, 'q507.bin', { segmentSize: 256 * KiB, concurrency: 1 }));
      expect(m).toMatch(/^The cluster has no space left for object .*\/q507\.bin\/slo\/[0-9.]+\/1048576\/262144\/00000000 \(507 Insufficient Storage\)\.$/);
      expect(await headObject(direct, c, 'q507.bin').catch((e: SwiftError) => e.kind)).toBe('not-found');
    });

    it('quota exceeded on the manifest PUT (413): one sentence, the verified segments kept for a retry', async () => {
      fresh();
      proxy.addRule({ match: { method: 'PUT', query: 'multipart-manifest=put' }, fault: { type: 'status', status: 413, body: 'Quota exceeded.' } });
      const { path } = await file('qm.bin', 600 * KiB, 12);
      const m = await failure('Quota exceeded (413) on the manifest PUT', 'too-large', () => upload(client, path, 'qm.bin', { segmentSize: 256 * KiB }));
      expect(m).toMatch(new RegExp(`^Swift refused the manifest for ${c}/qm\\.bin \\(413 Request Entity Too Large\\): Quota exceeded\\.`));
      expect(await headObject(direct, c, 'qm.bin').catch((e: SwiftError) => e.kind)).toBe('not-found');
      // The verified segments stay (with the journal) so a retry after freeing space sends only the manifest.
      expect((await listNames(direct, segc, 'qm.bin/')).length).toBe(3);
    });

    it('a refusal reason that already ends with "." does not get a second one', async () => {
      fresh();
      proxy.addRule({ match: { method: 'PUT', query: 'multipart-manifest=put' }, fault: { type: 'status', status: 413, body: 'Upload exceeds quota.' } });
      // Was a bug (fixed in 199e3e1): "...: Upload exceeds quota.." from manifestError.
      const err = await putManifest(client, c, 'qm2.bin', [{ path: `/${c}/s1`, etag: null, size_bytes: null }]).catch((e: SwiftError) => e);
      expect((err as SwiftError).message).toBe(`Swift refused the manifest for ${c}/qm2.bin (413 Request Entity Too Large): Upload exceeds quota.`);
    });

    it('rate limiting (429 with Retry-After: 2) during an upload is honoured and invisible', async () => {
      fresh();
      proxy.addRule({ match: { method: 'PUT', path: '_segments/rl.bin/' }, fault: { type: 'status', status: 429, retryAfter: 2 }, times: 1 });
      const { path, data } = await file('rl.bin', 600 * KiB, 13);
      const t0 = Date.now();
      const up = await upload(client, path, 'rl.bin', { segmentSize: 256 * KiB, concurrency: 1 });
      const ms = Date.now() - t0;
      expect(ms).toBeGreaterThanOrEqual(1_950);
      expect(up.size).toBe(data.length);
      note('Rate limited (429, Retry-After: 2) during upload', `Works: waited ${(ms / 1000).toFixed(1)} s as told, then finished; no message.`);
    });

    it('rate limiting (498 with Retry-After: 1) during a download is honoured and invisible', async () => {
      fresh();
      const { path, data } = await file('rl2.bin', 600 * KiB, 14);
      await upload(direct, path, 'rl2.bin', { segmentSize: 256 * KiB });
      proxy.addRule({ match: { method: 'GET', path: '_segments/rl2.bin/' }, fault: { type: 'status', status: 498, retryAfter: 1 }, times: 2 });
      const dest = join(dir, 'rl2.out');
      const t0 = Date.now();
      const down = await downloadObject(client, { container: c, object: 'rl2.bin' }, dest);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
      expect(down.verified).toBe(true);
      expect((await readFile(dest)).equals(data)).toBe(true);
      note('Rate limited (498, Retry-After: 1) during download', 'Works: waited as told; file verified.');
    });

    it('a rate limit that does not end: one sentence after the retries', async () => {
      fresh();
      proxy.addRule({ match: { method: 'PUT', path: '_segments/rl3.bin/' }, fault: { type: 'status', status: 429, retryAfter: 0 } });
      const { path } = await file('rl3.bin', 600 * KiB, 15);
      const m = await failure('Rate limited (429) on every attempt', 'rate-limited', () => upload(client, path, 'rl3.bin', { segmentSize: 256 * KiB, concurrency: 1 }));
      expect(m).toMatch(/^Swift is rate-limiting requests to object .*\/rl3\.bin\/slo\/.*\/00000000 \(429\); slow down and try again\. 0 of 3 segments are stored; running the same upload again sends only the rest\.$/);
      expect(await headObject(direct, c, 'rl3.bin').catch((e: SwiftError) => e.kind)).toBe('not-found');
    });

    it('a segment corrupted on the way once: detected, re-sent; the manifest lists only verified segments', async () => {
      fresh();
      proxy.addRule({ match: { method: 'PUT', path: '_segments/corrupt.bin/' }, skip: 1, fault: { type: 'corrupt', atByte: 1000, direction: 'request' }, times: 1 });
      const { path, data } = await file('corrupt.bin', 600 * KiB, 16);
      const up = await upload(client, path, 'corrupt.bin', { segmentSize: 256 * KiB, concurrency: 1 });
      expect(proxy.stats.injected.corrupt).toBe(1);
      expect(up.resentBytes).toBe(256 * KiB);
      const dest = join(dir, 'corrupt.out');
      const down = await downloadObject(direct, { container: c, object: 'corrupt.bin' }, dest);
      expect(down.verified).toBe(true);
      expect((await readFile(dest)).equals(data)).toBe(true);
      note('Segment corrupted on the way (once)', 'Works: Swift\'s MD5 differs from ours, the segment is sent again (256 KiB re-sent); only verified segments reach the manifest.');
    });

    it('a segment corrupted on every attempt: an integrity error, no manifest', async () => {
      fresh();
      proxy.addRule({ match: { method: 'PUT', path: '_segments/corrupt2.bin/' }, fault: { type: 'corrupt', atByte: 10, direction: 'request' } });
      const { path } = await file('corrupt2.bin', 600 * KiB, 17);
      const m = await failure('Segment corrupted on the way every time', 'integrity', () => upload(client, path, 'corrupt2.bin', { segmentSize: 256 * KiB, concurrency: 1 }));
      expect(m).toMatch(/^Swift stored .*\/corrupt2\.bin\/slo\/.*\/00000000 with MD5 [0-9a-f]{32} but we sent bytes with MD5 [0-9a-f]{32}, 3 times; the data is being corrupted on the way\.$/);
      expect(await headObject(direct, c, 'corrupt2.bin').catch((e: SwiftError) => e.kind)).toBe('not-found');
    });

    it('a download corrupted on the way every time: an integrity error, nothing under the final name', async () => {
      fresh();
      const { path } = await file('corrupt3.bin', 600 * KiB, 18);
      await upload(direct, path, 'corrupt3.bin', { segmentSize: 256 * KiB });
      proxy.addRule({ match: { method: 'GET', path: '_segments/corrupt3.bin/' }, fault: { type: 'corrupt', atByte: 5, direction: 'response' } });
      const dest = join(dir, 'corrupt3.out');
      const m = await failure('Download corrupted on the way every time', 'integrity', () => downloadObject(client, { container: c, object: 'corrupt3.bin' }, dest, { concurrency: 1 }));
      expect(m).toMatch(/^segment 1 \(.*\/corrupt3\.bin\/slo\/.*\/00000000\) of .*\/corrupt3\.bin is corrupt: its bytes have MD5 [0-9a-f]{32} but the manifest records [0-9a-f]{32}\./);
      expect(existsSync(dest)).toBe(false);
    });
  });

  // ---------- CLI usage ----------

  it('CLI: an unknown option, a missing argument, a file that does not exist', async () => {
    expectCliFailure('unknown option', await cli(['upload', 'a', 'b', '--bogus']), 2, /^slo: Unknown option --bogus\.$/);
    expectCliFailure('missing argument', await cli(['upload', 'a']), 2, /^slo: upload needs <file> and <container>\[\/<object>\]\.$/);
    const missing = join(dir, 'no-such-file.bin');
    expectCliFailure('file that does not exist', await cli(['upload', missing, `${c}/x`, '-A', creds.authUrl, '-U', creds.user, '-K', creds.key]), 1, new RegExp(`^slo: Cannot read ${missing}: no such file or directory`));
  });

  it('CLI: an over-long object name', async () => {
    const { path } = await file('cli-long.bin', 3, 19);
    const r = await cli(['upload', path, `${c}/${'x'.repeat(1025)}`, '-A', creds.authUrl, '-U', creds.user, '-K', creds.key]);
    expectCliFailure('object name of 1025 bytes', r, 1, /^slo: Object name is 1025 bytes long \(UTF-8\); this cluster allows at most 1024\.$/);
  });
});

function closedPort(): Promise<number> {
  return import('node:net').then(
    ({ createServer }) =>
      new Promise<number>((ok, fail) => {
        const s = createServer();
        s.once('error', fail);
        s.listen(0, '127.0.0.1', () => {
          const a = s.address();
          s.close(() => (a && typeof a === 'object' ? ok(a.port) : fail(new Error('no port'))));
        });
      }),
  );
}
