// Secrets never leave the secrets store: after a full session — the CLI with --verbose (and SLO_DEBUG stack output),
// and the browser-mode host driven over its WebSocket (save a profile, connect, list, upload, download, transcript,
// a failing call) — the key and every token (the one the client saw and the real one behind it) are absent from
// stdout/stderr, RPC responses and events, the transcript, copy-as-curl, error messages and every file in the data
// dir except the 0600 secrets file. A fault proxy in front of Swift gives the test a distinctive key (translated to
// the sandbox's real key) and its own alias tokens, so a grep cannot miss them or match by accident.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RpcEvent, RpcResponse } from '../../app/rpc/contract.ts';
import { startBrowserMode, type BrowserMode } from '../../main/browser/main.ts';
import type { FaultProxy } from '../faults/fault-proxy.ts';
import { proxyFor } from '../faults/helpers.ts';
import { runSlo } from '../helpers/cli.ts';
import { KiB, patternBytes } from '../helpers/files.ts';
import { removeContainers, sandboxClient, sandboxCreds, uniqueName } from '../helpers/swift.ts';

const creds = sandboxCreds();
const KEY = `K3y-${randomBytes(12).toString('hex')}`;
const WRONG_KEY = `Wr0ng-${randomBytes(12).toString('hex')}`;

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

const run = (args: string[], env: NodeJS.ProcessEnv) => runSlo(args, { env, timeoutMs: 90_000 });

describe('secrets never leak', () => {
  let proxy: FaultProxy;
  let dir: string;
  let container: string;
  const direct = sandboxClient();
  /** Everything that must not appear anywhere but the secrets file. */
  const secrets = (): string[] => [KEY, WRONG_KEY, ...proxy.issuedTokens, ...proxy.realTokens];
  const expectClean = (what: string, text: string) => {
    for (const s of secrets()) expect(text.includes(s), `${what} contains a secret (${s.slice(0, 8)}…)`).toBe(false);
  };

  beforeAll(async () => {
    proxy = await proxyFor(creds, { keyAliases: { [KEY]: creds.key } });
    dir = await mkdtemp(join(tmpdir(), 'slo-sec-'));
    container = uniqueName('sec');
  });

  afterAll(async () => {
    await proxy?.stop();
    await removeContainers(direct, container, `${container}_segments`);
    await direct.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('the CLI with --verbose: a full session prints no key and no token, not even in failures or debug stacks', { timeout: 120_000 }, async () => {
    const data = patternBytes(700 * KiB, 61);
    const file = join(dir, 'cli.bin');
    await writeFile(file, data);
    const childTmp = join(dir, 'cli-tmp');
    await mkdir(childTmp);
    const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: childTmp, SLO_STUDIO_DATA_DIR: join(dir, 'cli-data') };
    for (const k of Object.keys(env)) if (/^(OS_|ST_)/.test(k)) delete env[k];
    const conn = ['-A', proxy.rewrite(creds.authUrl), '-U', creds.user, '-K', KEY, '--verbose'];
    const transcript: string[] = [];
    const steps: string[][] = [
      ['upload', file, `${container}/cli.bin`, '-S', '256K'],
      ['ls', container],
      ['stat', `${container}/cli.bin`],
      ['inspect', `${container}/cli.bin`],
      ['verify', `${container}/cli.bin`],
      ['download', `${container}/cli.bin`, join(dir, 'cli.out')],
      ['upload', file, `${container}/cli-json.bin`, '-S', '256K', '--json'],
      ['rm', `${container}/cli-json.bin`],
    ];
    for (const step of steps) {
      const r = await run([...step, ...conn], env);
      expect(r.code, `${step[0]}: ${r.stderr}`).toBe(0);
      transcript.push(r.stdout, r.stderr);
    }
    // Verbose output is really there (so the grep below means something).
    expect(transcript.join('')).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/auth\/v1\.0 → 200/);
    expect(transcript.join('')).toMatch(/PUT http:\/\/127\.0\.0\.1:\d+\/v1\/AUTH_test\/.*_segments\/cli\.bin\/slo\/.* → 201/);
    // Failures: a wrong key, an expired token, and the debug stack of a failure.
    const wrong = await run(['ls', '-A', proxy.rewrite(creds.authUrl), '-U', creds.user, '-K', WRONG_KEY, '--verbose'], { ...env, SLO_DEBUG: '1' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/was rejected/);
    transcript.push(wrong.stdout, wrong.stderr);
    proxy.addRule({ match: { method: 'HEAD' }, fault: { type: 'status', status: 401 } });
    const denied = await run(['stat', `${container}/cli.bin`, ...conn], { ...env, SLO_DEBUG: '1' });
    proxy.clearRules();
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/401 Unauthorized/);
    transcript.push(denied.stdout, denied.stderr);

    expect(proxy.issuedTokens.length).toBeGreaterThanOrEqual(steps.length);
    expectClean('CLI stdout/stderr', transcript.join('\n'));
    for (const f of await filesUnder(dir)) {
      if (f.endsWith('.bin') || f.endsWith('.out')) continue;
      expectClean(f, await readFile(f, 'utf8'));
    }
  });

  describe('browser mode', () => {
    let mode: BrowserMode;
    let dataDir: string;
    let staticDir: string;
    const logLines: string[] = [];
    const received: string[] = [];
    let ws: WebSocket;
    const waiting = new Map<number, (r: RpcResponse) => void>();
    const events: RpcEvent[] = [];
    const pullListeners = new Set<(ev: RpcEvent) => void>();
    let next = 1;

    const call = (method: string, params: unknown = {}): Promise<RpcResponse> =>
      new Promise((ok) => {
        const id = next++;
        waiting.set(id, ok);
        ws.send(JSON.stringify({ id, method, params }));
      });
    const result = async <T>(method: string, params: unknown = {}): Promise<T> => {
      const r = await call(method, params);
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      return r.result as T;
    };
    async function untilTransfer(id: string, ms = 60_000): Promise<{ state: string; error?: { message: string } }> {
      const t0 = Date.now();
      for (;;) {
        const { transfers } = await result<{ transfers: Array<{ id: string; state: string; error?: { message: string } }> }>('transfers.list');
        const t = transfers.find((x) => x.id === id);
        if (t && ['done', 'failed', 'cancelled', 'interrupted'].includes(t.state)) return t;
        if (Date.now() - t0 > ms) throw new Error(`transfer ${id} still ${t?.state} after ${ms} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'slo-sec-data-'));
      staticDir = await mkdtemp(join(tmpdir(), 'slo-sec-static-'));
      await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>SLO Studio</title>');
      mode = await startBrowserMode({ dataDir, staticDir, port: 0, handleSignals: false, log: (l) => logLines.push(l) });
      ws = new WebSocket(`ws://127.0.0.1:${mode.port}/${mode.token}/rpc`, { origin: `http://127.0.0.1:${mode.port}` });
      await new Promise<void>((ok, fail) => {
        ws.once('open', () => ok());
        ws.once('error', fail);
      });
      ws.on('message', (data) => {
        const text = String(data);
        received.push(text);
        const msg = JSON.parse(text) as RpcResponse | RpcEvent;
        if ('event' in msg) {
          events.push(msg);
          for (const l of pullListeners) l(msg);
        }
        else {
          waiting.get(msg.id)?.(msg);
          waiting.delete(msg.id);
        }
      });
    });

    afterAll(async () => {
      ws?.close();
      await mode?.close();
      await rm(dataDir, { recursive: true, force: true });
      await rm(staticDir, { recursive: true, force: true });
    });

    it('save a profile, connect, list, upload, download, transcript, a failure: no secret outside the 0600 file', { timeout: 120_000 }, async () => {
      const authUrl = proxy.rewrite(creds.authUrl);
      const saved = await result<{ hasSecret: boolean }>('profiles.save', { profile: { id: 'sec', name: 'Security test', auth: { type: 'v1', authUrl, user: creds.user, key: KEY } } });
      expect(saved.hasSecret).toBe(true);
      await result('profiles.list');
      await result('connection.open', { profileId: 'sec' });
      await result('containers.create', { container });
      await result('containers.list', {});

      // Upload the way the page does: the host pulls byte ranges of a "dropped" file, answered by POSTs.
      const bytes = patternBytes(600 * KiB, 62);
      const base = `http://127.0.0.1:${mode.port}/${mode.token}`;
      const answerPulls = (ev: RpcEvent) => {
        if (ev.event !== 'file.pull') return;
        const p = ev.payload as { pullId: string; start: number; end: number };
        void fetch(`${base}/pull/${p.pullId}`, { method: 'POST', body: bytes.subarray(p.start, p.end) });
      };
      pullListeners.add(answerPulls);
      const up = await result<{ id: string }>('transfers.upload', {
        source: { kind: 'browser-file', fileId: 'f1', name: 'browser.bin', size: bytes.length, lastModified: 1 },
        container, object: 'browser.bin', segmentSize: 256 * KiB,
      });
      expect((await untilTransfer(up.id)).state).toBe('done');
      pullListeners.delete(answerPulls);
      await result('objects.list', { container });
      await result('objects.stat', { container, object: 'browser.bin' });
      await result('slo.inspect', { container, object: 'browser.bin' });
      const down = await result<{ id: string; downloadUrl?: string }>('transfers.download', { container, object: 'browser.bin', target: { kind: 'browser' } });
      expect(down.downloadUrl).toBeDefined();
      const got = Buffer.from(await (await fetch(`http://127.0.0.1:${mode.port}${down.downloadUrl}`)).arrayBuffer());
      expect(got.equals(bytes)).toBe(true);

      // Token expiry mid-session: the renewal happens inside the host; nothing leaks on the way.
      proxy.expireTokens();
      await result('objects.list', { container });

      const { entries } = await result<{ entries: Array<{ id: number; method: string; url: string }> }>('transcript.list', {});
      expect(entries.some((e) => e.url.endsWith('/auth/v1.0'))).toBe(true);
      const curl = await result<{ command: string }>('transcript.curl', { id: entries[entries.length - 1]!.id, includeToken: false });
      expect(curl.command).toMatch(/x-auth-token: <redacted>/i);

      // A failing call: wrong key through profiles.test; its error must not echo the key.
      const failed = await call('profiles.test', { profile: { id: 'bad', name: 'Bad', auth: { type: 'v1', authUrl, user: creds.user, key: WRONG_KEY } } });
      const failText = JSON.stringify(failed);
      expect(failText).toMatch(/rejected/);

      // What the browser received, what the host logged, and every file it wrote.
      expect(received.length).toBeGreaterThan(10);
      expectClean('WebSocket messages', received.join('\n'));
      expectClean('host log', logLines.join('\n'));
      const files = await filesUnder(dataDir);
      const secretsFile = files.find((f) => f.endsWith('secrets.json'));
      expect(secretsFile).toBeDefined();
      expect((await stat(secretsFile!)).mode & 0o777).toBe(0o600);
      expect(await readFile(secretsFile!, 'utf8')).toContain(KEY); // it is stored — there and only there
      for (const f of files) {
        if (f === secretsFile) continue;
        expectClean(f, await readFile(f, 'utf8'));
      }
      const profiles = files.find((f) => f.endsWith('profiles.json'));
      expect(profiles).toBeDefined();
      console.log(`[security] browser-mode data dir after the session: ${files.map((f) => f.slice(dataDir.length + 1)).join(', ')}; ${received.length} WebSocket messages and ${entries.length} transcript entries checked`);
    });

    it('browser mode refuses host paths chosen by the page (upload source and download target of kind "path")', async () => {
      // Electron accepts only paths the user picked (TrustedPaths); browser mode accepts none, so a page holding the
      // token (e.g. after an XSS through an object name) cannot upload ~/.ssh/id_rsa or overwrite a file.
      const target = join(dir, 'written-by-page.txt');
      const r = await call('transfers.download', { container, object: 'browser.bin', target: { kind: 'path', path: target } });
      expect(r.ok).toBe(false);
      const u = await call('transfers.upload', { source: { kind: 'path', path: '/etc/hostname' }, container, object: 'stolen' });
      expect(u.ok).toBe(false);
      expect(JSON.stringify(u)).toMatch(/does not read or write local files by path/);
      expect(await stat(target).then(() => true, () => false)).toBe(false);
    });
  });
});
