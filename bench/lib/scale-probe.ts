// Run as a child of the bench (its RSS is sampled from outside): what the host does for the viewer of a 10⁹-leaf SLO —
// inspect it, then page to leaf 500,000,000 (cold: the graph is measured again) and to leaf 731,000,000 (warm: the
// cached graph) — timing each in-process. Prints one JSON line.
import { inspectObject } from '../../app/slo/inspect.ts';
import { GraphCache, leafPage } from '../../app/slo/leaf-page.ts';
import { SwiftClient } from '../../app/swift/client.ts';

const [storageUrl, token, container, object] = process.argv.slice(2) as [string, string, string, string];
const client = new SwiftClient({ auth: { type: 'token', storageUrl, token } });
const ms = async <T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> => {
  const t0 = performance.now();
  const value = await f();
  return { ms: performance.now() - t0, value };
};
const inspect = await ms(() => inspectObject(client, container, object));
const cache = new GraphCache();
const cold = await ms(() => leafPage(client, container, object, 500_000_000, 100, cache));
const warm = await ms(() => leafPage(client, container, object, 731_000_000, 100, cache));
await client.close();
process.stdout.write(
  JSON.stringify({
    inspectMs: inspect.ms,
    size: inspect.value.size,
    leaves: inspect.value.segmentCount,
    depth: inspect.value.depth,
    leafColdMs: cold.ms,
    leafWarmMs: warm.ms,
    leafIndex: cold.value.leaves[0]?.index,
    leafOffset: cold.value.leaves[0]?.offset,
    heapUsed: process.memoryUsage().heapUsed,
  }) + '\n',
);
