// vitest globalSetup: build the shipped CLI, make sure the local Swift sandbox is up and hand its credentials to the
// tests. No teardown on purpose: the sandbox is reused across runs and may belong to someone else's session.
import { execFileSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { startSandbox } from '../../app/sandbox/manager.ts';
import { REPO } from './cli.ts';
import { toCredentials, type SandboxCredentials } from './sandbox-env.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    sandbox: SandboxCredentials;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  // Tests run `slo` as users do, through bin/slo.mjs and the bundle; rebuilt every run (about a second) so it is
  // never older than the source under test.
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: REPO, stdio: 'inherit' });
  const info = await startSandbox({ log: (line) => console.error(`[sandbox] ${line}`) });
  project.provide('sandbox', toCredentials(info));
}
