// Local file names for objects. Object names are chosen by whoever can write to the container (or by a hostile
// server's listing), so a name that cannot be a plain path inside the chosen folder is refused or made safe rather
// than joined to a path, where ".." or an absolute name would point outside.
import { createHash } from 'node:crypto';
import type { LocalNameChange } from '../domain/batch.ts';
import { SwiftError } from '../swift/errors.ts';
import { PARTIAL_SUFFIX } from './download.ts';
import { keepBothName } from './keep-both.ts';

export function localFileName(object: string): string {
  // Backslashes too: on Windows they separate paths, and such a name is never meant as one file name anywhere.
  const last = object.split(/[/\\]/).pop() ?? '';
  if (last === '' || last === '.' || last === '..' || last.includes('\0')) {
    throw new SwiftError({
      kind: 'invalid',
      message: `The object name ${JSON.stringify(object)} does not end in a usable local file name; give a file name as the destination.`,
    });
  }
  return last;
}

/**
 * Most file systems cap one name at 255 bytes, and a download is first written as "<name>.slo-partial"; PATH_MAX is
 * 4096 on Linux (we leave room for the folder itself).
 */
export const MAX_NAME_BYTES = 255 - Buffer.byteLength(PARTIAL_SUFFIX);
export const MAX_RELATIVE_PATH_BYTES = 3072;

export type SafePath = { local: string; reasons: string[] } | { local: null; reasons: string[] };

/** A name cut to MAX_NAME_BYTES keeping its extension, with a hash of the whole so two long names stay apart. */
function shorten(segment: string): string {
  const tag = '~' + createHash('md5').update(segment).digest('hex').slice(0, 8);
  const dot = segment.lastIndexOf('.');
  const ext = dot > 0 && Buffer.byteLength(segment.slice(dot)) <= 16 ? segment.slice(dot) : '';
  let stem = segment.slice(0, segment.length - ext.length);
  while (Buffer.byteLength(stem + tag + ext) > MAX_NAME_BYTES) stem = [...stem].slice(0, -1).join('');
  return stem + tag + ext;
}

/**
 * A '/'-separated relative path that stays inside any folder it is joined to: no absolute start, no "." or ".."
 * segment, no backslash (a separator on Windows), no NUL, no name over 255 bytes. What had to change is listed;
 * a NUL, or a path too long even after that, is refused.
 */
export function safeRelativePath(relative: string): SafePath {
  const reasons: string[] = [];
  if (relative.includes('\0')) return { local: null, reasons: ['contains a NUL byte, which no file system accepts'] };
  let rel = relative;
  if (rel.includes('\\')) {
    rel = rel.replaceAll('\\', '_');
    reasons.push('backslashes (path separators on Windows) became "_"');
  }
  if (rel.startsWith('/')) reasons.push('an absolute name was made relative');
  const parts: string[] = [];
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (!reasons.includes('".." (parent folder) became "__"')) reasons.push('".." (parent folder) became "__"');
      parts.push('__');
    } else if (Buffer.byteLength(seg) > MAX_NAME_BYTES) {
      if (!reasons.includes(`names over ${MAX_NAME_BYTES} bytes were shortened`)) reasons.push(`names over ${MAX_NAME_BYTES} bytes were shortened`);
      parts.push(shorten(seg));
    } else {
      parts.push(seg);
    }
  }
  if (parts.length === 0) return { local: null, reasons: ['has no file name left once empty, "." and "/" parts are dropped'] };
  const local = parts.join('/');
  if (Buffer.byteLength(local) > MAX_RELATIVE_PATH_BYTES) {
    return { local: null, reasons: [`is ${Buffer.byteLength(local)} bytes long, more than the ${MAX_RELATIVE_PATH_BYTES} a local path may take here`] };
  }
  return { local, reasons };
}

export interface LocalPlanItem {
  object: string;
  /** The object's path below the downloaded prefix. */
  relPath: string;
}

/**
 * Local relative paths for a batch download: each made safe, then told apart — two objects may map to one path
 * ("a//b" and "a/b", or after shortening), and a file may sit where another object needs a folder ("a" and "a/b").
 */
export function planLocalPaths<T extends LocalPlanItem>(items: readonly T[]): { files: (T & { local: string })[]; changed: LocalNameChange[] } {
  const changed: LocalNameChange[] = [];
  const safe: (T & { local: string })[] = [];
  for (const item of items) {
    const s = safeRelativePath(item.relPath);
    if (s.local === null) {
      changed.push({ object: item.object, local: null, reason: `Not downloaded: the name ${s.reasons.join('; ')}.` });
      continue;
    }
    safe.push({ ...item, local: s.local });
    if (s.reasons.length) changed.push({ object: item.object, local: s.local, reason: `Saved as ${s.local}: ${s.reasons.join('; ')}.` });
  }
  const folders = new Set<string>();
  for (const f of safe) {
    const parts = f.local.split('/');
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
  }
  const taken = new Set<string>();
  const files: (T & { local: string })[] = [];
  for (const f of safe) {
    let local = f.local;
    if (taken.has(local) || folders.has(local)) {
      local = keepBothName(local, (c) => taken.has(c) || folders.has(c));
      const prior = changed.findIndex((c) => c.object === f.object);
      const why = `Saved as ${local}: another object already takes ${f.local}${folders.has(f.local) ? ' as a folder' : ''}.`;
      if (prior >= 0) changed.splice(prior, 1, { object: f.object, local, reason: why });
      else changed.push({ object: f.object, local, reason: why });
    }
    taken.add(local);
    files.push({ ...f, local });
  }
  return { files, changed };
}
