// A local stand-in for Swift that costs (almost) nothing, so the client-only bench case shows the client's own
// ceiling apart from Swift's. It keeps metadata only and never hashes a byte:
//   - PUTs are read and thrown away; a segment's answer ETag is looked up in the table of the bench file's segment
//     MD5s by its index (the last 8-digit path component) and size — the bytes are the bench file's by construction.
//     A PUT that matches nothing there is hashed (small bodies: the manifest) so the answer is still honest.
//   - A manifest PUT (?multipart-manifest=put) stores the entries and answers MD5 of the concatenated ETags.
//   - GETs serve the bench file's bytes from memory (whole or Range), an SLO's manifest (?multipart-manifest=get),
//     a container listing (format=json, prefix), and GET /info (the sandbox's limits).
// One object is there from the start: <account>/sink/dl, an SLO over the bench file's segments, for downloads.
// Usage: node bin/run.mjs bench/sink.ts --file F --segment-size S --md5s M1,M2,… [--stdin-lifeline]; prints {"port":N}.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

interface Stored {
  size: number;
  etag: string;
  contentType: string;
  /** Where the bytes are in the bench file, when they are known. */
  offset?: number;
  /** An SLO's entries, GET format. */
  manifest?: Array<{ name: string; hash: string; bytes: number; content_type: string; last_modified: string }>;
}

const INFO = {
  swift: { version: 'sink', max_file_size: 5368709122, max_meta_name_length: 128, max_meta_value_length: 256, max_meta_count: 90, max_meta_overall_size: 4096, max_header_size: 8192, max_object_name_length: 1024, container_listing_limit: 10000, account_listing_limit: 10000, max_account_name_length: 256, max_container_name_length: 256, extra_header_count: 0 },
  slo: { max_manifest_segments: 1000, max_manifest_size: 8388608, yield_frequency: 10, min_segment_size: 1, allow_async_delete: false },
};
const LAST_MODIFIED = new Date().toUTCString();

function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || !process.argv[i + 1]) throw new Error(`--${name} is required`);
  return process.argv[i + 1]!;
}

const data = readFileSync(arg('file'));
const segmentSize = Number(arg('segment-size'));
const md5s = arg('md5s').split(',');
const sloEtag = (etags: string[]) => createHash('md5').update(etags.join('')).digest('hex');

const containers = new Set<string>(['sink', 'sink_segments']);
const objects = new Map<string, Stored>(); // "container/object"
const seedEntries = md5s.map((hash, i) => {
  const name = `sink_segments/dl/${String(i).padStart(8, '0')}`;
  const bytes = Math.min(segmentSize, data.length - i * segmentSize);
  objects.set(name, { size: bytes, etag: hash, contentType: 'application/octet-stream', offset: i * segmentSize });
  return { name: `/${name}`, hash, bytes, content_type: 'application/octet-stream', last_modified: '2026-01-01T00:00:00.000000' };
});
objects.set('sink/dl', { size: data.length, etag: sloEtag(md5s), contentType: 'application/octet-stream', offset: 0, manifest: seedEntries });

/** The known segment a PUT of `size` bytes at `path` should be: by its trailing index, else undefined. */
function knownSegment(path: string, size: number): { etag: string; offset: number } | undefined {
  const m = /\/(\d{8})$/.exec(path);
  if (!m) return undefined;
  const i = Number(m[1]);
  const bytes = Math.min(segmentSize, data.length - i * segmentSize);
  return i < md5s.length && bytes === size ? { etag: md5s[i]!, offset: i * segmentSize } : undefined;
}

function headersOf(o: Stored): Record<string, string> {
  const h: Record<string, string> = { 'content-type': o.contentType, etag: `"${o.etag}"`, 'last-modified': LAST_MODIFIED, 'x-timestamp': '1700000000.00000', 'accept-ranges': 'bytes', 'x-trans-id': 'txsink' };
  if (o.manifest) h['x-static-large-object'] = 'True';
  return h;
}

function send(res: ServerResponse, status: number, headers: Record<string, string | number>, body?: Buffer | string): void {
  const b = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { 'x-trans-id': 'txsink', ...headers, 'content-length': b ? b.length : 0 });
  res.end(b);
}

function putObject(req: IncomingMessage, res: ServerResponse, key: string, query: URLSearchParams): void {
  const manifestPut = query.get('multipart-manifest') === 'put';
  let size = 0;
  const small: Buffer[] = [];
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size <= 16 * 1024 * 1024) small.push(c);
  });
  req.on('end', () => {
    const contentType = req.headers['content-type'] ?? 'application/octet-stream';
    if (manifestPut) {
      const entries = JSON.parse(Buffer.concat(small).toString('utf8')) as Array<{ path: string; etag?: string; size_bytes?: number }>;
      const manifest = entries.map((e) => {
        const seg = objects.get(e.path.slice(1));
        return { name: e.path, hash: e.etag ?? seg?.etag ?? '', bytes: e.size_bytes ?? seg?.size ?? 0, content_type: seg?.contentType ?? 'application/octet-stream', last_modified: '2026-01-01T00:00:00.000000' };
      });
      const o: Stored = { size: manifest.reduce((s, e) => s + e.bytes, 0), etag: sloEtag(manifest.map((e) => e.hash)), contentType, manifest };
      objects.set(key, o);
      return send(res, 201, { etag: `"${o.etag}"` });
    }
    const known = knownSegment(key, size);
    const etag = known?.etag ?? createHash('md5').update(Buffer.concat(small)).digest('hex');
    objects.set(key, { size, etag, contentType, ...(known ? { offset: known.offset } : {}) });
    send(res, 201, { etag: `"${etag}"` });
  });
}

function getObject(req: IncomingMessage, res: ServerResponse, o: Stored, query: URLSearchParams): void {
  if (o.manifest && query.get('multipart-manifest') === 'get') {
    const body = query.get('format') === 'raw' ? o.manifest.map((e) => ({ path: e.name, etag: e.hash, size_bytes: e.bytes })) : o.manifest;
    return send(res, 200, { ...headersOf(o), 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(body));
  }
  if (o.offset === undefined) return send(res, 503, {}, 'the sink does not hold these bytes');
  let start = 0;
  let end = o.size - 1;
  const range = /^bytes=(\d*)-(\d*)$/.exec(String(req.headers['range'] ?? ''));
  if (range) {
    start = range[1] ? Number(range[1]) : o.size - Number(range[2]);
    end = range[1] && range[2] ? Math.min(Number(range[2]), o.size - 1) : o.size - 1;
  }
  const body = data.subarray(o.offset + start, o.offset + end + 1);
  const h: Record<string, string> = headersOf(o);
  if (range) h['content-range'] = `bytes ${start}-${end}/${o.size}`;
  send(res, range ? 206 : 200, h, body);
}

function listing(res: ServerResponse, container: string, query: URLSearchParams): void {
  const prefix = query.get('prefix') ?? '';
  const marker = query.get('marker') ?? '';
  const rows = [...objects.entries()]
    .filter(([k]) => k.startsWith(`${container}/${prefix}`) && k.slice(container.length + 1) > marker)
    .map(([k, o]) => ({ name: k.slice(container.length + 1), bytes: o.size, hash: o.etag, content_type: o.contentType, last_modified: '2026-01-01T00:00:00.000000' }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  if (!rows.length) return send(res, 204, {});
  send(res, 200, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(rows));
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://sink');
  if (url.pathname === '/info') return send(res, 200, { 'content-type': 'application/json' }, JSON.stringify(INFO));
  const parts = url.pathname.split('/').slice(1); // v1, AUTH_x, container, object…
  if (parts[0] !== 'v1' || !parts[1]) return send(res, 404, {});
  const container = parts[2] ? decodeURIComponent(parts[2]) : undefined;
  const object = parts.length > 3 ? decodeURIComponent(parts.slice(3).join('/')) : undefined;
  const m = req.method ?? 'GET';
  if (!container) return send(res, 204, { 'x-account-container-count': containers.size });
  if (object === undefined) {
    if (m === 'PUT') {
      const isNew = !containers.has(container);
      containers.add(container);
      return send(res, isNew ? 201 : 202, {});
    }
    if (!containers.has(container)) return send(res, 404, {});
    if (m === 'GET') return listing(res, container, url.searchParams);
    return send(res, 204, { 'x-container-object-count': 0, 'x-container-bytes-used': 0 });
  }
  const key = `${container}/${object}`;
  if (m === 'PUT') return putObject(req, res, key, url.searchParams);
  const o = objects.get(key);
  if (m === 'DELETE') {
    objects.delete(key);
    return send(res, o ? 204 : 404, {});
  }
  if (!o) return send(res, 404, {});
  if (m === 'HEAD') {
    res.writeHead(200, { ...headersOf(o), 'content-length': o.size });
    return res.end();
  }
  getObject(req, res, o, url.searchParams);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const a = server.address();
  process.stdout.write(JSON.stringify({ port: typeof a === 'object' && a ? a.port : 0 }) + '\n');
});
if (process.argv.includes('--stdin-lifeline')) {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}
