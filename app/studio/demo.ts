// A first-run demo container: one of each thing SLO Studio explains, made with the same engine users get — a real SLO
// (segmented upload), a nested SLO (a manifest of manifests), a DLO, and the story the product starts from: a hand-written
// manifest PUT with a misspelled `?multiaprt-manifest=put`, which Swift stored as a plain object. Idempotent: what is
// already there is left as it is.
import type { DemoResult } from '../rpc/contract.ts';
import type { ByteSource } from '../domain/transfer.ts';
import { md5Hex } from '../slo/etag.ts';
import { createComposed } from '../slo/compose.ts';
import type { SwiftClient } from '../swift/client.ts';
import { createContainer, headObject, putObject } from '../swift/objects.ts';
import { uploadObject } from '../transfer/upload.ts';

export const DEMO_CONTAINER = 'slo-studio-demo';
const MiB = 1024 * 1024;

/** Deterministic bytes, generated as they are read: the demo needs no file on disk and holds no buffer. */
function patternSource(name: string, size: number): ByteSource {
  const byteAt = (i: number) => (i * 31 + (i >> 12)) & 0xff;
  return {
    size,
    name,
    identity: `demo:${name}:${size}`,
    async *read(start: number, end: number) {
      for (let off = start; off < end; off += 64 * 1024) {
        const chunk = new Uint8Array(Math.min(64 * 1024, end - off));
        for (let i = 0; i < chunk.length; i++) chunk[i] = byteAt(off + i);
        yield chunk;
      }
    },
    checkUnchanged: async () => {},
  };
}

/** The story: three 4-byte segments and the manifest a user wrote by hand — a misspelled key, a container typo, made-up
 * etags and sizes — PUT with a misspelled query, so Swift kept the JSON as a plain object. */
async function storyManifest(client: SwiftClient, c: string): Promise<void> {
  for (const [i, text] of ['abcd', 'efgh', 'ijkl'].entries()) {
    await putObject(client, c, `story/seg${i + 1}`, { body: text, contentLength: 4, etag: md5Hex(text) });
  }
  const typo = c.replace(/.$/, '');
  const manifest = [
    { path: `/${c}/story/seg1`, etag: 'abcd1234', size_bytes: 4 },
    { path: `/${typo}/story/seg2`, etag: 'efgh5678', 'size bytes': 4 },
    { path: `/${c}/story/seg3`, etag: md5Hex('ijkl'), size_bytes: 5 },
  ];
  const body = JSON.stringify(manifest);
  await putObject(client, c, 'story/manifest.json', { body, contentLength: Buffer.byteLength(body), contentType: 'application/json', query: { 'multiaprt-manifest': 'put' } });
}

/** A DLO: numbered parts under a prefix and a zero-byte object naming that prefix. */
async function dlo(client: SwiftClient, c: string): Promise<void> {
  for (const [i, text] of ['Dynamic ', 'Large ', 'Object\n'].entries()) {
    await putObject(client, c, `dlo-parts/${String(i).padStart(3, '0')}`, { body: text, contentLength: Buffer.byteLength(text), etag: md5Hex(text) });
  }
  await putObject(client, c, 'dlo.txt', { body: '', contentLength: 0, headers: { 'x-object-manifest': `${c}/dlo-parts/` } });
}

export async function createDemo(client: SwiftClient, container = DEMO_CONTAINER): Promise<DemoResult> {
  const steps: [string, () => Promise<unknown>][] = [
    ['big.bin', () => uploadObject(client, patternSource('big.bin', 6 * MiB + 4321), { container, object: 'big.bin' }, { segmentSize: MiB })],
    ['small.bin', () => uploadObject(client, patternSource('small.bin', 2 * MiB), { container, object: 'small.bin' }, { segmentSize: 512 * 1024 })],
    ['nested.bin', () => createComposed(client, container, 'nested.bin', [{ path: `${container}/big.bin` }, { path: `${container}/small.bin` }])],
    ['dlo.txt', () => dlo(client, container)],
    ['story/manifest.json', () => storyManifest(client, container)],
  ];
  await createContainer(client, container);
  const result: DemoResult = { container, created: [], kept: [] };
  for (const [object, make] of steps) {
    const exists = await headObject(client, container, object).then(() => true, () => false);
    if (exists) result.kept.push(object);
    else {
      await make();
      result.created.push(object);
    }
  }
  return result;
}
