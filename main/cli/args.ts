// A small argument parser: long flags (--name value, --name=value), short aliases, booleans, positionals.
// Unknown flags are usage errors (exit 2), so typos never silently change behaviour.

export type FlagType = 'string' | 'boolean' | 'number' | 'size';
export interface FlagSpec {
  type: FlagType;
  alias?: string;
  description: string;
  repeat?: boolean;
}
export type FlagSpecs = Record<string, FlagSpec>;

export class UsageError extends Error {}

export interface Parsed {
  flags: Record<string, string | number | boolean | string[] | undefined>;
  positionals: string[];
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1000, kib: 1024, m: 1024 ** 2, mb: 1000 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1000 ** 3, gib: 1024 ** 3, t: 1024 ** 4, tib: 1024 ** 4 };

/** "100M", "64MiB", "1.5G", "1048576" → bytes. */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new UsageError(`"${text}" is not a size; use bytes or a unit like 64M, 100MiB, 1G.`);
  const n = Math.round(Number(m[1]) * unit);
  if (n <= 0) throw new UsageError(`A size must be positive (got "${text}").`);
  return n;
}

export function parseArgs(argv: string[], specs: FlagSpecs): Parsed {
  const flags: Parsed['flags'] = {};
  const positionals: string[] = [];
  const byAlias = new Map(Object.entries(specs).filter(([, s]) => s.alias).map(([k, s]) => [s.alias!, k]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq > 0 ? arg.slice(eq + 1) : undefined;
      if (!(name in specs) && name.startsWith('no-') && specs[name.slice(3)]?.type === 'boolean') {
        flags[name.slice(3)] = false;
        continue;
      }
    } else if (/^-[a-zA-Z]$/.test(arg)) {
      name = byAlias.get(arg.slice(1));
      if (!name) throw new UsageError(`Unknown option ${arg}.`);
    } else {
      positionals.push(arg);
      continue;
    }
    const spec = specs[name];
    if (!spec) throw new UsageError(`Unknown option --${name}.`);
    if (spec.type === 'boolean') {
      flags[name] = inline === undefined ? true : !/^(0|false|no)$/i.test(inline);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`Option --${name} needs a value.`);
    let v: string | number = value;
    if (spec.type === 'number') {
      v = Number(value);
      if (!Number.isInteger(v) || v < 0) throw new UsageError(`Option --${name} needs a whole number (got "${value}").`);
    } else if (spec.type === 'size') v = parseSize(value);
    if (spec.repeat) flags[name] = [...((flags[name] as string[] | undefined) ?? []), String(v)];
    else flags[name] = v;
  }
  return { flags, positionals };
}
