// Manifest PUT with heartbeat. With `heartbeat=on` Swift answers 202 at once, sends whitespace while it HEADs every
// segment (so no proxy or load balancer times out on big manifests), then one JSON object whose "Response Status" is
// the real outcome. Without heartbeat a failure is a 400 with a text body. Both parsers are exported for the doctor.
import type { SwiftClient, TextResponse } from '../swift/client.ts';
import { SwiftError, toSwiftError, type ErrorKind } from '../swift/errors.ts';
import { decodeName } from '../swift/names.ts';
import { unquote } from '../swift/objects.ts';
import { retrying } from '../swift/retry.ts';
import { isDataEntry, type PutEntry } from './manifest.ts';

export interface HeartbeatResult {
  status: number;
  statusText: string;
  etag?: string;
  lastModified?: string;
  responseBody: string;
  errors: Array<[string, string]>;
}

/** Parses the body of a heartbeat manifest PUT (or a bulk/SLO delete): leading whitespace, then one JSON object. */
export function parseHeartbeatResult(text: string): HeartbeatResult {
  const trimmed = text.trim();
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(trimmed) as Record<string, unknown>;
  } catch {
    throw new SwiftError({ kind: 'server', message: 'Swift ended the manifest upload without a readable result (the heartbeat body is not JSON).', detail: trimmed.slice(0, 500) });
  }
  if (!data || typeof data !== 'object' || typeof data['Response Status'] !== 'string') {
    throw new SwiftError({ kind: 'server', message: 'Swift ended the manifest upload without a "Response Status".', detail: trimmed.slice(0, 500) });
  }
  const statusLine = data['Response Status'] as string;
  const m = /^(\d{3})\s*(.*)$/.exec(statusLine.trim());
  const errors: Array<[string, string]> = [];
  if (Array.isArray(data['Errors'])) {
    for (const e of data['Errors'] as unknown[]) {
      if (Array.isArray(e)) errors.push([String(e[0] ?? ''), String(e[1] ?? '')]);
    }
  }
  const etag = typeof data['Etag'] === 'string' ? unquote(data['Etag']) : undefined;
  const lastModified = typeof data['Last Modified'] === 'string' ? data['Last Modified'] : undefined;
  return {
    status: m ? Number(m[1]) : 0,
    statusText: m ? m[2]! : statusLine,
    ...(etag ? { etag } : {}),
    ...(lastModified ? { lastModified } : {}),
    responseBody: typeof data['Response Body'] === 'string' ? data['Response Body'] : '',
    errors,
  };
}

export interface SloBodyError {
  /** Segment path ("/container/object") when Swift named one. */
  path?: string;
  /** 0-based entry index when Swift named one ("Index 1: …"). */
  index?: number;
  reason: string;
}

/** Parses the text body of a non-heartbeat 400 to a manifest PUT. */
export function parseSloErrorBody(text: string): SloBodyError[] {
  const out: SloBodyError[] = [];
  for (const raw of text.replace(/<[^>]+>/g, '\n').split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || /^errors:?$/i.test(line)) continue;
    const idx = /^Index (\d+):\s*(.*)$/.exec(line);
    if (idx) {
      out.push({ index: Number(idx[1]), reason: idx[2]! });
      continue;
    }
    const seg = /^(\/.*?),\s*([^,]+)$/.exec(line);
    if (seg) {
      out.push({ path: seg[1]!, reason: seg[2]! });
      continue;
    }
    out.push({ reason: line });
  }
  return out;
}

function entryIndex(entries: PutEntry[], path: string): number {
  const variants = new Set([path, decodeName(path)]);
  return entries.findIndex((e) => !isDataEntry(e) && (variants.has(e.path) || variants.has('/' + e.path.replace(/^\/+/, ''))));
}

function kindFor(status: number, reasons: string[]): ErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 413) return 'too-large';
  if (status === 429 || status === 498) return 'rate-limited';
  if (status >= 500) return 'server';
  if (reasons.length && reasons.every((r) => /mismatch|not found|404/i.test(r))) return 'precondition';
  return 'invalid';
}

/** Builds the one-sentence error for a refused manifest, naming entry numbers. */
export function manifestError(container: string, object: string, status: number, statusText: string, problems: SloBodyError[], entries: PutEntry[], body = '', transId?: string): SwiftError {
  // Swift checks segments concurrently, so its error order varies; report in manifest order.
  const indexed = problems.map((p) => ({ p, i: p.index ?? (p.path !== undefined ? entryIndex(entries, p.path) : -1) }));
  indexed.sort((a, b) => (a.i < 0 ? Infinity : a.i) - (b.i < 0 ? Infinity : b.i));
  const parts = indexed.map(({ p, i }) => {
    // Swift percent-encodes the paths it names; show them as the user wrote them.
    const shownPath = p.path === undefined ? '' : decodeName(p.path);
    const where = i >= 0 ? `entry ${i + 1}${shownPath ? ` (${shownPath})` : ''}` : shownPath;
    return where ? `${where}: ${p.reason}` : p.reason;
  });
  const shown = parts.slice(0, 5).join('; ') + (parts.length > 5 ? `; and ${parts.length - 5} more` : '');
  const message = `Swift refused the manifest for ${container}/${object} (${status} ${statusText})${shown ? `: ${shown.replace(/\.$/, '')}.` : '.'}`;
  return new SwiftError({
    kind: kindFor(status, problems.map((p) => p.reason)),
    message,
    status,
    ...(transId ? { transId } : {}),
    ...(body || parts.length ? { detail: [parts.join('\n'), body].filter(Boolean).join('\n') } : {}),
  });
}

export interface PutManifestOptions {
  headers?: Record<string, string | undefined>;
  signal?: AbortSignal;
}

/** PUTs an SLO manifest and returns the SLO's ETag (unquoted) once Swift reports 201. */
export async function putManifest(
  client: SwiftClient,
  container: string,
  object: string,
  entries: PutEntry[],
  opts: PutManifestOptions = {},
): Promise<{ etag: string; status: number }> {
  const body = JSON.stringify(entries);
  // One budget for the PUT and the heartbeat outcome: a connection lost while the (minutes-long) heartbeat body
  // arrives is retried by the client, a 5xx inside the heartbeat result by this loop; sending the same manifest
  // again is safe (the same PUT, the same result).
  const attempts = client.attempts();
  return retrying(
    attempts,
    async () => {
      const res = await client.request({
        method: 'PUT',
        container,
        object,
        query: { 'multipart-manifest': 'put', heartbeat: 'on' },
        headers: { ...opts.headers, accept: 'application/json', 'content-length': String(Buffer.byteLength(body)) },
        body,
        // 400/413 carry the reasons in the body; read them here rather than as a generic error.
        ok: (s) => (s >= 200 && s < 300) || s === 400 || s === 413,
        attempts,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      return manifestOutcome(container, object, entries, res);
    },
    { signal: opts.signal, toError: (e) => toSwiftError(e, `Storing the manifest of ${container}/${object}`) },
  );
}

/** Swift's answer to a manifest PUT: the SLO's ETag, or the error naming the entries it refused. */
function manifestOutcome(container: string, object: string, entries: PutEntry[], res: TextResponse): { etag: string; status: number } {
  const transId = res.headers['x-trans-id'];
  if (res.status === 202) {
    const r = parseHeartbeatResult(res.text);
    if (r.status === 201 || r.status === 200) {
      if (!r.etag) throw new SwiftError({ kind: 'server', message: `Swift stored the manifest for ${container}/${object} but did not report its ETag.`, ...(transId ? { transId } : {}) });
      return { etag: r.etag, status: r.status };
    }
    // Carries r.status: a segment HEAD that failed on the server side (5xx) is retried by the policy, the rest is final.
    const problems: SloBodyError[] = r.errors.map(([path, reason]) => ({ path, reason }));
    if (!problems.length) problems.push(...parseSloErrorBody(r.responseBody));
    throw manifestError(container, object, r.status, r.statusText, problems, entries, r.responseBody, transId);
  }
  if (res.status >= 200 && res.status < 300) return { etag: unquote(res.headers['etag']), status: res.status };
  throw manifestError(container, object, res.status, res.status === 413 ? 'Request Entity Too Large' : 'Bad Request', parseSloErrorBody(res.text), entries, res.text, transId);
}
