// Errors are values with a kind and a human sentence. Every layer (CLI, hosts, renderer) shows `message`;
// code branches on `kind`. The Swift transaction id is kept so a user can hand it to their operator.
import { redactUrlCredentials } from './redact.ts';

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
export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface SwiftErrorInit {
  kind: ErrorKind;
  message: string;
  status?: number;
  transId?: string;
  method?: string;
  path?: string;
  detail?: string;
  retryAfterMs?: number;
  cause?: unknown;
}

export class SwiftError extends Error {
  readonly kind: ErrorKind;
  readonly status: number | undefined;
  readonly transId: string | undefined;
  readonly method: string | undefined;
  readonly path: string | undefined;
  /** Extra text from the server body, trimmed. */
  readonly detail: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(init: SwiftErrorInit) {
    super(redactUrlCredentials(init.message), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'SwiftError';
    this.kind = init.kind;
    this.status = init.status;
    this.transId = init.transId;
    this.method = init.method;
    this.path = init.path;
    this.detail = init.detail === undefined ? undefined : redactUrlCredentials(init.detail);
    this.retryAfterMs = init.retryAfterMs;
  }

  /** One line for a terminal or a toast: the sentence plus the transaction id when Swift gave one. */
  describe(): string {
    return this.transId ? `${this.message} (transaction ${this.transId})` : this.message;
  }

  toJSON(): ErrorValue {
    return {
      kind: this.kind,
      message: this.message,
      ...(this.status !== undefined ? { status: this.status } : {}),
      ...(this.transId ? { transId: this.transId } : {}),
      ...(this.detail ? { detail: this.detail } : {}),
    };
  }
}

/** The plain-data form that crosses the RPC boundary and goes into `--json` output. */
export interface ErrorValue {
  kind: ErrorKind;
  message: string;
  status?: number;
  transId?: string;
  detail?: string;
}

export function isSwiftError(e: unknown): e is SwiftError {
  return e instanceof SwiftError;
}

/** Turns anything thrown into a SwiftError, keeping local I/O errors readable. */
export function toSwiftError(e: unknown, context?: string): SwiftError {
  if (e instanceof SwiftError) return e;
  const err = e as NodeJS.ErrnoException | undefined;
  const code = err?.code;
  const where = context ? `${context}: ` : '';
  if (err?.name === 'AbortError' || code === 'ABORT_ERR') {
    return new SwiftError({ kind: 'cancelled', message: `${where}cancelled.`, cause: e });
  }
  switch (code) {
    case 'ENOENT':
      return new SwiftError({ kind: 'io', message: `${where}no such file or directory (${err?.path ?? ''}).`, cause: e });
    case 'EACCES':
    case 'EPERM':
      return new SwiftError({ kind: 'io', message: `${where}permission denied reading or writing ${err?.path ?? 'a file'}.`, cause: e });
    case 'ENOSPC':
      return new SwiftError({ kind: 'io', message: `${where}the disk is full.`, cause: e });
    case 'EISDIR':
      return new SwiftError({ kind: 'io', message: `${where}${err?.path ?? 'the path'} is a directory, not a file.`, cause: e });
  }
  const message = err?.message ?? String(e);
  return new SwiftError({ kind: 'network', message: `${where}${message}`, cause: e });
}
