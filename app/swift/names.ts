// Names against the cluster's limits, and storage paths. The codec itself is app/domain/names.ts; a leading '/' in an
// object name simply produces "c//name", which Swift splits correctly.
import { encodeName } from '../domain/names.ts';
import { SwiftError } from './errors.ts';

export { decodeName, encodeComponent, encodeName } from '../domain/names.ts';

/**
 * Object names with a "." or ".." segment cannot be addressed: Swift 2.30 itself resolves them, even percent-encoded
 * (PUT c/x/%2E%2E answered as a PUT of container c). A request for one would act on another path, so none is sent.
 */
export function hasDotSegment(name: string): boolean {
  return name.split('/').some((s) => s === '.' || s === '..');
}

function refuseDotSegments(what: 'container' | 'object', name: string): void {
  if (hasDotSegment(name)) {
    throw new SwiftError({
      kind: 'invalid',
      message: `The ${what} name ${JSON.stringify(name)} has a "." or ".." segment; Swift would read it as another path (even another account's), so SLO Studio does not send it.`,
    });
  }
}

export function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Path of an account, container or object below the storage URL's path. */
export function storagePath(basePath: string, container?: string, object?: string): string {
  let p = basePath.replace(/\/+$/, '');
  if (container !== undefined) {
    refuseDotSegments('container', container);
    p += '/' + encodeName(container);
  }
  if (object !== undefined) {
    refuseDotSegments('object', object);
    p += '/' + encodeName(object);
  }
  return p;
}

export interface NameLimits {
  maxObjectNameLength: number;
  maxContainerNameLength: number;
}

export function checkContainerName(container: string, limits?: NameLimits): void {
  if (!container) throw new SwiftError({ kind: 'invalid', message: 'A container name cannot be empty.' });
  if (container.includes('/')) {
    throw new SwiftError({ kind: 'invalid', message: `Container name "${container}" cannot contain "/".` });
  }
  const max = limits?.maxContainerNameLength ?? 256;
  if (utf8Length(container) > max) {
    throw new SwiftError({ kind: 'invalid', message: `Container name is ${utf8Length(container)} bytes long; this cluster allows at most ${max}.` });
  }
}

export function checkObjectName(object: string, limits?: NameLimits): void {
  if (!object) throw new SwiftError({ kind: 'invalid', message: 'An object name cannot be empty.' });
  const max = limits?.maxObjectNameLength ?? 1024;
  const len = utf8Length(object);
  if (len > max) {
    throw new SwiftError({ kind: 'invalid', message: `Object name is ${len} bytes long (UTF-8); this cluster allows at most ${max}.` });
  }
}

/** Splits "container/object/with/slashes" (as users type it) at the first '/'. */
export function splitTarget(spec: string): { container: string; object: string | undefined } {
  const s = spec.replace(/^\/+/, '');
  const i = s.indexOf('/');
  if (i < 0) return { container: s, object: undefined };
  const object = s.slice(i + 1);
  return { container: s.slice(0, i), object: object === '' ? undefined : object };
}
