// Connection profiles and how they authenticate (tempauth v1, Keystone v3 password / application credential, a
// pre-authenticated token).
import { z } from 'zod';

export const AuthConfig = z.discriminatedUnion('type', [
  z.object({ type: z.literal('v1'), authUrl: z.string().url(), user: z.string().min(1), key: z.string() }),
  z.object({
    type: z.literal('keystone-password'),
    authUrl: z.string().url(),
    username: z.string().min(1),
    password: z.string(),
    userDomain: z.string().default('Default'),
    projectName: z.string().min(1),
    projectDomain: z.string().default('Default'),
    region: z.string().optional(),
    interface: z.enum(['public', 'internal', 'admin']).default('public'),
  }),
  z.object({
    type: z.literal('keystone-appcred'),
    authUrl: z.string().url(),
    id: z.string().min(1),
    secret: z.string(),
    region: z.string().optional(),
    interface: z.enum(['public', 'internal', 'admin']).default('public'),
  }),
  z.object({ type: z.literal('token'), storageUrl: z.string().url(), token: z.string() }),
]);
export type AuthConfig = z.infer<typeof AuthConfig>;

export const Profile = z.object({
  id: z.string().min(1),
  name: z.string().min(1).max(200),
  auth: AuthConfig,
  /**
   * Extra CA certificates (PEM text, ≤ 1 MiB) trusted in addition to the system roots. Text, not a path: the renderer
   * reads the file the user picked, so no call makes the host open a path it names.
   */
  caPem: z.string().max(1024 * 1024).optional(),
  /** Skip TLS verification. Dangerous; the UI and CLI warn loudly. */
  insecure: z.boolean().default(false),
  /** Requests in flight per connection. */
  concurrency: z.number().int().min(1).max(64).default(8),
  /** Marks the built-in local sandbox profile. */
  sandbox: z.boolean().default(false),
});
export type Profile = z.infer<typeof Profile>;

/** A profile as the renderer sees it after saving: secrets are never sent back. */
export const ProfileSummary = z.object({
  id: z.string(),
  name: z.string(),
  authType: z.enum(['v1', 'keystone-password', 'keystone-appcred', 'token']),
  endpoint: z.string(),
  identity: z.string(),
  insecure: z.boolean(),
  sandbox: z.boolean(),
  hasSecret: z.boolean(),
  /** The custom CA (public certificates, not a secret), so an edit keeps it. */
  caPem: z.string().optional(),
  /** Keystone settings besides the identity, so an edit does not silently reset them (a saved secret is bound to them). */
  keystone: z.object({ userDomain: z.string(), projectDomain: z.string(), region: z.string().optional(), interface: z.enum(['public', 'internal', 'admin']) }).partial().optional(),
});
export type ProfileSummary = z.infer<typeof ProfileSummary>;
