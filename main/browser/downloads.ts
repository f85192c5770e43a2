// Downloads in browser mode: the studio handlers register a writer per transfer (via HostPlatform.serveDownload);
// GET /<token>/download/<transferId> runs it into the HTTP response. A writer that throws aborts the response, so the
// browser marks the download failed instead of saving a truncated file.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename } from 'node:path';
import { encodeComponent } from '../../app/domain/names.ts';
import { SwiftError } from '../../app/swift/errors.ts';

export type DownloadWriter = (sink: NodeJS.WritableStream, signal: AbortSignal) => Promise<void>;
export interface DownloadMeta {
  name: string;
  /** Bytes the response will carry; negative when unknown (then the response is chunked). */
  size: number;
}
interface Entry {
  write: DownloadWriter;
  meta: DownloadMeta;
}

export class DownloadRegistry {
  readonly #entries = new Map<string, Entry>();

  /** Registering an id again replaces its writer (e.g. after a resume). */
  registerDownload(transferId: string, write: DownloadWriter, meta: DownloadMeta): void {
    this.#entries.set(transferId, { write, meta });
  }

  unregister(transferId: string): void {
    this.#entries.delete(transferId);
  }

  has(transferId: string): boolean {
    return this.#entries.has(transferId);
  }

  /** Serves one download; answers false when the id is unknown (the caller then sends 404). */
  async serve(transferId: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const entry = this.#entries.get(transferId);
    if (!entry) return false;
    const controller = new AbortController();
    // The browser cancelled the download or went away: stop reading from Swift.
    res.on('close', () => {
      if (!res.writableFinished) controller.abort(new SwiftError({ kind: 'cancelled', message: 'The browser cancelled the download.' }));
    });
    req.on('error', () => undefined);
    const known = entry.meta.size >= 0 && Number.isSafeInteger(entry.meta.size);
    // A writer that delivers more or fewer bytes than announced must fail loudly, not leave the browser waiting.
    res.strictContentLength = known;
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': contentDisposition(entry.meta.name),
      ...(known ? { 'Content-Length': String(entry.meta.size) } : {}),
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    try {
      await entry.write(res, controller.signal);
      if (!res.writableEnded) res.end();
    } catch {
      // Tear the connection down without the final chunk / with bytes missing: the browser sees a failed download.
      res.destroy();
    }
    return true;
  }
}

/** `attachment` with an ASCII fallback and the exact UTF-8 name as RFC 5987 `filename*`. */
export function contentDisposition(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this strips
  const clean = basename(name.replaceAll('\\', '/')).replace(/[\u0000-\u001f\u007f]/g, '') || 'download';
  const ascii = clean.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeComponent(clean).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
