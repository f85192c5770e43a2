// What every command gets: a lazily opened client, output helpers, and the global flags.
import type { SwiftClient } from '../../app/swift/client.ts';
import type { FlagSpecs, Parsed } from './args.ts';

export interface CommandContext {
  flags: Parsed['flags'];
  positionals: string[];
  json: boolean;
  client(): Promise<SwiftClient>;
  out(line: string): void;
  err(line: string): void;
  /** True when stdout is a terminal (progress bars) rather than a pipe (JSON lines). */
  tty: boolean;
  signal: AbortSignal;
}

export interface Command {
  name: string;
  args: string;
  summary: string;
  flags?: FlagSpecs;
  /** Returns the exit code: 0 success, 1 operation failed or problems found. */
  run(ctx: CommandContext): Promise<number>;
}
