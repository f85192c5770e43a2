// Maps an HTTP answer from Swift to a typed error with one human sentence.
import { SwiftError, type ErrorKind } from './errors.ts';

export interface FailedResponse {
  method: string;
  /** What the request was about, for the sentence: "container photos", "object photos/a.jpg", "the account". */
  what: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

function retryAfterMs(headers: Record<string, string>): number | undefined {
  const v = headers['retry-after'];
  if (!v) return undefined;
  const secs = Number(v);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

/** Swift error bodies are short HTML or text; keep the useful line. */
export function bodyDetail(body: string): string | undefined {
  const text = body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
  return text ? text.slice(0, 500) : undefined;
}

export function errorFromResponse(r: FailedResponse): SwiftError {
  const transId = r.headers['x-trans-id'] ?? r.headers['x-openstack-request-id'];
  const detail = bodyDetail(r.body);
  const s = r.status;
  let kind: ErrorKind;
  let message: string;
  switch (true) {
    case s === 401:
      kind = 'auth';
      message = `Swift did not accept the credentials for ${r.what} (401 Unauthorized).`;
      break;
    case s === 403:
      kind = 'auth';
      message = `Access to ${r.what} is forbidden for this account (403 Forbidden).`;
      break;
    case s === 404:
      kind = 'not-found';
      message = `${capitalize(r.what)} does not exist (404 Not Found).`;
      break;
    case s === 409:
      kind = 'conflict';
      message = r.method === 'DELETE' && r.what.startsWith('container')
        ? `${capitalize(r.what)} is not empty; delete its objects first (409 Conflict).`
        : `Swift reported a conflict on ${r.what} (409 Conflict)${detail ? `: ${detail}` : '.'}`;
      break;
    case s === 412:
      kind = 'precondition';
      message = `${capitalize(r.what)} changed on the server while we were reading it (412 Precondition Failed).`;
      break;
    case s === 422:
      kind = 'integrity';
      message = `Swift computed a different MD5 for ${r.what} than the one we sent: the data was corrupted on the way (422).`;
      break;
    case s === 413:
      kind = 'too-large';
      message = `${capitalize(r.what)} is too large for this cluster or exceeds a quota (413)${detail ? `: ${detail}` : '.'}`;
      break;
    case s === 507:
      kind = 'too-large';
      message = `The cluster has no space left for ${r.what} (507 Insufficient Storage).`;
      break;
    case s === 429 || s === 498:
      kind = 'rate-limited';
      message = `Swift is rate-limiting requests to ${r.what} (${s}); slow down and try again.`;
      break;
    case s === 400 || s === 411 || s === 416:
      kind = 'invalid';
      message = `Swift rejected the request for ${r.what} (${s})${detail ? `: ${detail}` : '.'}`;
      break;
    case s === 503:
      // What a proxy answers when too few storage servers (fewer than a quorum of replicas, for a write) answered.
      kind = 'server';
      message = `Swift could not reach enough storage servers for ${r.what} (503 Service Unavailable): part of the cluster is down or overloaded; try again once it has recovered.`;
      break;
    case s >= 500:
      kind = 'server';
      message = `The Swift cluster failed while handling ${r.what} (${s}).`;
      break;
    default:
      kind = 'server';
      message = `Unexpected answer ${s} from Swift for ${r.what}.`;
  }
  return new SwiftError({ kind, message, status: s, transId, method: r.method, path: r.what, detail, retryAfterMs: retryAfterMs(r.headers) });
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Network-level failures from undici/node that are worth retrying. */
export function networkError(e: unknown, what: string): SwiftError {
  const err = e as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err?.code ?? err?.cause?.code;
  let message: string;
  switch (code) {
    case 'ECONNREFUSED':
      message = `Could not connect to the Swift endpoint for ${what}: connection refused. Is the cluster running and the URL right?`;
      break;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      message = `Could not resolve the host name of the Swift endpoint for ${what}.`;
      break;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      message = `The connection was reset while talking to Swift about ${what}.`;
      break;
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      message = `Swift did not answer in time about ${what}.`;
      break;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'CERT_HAS_EXPIRED':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return new SwiftError({
        kind: 'network',
        message: `The TLS certificate of the Swift endpoint could not be verified (${code}). Add its CA file, or — only if you trust this network — allow insecure TLS explicitly.`,
        detail: err?.message,
        cause: e,
      });
    default:
      message = `Network error talking to Swift about ${what}: ${err?.message ?? String(e)}.`;
  }
  return new SwiftError({ kind: 'network', message, detail: code, cause: e });
}
