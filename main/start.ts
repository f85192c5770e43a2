// `npm start`: build what is stale, then run the desktop app — or browser mode when asked to (--browser), when
// Electron is not installed, or when it cannot open its window. Every outcome is one plain sentence, never a trace.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toSwiftError } from '../app/swift/errors.ts';
import { findElectronBinary } from './electron-binary.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const READY_LINE = 'slo-studio: ready';
const ELECTRON_START_TIMEOUT_MS = 15_000;

const USAGE = `usage: npm start -- [--browser] [--port N] [--no-build] [--no-open]
  --browser    run in your web browser instead of the desktop app
  --port N     browser mode: listen on 127.0.0.1:N (default: a free port)
  --no-build   use dist/ as it is
  --no-open    browser mode: print the URL without opening a browser`;

export interface StartOptions {
  browser: boolean;
  port: number;
  build: boolean;
  open: boolean;
}

export function parseStartArgs(argv: readonly string[]): StartOptions | { error: string } | { help: true } {
  const options: StartOptions = { browser: false, port: 0, build: true, open: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--browser') options.browser = true;
    else if (arg === '--no-build') options.build = false;
    else if (arg === '--no-open') options.open = false;
    else if (arg === '--help' || arg === '-h') return { help: true };
    else if (arg === '--port' || arg?.startsWith('--port=')) {
      const value = arg === '--port' ? argv[++i] : arg.slice('--port='.length);
      const port = Number(value);
      if (!value || !Number.isInteger(port) || port < 0 || port > 65535) return { error: `--port needs a port number (0–65535), not "${value ?? ''}".` };
      options.port = port;
    } else return { error: `Unknown option "${arg}".` };
  }
  return options;
}

/** Resolves with an exit code, or undefined while browser mode keeps serving. */
export async function main(argv: readonly string[]): Promise<number | undefined> {
  const parsed = parseStartArgs(argv);
  if ('help' in parsed) {
    console.log(USAGE);
    return 0;
  }
  if ('error' in parsed) {
    console.error(`${parsed.error}\n${USAGE}`);
    return 2;
  }
  try {
    return await run(parsed);
  } catch (e) {
    console.error(`SLO Studio could not start: ${toSwiftError(e).message}`);
    return 1;
  }
}

async function run(options: StartOptions): Promise<number | undefined> {
  const indexHtml = join(ROOT, 'dist/renderer/index.html');
  if (options.build && rendererIsStale(indexHtml)) {
    console.log('Building the renderer…');
    if ((await runNode([join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'])) !== 0) {
      console.error("The renderer did not build (vite's output is above).");
      return 1;
    }
  }
  if (!existsSync(indexHtml)) {
    console.error('dist/renderer/index.html is missing; run npm start without --no-build.');
    return 1;
  }

  let fallback: string | null = null;
  if (!options.browser) {
    const binary = findElectronBinary(ROOT);
    if (!binary.found) {
      fallback = `Electron is not available on this machine (${binary.reason}); starting in browser mode.`;
    } else if (!hasDisplay()) {
      fallback = 'Electron cannot open a window here (there is no display); starting in browser mode.';
    } else {
      if (options.build) {
        const { buildElectron } = await import('../scripts/build-electron.ts');
        await buildElectron(ROOT);
      }
      const outcome = await launchElectron(binary.path);
      if (outcome.kind === 'running') return outcome.exitCode;
      fallback = `${outcome.reason}; starting in browser mode.`;
    }
  }
  if (fallback) console.log(fallback);
  const { startBrowserMode } = await import('./browser/main.ts');
  await startBrowserMode({ port: options.port, open: options.open && hasDisplay() });
  return undefined;
}

/** True when dist/renderer/index.html is missing or older than any source the renderer bundles. */
export function rendererIsStale(indexHtml: string, root = ROOT): boolean {
  if (!existsSync(indexHtml)) return true;
  const built = statSync(indexHtml).mtimeMs;
  const sources = [join(root, 'renderer'), join(root, 'app/rpc'), join(root, 'app/domain'), join(root, 'vite.config.ts')];
  return sources.some((source) => newestMtime(source) > built);
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry.name)));
  }
  return newest;
}

function hasDisplay(): boolean {
  if (process.platform !== 'linux') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

function runNode(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
    child.on('error', () => resolve(1));
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

type ElectronOutcome = { kind: 'running'; exitCode: Promise<number> } | { kind: 'failed'; reason: string };

/** Starts Electron and waits for its ready line; an exit or silence before that means it cannot run here. */
function launchElectron(binary: string): Promise<ElectronOutcome> {
  return new Promise((resolve) => {
    let child: ChildProcess;
    const env: NodeJS.ProcessEnv = { ...process.env, SLO_STUDIO_READY_LINE: '1' };
    delete env.ELECTRON_RUN_AS_NODE; // would turn Electron into plain Node
    try {
      child = spawn(binary, [ROOT], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
    } catch {
      resolve({ kind: 'failed', reason: 'Electron could not be launched' });
      return;
    }
    let ready = false;
    let early = '';
    const timer = setTimeout(() => {
      if (ready) return;
      child.kill();
      resolve({ kind: 'failed', reason: `Electron did not open its window within ${ELECTRON_START_TIMEOUT_MS / 1000} seconds` });
    }, ELECTRON_START_TIMEOUT_MS);

    child.stdout?.on('data', (data: Buffer) => {
      if (ready) {
        process.stdout.write(data);
        return;
      }
      early += data.toString();
      if (!early.includes(READY_LINE)) return;
      ready = true;
      clearTimeout(timer);
      const rest = early.replace(`${READY_LINE}\n`, '');
      if (rest) process.stdout.write(rest);
      const forward = (signal: NodeJS.Signals) => child.kill(signal);
      process.on('SIGINT', forward);
      process.on('SIGTERM', forward);
      resolve({
        kind: 'running',
        exitCode: new Promise((done) => child.on('exit', (code) => done(code ?? 0))),
      });
    });
    // Chromium is chatty on stderr; show it only once the app runs (before that it would read like a crash report).
    child.stderr?.on('data', (data: Buffer) => {
      if (ready) process.stderr.write(data);
    });
    child.on('error', () => {
      clearTimeout(timer);
      if (!ready) resolve({ kind: 'failed', reason: 'Electron could not be launched' });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!ready) {
        const how = signal ? `was stopped by ${signal}` : `exited with code ${code}`;
        resolve({ kind: 'failed', reason: `Electron did not start (it ${how} before opening its window)` });
      }
    });
  });
}
