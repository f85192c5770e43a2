// An account of 100,001 containers for the windowed container list (issue #15): one real container, then 100,000
// rows merged straight into the account's listing database through the account server's REPLICATE merge_items RPC
// (what Swift's replicators use; ~1 s per 10,000 rows here, where a real container PUT takes ~20 ms each). Those
// containers exist only in the account listing. It lives in the sandbox's third tempauth account (admin:admin), which
// nothing else uses, so the other tests' accounts keep their small container lists. Built once, checked by count.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import type { SandboxInfo } from '../../app/sandbox/manager.ts';

export const MANY = { user: 'admin:admin', key: 'admin', account: 'AUTH_admin', real: 'a-first-container', count: 100_000 };
/** Listing-only container i; they sort after the real one. */
export const manyName = (i: number) => `bulk-${String(i).padStart(6, '0')}`;

type AccountServer = SandboxInfo['accountServer'];

/** The account database's name is a hash keyed by the cluster's swift.conf; the one that answers is the one in use. */
async function accountUrl(server: AccountServer, dataDir: string): Promise<string> {
  const keys = (file: string) => {
    try {
      const text = readFileSync(file, 'utf8');
      const get = (k: string) => text.match(new RegExp(`^${k}\\s*=\\s*(.*)$`, 'm'))?.[1]?.trim() ?? '';
      return [get('swift_hash_path_prefix'), get('swift_hash_path_suffix')] as const;
    } catch {
      return null;
    }
  };
  for (const k of [keys(join(dataDir, 'swift.conf')), keys('/etc/swift/swift.conf')]) {
    if (!k) continue;
    const hash = createHash('md5').update(`${k[0]}/${MANY.account}${k[1]}`).digest('hex');
    const url = `http://127.0.0.1:${server.port}/${server.device}/${server.partition}/${hash}`;
    if ((await merge(url, [])) !== 404) return url;
  }
  throw new Error(`cannot find the account database of ${MANY.account} on the account server`);
}

async function merge(url: string, items: object[]): Promise<number> {
  const res = await request(url, { method: 'REPLICATE', headers: { 'content-type': 'application/json' }, body: JSON.stringify(['merge_items', items, null]) });
  await res.body.text();
  return res.statusCode;
}

/**
 * Makes sure the account holds the real container and the 100,000 listed ones. `io` talks to Swift as MANY.user:
 * `count` is the account's X-Account-Container-Count, `createReal` PUTs the real container (which also creates the
 * account). Returns ms spent building (0 when it was there).
 */
export async function ensureManyContainers(sandbox: Pick<SandboxInfo, 'accountServer' | 'dataDir'>, io: { count: () => Promise<number>; createReal: () => Promise<void> }): Promise<number> {
  if ((await io.count()) === MANY.count + 1) return 0;
  const started = Date.now();
  await io.createReal();
  const url = await accountUrl(sandbox.accountServer, sandbox.dataDir);
  const ts = (Date.now() / 1000).toFixed(5);
  for (let i = 0; i < MANY.count; i += 5000) {
    const items = Array.from({ length: Math.min(5000, MANY.count - i) }, (_, k) => ({
      name: manyName(i + k),
      put_timestamp: ts,
      delete_timestamp: '0',
      object_count: (i + k) % 7,
      bytes_used: ((i + k) % 7) * 1024,
      deleted: 0,
      storage_policy_index: 0,
    }));
    const status = await merge(url, items);
    if (status !== 202) throw new Error(`account server refused ${items.length} container rows: HTTP ${status}`);
  }
  const n = await io.count();
  if (n !== MANY.count + 1) throw new Error(`the account lists ${n} containers, not ${MANY.count + 1}`);
  return Date.now() - started;
}
