// Errors as plain data: the kinds every layer branches on and the value that crosses process boundaries (RPC,
// `--json` output). app/swift/errors.ts builds SwiftError on top of these.
import { z } from 'zod';

export const ERROR_KINDS = [
  'auth', // bad credentials, expired token that could not be renewed, forbidden
  'not-found',
  'conflict', // 409, e.g. deleting a non-empty container
  'precondition', // 412 / 422 (etag mismatch on PUT), If-Match failures
  'too-large', // 413, 507 (quota / no space)
  'rate-limited', // 429, 498
  'server', // 5xx after retries
  'network', // connection refused, reset, DNS, TLS
  'integrity', // MD5 / size mismatch we detected ourselves
  'limit', // a cluster limit from /info would be exceeded
  'invalid', // bad input from the user (names, manifest JSON, arguments)
  'cancelled',
  'io', // local file system: unreadable file, disk full
] as const;
export const ErrorKind = z.enum(ERROR_KINDS);
export type ErrorKind = z.infer<typeof ErrorKind>;

/** The plain-data form of an error: a kind to branch on and one human sentence. Stack traces never travel. */
export const ErrorValue = z.object({
  kind: ErrorKind,
  message: z.string(),
  status: z.number().optional(),
  transId: z.string().optional(),
  detail: z.string().optional(),
});
export type ErrorValue = z.infer<typeof ErrorValue>;
