// Redaction beyond auth tokens: temp-URL keys (account and container, -2 variants), container-sync keys and
// credentials embedded in URLs never reach the transcript, copy-as-curl, the CLI's --verbose log or error messages.
// The account and container keys are set on the real sandbox, so their HEAD responses really carry them.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwiftClient } from '../../app/swift/client.ts';
import { headAccount, headContainer } from '../../app/swift/objects.ts';
import { toCurl } from '../../app/swift/transcript.ts';
import { runSlo } from '../helpers/cli.ts';
import { makeContainer, removeContainers, sandboxClient, sandboxCreds } from '../helpers/swift.ts';

const postAccount = (c: SwiftClient, headers: Record<string, string | undefined>) => c.request({ method: 'POST', headers });
const postContainer = (c: SwiftClient, container: string, headers: Record<string, string>) => c.request({ method: 'POST', container, headers });
const secret = (what: string) => `${what}-${randomBytes(8).toString('hex')}`;

describe('redaction of keys and URL credentials', () => {
  const client = sandboxClient();
  let container: string;
  const keys = { a1: secret('acctkey'), a2: secret('acctkey2'), c1: secret('contkey'), c2: secret('contkey2'), sync: secret('synckey') };
  let before: Record<string, string> = {};

  beforeAll(async () => {
    container = await makeContainer(client);
    const h = (await headAccount(client)).headers;
    before = { 'x-account-meta-temp-url-key': h['x-account-meta-temp-url-key'] ?? '', 'x-account-meta-temp-url-key-2': h['x-account-meta-temp-url-key-2'] ?? '' };
    await postAccount(client, { 'X-Account-Meta-Temp-URL-Key': keys.a1, 'X-Account-Meta-Temp-URL-Key-2': keys.a2 });
    await postContainer(client, container, { 'X-Container-Meta-Temp-URL-Key': keys.c1, 'X-Container-Meta-Temp-URL-Key-2': keys.c2, 'X-Container-Sync-Key': keys.sync });
  });
  afterAll(async () => {
    await postAccount(client, { 'X-Account-Meta-Temp-URL-Key': before['x-account-meta-temp-url-key'], 'X-Account-Meta-Temp-URL-Key-2': before['x-account-meta-temp-url-key-2'] }).catch(() => undefined);
    await removeContainers(client, container);
    await client.close();
  });

  it('the transcript and copy-as-curl show none of the keys, sent or received', async () => {
    const c = sandboxClient();
    try {
      await postContainer(c, container, { 'X-Container-Sync-Key': keys.sync });
      await headAccount(c);
      await headContainer(c, container);
      const text = JSON.stringify(c.transcript.list()) + c.transcript.list().map((r) => toCurl(r)).join('\n');
      for (const k of Object.values(keys)) expect(text).not.toContain(k);
      expect(text).toContain('<redacted>');
    } finally {
      await c.close();
    }
  });

  it('the CLI --verbose log and stat output of the container show no key', async () => {
    const s = sandboxCreds();
    const r = await runSlo(['-A', s.authUrl, '-U', s.user, '-K', s.key, '--verbose', 'stat', container], { timeoutMs: 60_000 });
    for (const k of [keys.c1, keys.c2, keys.sync]) expect(r.stdout + r.stderr).not.toContain(k);
  });

  it('credentials embedded in a URL are redacted in errors and in the transcript', async () => {
    const pass = secret('urlpass');
    const c = new SwiftClient({ auth: { type: 'v1', authUrl: `http://someone:${pass}@127.0.0.1:9/auth/v1.0`, user: 'u', key: 'k' }, retries: 0 });
    try {
      const e = await c.auth().then(() => undefined, (err: unknown) => err as Error & { detail?: string });
      expect(e).toBeDefined();
      expect(`${e!.message} ${e!.detail ?? ''} ${e!.stack ?? ''}`).not.toContain(pass);
      const text = JSON.stringify(c.transcript.list()) + c.transcript.list().map((r) => toCurl(r)).join('\n');
      expect(text).not.toContain(pass);
    } finally {
      await c.close();
    }
  });
});
