// What deleting an object with its segments removes, by container — shown before anything is deleted. A DLO's
// prefix (or an SLO's segment paths) can point into any container of the account, so "its segments" may be objects
// someone else considers theirs; the plan names every such container and how many objects it loses.
import type { DeletePlan } from '../rpc/contract.ts';
import { defaultSegmentContainer } from '../transfer/plan.ts';
import { segmentPathsOf } from './delete.ts';
import type { ResolvedObject } from './resolve.ts';

/** The plan from what the object references: a resolved DLO or small SLO, or the distinct paths of any SLO's graph. */
export function deletePlanOf(container: string, object: string, resolved: ResolvedObject | Iterable<string> | undefined): DeletePlan {
  const counts = new Map<string, number>([[container, 1]]);
  const self = `${container}/${object}`;
  const paths = !resolved ? [] : Symbol.iterator in resolved ? resolved : resolved.kind === 'plain' ? [] : segmentPathsOf(resolved);
  for (const path of paths) {
    const bare = path.replace(/^\/+/, '');
    const c = bare.slice(0, bare.indexOf('/'));
    if (bare === self || !c) continue;
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const own = new Set([container, defaultSegmentContainer(container)]);
  const names = [...counts.keys()].sort((a, b) => (a === container ? -1 : b === container ? 1 : a < b ? -1 : a > b ? 1 : 0));
  return {
    containers: names.map((c) => ({ container: c, objects: counts.get(c)! })),
    beyondOwn: names.filter((c) => !own.has(c)),
  };
}

/** "3 objects in photos, 1 object in photos_segments" */
export function describeDeletePlan(plan: DeletePlan): string {
  return plan.containers.map((c) => `${c.objects} ${c.objects === 1 ? 'object' : 'objects'} in ${c.container}`).join(', ');
}
