// A deep copy of an SLO: every segment it reads is copied server-side (X-Copy-From) into the target's segment
// container, named like an upload (app/transfer/segment-names.ts), and a new manifest with the same ranges is stored.
// The copy is a new SLO of any size (a single-object copy stops at max_file_size) that shares nothing with the
// original; its ETag must equal the original's, since the segments' ETags and ranges are the same.
import type { ObjectStat } from '../domain/objects.ts';
import { runPool } from '../pool.ts';
import type { SwiftClient } from '../swift/client.ts';
import { SwiftError } from '../swift/errors.ts';
import { capabilities } from '../swift/info.ts';
import { encodeName } from '../swift/names.ts';
import { createContainer, deleteObject } from '../swift/objects.ts';
import { segmentPrefix } from '../transfer/segment-names.ts';
import { keptHeaders } from './kept-headers.ts';
import type { PutEntry } from './manifest.ts';
import { putManifest } from './manifest-put.ts';
import { resolveObject } from './resolve.ts';

type Target = { container: string; object: string };

const COPY_CONCURRENCY = 4;

/** Copies `src` (an SLO) to `to` as a new SLO with its own segments; returns the new SLO's ETag and segment count. */
export async function copySloSegments(client: SwiftClient, src: ObjectStat, to: Target, signal?: AbortSignal): Promise<{ etag: string; segments: number; segmentContainer: string }> {
  const resolved = await resolveObject(client, src.container, src.object, { stat: src, doing: 'a copy of the segments', ...(signal ? { signal } : {}) });
  if (resolved.segments.some((s) => s.data)) {
    throw new SwiftError({ kind: 'invalid', message: `${src.container}/${src.object} has inline data entries, which a segment copy cannot rebuild; copy the manifest instead.` });
  }
  const caps = await capabilities(client);
  const max = caps.slo?.maxManifestSegments ?? 1000;
  if (resolved.segments.length > max) {
    throw new SwiftError({ kind: 'limit', message: `${src.container}/${src.object} reads ${resolved.segments.length} segments, more than one manifest may list here (${max}); copy the manifest instead.` });
  }
  const paths = [...new Set(resolved.segments.map((s) => s.path))];
  const segmentContainer = `${to.container}_segments`;
  await createContainer(client, segmentContainer);
  const mtime = (Date.now() / 1000).toFixed(6);
  const prefix = segmentPrefix(to.object, mtime, src.size, Math.max(...resolved.segments.map((s) => s.segmentSize)), caps.maxObjectNameLength);
  const newName = new Map(paths.map((p, i) => [p, `${prefix}/${String(i).padStart(8, '0')}`]));
  const copied: string[] = [];
  try {
    await runPool(paths, COPY_CONCURRENCY, async (path, sig) => {
      const [c, ...rest] = path.split('/');
      await client.request({
        method: 'PUT',
        container: segmentContainer,
        object: newName.get(path)!,
        headers: { 'x-copy-from': `/${encodeName(c!)}/${encodeName(rest.join('/'))}`, 'content-length': '0' },
        signal: sig,
      });
      copied.push(newName.get(path)!);
    }, signal);
    const entries: PutEntry[] = resolved.segments.map((s) => ({ path: `/${segmentContainer}/${newName.get(s.path)!}`, etag: s.etag, size_bytes: s.segmentSize, ...(s.range ? { range: s.range } : {}) }));
    const { etag } = await putManifest(client, to.container, to.object, entries, { headers: keptHeaders(src.headers), ...(signal ? { signal } : {}) });
    return { etag, segments: paths.length, segmentContainer };
  } catch (e) {
    // Nothing references the copies yet: take them away again rather than leave orphans.
    await runPool(copied, COPY_CONCURRENCY, async (name) => void (await deleteObject(client, segmentContainer, name, { missingOk: true }).catch(() => false)));
    throw e;
  }
}
