// Commands name objects as <container>/<object>; this turns the positional into both parts or a usage error.
import { splitTarget } from '../../../app/swift/names.ts';
import { UsageError } from '../args.ts';

export function objectTarget(spec: string | undefined, command: string): { container: string; object: string } {
  if (!spec) throw new UsageError(`${command} needs <container>/<object>.`);
  const { container, object } = splitTarget(spec);
  if (!container || object === undefined) throw new UsageError(`"${spec}" is not <container>/<object>: the object name is missing.`);
  return { container, object };
}
