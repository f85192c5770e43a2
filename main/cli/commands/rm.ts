import { deleteObjectAndSegments } from '../../../app/slo/delete.ts';
import { deletePlanOf, describeDeletePlan } from '../../../app/slo/delete-plan.ts';
import { loadGraph, resolveObject } from '../../../app/slo/resolve.ts';
import type { SwiftClient } from '../../../app/swift/client.ts';
import { headObject } from '../../../app/swift/objects.ts';
import { ask } from '../ask.ts';
import type { Command } from '../context.ts';
import { objectTarget } from './target.ts';

async function planFor(client: SwiftClient, container: string, object: string, signal: AbortSignal) {
  const head = await headObject(client, container, object, { signal });
  if (head.kind !== 'slo' && head.kind !== 'dlo') return undefined;
  // An SLO's plan comes from its measured graph (distinct paths), so no size of SLO is expanded to make it.
  if (head.kind === 'slo') return deletePlanOf(container, object, (await loadGraph(client, container, object, { signal, tolerant: true })).graph.referencedPaths());
  return deletePlanOf(container, object, await resolveObject(client, container, object, { signal, stat: head }));
}

export const rm: Command = {
  name: 'rm',
  args: '<container>/<object>',
  summary: 'delete an object; an SLO or DLO together with all its segments',
  flags: {
    'leave-segments': { type: 'boolean', description: 'delete only the manifest and keep its segments' },
    yes: { type: 'boolean', alias: 'y', description: 'delete without asking when segments live in other containers' },
  },
  async run(ctx) {
    const { container, object } = objectTarget(ctx.positionals[0], 'rm');
    const client = await ctx.client();
    const leaveSegments = ctx.flags['leave-segments'] === true;
    // Say what goes, by container, before anything does; reaching into other containers needs a yes.
    const plan = leaveSegments ? undefined : await planFor(client, container, object, ctx.signal);
    if (plan && !ctx.json) ctx.out(`Deleting ${container}/${object} removes ${describeDeletePlan(plan)}.`);
    if (plan?.beyondOwn.length && ctx.flags.yes !== true) {
      const interactive = !ctx.json && ctx.tty && process.stdin.isTTY === true;
      const question = `Its segments include objects in ${plan.beyondOwn.join(', ')}, outside ${container} and its segment container.`;
      if (!interactive || !(await ask(`${question} Delete them? [y/N] `))) {
        ctx.err(`Nothing was deleted: ${question} Rerun with --yes to delete them.`);
        if (ctx.json) ctx.out(JSON.stringify({ deleted: 0, deletePlan: plan }, null, 2));
        return 1;
      }
    }
    const r = await deleteObjectAndSegments(client, container, object, { leaveSegments, signal: ctx.signal });
    if (ctx.json) ctx.out(JSON.stringify(plan ? { ...r, deletePlan: plan } : r, null, 2));
    else {
      for (const e of r.errors) ctx.err(`could not delete ${e.path}: ${e.message}`);
      ctx.out(r.summary);
    }
    return r.errors.length ? 1 : 0;
  },
};
