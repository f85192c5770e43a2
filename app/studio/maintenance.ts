// Account maintenance as one service for every front end: finding and deleting orphaned segments, converting a DLO to
// an SLO. The hosts serve these as the contract's orphans.* and dlo.convert calls; the CLI commands call the same
// functions, so the rules (minimum age, delete only what is still orphaned) live here once.
import type { DloConversion, OrphanDeletion, OrphanReport, OrphanSearch } from '../domain/orphans.ts';
import type { Handlers } from '../rpc/handlers.ts';
import type { SwiftClient } from '../swift/client.ts';
import { convertDloToSlo } from '../slo/dlo.ts';
import { deleteOrphans, findOrphans } from '../slo/orphans.ts';

type Signal = { signal?: AbortSignal | undefined };

export function findOrphansOf(client: SwiftClient, search: OrphanSearch, o: Signal = {}): Promise<OrphanReport> {
  return findOrphans(client, search.container, {
    ...(search.segmentContainers?.length ? { segmentContainers: search.segmentContainers } : {}),
    ...(search.minAgeMinutes !== undefined ? { minAgeMs: search.minAgeMinutes * 60_000 } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
}

/**
 * Searches again and deletes what is orphaned now — limited to `paths` ("container/object", the ones the user saw and
 * confirmed) when given — so an object a manifest started to use since the user looked is never deleted.
 */
export async function deleteOrphansOf(client: SwiftClient, search: OrphanSearch & { paths?: string[] | undefined }, o: Signal = {}): Promise<{ report: OrphanReport; deleted: OrphanDeletion }> {
  const report = await findOrphansOf(client, search, o);
  const confirmed = search.paths ? new Set(search.paths) : undefined;
  const doomed = confirmed ? report.orphans.filter((x) => confirmed.has(`${x.container}/${x.object}`)) : report.orphans;
  const deleted = doomed.length
    ? await deleteOrphans(client, doomed, o.signal ? { signal: o.signal } : {})
    : { deleted: 0, notFound: 0, errors: [], summary: 'Nothing to delete: no confirmed object is orphaned now.' };
  return { report, deleted };
}

export function convertDloOf(client: SwiftClient, args: { container: string; object: string; target?: { container: string; object: string } | undefined }, o: Signal = {}): Promise<DloConversion> {
  return convertDloToSlo(client, args.container, args.object, { ...(args.target ? { target: args.target } : {}), ...(o.signal ? { signal: o.signal } : {}) });
}

export type MaintenanceHandlers = Pick<Handlers, 'orphans.find' | 'orphans.delete' | 'dlo.convert'>;

/** `client` returns the current connection's client (and throws when there is none). */
export function maintenanceHandlers(client: () => SwiftClient): MaintenanceHandlers {
  return {
    async 'orphans.find'(search) {
      return findOrphansOf(client(), search);
    },
    async 'orphans.delete'(args) {
      return deleteOrphansOf(client(), args);
    },
    async 'dlo.convert'(args) {
      return convertDloOf(client(), args);
    },
  };
}
