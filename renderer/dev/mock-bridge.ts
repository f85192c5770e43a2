// Development aid, not part of the app bundle: a fake `window.sloStudio` bridge with synthetic data
// (100,000 objects, manifests with 10 / 1,500 / 5,000 segments, nested manifests, a verify mismatch,
// running and interrupted transfers). Bundle it with esbuild into an IIFE and inject it before the app
// loads (Playwright `page.addInitScript({ path })`) to look at every screen without a Swift cluster.
//
//   npx esbuild renderer/dev/mock-bridge.ts --bundle --format=iife --outfile=test-results/mock-bridge.js
import { encodeComponent } from '../../app/rpc/contract.ts';
import type {
  CallName,
  CallOutput,
  ContainerEntry,
  FlatSegment,
  InspectResult,
  ManifestNode,
  ObjectEntry,
  ProfileSummary,
  RpcEvent,
  RpcResponse,
  TransferInfo,
  TranscriptEntry,
} from '../../app/rpc/contract.ts';

type Listener = (ev: RpcEvent) => void;
const listeners = new Set<Listener>();
const emit = (event: string, payload: unknown) => {
  for (const l of listeners) l({ event, payload });
};

const MiB = 1024 * 1024;
const now = Date.now();
const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '');

const profiles: ProfileSummary[] = [
  { id: 'sandbox', name: 'Local sandbox', authType: 'v1', endpoint: 'http://127.0.0.1:8080/auth/v1.0', identity: 'test:tester', insecure: false, sandbox: true, hasSecret: true },
  {
    id: 'prod',
    name: 'Production (region one)',
    authType: 'keystone-password',
    endpoint: 'https://keystone.example.com:5000/v3',
    identity: 'ops @ storage',
    insecure: false,
    sandbox: false,
    hasSecret: true,
  },
];

const capabilities = {
  slo: { maxManifestSegments: 1000, maxManifestSize: 8 * MiB, minSegmentSize: 1 },
  maxFileSize: 5 * 1024 * MiB,
  maxObjectNameLength: 1024,
  maxContainerNameLength: 256,
  containerListingLimit: 10000,
  bulkDelete: true,
  dlo: true,
  swiftVersion: '2.35.0',
  maxNestingDepth: 10,
};

let connected: CallOutput<'connection.current'> = null;
const connState = (profileId: string): NonNullable<CallOutput<'connection.current'>> => ({
  profileId,
  profileName: profiles.find((p) => p.id === profileId)?.name ?? profileId,
  storageUrl: 'http://127.0.0.1:8080/v1/AUTH_test',
  account: 'AUTH_test',
  capabilities,
  warnings: [],
});

function etag(seed: number): string {
  // xorshift32: deterministic, realistic-looking hex.
  let x = (seed * 2654435761 + 0x9e3779b9) >>> 0 || 1;
  let s = '';
  for (let i = 0; i < 32; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    s += (x % 16).toString(16);
  }
  return s;
}

function manifest(name: string, count: number, segSize: number, subEvery = 0): InspectResult {
  const segments: FlatSegment[] = [];
  let off = 0;
  for (let i = 0; i < count; i++) {
    const size = i === count - 1 ? Math.max(1, Math.round(segSize * 0.37)) : segSize;
    const sub = subEvery ? Math.floor(i / subEvery) : -1;
    segments.push({
      index: i,
      path: `media_segments/${name}/1700000000.000000/${count * segSize}/${segSize}/${String(i).padStart(8, '0')}`,
      offset: off,
      size,
      segmentSize: size,
      etag: etag(i + name.length * 7919),
      via: sub >= 0 ? [`media_segments/${name}/sub/${String(sub).padStart(3, '0')}`] : [],
    });
    off += size;
  }
  let tree: ManifestNode[];
  if (subEvery) {
    const groups = new Map<string, FlatSegment[]>();
    for (const s of segments) groups.set(s.via[0]!, [...(groups.get(s.via[0]!) ?? []), s]);
    tree = [...groups].map(([path, segs]) => ({
      path,
      size: segs.reduce((a, s) => a + s.size, 0),
      etag: etag(path.length),
      kind: 'sub-slo' as const,
      children: segs.map((s) => ({ path: s.path, size: s.size, etag: s.etag, kind: 'segment' as const })),
    }));
  } else {
    tree = segments.map((s) => ({ path: s.path, size: s.size, etag: s.etag, kind: 'segment' as const }));
  }
  return {
    container: 'media',
    object: name,
    kind: 'slo',
    size: off,
    contentType: 'application/octet-stream',
    lastModified: iso(now - 3600_000),
    etag: etag(count),
    computedEtag: name === 'tampered.bin' ? etag(count + 1) : etag(count),
    etagMatches: name !== 'tampered.bin',
    manifestEtag: etag(count * 3),
    segmentCount: count,
    depth: subEvery ? 2 : 1,
    segments,
    tree,
    raw: tree.map((n) => ({ path: '/' + n.path, etag: n.etag, size_bytes: n.size, ...(n.kind === 'sub-slo' ? { sub_slo: true } : {}) })),
    notes: name === 'tampered.bin' ? ['The manifest was rewritten after upload (X-Manifest-Etag changed).'] : [],
  };
}

const manifests: Record<string, InspectResult> = {
  'big.iso': manifest('big.iso', 10, 100 * MiB),
  'videos/raw-footage.mov': manifest('raw-footage.mov', 1500, 8 * MiB),
  'backups/db-2024.tar': manifest('db-2024.tar', 2400, 4 * MiB, 1000),
  'giant.raw': manifest('giant.raw', 5000, 2 * MiB),
  'tampered.bin': manifest('tampered.bin', 24, 5 * MiB),
};

const mediaObjects: ObjectEntry[] = [
  { type: 'folder', name: 'backups/' },
  { type: 'folder', name: 'photos/' },
  { type: 'folder', name: 'videos/' },
  { type: 'object', name: 'big.iso', bytes: manifests['big.iso']!.size, hash: etag(1), contentType: 'application/x-iso9660-image', lastModified: iso(now - 86400_000), kind: 'slo' },
  { type: 'object', name: 'giant.raw', bytes: manifests['giant.raw']!.size, hash: etag(2), contentType: 'application/octet-stream', lastModified: iso(now - 7200_000), kind: 'slo' },
  { type: 'object', name: 'legacy-dlo.img', bytes: 0, hash: etag(3), contentType: 'application/octet-stream', lastModified: iso(now - 86400_000 * 40), kind: 'dlo' },
  { type: 'object', name: 'notes.txt', bytes: 4213, hash: etag(4), contentType: 'text/plain', lastModified: iso(now - 600_000), kind: 'plain' },
  { type: 'object', name: 'tampered.bin', bytes: manifests['tampered.bin']!.size, hash: etag(5), contentType: 'application/octet-stream', lastModified: iso(now - 5000_000), kind: 'unknown' },
  { type: 'object', name: 'unknown-kind.dat', bytes: 52_428_800, hash: etag(6), contentType: 'application/octet-stream', lastModified: iso(now - 5000_000), kind: 'unknown' },
];
const folderObjects: Record<string, ObjectEntry[]> = {
  'backups/': [
    { type: 'object', name: 'backups/db-2024.tar', bytes: manifests['backups/db-2024.tar']!.size, hash: etag(7), contentType: 'application/x-tar', lastModified: iso(now - 3 * 86400_000), kind: 'slo' },
  ],
  'videos/': [
    { type: 'object', name: 'videos/raw-footage.mov', bytes: manifests['videos/raw-footage.mov']!.size, hash: etag(8), contentType: 'video/quicktime', lastModified: iso(now - 9 * 86400_000), kind: 'slo' },
  ],
  'photos/': Array.from({ length: 40 }, (_, i) => ({
    type: 'object' as const,
    name: `photos/IMG_${String(1000 + i)}.jpg`,
    bytes: 2_000_000 + i * 31_337,
    hash: etag(100 + i),
    contentType: 'image/jpeg',
    lastModified: iso(now - i * 3600_000),
    kind: 'plain' as const,
  })),
};

const LOGS = 100_000;
const logName = (i: number) => `logs/2024/app-${String(i).padStart(6, '0')}.log.gz`;

let containers: ContainerEntry[] = [
  { name: 'media', count: 52, bytes: Object.values(manifests).reduce((a, m) => a + m.size, 0) },
  { name: 'logs', count: LOGS, bytes: LOGS * 81_234 },
  { name: 'media_segments', count: 8934, bytes: Object.values(manifests).reduce((a, m) => a + m.size, 0) },
  { name: 'scratch', count: 0, bytes: 0 },
];

function listObjects(container: string, prefix: string, marker: string | undefined, limit: number) {
  let all: ObjectEntry[];
  if (container === 'media') all = prefix === '' ? mediaObjects : Object.entries(folderObjects).flatMap(([p, list]) => (prefix.startsWith(p) ? list : []));
  else if (container === 'logs') {
    if (prefix === '' || prefix === 'logs/') {
      all = [{ type: 'folder', name: prefix === '' ? 'logs/' : 'logs/2024/' }];
    } else {
      // Generated lazily: pages of the 100,000 objects.
      let start = 0;
      if (marker) start = Number(/app-(\d+)/.exec(marker)?.[1] ?? -1) + 1;
      const out: ObjectEntry[] = [];
      for (let i = start; i < LOGS && out.length < limit; i++) {
        const name = logName(i);
        if (!name.startsWith(prefix)) continue;
        out.push({ type: 'object', name, bytes: 60_000 + ((i * 7919) % 50_000), hash: etag(i), contentType: 'application/gzip', lastModified: iso(now - i * 60_000), kind: 'plain' });
      }
      const last = out[out.length - 1];
      return { entries: out, nextMarker: out.length === limit && last && last.name !== logName(LOGS - 1) ? last.name : null };
    }
  } else all = [];
  all = all.filter((e) => e.name.startsWith(prefix) && (!marker || e.name > marker));
  return { entries: all.slice(0, limit), nextMarker: all.length > limit ? all[limit - 1]!.name : null };
}

let tid = 0;
const transcript: TranscriptEntry[] = [];
function log(method: string, path: string, status: number | null, ms: number) {
  const e: TranscriptEntry = {
    id: ++tid,
    time: Date.now(),
    method,
    url: `http://127.0.0.1:8080/v1/AUTH_test${path}`,
    status,
    durationMs: ms,
    transId: `tx${etag(tid).slice(0, 21)}-00${(Date.now() / 1000).toString(16).slice(0, 8)}`,
    requestHeaders: { 'X-Auth-Token': '<redacted>', 'User-Agent': 'slo-studio/0.1.0' },
    responseHeaders: { 'Content-Type': 'application/json; charset=utf-8', 'X-Trans-Id': 'tx…' },
    ...(status === null ? { error: 'connect ECONNREFUSED' } : {}),
  };
  transcript.push(e);
  emit('transcript.entry', e);
}

const transfers = new Map<string, TransferInfo>();
function addTransfer(t: TransferInfo) {
  transfers.set(t.id, t);
}
addTransfer({
  id: 't-run',
  direction: 'upload',
  state: 'running',
  container: 'media',
  object: 'ubuntu-24.04-desktop-amd64.iso',
  local: 'ubuntu-24.04-desktop-amd64.iso',
  totalBytes: 120 * 50 * MiB,
  doneBytes: 0,
  rateBps: 84 * MiB,
  etaSeconds: 70,
  segmentSize: 50 * MiB,
  segments: 'p'.repeat(120),
  resentBytes: 0,
  startedAt: now - 5000,
  updatedAt: now,
});
addTransfer({
  id: 't-int',
  direction: 'upload',
  state: 'interrupted',
  container: 'media',
  object: 'backups/vm-disk.qcow2',
  local: '/home/ops/vm-disk.qcow2',
  totalBytes: 3200 * 10 * MiB,
  doneBytes: 1210 * 10 * MiB,
  rateBps: 0,
  etaSeconds: null,
  segmentSize: 10 * MiB,
  segments: 'v'.repeat(1210) + 'f'.repeat(3) + 'p'.repeat(1987),
  resentBytes: 20 * MiB,
  startedAt: now - 86400_000,
  updatedAt: now - 86000_000,
});
addTransfer({
  id: 't-done',
  direction: 'download',
  state: 'done',
  container: 'media',
  object: 'big.iso',
  local: 'big.iso',
  totalBytes: manifests['big.iso']!.size,
  doneBytes: manifests['big.iso']!.size,
  rateBps: 0,
  etaSeconds: 0,
  segmentSize: 100 * MiB,
  segments: 'v'.repeat(10),
  resentBytes: 0,
  result: { etag: etag(10), verified: true, message: 'verified ✓ — every segment checked against its manifest ETag' },
  startedAt: now - 60_000,
  updatedAt: now - 30_000,
});
addTransfer({
  id: 't-fail',
  direction: 'upload',
  state: 'failed',
  container: 'media',
  object: 'photos/panorama.tiff',
  local: 'panorama.tiff',
  totalBytes: 900 * MiB,
  doneBytes: 300 * MiB,
  rateBps: 0,
  etaSeconds: null,
  segmentSize: 100 * MiB,
  segments: 'vvvfpppp' + 'p',
  resentBytes: 0,
  error: { kind: 'server', message: 'Swift answered 503 Service Unavailable for segment 3 after 5 attempts', status: 503, transId: 'tx8f1c2d3e4b5a69788-0065a1b2c3' },
  startedAt: now - 600_000,
  updatedAt: now - 500_000,
});

// Animate the running upload.
setInterval(() => {
  const t = transfers.get('t-run');
  if (!t || t.state !== 'running') return;
  const segs = t.segments.split('');
  const firstP = segs.indexOf('p');
  for (let i = 0; i < segs.length; i++) if (segs[i] === 's' && Math.random() < 0.5) segs[i] = 'v';
  let sending = segs.filter((c) => c === 's').length;
  for (let i = firstP; i >= 0 && i < segs.length && sending < 6; i++) {
    if (segs[i] === 'p') {
      segs[i] = 's';
      sending++;
    }
  }
  const done = segs.filter((c) => c === 'v').length;
  const next: TransferInfo = {
    ...t,
    segments: segs.join(''),
    doneBytes: done * t.segmentSize,
    etaSeconds: Math.max(0, (t.totalBytes - done * t.segmentSize) / t.rateBps),
    updatedAt: Date.now(),
    ...(done === segs.length ? { state: 'done' as const, result: { etag: etag(99), verified: true, message: 'verified ✓' } } : {}),
  };
  transfers.set(t.id, next);
  emit('transfer.update', next);
}, 700);

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Loose on purpose: this fake trusts the app to send what the contract says.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function handle(method: CallName, p: any): Promise<unknown> {
  switch (method) {
    case 'host.info':
      return { mode: 'browser', version: '0.1.0-mock', platform: 'linux', nativeDialogs: false, secretStorage: 'Mock bridge: secrets are kept in memory only.' };
    case 'profiles.list':
      return { profiles, lastUsed: 'sandbox' };
    case 'profiles.save':
      return profiles[0];
    case 'profiles.remove':
      return { removed: true };
    case 'profiles.test':
      await delay(400);
      return { ok: true, message: 'Authenticated; 4 containers.', account: 'AUTH_test' };
    case 'connection.open':
      await delay(300);
      connected = connState(p.profileId);
      log('GET', '/auth/v1.0', 200, 12);
      return connected;
    case 'connection.openSandbox':
      await delay(300);
      connected = connState('sandbox');
      return connected;
    case 'connection.current':
      return connected;
    case 'connection.close':
      connected = null;
      return { closed: true };
    case 'sandbox.status':
      return { state: 'running', authUrl: 'http://127.0.0.1:8080/auth/v1.0', problems: [] };
    case 'containers.list':
      log('GET', '/?format=json', 200, 9);
      return { containers: p.hideSegments ? containers.filter((c) => !c.name.endsWith('_segments')) : containers };
    case 'containers.create':
      containers = [...containers, { name: p.container, count: 0, bytes: 0 }].sort((a, b) => a.name.localeCompare(b.name));
      return { created: true };
    case 'containers.delete':
      if ((containers.find((c) => c.name === p.container)?.count ?? 0) > 0) {
        throw { kind: 'conflict', message: `Container ${p.container} is not empty.`, status: 409, transId: 'txabc123-0065a1' };
      }
      containers = containers.filter((c) => c.name !== p.container);
      return { deleted: true };
    case 'objects.list': {
      await delay(60);
      log('GET', `/${p.container}?format=json&prefix=${encodeComponent(p.prefix ?? '')}&delimiter=/`, 200, 23);
      return listObjects(p.container, p.prefix ?? '', p.marker, p.limit ?? 1000);
    }
    case 'objects.stat': {
      await delay(80);
      log('HEAD', `/${p.container}/${p.object}`, 200, 7);
      const kind = manifests[p.object] ? 'slo' : 'plain';
      return { container: p.container, object: p.object, kind, size: 1, etag: etag(1), contentType: 'application/octet-stream', lastModified: iso(now), metadata: {}, headers: {} };
    }
    case 'objects.delete': {
      await delay(300);
      const m = manifests[p.object];
      return {
        kind: m ? 'slo' : 'plain',
        deleted: m ? m.segmentCount + 1 : 1,
        notFound: 0,
        errors: [],
        summary: m ? `Deleted the manifest and ${m.segmentCount} segments.` : 'Deleted 1 object.',
      };
    }
    case 'slo.inspect': {
      await delay(120);
      log('GET', `/${p.container}/${p.object}?multipart-manifest=get&format=raw`, 200, 31);
      const m = manifests[p.object];
      if (m) return { ...m, container: p.container, object: p.object };
      if (p.object === 'legacy-dlo.img') {
        return {
          container: p.container,
          object: p.object,
          kind: 'dlo',
          size: 30 * MiB,
          contentType: 'application/octet-stream',
          lastModified: iso(now),
          etag: etag(3),
          segmentCount: 3,
          depth: 1,
          segments: [0, 1, 2].map((i) => ({ index: i, path: `media_segments/legacy/${i}`, offset: i * 10 * MiB, size: 10 * MiB, segmentSize: 10 * MiB, etag: etag(i), via: [] })),
          tree: [],
          dlo: { container: 'media_segments', prefix: 'legacy/' },
          notes: ['Dynamic Large Objects list their segments by prefix at read time; the set can change.'],
        };
      }
      if (p.object === 'missing.bin') throw { kind: 'not-found', message: 'media/missing.bin does not exist', status: 404, transId: 'tx404-abc' };
      return {
        container: p.container,
        object: p.object,
        kind: 'plain',
        size: 4213,
        contentType: 'text/plain',
        lastModified: iso(now),
        etag: etag(4),
        segmentCount: 0,
        depth: 0,
        segments: [],
        tree: [],
        notes: [],
      };
    }
    case 'slo.verify': {
      await delay(700);
      const m = manifests[p.object]!;
      const bad = new Map<number, 'missing' | 'size-mismatch' | 'etag-mismatch'>(
        p.object === 'tampered.bin' ? [[3, 'missing'], [7, 'size-mismatch'], [15, 'etag-mismatch']] : [],
      );
      const segments = m.segments.map((s: FlatSegment) => {
        const status = bad.get(s.index) ?? 'ok';
        return {
          index: s.index,
          path: s.path,
          status,
          expectedSize: s.size,
          actualSize: status === 'missing' ? null : status === 'size-mismatch' ? s.size - 1024 : s.size,
          expectedEtag: s.etag,
          actualEtag: status === 'etag-mismatch' ? etag(9999) : s.etag,
          message: status === 'ok' ? 'ok' : status === 'missing' ? '404 Not Found' : status === 'size-mismatch' ? `expected ${s.size} bytes, found ${s.size - 1024}` : 'etag differs',
        };
      });
      return {
        ok: bad.size === 0,
        kind: 'slo',
        checked: segments.length,
        problems: bad.size,
        segments,
        summary: bad.size ? `${bad.size} of ${segments.length} segments have problems: 1 missing, 1 size mismatch, 1 etag mismatch.` : `All ${segments.length} segments present with matching sizes and ETags.`,
      };
    }
    case 'transfers.planUpload': {
      const size = p.size as number;
      const seg = (p.segmentSize as number | undefined) ?? 100 * MiB;
      const count = Math.max(1, Math.ceil(size / seg));
      return {
        size,
        segmentSize: seg,
        segmentCount: count,
        concurrency: (p.concurrency as number | undefined) ?? 4,
        single: size <= seg,
        subManifests: count > 1000 ? Math.ceil(count / 1000) : 0,
        segmentContainer: (p.segmentContainer as string | undefined) ?? `${p.container}_segments`,
        warnings: seg < MiB ? ['Segments under 1 MiB make uploads slow: every segment is a separate request.'] : [],
      };
    }
    case 'transfers.upload':
    case 'transfers.download': {
      const t: TransferInfo = {
        id: `t${Date.now()}`,
        direction: method === 'transfers.upload' ? 'upload' : 'download',
        state: 'queued',
        container: p.container,
        object: p.object,
        local: 'file',
        totalBytes: 1,
        doneBytes: 0,
        rateBps: 0,
        etaSeconds: null,
        segmentSize: 1,
        segments: '',
        resentBytes: 0,
        startedAt: Date.now(),
        updatedAt: Date.now(),
      };
      transfers.set(t.id, t);
      return t;
    }
    case 'transfers.list':
      return { transfers: [...transfers.values()] };
    case 'transfers.pause':
    case 'transfers.resume':
    case 'transfers.cancel': {
      const t = transfers.get(p.id)!;
      const state = method === 'transfers.pause' ? 'paused' : method === 'transfers.resume' ? 'running' : 'cancelled';
      const next = { ...t, state, updatedAt: Date.now() } as TransferInfo;
      transfers.set(t.id, next);
      return next;
    }
    case 'transfers.dismiss':
      transfers.delete(p.id);
      return { dismissed: true };
    case 'transcript.list':
      return { entries: transcript };
    case 'transcript.curl':
      return { command: `curl -i -X GET -H 'X-Auth-Token: <redacted>' 'http://127.0.0.1:8080/v1/AUTH_test'` };
    case 'transcript.clear':
      transcript.length = 0;
      return { cleared: true };
    case 'dialog.openFiles':
    case 'dialog.saveFile':
      throw { kind: 'invalid', message: 'No native dialogs in the mock.' };
  }
}

(window as unknown as { sloStudio: unknown }).sloStudio = {
  async call(method: string, params: unknown): Promise<RpcResponse> {
    try {
      const result = await handle(method as CallName, params ?? {});
      return { id: 0, ok: true, result };
    } catch (e) {
      const err = e as { kind?: string; message?: string };
      return { id: 0, ok: false, error: { kind: (err.kind as 'server') ?? 'server', message: err.message ?? String(e), ...(e as object) } };
    }
  },
  onEvent(cb: Listener) {
    listeners.add(cb);
    return () => listeners.delete(cb);
  },
  droppedPaths: () => [],
};
