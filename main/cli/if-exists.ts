// The overwrite prompt on the terminal: --if-exists answers for every name; without it a terminal asks for each
// existing name (with "for all"), and a pipe or script keeps the old behaviour (replace, as `swift upload` does).
import type { IfExists, NameConflict } from '../../app/domain/batch.ts';
import { IfExists as IfExistsSchema } from '../../app/domain/batch.ts';
import { UsageError } from './args.ts';
import { choose } from './ask.ts';

export function ifExistsFlag(value: unknown): IfExists | undefined {
  if (value === undefined) return undefined;
  const r = IfExistsSchema.safeParse(value);
  if (!r.success) throw new UsageError(`--if-exists takes replace, keep-both or skip, not ${JSON.stringify(value)}.`);
  return r.data;
}

export function canAsk(): boolean {
  return process.stdin.isTTY === true && process.stderr.isTTY === true;
}

const BY_KEY: Record<string, IfExists> = { r: 'replace', k: 'keep-both', s: 'skip' };

/** Asks about each conflict until an answer "for all" (upper-case key) settles the rest. */
export async function askEach(conflicts: readonly NameConflict[], container: string): Promise<Record<string, IfExists>> {
  const decisions: Record<string, IfExists> = {};
  let all: IfExists | undefined;
  for (const [i, c] of conflicts.entries()) {
    if (all) {
      decisions[c.object] = all;
      continue;
    }
    const more = conflicts.length - i > 1 ? ` (${conflicts.length - i} names exist; upper-case R/K/S for all of them)` : '';
    const key = await choose(`${container}/${c.object} already exists. [r]eplace, [k]eep both (as ${c.keepBoth}), [s]kip${more}? `, ['r', 'k', 's', 'R', 'K', 'S']);
    const choice = BY_KEY[key.toLowerCase()]!;
    if (key !== key.toLowerCase()) all = choice;
    decisions[c.object] = choice;
  }
  return decisions;
}
