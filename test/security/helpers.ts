// Helpers for the security suite: an in-memory host platform for the shared handlers, and a capture server that
// plays an attacker's endpoint (it records what it is sent and answers 401, like a server that wants a key).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HostPlatform, SecretStore } from '../../app/rpc/handlers.ts';

export function memorySecrets(): SecretStore & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    async get(k) { return values.get(k); },
    async set(k, v) { values.set(k, v); },
    async delete(k) { values.delete(k); },
  };
}

export function memoryPlatform(dataDir: string): HostPlatform {
  return {
    info: { mode: 'browser', version: 'test', platform: process.platform, nativeDialogs: false, secretStorage: 'memory' },
    dataDir,
    secrets: memorySecrets(),
    hostPaths: false,
    broadcast() {},
  };
}

export interface CaptureServer {
  url: string;
  requests: { method: string; url: string; headers: IncomingHttpHeaders }[];
  /** Every header value and URL received, joined: grep it for a secret. */
  seen(): string;
  stop(): Promise<void>;
}

export async function captureServer(): Promise<CaptureServer> {
  const requests: CaptureServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    res.writeHead(401, { 'content-type': 'text/plain' }).end('who are you?');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    seen: () => JSON.stringify(requests),
    stop: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
