// The one place where call inputs are decoded. Both hosts (Electron IPC, browser-mode WebSocket) hand every request
// here, so a handler only ever sees params that passed its zod schema, and a caller only ever sees an ErrorValue —
// never a stack trace.
import type { z } from 'zod';
import { calls, isCallName, type ErrorValue, type RpcResponse } from './contract.ts';
import type { CallContext, Handlers } from './handlers.ts';
import { toSwiftError } from '../swift/errors.ts';

/** An RpcResponse before the transport puts the request id back on it. */
export type RpcResult = { ok: true; result: unknown } | { ok: false; error: ErrorValue };

export type { RpcResponse };

type AnyHandler = (args: unknown, ctx: CallContext) => Promise<unknown>;

export async function dispatch(handlers: Handlers, method: string, params: unknown, ctx: CallContext): Promise<RpcResult> {
  if (typeof method !== 'string' || !isCallName(method)) {
    return invalid(`There is no call named "${clip(String(method), 80)}".`);
  }
  // JSON drops `params: undefined`; calls without arguments are sent that way.
  const parsed = calls[method].input.safeParse(params === undefined ? {} : params);
  if (!parsed.success) {
    return invalid(`The parameters of "${method}" are not valid: ${describeIssues(parsed.error.issues)}.`);
  }
  try {
    const handler = handlers[method] as AnyHandler;
    return { ok: true, result: await handler(parsed.data, ctx) };
  } catch (e) {
    return { ok: false, error: toSwiftError(e).toJSON() };
  }
}

/** "container: Too small…; limit: Expected number, received string" — paths joined with dots, `params` at the root. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.slice(0, 8).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.map((p) => String(p)).join('.') : 'params';
    return `${where}: ${issue.message}`;
  });
  if (issues.length > 8) parts.push(`and ${issues.length - 8} more`);
  return parts.join('; ');
}

function invalid(message: string): RpcResult {
  return { ok: false, error: { kind: 'invalid', message } };
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
