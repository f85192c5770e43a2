// A small malicious HTTP server standing in for Swift in the security suite only: it plays an attacker (or a
// broken cluster), never Swift itself. It answers auth v1 with a storage URL pointing at itself and hands every
// other request to the test's handler.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = (req: IncomingMessage, res: ServerResponse, path: string) => void | Promise<void>;

export interface HostileServer {
  url: string;
  authUrl: string;
  storageUrl: string;
  requests: { method: string; url: string }[];
  stop(): Promise<void>;
}

export const HOSTILE_TOKEN = 'AUTH_tk_hostile';

export async function hostileServer(route: Route): Promise<HostileServer> {
  const requests: HostileServer['requests'] = [];
  let base = '';
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '' });
    if (req.url === '/auth/v1.0') {
      res.writeHead(200, { 'x-storage-url': `${base}/v1/AUTH_evil`, 'x-auth-token': HOSTILE_TOKEN, 'content-length': '0' }).end();
      return;
    }
    if (req.url?.startsWith('/info')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ swift: { version: '2.30.0', max_file_size: 5368709122 }, slo: { max_manifest_segments: 1000, max_manifest_size: 8388608, min_segment_size: 1 }, bulk_delete: {} }));
      return;
    }
    const path = decodeURIComponent((req.url ?? '').split('?')[0]!.replace(/^\/v1\/AUTH_evil/, ''));
    Promise.resolve(route(req, res, path)).catch(() => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    authUrl: `${base}/auth/v1.0`,
    storageUrl: `${base}/v1/AUTH_evil`,
    requests,
    stop: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
