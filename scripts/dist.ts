// `npm run dist`: packages the app with electron-builder (config: electron-builder.yml). Offline machines cannot
// fetch what packaging downloads; say so in one sentence instead of electron-builder's stack of download errors —
// but only when a download is what failed: any other error is shown in full.
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { findElectronBinary } from '../main/electron-binary.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOWNLOAD_FAILURE = /ENOTFOUND|EAI_AGAIN|ENETUNREACH|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|socket hang up|unable to download|cannot download|download.*fail/i;

/** electron-builder's own error lines ("⨯ …"), which say what failed, as opposed to the log and stack around them. */
export function builderErrors(output: string): string[] {
  return output.split('\n').filter((line) => /^\s*⨯/.test(line)).map((line) => line.trim());
}

/** True only when every error electron-builder reported is a failed download. */
export function failedOnlyByDownload(output: string): boolean {
  const errors = builderErrors(output);
  return errors.length > 0 && errors.every((line) => DOWNLOAD_FAILURE.test(line));
}

async function main(): Promise<number> {
  const userArgs = process.argv.slice(2);
  const args = [join(ROOT, 'node_modules/electron-builder/cli.js'), '--config', 'electron-builder.yml', '--publish', 'never', ...userArgs];
  // An installed Electron spares electron-builder one download (it may still need its own helper tools). Its folder,
  // not the executable's: on macOS electron-builder looks for Electron.app inside it.
  const binary = findElectronBinary(ROOT);
  if (binary.found && !userArgs.some((a) => a.startsWith('--config.electronDist'))) args.push(`--config.electronDist=${binary.dist}`);

  // Progress lines ("•") stream through; everything else is held back so a download failure reads as one sentence
  // rather than a stack trace, and is shown in full for any other failure.
  let output = '';
  let held = '';
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (data: Buffer) => {
      output += data.toString();
      const lines = output.split('\n');
      output = lines.pop() ?? '';
      for (const line of lines) {
        if (/^\s*•/.test(line)) process.stdout.write(`${line}\n`);
        else held += `${line}\n`;
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', () => resolve(1));
    child.on('exit', (c) => resolve(c ?? 1));
  });
  held += output;
  if (code === 0) {
    if (held.trim()) process.stdout.write(held);
    return 0;
  }
  if (failedOnlyByDownload(held)) {
    console.error(
      `Packaging needs a download from GitHub (Electron itself unless node_modules/electron has its binary, fpm for .deb, the AppImage tools for AppImage), which this machine cannot reach; run \`npm run dist\` on a machine with internet access, or build only the \`dir\` target here. electron-builder said: ${builderErrors(held)[0]?.slice(0, 300)}`,
    );
  } else {
    process.stderr.write(held);
    console.error('electron-builder did not finish (its output is above).');
  }
  return 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exit(await main());
