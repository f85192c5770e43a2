// `npm start`: build what is stale, then run the desktop app — or browser mode when asked to (--browser), when
// Electron is not installed, or when it cannot open its window. Every outcome is one plain sentence, never a trace.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toSwiftError } from '../app/swift/errors.ts';
import { findElectronBinary } from './electron-binary.ts';
import { diagnoseElectronFailure } from './electron-diagnosis.ts';
import { HANDED_OVER_LINE, LAUNCH_LINES_ENV, READY_LINE } from './electron/launch-lines.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ELECTRON_START_TIMEOUT_MS = 15_000;
/** Enough of Electron's stderr to show why it died; Chromium can be verbose. */
const EARLY_STDERR_LIMIT = 16_384;

const USAGE = `usage: npm start -- [--browser] [--port N] [--no-build] [--no-open] [FILE…]
  FILE         desktop app: offer these files for upload (handed to the open window if there is one)
  --browser    run in your web browser instead of the desktop app
  --port N     browser mode: listen on 127.0.0.1:N (default: a free port)
  --no-build   use dist/ as it is
  --no-open    browser mode: print the URL without opening a browser`;

export interface StartOptions {
  browser: boolean;
  port: number;
  build: boolean;
  open: boolean;
  /** Absolute paths of the files named on the command line. */
  files: string[];
}

export function parseStartArgs(argv: readonly string[]): StartOptions | { error: string } | { help: true } {
  const options: StartOptions = { browser: false, port: 0, build: true, open: true, files: [] };
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
    } else if (arg !== undefined && !arg.startsWith('-')) options.files.push(resolve(arg));
    else return { error: `Unknown option "${arg}".` };
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
      const outcome = await launchElectron(binary.path, [ROOT, ...options.files]);
      if (outcome.kind === 'running') return outcome.exitCode;
      if (outcome.kind === 'handed-over') {
        console.log('SLO Studio is already open; its window has the focus now.');
        return 0;
      }
      const report = electronFailureReport(outcome.stderr, binary.path);
      if (report) console.error(report);
      fallback = `${outcome.reason}; starting in browser mode.`;
    }
  }
  if (fallback) console.log(fallback);
  if (options.files.length > 0) console.log('Files named on the command line open only in the desktop app; drop them on the browser window instead.');
  const { startBrowserMode } = await import('./browser/main.ts');
  await startBrowserMode({ port: options.port, open: options.open && hasDisplay() });
  return undefined;
}

/** True when dist/renderer/index.html is missing or older than any source the renderer bundles. */
export function rendererIsStale(indexHtml: string, root = ROOT): boolean {
  if (!existsSync(indexHtml)) return true;
  const built = statSync(indexHtml).mtimeMs;
  const sources = [join(root, 'renderer'), join(root, 'app/rpc'), join(root, 'vite.config.ts')];
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

/** Electron's own words first (they were held back while it started), then what we know about the cause. */
export function electronFailureReport(stderr: string, binary: string): string {
  const said = stderr.trim();
  const parts = said ? [`Electron said:\n${said.replace(/^/gm, '  ')}`] : [];
  const diagnosis = diagnoseElectronFailure(stderr, binary);
  if (diagnosis) parts.push(diagnosis);
  return parts.join('\n');
}

export type ElectronOutcome =
  | { kind: 'running'; exitCode: Promise<number> }
  /** Another SLO Studio window was open: it got the files and the focus, this launch ended. */
  | { kind: 'handed-over' }
  /** `stderr` is what Electron printed before it gave up (at most the last EARLY_STDERR_LIMIT characters). */
  | { kind: 'failed'; reason: string; stderr: string };

/** Starts Electron and waits for its ready line; an exit or silence before that means it cannot run here. */
export function launchElectron(binary: string, args: readonly string[], timeoutMs = ELECTRON_START_TIMEOUT_MS): Promise<ElectronOutcome> {
  return new Promise((resolve) => {
    let child: ChildProcess;
    const env: NodeJS.ProcessEnv = { ...process.env, [LAUNCH_LINES_ENV]: '1' };
    delete env.ELECTRON_RUN_AS_NODE; // would turn Electron into plain Node
    let ready = false;
    let handedOver = false;
    let early = '';
    let earlyStderr = '';
    try {
      child = spawn(binary, [...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
    } catch (e) {
      resolve({ kind: 'failed', reason: 'Electron could not be launched', stderr: e instanceof Error ? e.message : String(e) });
      return;
    }
    const timer = setTimeout(() => {
      if (ready) return;
      child.kill();
      resolve({ kind: 'failed', reason: `Electron did not open its window within ${timeoutMs / 1000} seconds`, stderr: earlyStderr });
    }, timeoutMs);

    child.stdout?.on('data', (data: Buffer) => {
      if (ready) {
        process.stdout.write(data);
        return;
      }
      early += data.toString();
      if (early.includes(HANDED_OVER_LINE)) handedOver = true;
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
    // Chromium is chatty on stderr: held back until the app runs, and shown only if it dies before that.
    child.stderr?.on('data', (data: Buffer) => {
      if (ready) process.stderr.write(data);
      else earlyStderr = (earlyStderr + data.toString()).slice(-EARLY_STDERR_LIMIT);
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      if (!ready) resolve({ kind: 'failed', reason: 'Electron could not be launched', stderr: `${earlyStderr}${e.message}` });
    });
    // 'close', not 'exit': the handed-over line may still be in the pipe when the process has exited.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (ready) return;
      if (handedOver && code === 0) {
        resolve({ kind: 'handed-over' });
        return;
      }
      const how = signal ? `was stopped by ${signal}` : `exited with code ${code}`;
      resolve({ kind: 'failed', reason: `Electron did not start (it ${how} before opening its window)`, stderr: earlyStderr });
    });
  });
}
