// `npm run dist`: packages the app with electron-builder (config: electron-builder.yml). Offline machines cannot
// fetch Electron for packaging; say so in one sentence instead of electron-builder's stack of download errors.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { findElectronBinary } from '../main/electron-binary.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOWNLOAD_FAILURE = /ENOTFOUND|EAI_AGAIN|ENETUNREACH|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|socket hang up|unable to download|cannot download|download.*fail/i;

async function main(): Promise<number> {
  const args = [join(ROOT, 'node_modules/electron-builder/cli.js'), '--config', 'electron-builder.yml', '--publish', 'never', ...process.argv.slice(2)];
  // An installed Electron binary spares electron-builder one download (it may still need its own helper tools).
  const binary = findElectronBinary(ROOT);
  if (binary.found) args.push(`--config.electronDist=${dirname(binary.path)}`);

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
  if (DOWNLOAD_FAILURE.test(held)) {
    console.error('Packaging needs the Electron download host (github.com), which this machine cannot reach; run `npm run dist` on a machine with internet access.');
  } else {
    process.stderr.write(held);
    console.error('electron-builder did not finish (its output is above).');
  }
  return 1;
}

process.exit(await main());
