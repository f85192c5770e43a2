// Maps a URL path to a file of the built renderer (dist/renderer), for the browser host and Electron's app:// scheme.
// Refuses anything that would leave the root, and dotfiles.
import { extname, join, resolve, sep } from 'node:path';
import { decodeExact } from '../app/domain/names.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function contentTypeOf(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * `relative` is the URL path below the app root, still percent-encoded ("" or "index.html" → index.html).
 * Returns an absolute file path inside `root`, or null when the path is malformed or tries to escape.
 */
export function resolveStaticPath(root: string, relative: string): string | null {
  let decoded = decodeExact(relative);
  if (decoded === null) return null;
  if (decoded === '' || decoded.endsWith('/')) decoded += 'index.html';
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.startsWith('.'))) return null;
  const base = resolve(root);
  const file = resolve(join(base, ...segments));
  return file.startsWith(base + sep) ? file : null;
}
