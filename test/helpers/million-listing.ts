// The million-object listing fixture (issue #15): 1,000,000 rows written straight into a container's listing through
// the container server (see listing-rows.ts: the objects exist only in the listing). Built once per sandbox and
// checked by count (container HEAD), so later runs reuse it; the e2e and the bench share it.
import { writeListingRows, type ContainerServer } from './listing-rows.ts';

export const MILLION = { container: 'fixture-e2e-1m-listing', count: 1_000_000 };
/** Row i's name; names sort in index order, so a test knows the name at any position (the last is obj-0999999). */
export const millionName = (i: number) => `obj-${String(i).padStart(7, '0')}`;

/**
 * Makes sure the fixture is complete. `count` answers the container's X-Container-Object-Count (null: no such
 * container), `create` makes the container. Returns ms spent building (0 when it was already there).
 */
export async function ensureMillion(server: ContainerServer, io: { count: () => Promise<number | null>; create: () => Promise<void> }): Promise<number> {
  const { count } = MILLION;
  if ((await io.count()) === count) return 0;
  const started = Date.now();
  await io.create();
  // Rows already there are merged again (same name, same timestamp order): rewriting all of them is idempotent.
  const written = await writeListingRows(server, MILLION.container, rows(count));
  if (written !== count) throw new Error(`wrote ${written} of ${count} listing rows`);
  return Date.now() - started;
}

function* rows(n: number) {
  for (let i = 0; i < n; i++) yield { name: millionName(i), size: 1 + (i % 4096) };
}
