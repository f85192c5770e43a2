// Where the CLI's connection comes from: flags first, then the environment python-swiftclient users already have
// (ST_AUTH/ST_USER/ST_KEY, OS_* for Keystone, OS_STORAGE_URL + OS_AUTH_TOKEN), or --sandbox.
import type { AuthConfig } from '../../app/domain/auth.ts';
import { UsageError, type FlagSpecs } from './args.ts';

export const connectionFlags: FlagSpecs = {
  auth: { type: 'string', alias: 'A', description: 'v1 auth URL (or Keystone URL with --os-* options); env ST_AUTH / OS_AUTH_URL' },
  user: { type: 'string', alias: 'U', description: 'v1 user, e.g. test:tester; env ST_USER' },
  key: { type: 'string', alias: 'K', description: 'v1 key; env ST_KEY' },
  'os-username': { type: 'string', description: 'Keystone user name; env OS_USERNAME' },
  'os-password': { type: 'string', description: 'Keystone password; env OS_PASSWORD' },
  'os-project-name': { type: 'string', description: 'Keystone project; env OS_PROJECT_NAME' },
  'os-user-domain-name': { type: 'string', description: 'env OS_USER_DOMAIN_NAME (default "Default")' },
  'os-project-domain-name': { type: 'string', description: 'env OS_PROJECT_DOMAIN_NAME (default "Default")' },
  'os-region-name': { type: 'string', description: 'env OS_REGION_NAME' },
  'os-interface': { type: 'string', description: 'public, internal or admin; env OS_INTERFACE' },
  'os-application-credential-id': { type: 'string', description: 'env OS_APPLICATION_CREDENTIAL_ID' },
  'os-application-credential-secret': { type: 'string', description: 'env OS_APPLICATION_CREDENTIAL_SECRET' },
  'storage-url': { type: 'string', description: 'pre-authenticated storage URL; env OS_STORAGE_URL' },
  token: { type: 'string', description: 'token for --storage-url; env OS_AUTH_TOKEN' },
  sandbox: { type: 'boolean', description: 'use the local Swift sandbox (starts it if needed)' },
  insecure: { type: 'boolean', description: 'skip TLS certificate verification (dangerous)' },
  cacert: { type: 'string', description: 'PEM file with CA certificates to trust' },
};

type Flags = Record<string, unknown>;

function pick(flags: Flags, env: NodeJS.ProcessEnv, flag: string, ...envNames: string[]): string | undefined {
  const f = flags[flag];
  if (typeof f === 'string' && f !== '') return f;
  for (const n of envNames) if (env[n]) return env[n];
  return undefined;
}

function iface(v: string | undefined): 'public' | 'internal' | 'admin' {
  const s = (v ?? 'public').replace(/URL$/i, '').toLowerCase();
  if (s === 'public' || s === 'internal' || s === 'admin') return s;
  throw new UsageError(`--os-interface must be public, internal or admin (got "${v}").`);
}

/** Returns the auth config, or 'sandbox', or throws a UsageError that says what is missing. */
export function authFromFlagsAndEnv(flags: Flags, env: NodeJS.ProcessEnv = process.env): AuthConfig | 'sandbox' {
  if (flags.sandbox === true) return 'sandbox';
  const storageUrl = pick(flags, env, 'storage-url', 'OS_STORAGE_URL');
  const token = pick(flags, env, 'token', 'OS_AUTH_TOKEN');
  if (storageUrl && token) return { type: 'token', storageUrl, token };

  const appId = pick(flags, env, 'os-application-credential-id', 'OS_APPLICATION_CREDENTIAL_ID');
  const osUser = pick(flags, env, 'os-username', 'OS_USERNAME');
  const authUrl = pick(flags, env, 'auth', 'ST_AUTH', 'OS_AUTH_URL');
  const v1User = pick(flags, env, 'user', 'ST_USER');
  const region = pick(flags, env, 'os-region-name', 'OS_REGION_NAME');
  const inter = iface(pick(flags, env, 'os-interface', 'OS_INTERFACE'));

  if (authUrl && v1User) {
    const key = pick(flags, env, 'key', 'ST_KEY');
    if (key === undefined) throw new UsageError('A v1 user needs a key: pass --key (-K) or set ST_KEY.');
    return { type: 'v1', authUrl, user: v1User, key };
  }
  if (authUrl && appId) {
    const secret = pick(flags, env, 'os-application-credential-secret', 'OS_APPLICATION_CREDENTIAL_SECRET');
    if (!secret) throw new UsageError('An application credential needs its secret: --os-application-credential-secret or OS_APPLICATION_CREDENTIAL_SECRET.');
    return { type: 'keystone-appcred', authUrl, id: appId, secret, interface: inter, ...(region ? { region } : {}) };
  }
  if (authUrl && osUser) {
    const password = pick(flags, env, 'os-password', 'OS_PASSWORD');
    const projectName = pick(flags, env, 'os-project-name', 'OS_PROJECT_NAME', 'OS_TENANT_NAME');
    if (password === undefined) throw new UsageError('Keystone needs a password: --os-password or OS_PASSWORD.');
    if (!projectName) throw new UsageError('Keystone needs a project: --os-project-name or OS_PROJECT_NAME.');
    return {
      type: 'keystone-password',
      authUrl,
      username: osUser,
      password,
      projectName,
      userDomain: pick(flags, env, 'os-user-domain-name', 'OS_USER_DOMAIN_NAME') ?? 'Default',
      projectDomain: pick(flags, env, 'os-project-domain-name', 'OS_PROJECT_DOMAIN_NAME') ?? 'Default',
      interface: inter,
      ...(region ? { region } : {}),
    };
  }
  throw new UsageError(
    'No Swift connection given. Use --sandbox for the local sandbox, or -A/-U/-K (ST_AUTH/ST_USER/ST_KEY), or Keystone OS_AUTH_URL/OS_USERNAME/OS_PASSWORD/OS_PROJECT_NAME, or OS_STORAGE_URL + OS_AUTH_TOKEN.',
  );
}
