// Keystone v3 next to the sandbox (`npm run sandbox -- start --auth keystone`): Debian's Keystone under uwsgi with
// sqlite and fernet tokens, bootstrapped once per data dir, and provisioned over its own v3 API with what a Swift user
// meets in production: a project and a member user, a disabled user, an application credential, and the object-store
// endpoint in two regions (RegionTwo reaches the same proxy as `localhost`, so region choice shows in the URL).
// Recipe: shared/keystone-sandbox.md. Swift's proxy validates tokens with authtoken + keystoneauth; keystoneauth owns the
// KEY_ accounts, tempauth keeps AUTH_ (both in one pipeline, so the tempauth fixtures keep working).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const KEYSTONE_APT_PACKAGES = ['python3-keystone', 'python3-keystonemiddleware', 'uwsgi-core', 'uwsgi-plugin-python3'];
export const KEYSTONE_PROGRAMS = ['keystone-manage', 'keystone-wsgi-public', 'uwsgi'];
export const KEYSTONE_RESELLER_PREFIX = 'KEY_';
export const KEYSTONE_ADMIN_PASSWORD = 'sandbox-admin';
/** The user Swift's authtoken filter validates tokens as. */
export const KEYSTONE_SERVICE_USER = { name: 'swift', password: 'sandbox-swift', project: 'service' };

/** What a client needs to log in to the sandbox's Keystone (all of it is sandbox-only and printed on start). */
export interface KeystoneAccounts {
  authUrl: string;
  username: string;
  password: string;
  projectName: string;
  userDomainName: string;
  projectDomainName: string;
  disabledUsername: string;
  applicationCredentialId: string;
  applicationCredentialSecret: string;
  regions: string[];
}

export const keystoneDir = (dataDir: string): string => join(dataDir, 'keystone');
export const keystoneConfPath = (dataDir: string): string => join(keystoneDir(dataDir), 'keystone.conf');

export function renderKeystoneConf(dataDir: string, tokenExpirationSeconds: number): string {
  const dir = keystoneDir(dataDir);
  return [
    '[DEFAULT]',
    `log_file = ${join(dir, 'keystone.log')}`,
    '[database]',
    `connection = sqlite:///${join(dir, 'keystone.db')}`,
    '[token]',
    'provider = fernet',
    `expiration = ${tokenExpirationSeconds}`,
    '[fernet_tokens]',
    `key_repository = ${join(dir, 'fernet-keys')}`,
    '[fernet_receipts]',
    `key_repository = ${join(dir, 'fernet-keys')}`,
    '[credential]',
    `key_repository = ${join(dir, 'credential-keys')}`,
    '',
  ].join('\n');
}

/** The proxy's filters for Keystone (authtoken checks a cached token's expiry too, so short-lived tokens expire on time). */
export function keystoneProxySections(keystonePort: number, memcachedPort: number): Record<string, Record<string, string | number>> {
  const url = `http://127.0.0.1:${keystonePort}`;
  return {
    'filter:authtoken': {
      'paste.filter_factory': 'keystonemiddleware.auth_token:filter_factory',
      www_authenticate_uri: url,
      auth_url: url,
      auth_type: 'password',
      project_domain_id: 'default',
      user_domain_id: 'default',
      project_name: KEYSTONE_SERVICE_USER.project,
      username: KEYSTONE_SERVICE_USER.name,
      password: KEYSTONE_SERVICE_USER.password,
      delay_auth_decision: 'True',
      memcached_servers: `127.0.0.1:${memcachedPort}`,
    },
    'filter:keystoneauth': { use: 'egg:swift#keystoneauth', operator_roles: 'admin, member', reseller_prefix: KEYSTONE_RESELLER_PREFIX },
  };
}

type Run = (cmd: string, args: string[], opts?: { env?: NodeJS.ProcessEnv }) => Promise<{ code: number; output: string }>;

/** db_sync, key repositories and the admin bootstrap: ~20 s, once per data dir (a marker file records it). */
export async function bootstrapKeystone(dataDir: string, port: number, owner: { user: string; group: string }, run: Run, log: (l: string) => void): Promise<void> {
  const dir = keystoneDir(dataDir);
  await mkdir(join(dir, 'fernet-keys'), { recursive: true, mode: 0o700 });
  await mkdir(join(dir, 'credential-keys'), { recursive: true, mode: 0o700 });
  const url = `http://127.0.0.1:${port}/v3/`;
  const steps = [
    ['db_sync'],
    ['fernet_setup', '--keystone-user', owner.user, '--keystone-group', owner.group],
    ['credential_setup', '--keystone-user', owner.user, '--keystone-group', owner.group],
    ['bootstrap', '--bootstrap-password', KEYSTONE_ADMIN_PASSWORD, '--bootstrap-admin-url', url, '--bootstrap-public-url', url, '--bootstrap-internal-url', url, '--bootstrap-region-id', 'RegionOne'],
  ];
  log('bootstrapping Keystone (once per sandbox, ~20 s)');
  for (const step of steps) {
    const r = await run('keystone-manage', ['--config-file', keystoneConfPath(dataDir), ...step]);
    if (r.code !== 0) throw new Error(`keystone-manage ${step[0]} failed (exit ${r.code}): ${r.output.trim().split('\n').slice(-3).join(' ')}`);
    if (step[0] === 'db_sync') await walMode(join(dir, 'keystone.db'), run);
  }
  await writeFile(join(dir, 'bootstrapped'), new Date().toISOString());
}

/**
 * Keystone opens a reader session while a writer session of the same request is open (e.g. the region check when an
 * endpoint is created); in sqlite's default journal the reader's lock then blocks the writer's commit ("database is
 * locked", a 500). In WAL mode readers never block the writer. The mode is stored in the database file.
 */
async function walMode(db: string, run: Run): Promise<void> {
  const r = await run('/usr/bin/python3', ['-c', 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA journal_mode=WAL").fetchone()[0])', db]);
  if (r.code !== 0 || r.output.trim() !== 'wal') throw new Error(`Could not switch Keystone's database to WAL mode: ${r.output.trim()}`);
}

export const uwsgiArgs = (port: number): string[] => [
  // uwsgi's plain HTTP socket closes after each response but does not say so; clients that reuse the connection then
  // meet "other side closed" on their next request. Saying so makes every client open a fresh one.
  '--http-socket', `127.0.0.1:${port}`, '--add-header', 'Connection: close', '--plugin', 'python3', '--wsgi-file', '/usr/bin/keystone-wsgi-public',
  // Single-threaded workers: sqlite objects cannot cross threads (see shared/keystone-sandbox.md). Two of them, so
  // token validations are not queued behind a password check (bcrypt takes a second here).
  // --lazy-apps: load Keystone in each worker, not in the master before fork (a forked sqlite handle locks up writes).
  '--master', '--lazy-apps', '--processes', '2', '--die-on-term', '--disable-logging',
];
