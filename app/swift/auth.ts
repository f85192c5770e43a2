// Authentication: tempauth/v1, Keystone v3 (password, application credential) and a pre-authenticated URL + token.
import type { Dispatcher } from 'undici';
import type { AuthConfig } from '../rpc/contract.ts';
import { SwiftError } from './errors.ts';
import { bodyDetail, networkError } from './status-errors.ts';

export interface AuthResult {
  token: string;
  storageUrl: string;
  /** ms since epoch, when Keystone says; tempauth tokens just fail with 401 when they expire. */
  expiresAt?: number;
}

type Requester = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<{
  status: number;
  headers: Record<string, string>;
  text: string;
}>;

export function requesterFor(dispatcher: Dispatcher): Requester {
  return async (url, init) => {
    const u = new URL(url);
    const res = await dispatcher.request({
      origin: u.origin,
      path: u.pathname + u.search,
      method: init.method as Dispatcher.HttpMethod,
      headers: init.headers,
      body: init.body,
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: flatHeaders(res.headers), text };
  };
}

export function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export async function authenticate(cfg: AuthConfig, request: Requester): Promise<AuthResult> {
  switch (cfg.type) {
    case 'token':
      return { token: cfg.token, storageUrl: cfg.storageUrl.replace(/\/+$/, '') };
    case 'v1':
      return authV1(cfg, request);
    case 'keystone-password':
    case 'keystone-appcred':
      return authKeystone(cfg, request);
  }
}

/** A 5xx or 429 from the auth service is the service failing, not the credentials: worth a retry. */
function authFailureKind(status: number): 'auth' | 'server' | 'rate-limited' {
  if (status === 429 || status === 498) return 'rate-limited';
  return status >= 500 ? 'server' : 'auth';
}

async function send(request: Requester, url: string, init: Parameters<Requester>[1], what: string) {
  try {
    return await request(url, init);
  } catch (e) {
    throw networkError(e, what);
  }
}

async function authV1(cfg: Extract<AuthConfig, { type: 'v1' }>, request: Requester): Promise<AuthResult> {
  const res = await send(request, cfg.authUrl, { method: 'GET', headers: { 'x-auth-user': cfg.user, 'x-auth-key': cfg.key } }, `authentication at ${cfg.authUrl}`);
  const transId = res.headers['x-trans-id'];
  if (res.status === 401 || res.status === 403) {
    throw new SwiftError({ kind: 'auth', status: res.status, transId, message: `The user name or key for "${cfg.user}" was rejected by ${cfg.authUrl}.` });
  }
  if (res.status === 404) {
    throw new SwiftError({ kind: 'auth', status: 404, transId, message: `${cfg.authUrl} is not a v1 auth endpoint (404); tempauth usually answers at /auth/v1.0.` });
  }
  if (res.status >= 300) {
    throw new SwiftError({ kind: authFailureKind(res.status), status: res.status, transId, detail: bodyDetail(res.text), message: `Authentication at ${cfg.authUrl} failed with status ${res.status}.` });
  }
  const token = res.headers['x-auth-token'] ?? res.headers['x-storage-token'];
  const storageUrl = res.headers['x-storage-url'];
  if (!token || !storageUrl) {
    throw new SwiftError({ kind: 'auth', status: res.status, transId, message: `${cfg.authUrl} answered without X-Auth-Token or X-Storage-Url; is it a Swift v1 auth endpoint?` });
  }
  return { token, storageUrl: storageUrl.replace(/\/+$/, '') };
}

/** Accepts ".../v3", ".../v3/", ".../v3/auth/tokens" or a bare Keystone root. */
export function keystoneTokensUrl(authUrl: string): string {
  const u = authUrl.replace(/\/+$/, '');
  if (/\/v3\/auth\/tokens$/.test(u)) return u;
  if (/\/v3$/.test(u)) return `${u}/auth/tokens`;
  return `${u}/v3/auth/tokens`;
}

interface CatalogEndpoint {
  url: string;
  interface?: string;
  region?: string;
  region_id?: string;
}
interface CatalogEntry {
  type: string;
  name?: string;
  endpoints: CatalogEndpoint[];
}

/** Picks the object-store endpoint for the interface and, when given, the region. */
export function pickObjectStore(catalog: CatalogEntry[], iface: string, region?: string): string {
  const stores = catalog.filter((c) => c.type === 'object-store');
  if (stores.length === 0) {
    throw new SwiftError({ kind: 'auth', message: 'The Keystone service catalog has no object-store service; this project has no Swift endpoint.' });
  }
  const endpoints = stores.flatMap((s) => s.endpoints);
  const byIface = endpoints.filter((e) => (e.interface ?? 'public') === iface);
  const candidates = region ? byIface.filter((e) => e.region_id === region || e.region === region) : byIface;
  const chosen = candidates[0];
  if (!chosen) {
    const regions = [...new Set(byIface.map((e) => e.region_id ?? e.region).filter(Boolean))];
    throw new SwiftError({
      kind: 'auth',
      message: region
        ? `No ${iface} object-store endpoint in region "${region}"; the catalog has regions: ${regions.join(', ') || 'none'}.`
        : `No ${iface} object-store endpoint in the service catalog.`,
    });
  }
  return chosen.url.replace(/\/+$/, '');
}

type KeystoneConfig = Extract<AuthConfig, { type: 'keystone-password' | 'keystone-appcred' }>;

function keystoneAuthBody(cfg: KeystoneConfig, scoped: boolean): string {
  const identity =
    cfg.type === 'keystone-password'
      ? {
          methods: ['password'],
          password: { user: { name: cfg.username, domain: { name: cfg.userDomain }, password: cfg.password } },
        }
      : { methods: ['application_credential'], application_credential: { id: cfg.id, secret: cfg.secret } };
  const auth: Record<string, unknown> = { identity };
  if (scoped && cfg.type === 'keystone-password') auth.scope = { project: { name: cfg.projectName, domain: { name: cfg.projectDomain } } };
  return JSON.stringify({ auth });
}

const postTokens = (request: Requester, url: string, body: string) =>
  send(request, url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body }, `authentication at ${url}`);

/**
 * Keystone answers every refusal with the same 401. For a password, an unscoped retry tells a bad project apart from
 * bad credentials, and then the projects the user may use are listed; the rest is said as what it can be.
 */
async function rejection(cfg: KeystoneConfig, url: string, request: Requester, transId?: string): Promise<SwiftError> {
  const fail = (message: string) => new SwiftError({ kind: 'auth', status: 401, transId, message });
  if (cfg.type === 'keystone-appcred') {
    return fail(`Keystone at ${url} rejected application credential ${cfg.id}: a wrong secret, a deleted or expired credential, or a disabled user (Keystone does not say which).`);
  }
  const who = `user "${cfg.username}" in domain "${cfg.userDomain}"`;
  const unscoped = await postTokens(request, url, keystoneAuthBody(cfg, false));
  const token = unscoped.headers['x-subject-token'];
  if (unscoped.status !== 201 || !token) {
    return fail(`Keystone at ${url} rejected ${who}: a wrong password, no such user in that domain, or a disabled account (Keystone does not say which).`);
  }
  const projects = await send(request, url.replace(/\/tokens$/, '/projects'), { method: 'GET', headers: { 'x-auth-token': token, accept: 'application/json' } }, `the project list at ${url}`);
  const names = projects.status === 200 ? ((JSON.parse(projects.text) as { projects?: { name: string }[] }).projects ?? []).map((p) => p.name) : [];
  const usable = names.length ? `projects it can use: ${names.join(', ')}` : 'it has a role on no project';
  return fail(`Keystone accepted ${who} but not project "${cfg.projectName}" in domain "${cfg.projectDomain}": no such project there, or no role on it (${usable}).`);
}

async function authKeystone(cfg: KeystoneConfig, request: Requester): Promise<AuthResult> {
  const url = keystoneTokensUrl(cfg.authUrl);
  const res = await postTokens(request, url, keystoneAuthBody(cfg, true));
  const transId = res.headers['x-openstack-request-id'];
  if (res.status === 401) throw await rejection(cfg, url, request, transId);
  if (res.status >= 300) {
    throw new SwiftError({ kind: authFailureKind(res.status), status: res.status, transId, detail: bodyDetail(res.text), message: `Keystone authentication at ${url} failed with status ${res.status}.` });
  }
  const token = res.headers['x-subject-token'];
  let body: { token?: { catalog?: CatalogEntry[]; expires_at?: string } };
  try {
    body = JSON.parse(res.text);
  } catch {
    throw new SwiftError({ kind: 'auth', message: `Keystone at ${url} answered with something that is not JSON.` });
  }
  if (!token) throw new SwiftError({ kind: 'auth', message: `Keystone at ${url} answered without X-Subject-Token.` });
  const storageUrl = pickObjectStore(body.token?.catalog ?? [], cfg.interface, cfg.region);
  const expiresAt = body.token?.expires_at ? Date.parse(body.token.expires_at) : undefined;
  return { token, storageUrl, ...(expiresAt && Number.isFinite(expiresAt) ? { expiresAt } : {}) };
}
