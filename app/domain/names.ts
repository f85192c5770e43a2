// The one name codec. Swift names are arbitrary UTF-8 and may contain '/', '?', '#', '%', '+', '&', spaces and leading
// slashes. Encoding: every byte but '/' in a name (Swift reads '/' literally either way), every reserved byte in a
// query key or value. Decoding is lenient, like Python's unquote that Swift applies to X-Object-Manifest: valid %XX
// runs are decoded, a stray '%' stays as it is. Pure string functions: the core, the hosts and the renderer share them.

/** One URL component (a query key or value, one path segment): every reserved byte encoded. */
export function encodeComponent(s: string): string {
  return encodeURIComponent(s);
}

/** A container or object name in a storage path: like encodeComponent, but '/' stays and dot segments are encoded. */
export function encodeName(name: string): string {
  return encodeComponent(name).replace(/%2F/g, '/').split('/').map(encodeDotSegment).join('/');
}

/**
 * A "." or ".." path segment goes out as %2E / %2E%2E, so no client library or proxy on the way resolves it into
 * another container or account. (encodeURIComponent leaves dots alone.)
 */
function encodeDotSegment(segment: string): string {
  return segment === '.' || segment === '..' ? segment.replace(/\./g, '%2E') : segment;
}

/** Decodes valid %XX runs (UTF-8) and leaves anything else — a stray '%', an invalid sequence — as it is. Never throws. */
export function decodeName(s: string): string {
  return decodeExact(s) ?? s.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => decodeExact(run) ?? run);
}

/** Strict decoding for input we refuse when malformed (request paths of the hosts): null instead of a guess. */
export function decodeExact(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}
