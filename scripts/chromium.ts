// Finding the Chromium the end-to-end tests drive (Debian's, never a downloaded browser). Pure decision + a thin
// runner so the decision is unit-tested without touching the machine.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const INSTALL_COMMAND = 'apt-get update && apt-get install -y chromium';
const PATH_NAMES = ['chromium', 'chromium-browser', 'google-chrome'];

export interface Facts {
  env: NodeJS.ProcessEnv;
  isRoot: boolean;
  isDebian: boolean;
  isExecutable?: (path: string) => boolean;
}

export type Decision = { action: 'use'; path: string } | { action: 'install' } | { action: 'fail'; sentence: string };

const executable = (p: string): boolean => {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** Candidate paths in the order they are tried: CHROMIUM_PATH, /usr/bin/chromium, then the usual names on PATH. */
export function candidates(env: NodeJS.ProcessEnv): string[] {
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  const onPath = PATH_NAMES.flatMap((name) => dirs.map((d) => join(d, name)));
  return [...(env.CHROMIUM_PATH ? [env.CHROMIUM_PATH] : []), '/usr/bin/chromium', ...onPath];
}

/**
 * What to do about Chromium: use a found binary, install Debian's package (root on Debian/Ubuntu), or stop with one
 * sentence naming the exact command.
 */
export function decide({ env, isRoot, isDebian, isExecutable = executable }: Facts): Decision {
  if (env.CHROMIUM_PATH && !isExecutable(env.CHROMIUM_PATH)) {
    return { action: 'fail', sentence: `CHROMIUM_PATH is set to ${env.CHROMIUM_PATH}, which is not an executable file: point it at Chromium or unset it.` };
  }
  const found = candidates(env).find((p) => isExecutable(p));
  if (found) return { action: 'use', path: found };
  if (isRoot && isDebian) return { action: 'install' };
  const how = isDebian ? `sudo ${INSTALL_COMMAND.replace('&& apt-get', '&& sudo apt-get')}` : 'your package manager (the package is usually "chromium")';
  return {
    action: 'fail',
    sentence: `The end-to-end tests need Chromium, and none was found (CHROMIUM_PATH, /usr/bin/chromium, chromium-browser, google-chrome): install it with ${how}, or set CHROMIUM_PATH to a Chromium or Chrome binary.`,
  };
}

/** Returns the Chromium path to use, installing it when allowed; throws an Error with the one sentence otherwise. */
export function ensureChromium(env: NodeJS.ProcessEnv = process.env): string {
  const facts: Facts = { env, isRoot: process.getuid?.() === 0, isDebian: existsSync('/etc/debian_version') };
  const first = decide(facts);
  if (first.action === 'use') return first.path;
  if (first.action === 'fail') throw new Error(first.sentence);
  console.log(`Chromium is missing: installing Debian's chromium package (${INSTALL_COMMAND})`);
  const r = spawnSync('sh', ['-c', INSTALL_COMMAND], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...env, DEBIAN_FRONTEND: 'noninteractive' } });
  const after = decide(facts);
  if (r.status !== 0 || after.action !== 'use') throw new Error(`Installing Chromium failed (exit ${r.status}); run it by hand: ${INSTALL_COMMAND}.`);
  return after.path;
}
