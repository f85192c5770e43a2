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
