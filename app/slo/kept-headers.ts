// What survives when an object is rewritten as a new manifest (doctor fix, DLO→SLO conversion, saving an edited SLO):
// the user's metadata (X-Object-Meta-*) and the content type — unless that describes the old bytes rather than the
// content (a manifest stored by mistake as plain JSON data).

/** The headers of `headers` (lower-case, as HEAD returns them) to send again with the rewritten object. */
export function keptHeaders(headers: Record<string, string>, opts: { contentType?: boolean } = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (k.startsWith('x-object-meta-')) out[k] = v;
  if ((opts.contentType ?? true) && headers['content-type']) out['content-type'] = headers['content-type'];
  return out;
}
