// A y/N question on the terminal (the prompt goes to stderr so stdout stays clean for the result).
import { createInterface } from 'node:readline/promises';

export async function ask(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** One key of `keys` (case kept: lower-case for this one, upper-case "for all"), asked again until one is typed. */
export async function choose(question: string, keys: readonly string[]): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    for (;;) {
      const a = (await rl.question(question)).trim();
      if (keys.includes(a)) return a;
    }
  } finally {
    rl.close();
  }
}
