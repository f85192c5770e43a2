// Minimal Swift HTTP for the harness's own chores (auth, containers, HEAD, cleanup). Deliberately independent of
// app/swift: the harness must not share code paths with the thing it measures.
export interface Endpoint {
  profile: 'loopback' | 'wan';
  /** Storage URL the competitors use (through the shaper for WAN). */
  storageUrl: string;
  token: string;
}

export async function authV1(authUrl: string, user: string, key: string): Promise<{ token: string; storageUrl: string }> {
  const res = await fetch(authUrl, { headers: { 'X-Auth-User': user, 'X-Auth-Key': key } });
  await res.arrayBuffer();
  const token = res.headers.get('x-auth-token');
  const storageUrl = res.headers.get('x-storage-url');
  if (!res.ok || !token || !storageUrl) throw new Error(`auth at ${authUrl} failed: HTTP ${res.status}`);
  return { token, storageUrl };
}

const enc = (s: string) => s.split('/').map(encodeURIComponent).join('/');

export async function swiftReq(ep: Endpoint, method: string, path: string, init: { query?: string; body?: string | Uint8Array; headers?: Record<string, string> } = {}): Promise<Response> {
  const url = `${ep.storageUrl}/${enc(path)}${init.query ? `?${init.query}` : ''}`;
  const res = await fetch(url, { method, headers: { 'X-Auth-Token': ep.token, ...init.headers }, ...(init.body !== undefined ? { body: init.body } : {}) });
  return res;
}

export async function ensureContainer(ep: Endpoint, c: string): Promise<void> {
  const r = await swiftReq(ep, 'PUT', c);
  await r.arrayBuffer();
  if (!r.ok) throw new Error(`PUT container ${c}: HTTP ${r.status}`);
}

export async function headObject(ep: Endpoint, c: string, o: string): Promise<Headers | undefined> {
  const r = await swiftReq(ep, 'HEAD', `${c}/${o}`);
  await r.arrayBuffer();
  return r.ok ? r.headers : undefined;
}

/** Deletes an object; an SLO or a DLO together with its segments. Missing is fine. */
export async function deleteObjectDeep(ep: Endpoint, c: string, o: string): Promise<void> {
  const h = await headObject(ep, c, o);
  if (!h) return;
  const dlo = h.get('x-object-manifest');
  if (dlo) {
    const i = dlo.indexOf('/');
    await deletePrefix(ep, decodeURIComponent(dlo.slice(0, i)), decodeURIComponent(dlo.slice(i + 1)));
  }
  const slo = h.get('x-static-large-object') === 'True';
  const r = await swiftReq(ep, 'DELETE', `${c}/${o}`, slo ? { query: 'multipart-manifest=delete', headers: { Accept: 'application/json' } } : {});
  await r.arrayBuffer();
}

export async function listNames(ep: Endpoint, c: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  let marker = '';
  for (;;) {
    const q = `format=json&limit=10000${prefix ? `&prefix=${encodeURIComponent(prefix)}` : ''}${marker ? `&marker=${encodeURIComponent(marker)}` : ''}`;
    const r = await swiftReq(ep, 'GET', c, { query: q });
    if (r.status === 404) {
      await r.arrayBuffer();
      return out;
    }
    if (!r.ok) throw new Error(`GET ${c}: HTTP ${r.status}`);
    const page = (await r.json()) as Array<{ name: string }>;
    if (!page.length) return out;
    out.push(...page.map((e) => e.name));
    marker = page[page.length - 1]!.name;
  }
}

/** Deletes every object under `prefix` (all when empty), `width` at a time. */
export async function deletePrefix(ep: Endpoint, c: string, prefix = '', width = 8): Promise<number> {
  const names = await listNames(ep, c, prefix);
  let i = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (i < names.length) {
        const n = names[i++]!;
        const r = await swiftReq(ep, 'DELETE', `${c}/${n}`);
        await r.arrayBuffer();
      }
    }),
  );
  return names.length;
}

export async function deleteContainerDeep(ep: Endpoint, c: string): Promise<void> {
  await deletePrefix(ep, c);
  const r = await swiftReq(ep, 'DELETE', c);
  await r.arrayBuffer();
}
