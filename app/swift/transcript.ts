// Every request becomes a transcript entry. Secrets are redacted here, at the source, so nothing downstream
// (panels, logs, crash output, saved state) can leak them.

export interface TranscriptRecord {
  id: number;
  time: number;
  method: string;
  url: string;
  status: number | null;
  durationMs: number;
  transId?: string;
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string>;
  error?: string;
}

import { REDACTED, redactUrlCredentials } from './redact.ts';

export { REDACTED };

const SECRET_HEADERS = new Set([
  'x-auth-token', 'x-auth-key', 'x-storage-token', 'x-subject-token', 'x-storage-pass', 'authorization',
  'x-service-token', 'x-auth-new-token', 'x-container-sync-key',
]);
/** Temp-URL keys sign URLs for anyone: X-Account-Meta-Temp-URL-Key(-2), X-Container-Meta-Temp-URL-Key(-2). */
const TEMP_URL_KEY = /^x-(account|container)-meta-temp-url-key(-2)?$/i;

export function redactHeaders(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k] = SECRET_HEADERS.has(k.toLowerCase()) || TEMP_URL_KEY.test(k) ? REDACTED : v;
  return out;
}

/** Removes temp_url_sig-like secrets from query strings and credentials from the authority. */
export function redactUrl(url: string): string {
  return redactUrlCredentials(url).replace(/([?&](?:temp_url_sig|signature)=)[^&]*/gi, `$1${REDACTED}`);
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A curl command reproducing the request; the token stays redacted unless one is passed explicitly. */
export function toCurl(rec: TranscriptRecord, token?: string): string {
  const parts = ['curl', '-i'];
  if (rec.method === 'HEAD') parts.push('-I');
  else if (rec.method !== 'GET') parts.push('-X', rec.method);
  for (const [k, v] of Object.entries(rec.requestHeaders)) {
    if (k.toLowerCase() === 'content-length') continue;
    const value = v === REDACTED && token !== undefined && k.toLowerCase() === 'x-auth-token' ? token : v;
    parts.push('-H', shellQuote(`${k}: ${value}`));
  }
  if (rec.method === 'PUT' || rec.method === 'POST') parts.push('--data-binary', '@FILE');
  parts.push(shellQuote(rec.url));
  return parts.join(' ');
}

export class Transcript {
  private nextId = 1;
  private readonly listeners = new Set<(r: TranscriptRecord) => void>();
  private readonly ring: TranscriptRecord[] = [];
  constructor(private readonly keep = 2000) {}

  record(r: Omit<TranscriptRecord, 'id'>): TranscriptRecord {
    const rec: TranscriptRecord = { id: this.nextId++, ...r, requestHeaders: redactHeaders(r.requestHeaders), responseHeaders: redactHeaders(r.responseHeaders), url: redactUrl(r.url), ...(r.error !== undefined ? { error: redactUrlCredentials(r.error) } : {}) };
    this.ring.push(rec);
    if (this.ring.length > this.keep) this.ring.splice(0, this.ring.length - this.keep);
    for (const l of this.listeners) l(rec);
    return rec;
  }

  on(listener: (r: TranscriptRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(since = 0): TranscriptRecord[] {
    return this.ring.filter((r) => r.id > since);
  }

  get(id: number): TranscriptRecord | undefined {
    return this.ring.find((r) => r.id === id);
  }

  clear(): void {
    this.ring.length = 0;
  }
}
