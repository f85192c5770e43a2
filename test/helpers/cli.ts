// Runs the `slo` CLI as users do: bin/slo.mjs and the bundle it loads (globalSetup builds it), a child process of this
// Node, from the repo root.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');

export interface CliResult {
  /** null when the child was killed (it outran `timeoutMs`). */
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runSlo(args: string[], opts: { env?: NodeJS.ProcessEnv; uid?: number; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [resolve(REPO, 'bin/slo.mjs'), ...args], {
      cwd: REPO,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
    });
    let stdout = '';
    let stderr = '';
    const guard = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(guard);
      done({ code, stdout, stderr });
    });
  });
}
