// vitest globalSetup: make sure the local Swift sandbox is up and hand its credentials to the tests.
// No teardown on purpose: the sandbox is reused across runs and may belong to someone else's session.
import type { TestProject } from 'vitest/node';
import { startSandbox } from '../../app/sandbox/manager.ts';
import { toCredentials, type SandboxCredentials } from './sandbox-env.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    sandbox: SandboxCredentials;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const info = await startSandbox({ log: (line) => console.error(`[sandbox] ${line}`) });
  project.provide('sandbox', toCredentials(info));
}
