// Provisioning the sandbox's Keystone over its v3 API (idempotent: what exists is looked up, not created again).
import { request, type Dispatcher } from 'undici';
import type { KeystoneAccounts } from './keystone.ts';
import { KEYSTONE_ADMIN_PASSWORD, KEYSTONE_RESELLER_PREFIX, KEYSTONE_SERVICE_USER } from './keystone.ts';

const PROJECT = 'slo-project';
const USER = 'slo-user';
const USER_PASSWORD = 'slo-sandbox-password';
const DISABLED_USER = 'slo-disabled';

type Json = Record<string, unknown>;

class V3 {
  constructor(
    readonly base: string,
    private token = '',
  ) {}

  async call(method: string, path: string, body?: Json, okStatuses = [200, 201, 204]): Promise<{ status: number; json: Json; subjectToken: string }> {
    const res = await request(`${this.base}${path}`, {
      method: method as Dispatcher.HttpMethod,
      headers: { 'content-type': 'application/json', ...(this.token ? { 'x-auth-token': this.token } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      headersTimeout: 60_000,
    });
    const text = await res.body.text();
    if (!okStatuses.includes(res.statusCode)) throw new Error(`Keystone ${method} ${path} answered ${res.statusCode}: ${text.slice(0, 300)}`);
    const subject = res.headers['x-subject-token'];
    return { status: res.statusCode, json: text ? (JSON.parse(text) as Json) : {}, subjectToken: typeof subject === 'string' ? subject : '' };
  }

  async login(user: string, password: string, project: string): Promise<V3> {
    const scope = { project: { name: project, domain: { id: 'default' } } };
    const identity = { methods: ['password'], password: { user: { name: user, domain: { id: 'default' }, password } } };
    const r = await this.call('POST', '/auth/tokens', { auth: { identity, scope } });
    return new V3(this.base, r.subjectToken);
  }

  /** The id of the named thing, creating it with `create` when there is none. */
  async ensure(collection: string, key: string, name: string, create: Json): Promise<string> {
    const found = await this.call('GET', `/${collection}?name=${encodeURIComponent(name)}`);
    const list = found.json[collection] as { id: string }[];
    if (list[0]) return list[0].id;
    const made = await this.call('POST', `/${collection}`, { [key]: create });
    return (made.json[key] as { id: string }).id;
  }
}

/** Creates (or finds) everything the sandbox's Keystone users need; returns the credentials to hand out. */
export async function provisionKeystone(keystonePort: number, proxyPort: number, existingAppCred?: { id: string; secret: string }): Promise<KeystoneAccounts> {
  const authUrl = `http://127.0.0.1:${keystonePort}/v3`;
  const admin = await new V3(authUrl).login('admin', KEYSTONE_ADMIN_PASSWORD, 'admin');
  // Look before creating: a failed write leaves Keystone's sqlite locked for the next one.
  const region = await admin.call('GET', '/regions/RegionTwo', undefined, [200, 404]);
  if (region.status === 404) await admin.call('POST', '/regions', { region: { id: 'RegionTwo' } });
  const domain = { domain_id: 'default' };
  const project = await admin.ensure('projects', 'project', PROJECT, { name: PROJECT, ...domain });
  const service = await admin.ensure('projects', 'project', KEYSTONE_SERVICE_USER.project, { name: KEYSTONE_SERVICE_USER.project, ...domain });
  const user = await admin.ensure('users', 'user', USER, { name: USER, password: USER_PASSWORD, ...domain });
  const disabled = await admin.ensure('users', 'user', DISABLED_USER, { name: DISABLED_USER, password: USER_PASSWORD, enabled: false, ...domain });
  const swift = await admin.ensure('users', 'user', KEYSTONE_SERVICE_USER.name, { name: KEYSTONE_SERVICE_USER.name, password: KEYSTONE_SERVICE_USER.password, ...domain });
  const member = await admin.ensure('roles', 'role', 'member', { name: 'member' });
  const adminRole = await admin.ensure('roles', 'role', 'admin', { name: 'admin' });
  for (const [p, u, r] of [[project, user, member], [project, disabled, member], [service, swift, adminRole]]) {
    await admin.call('PUT', `/projects/${p}/users/${u}/roles/${r}`);
  }
  await ensureObjectStore(admin, proxyPort);
  const appCred = existingAppCred ?? (await createAppCred(authUrl, user));
  return {
    authUrl,
    username: USER,
    password: USER_PASSWORD,
    projectName: PROJECT,
    userDomainName: 'Default',
    projectDomainName: 'Default',
    disabledUsername: DISABLED_USER,
    applicationCredentialId: appCred.id,
    applicationCredentialSecret: appCred.secret,
    regions: ['RegionOne', 'RegionTwo'],
  };
}

/** The object-store service with public and internal endpoints in RegionOne (127.0.0.1) and RegionTwo (localhost). */
async function ensureObjectStore(admin: V3, proxyPort: number): Promise<void> {
  const services = (await admin.call('GET', '/services?type=object-store')).json.services as { id: string }[];
  const serviceId = services[0]?.id ?? ((await admin.call('POST', '/services', { service: { type: 'object-store', name: 'swift' } })).json.service as { id: string }).id;
  const account = `${KEYSTONE_RESELLER_PREFIX}$(project_id)s`;
  const wanted = [['RegionOne', '127.0.0.1'], ['RegionTwo', 'localhost']].flatMap(([region, host]) =>
    ['public', 'internal'].map((iface) => ({ service_id: serviceId, interface: iface, region_id: region, url: `http://${host}:${proxyPort}/v1/${account}` })),
  );
  const have = (await admin.call('GET', `/endpoints?service_id=${serviceId}`)).json.endpoints as { id: string; url: string; interface: string; region_id: string }[];
  const same = have.length === wanted.length && wanted.every((w) => have.some((h) => h.url === w.url && h.interface === w.interface && h.region_id === w.region_id));
  if (same) return;
  // The proxy moved to another port since the last start: replace the endpoints.
  for (const h of have) await admin.call('DELETE', `/endpoints/${h.id}`);
  for (const endpoint of wanted) await admin.call('POST', '/endpoints', { endpoint });
}

async function createAppCred(authUrl: string, userId: string): Promise<{ id: string; secret: string }> {
  const asUser = await new V3(authUrl).login(USER, USER_PASSWORD, PROJECT);
  const r = await asUser.call('POST', `/users/${userId}/application_credentials`, { application_credential: { name: `slo-sandbox-${Date.now()}` } });
  const cred = r.json.application_credential as { id: string; secret: string };
  return { id: cred.id, secret: cred.secret };
}
