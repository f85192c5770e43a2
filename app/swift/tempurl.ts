// Temp URLs as Swift's tempurl middleware checks them: HMAC(key, "<METHOD>\n<expires>\n<path>") where path is the
// decoded "/v1/<account>/<container>/<object>". The signature is hex for sha1/sha256, and "<digest>:<base64url>" for
// sha512 (the form Swift requires for it). Keys live in account metadata (X-Account-Meta-Temp-URL-Key, -Key-2) or in
// a container's (X-Container-Meta-Temp-URL-Key, -Key-2); a container key only authorizes its own container.
import { createHmac, randomBytes } from 'node:crypto';
import type { ObjectKind } from '../domain/objects.ts';
import type { TempUrl, TempUrlKeys, TempUrlKeySlot, TempUrlMethod } from '../domain/objops.ts';
import type { SwiftClient } from './client.ts';
import { SwiftError } from './errors.ts';
import { clusterInfo } from './info.ts';
import { decodeName, encodeName } from './names.ts';
import { headAccount, headContainer, headObject } from './objects.ts';

export type TempUrlDigest = 'sha1' | 'sha256' | 'sha512';

type TempUrlInfo = { tempurl?: { methods?: string[]; allowed_digests?: string[] } };

/** What /info says about tempurl: no section means the middleware is absent; no allowed_digests means sha1 only. */
export async function tempUrlCapabilities(client: SwiftClient): Promise<{ digests: string[]; methods: string[] }> {
  const t = ((await clusterInfo(client)) as TempUrlInfo | null)?.tempurl;
  if (!t) return { digests: [], methods: [] };
  return { digests: t.allowed_digests ?? ['sha1'], methods: t.methods ?? ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'] };
}

/** sha256 when allowed, then sha512, and sha1 (deprecated) only when nothing better is. */
export function chooseDigest(allowed: readonly string[]): TempUrlDigest | null {
  for (const d of ['sha256', 'sha512', 'sha1'] as const) if (allowed.includes(d)) return d;
  return null;
}

export function signTempUrl(o: { method: string; expires: number; path: string; key: string; digest: TempUrlDigest }): string {
  const mac = createHmac(o.digest, o.key).update(`${o.method}\n${o.expires}\n${o.path}`);
  return o.digest === 'sha512' ? `sha512:${mac.digest('base64url')}` : mac.digest('hex');
}

function slot(headers: Record<string, string>, name: string, reveal: boolean): TempUrlKeySlot {
  const v = headers[name];
  return v === undefined || v === '' ? { set: false } : { set: true, ...(reveal ? { value: v } : {}) };
}

/** The account's (and a container's) keys: whether each is set, values only when `reveal`. */
export async function readTempUrlKeys(client: SwiftClient, o: { container?: string | undefined; reveal?: boolean } = {}): Promise<TempUrlKeys> {
  const reveal = o.reveal === true;
  const caps = await tempUrlCapabilities(client);
  const { headers } = await headAccount(client);
  const account = { key: slot(headers, 'x-account-meta-temp-url-key', reveal), key2: slot(headers, 'x-account-meta-temp-url-key-2', reveal) };
  if (o.container === undefined) return { account, ...caps };
  const c = (await headContainer(client, o.container)).headers;
  return { account, container: { name: o.container, key: slot(c, 'x-container-meta-temp-url-key', reveal), key2: slot(c, 'x-container-meta-temp-url-key-2', reveal) }, ...caps };
}

/** Sets (or, with key null, removes) one key; a key left undefined is generated (32 random bytes, hex). */
export async function setTempUrlKey(client: SwiftClient, o: { container?: string | undefined; slot: 1 | 2; key?: string | null | undefined }): Promise<void> {
  const scope = o.container === undefined ? 'account' : 'container';
  const name = `x-${scope}-meta-temp-url-key${o.slot === 2 ? '-2' : ''}`;
  const key = o.key === undefined ? randomBytes(32).toString('hex') : o.key;
  if (key !== null && !/^[\x21-\x7e]{8,256}$/.test(key)) {
    throw new SwiftError({ kind: 'invalid', message: 'A temp-URL key must be 8 to 256 printable ASCII characters without spaces.' });
  }
  const headers = key === null ? { [name.replace(/^x-/, 'x-remove-')]: '1' } : { [name]: key };
  await client.request({ method: 'POST', ...(o.container !== undefined ? { container: o.container } : {}), headers });
}

/** Containers an SLO reads segments from (its own entries; nested manifests are followed one level by Swift's rules). */
async function segmentContainers(client: SwiftClient, container: string, object: string): Promise<Set<string>> {
  const { data } = await client.json<{ name?: string }[]>({ method: 'GET', container, object, query: { 'multipart-manifest': 'get' } });
  const out = new Set<string>();
  for (const e of Array.isArray(data) ? data : []) if (typeof e.name === 'string') out.add(decodeName(e.name.replace(/^\/+/, '').split('/')[0] ?? ''));
  return out;
}

async function pickKey(client: SwiftClient, container: string, object: string, kind: ObjectKind, dloPrefix: string | undefined): Promise<{ key: string; scope: 'account' | 'container' }> {
  const keys = await readTempUrlKeys(client, { container, reveal: true });
  const account = keys.account.key.value ?? keys.account.key2.value;
  if (account) return { key: account, scope: 'account' };
  const own = keys.container?.key.value ?? keys.container?.key2.value;
  if (!own) throw new SwiftError({ kind: 'invalid', message: `No temp-URL key is set for the account or for container ${container}; set one first (slo tempurl key --set, or "Set a key" in the Temp URL dialog).` });
  const elsewhere =
    kind === 'slo'
      ? [...(await segmentContainers(client, container, object))].filter((c) => c !== container)
      : kind === 'dlo' && dloPrefix && dloPrefix.split('/')[0] !== container
        ? [dloPrefix.split('/')[0]!]
        : [];
  if (elsewhere.length) {
    throw new SwiftError({
      kind: 'invalid',
      message: `Only container ${container} has a temp-URL key, and a container key authorizes only that container, but this ${kind.toUpperCase()}'s segments live in ${elsewhere.join(', ')}: the URL would fail there. Set an account key instead.`,
    });
  }
  return { key: own, scope: 'container' };
}

/** A signed URL for `method` on one object, valid for `seconds`. */
export async function createTempUrl(client: SwiftClient, o: { container: string; object: string; method: TempUrlMethod; seconds: number; now?: number }): Promise<TempUrl> {
  const caps = await tempUrlCapabilities(client);
  if (caps.digests.length === 0) throw new SwiftError({ kind: 'limit', message: 'This cluster does not offer temp URLs (no tempurl section in /info).' });
  if (!caps.methods.includes(o.method)) throw new SwiftError({ kind: 'limit', message: `This cluster's temp URLs allow ${caps.methods.join(', ')}, not ${o.method}.` });
  const digest = chooseDigest(caps.digests);
  if (!digest) throw new SwiftError({ kind: 'limit', message: `This cluster's temp URLs use ${caps.digests.join(', ')}, none of which SLO Studio can sign with.` });
  // A PUT URL may name an object that does not exist yet.
  const stat = o.method === 'PUT' ? null : await headObject(client, o.container, o.object);
  const kind = stat?.kind ?? 'plain';
  const { key, scope } = await pickKey(client, o.container, o.object, kind, stat?.dloPrefix);
  const { storageUrl } = await client.auth();
  const base = new URL(storageUrl);
  const v1 = base.pathname.search(/\/v1\//);
  const accountPath = decodeName(v1 >= 0 ? base.pathname.slice(v1) : base.pathname).replace(/\/+$/, '');
  const path = `${accountPath}/${o.container}/${o.object}`;
  const expiresAt = Math.floor((o.now ?? Date.now()) / 1000) + o.seconds;
  const sig = signTempUrl({ method: o.method, expires: expiresAt, path, key, digest });
  const url = `${base.origin}${base.pathname.replace(/\/+$/, '')}/${encodeName(o.container)}/${encodeName(o.object)}?temp_url_sig=${encodeURIComponent(sig)}&temp_url_expires=${expiresAt}`;
  const notes = [
    `Anyone holding this URL can ${o.method === 'PUT' ? 'write this object' : 'read this object'} until ${new Date(expiresAt * 1000).toISOString()}, without a token.`,
    ...(o.method === 'PUT' ? ['A PUT through it replaces whatever is stored under this name (an SLO replaced this way leaves its segments behind).'] : []),
    ...(kind === 'slo' ? ['It serves the whole SLO: Swift reads the segments for the holder.'] : []),
    ...(kind === 'dlo' ? ['It serves the whole DLO: Swift concatenates the segments for the holder.'] : []),
    ...(scope === 'container' ? [`Signed with container ${o.container}'s key: it stops working if that key changes.`] : ['Signed with the account key: it stops working if that key changes.']),
  ];
  return { url, method: o.method, expiresAt, digest, keyScope: scope, kind, notes };
}
