// The Keystone sandbox the Keystone tests share (integration and e2e): started once, reused like the main sandbox, in a
// directory beside it (so `npm run test:fresh` makes, stops and deletes it with the rest). Its tokens live 20 s, so
// tests can watch one expire mid-transfer. Where Keystone's packages are missing and cannot be installed (not root),
// the reason is the exact install sentence, for the tests to skip with.
import { defaultSandboxDir, startSandbox, type SandboxInfo } from '../../app/sandbox/manager.ts';

export const KEYSTONE_TOKEN_SECONDS = 20;
export const keystoneSandboxDir = (): string => `${defaultSandboxDir()}-keystone`;

export async function keystoneSandbox(): Promise<{ info: SandboxInfo } | { skip: string }> {
  try {
    const info = await startSandbox({ dataDir: keystoneSandboxDir(), freePorts: true, auth: 'keystone', tokenExpirationSeconds: KEYSTONE_TOKEN_SECONDS });
    return { info };
  } catch (e) {
    const message = (e as Error).message;
    if (/^Keystone is not installed/.test(message)) return { skip: message };
    throw e;
  }
}
