// The rulebook's second half: findings about the object as a whole (what the doctor says about an SLO, a DLO, a plain
// object that holds a manifest) and about a composition (prefixes, the target). See rules.ts.
import type { Rule } from './rules.ts';

const rule = <P>(r: Rule<P>): Rule<P> => r;
const didYouMean = (names: readonly string[]): string | undefined => (names.length ? `Did you mean ${names.slice(0, 3).map((n) => `"${n}"`).join(' or ')}?` : undefined);

export const objectRules = {
  'object-missing': rule<{ name: string; candidates: readonly string[] }>({
    levels: ['error'],
    message: (p) => `${p.name} does not exist.`,
    suggestion: (p) => didYouMean(p.candidates),
  }),
  'object-forbidden': rule<{ name: string; detail: string }>({
    levels: ['error'],
    message: (p) => `Could not read ${p.name}: ${p.detail}.`,
  }),
  'object-unavailable': rule<{ name: string; detail: string }>({
    levels: ['error'],
    message: (p) => `Could not read ${p.name}: ${p.detail}.`,
  }),
  'not-an-slo': rule<{ name: string; detail: string; refusedToo: boolean }>({
    levels: ['error'],
    message: (p) =>
      `This is not a Static Large Object — it was stored as ordinary data. ${p.detail} Downloading it returns that JSON, not the segments. Swift makes an SLO only when the PUT URL carries exactly ?multipart-manifest=put; a misspelled query (such as ?multiaprt-manifest=put or ?multipart_manifest=put) is ignored without any error, and the body is stored as-is.${p.refusedToo ? ' Even with the right query Swift would have refused this JSON, for the reasons below.' : ''}`,
    suggestion: (p) => `Let the doctor write a correct manifest from the segments that exist, or PUT the corrected JSON to ${p.name}?multipart-manifest=put.`,
    action: () => 'doctor-fix',
  }),
  'plain-object': rule<{ detail: string }>({
    levels: ['info'],
    message: (p) => p.detail,
  }),
  'invalid-json': rule<{ error: string; trailingComma: boolean }>({
    levels: ['error'],
    message: (p) => `The JSON is not valid (${p.error})${p.trailingComma ? ': it has a trailing comma' : ''}; Swift would answer a manifest PUT of it with "Manifest must be valid JSON."`,
    suggestion: (p) => (p.trailingComma ? 'Remove the comma before the closing bracket.' : 'Check commas, quotes and brackets (a JSON validator shows the exact spot).'),
  }),
  'not-a-list': rule<{ wrapperKey?: string | undefined }>({
    levels: ['error'],
    message: (p) =>
      p.wrapperKey !== undefined
        ? `The manifest is wrapped in an object (under "${p.wrapperKey}"); Swift requires the JSON array itself ("Manifest must be a list.").`
        : 'The manifest is a single JSON object; Swift requires a JSON array of entries ("Manifest must be a list.").',
    suggestion: (p) => (p.wrapperKey !== undefined ? `PUT only the array under "${p.wrapperKey}".` : 'Wrap it in [ … ].'),
  }),
  'slo-etag-mismatch': rule<{ computed: string; reported: string }>({
    levels: ['error'],
    message: (p) => `The SLO ETag recomputed from the manifest (${p.computed}) differs from the one Swift reports (${p.reported}); the manifest was probably rewritten by a tool that does not follow Swift's rules.`,
    suggestion: () => 'Rewrite the manifest from its segments.',
    action: () => 'doctor-fix',
    data: (p) => ({ old: p.reported, new: p.computed }),
  }),
  'size-total-mismatch': rule<{ total: number; size: number }>({
    levels: ['warning'],
    message: (p) => `The manifest's entries add up to ${p.total} bytes but Swift reports ${p.size}.`,
  }),
  nested: rule<{ depth: number; max: number }>({
    levels: ['info'],
    message: (p) => `This SLO is nested ${p.depth} levels deep (sub-manifests inside the manifest); Swift serves up to ${p.max}.`,
  }),
  'slo-ok': rule<{ entries: string; size: number; etag: string }>({
    levels: ['info'],
    message: (p) => `A Static Large Object of ${p.entries} and ${p.size} bytes; every segment exists with the size and ETag the manifest records, and the SLO ETag ${p.etag} checks out.`,
  }),
  dlo: rule<{ container: string; prefix: string }>({
    levels: ['info'],
    message: (p) => `This is a Dynamic Large Object, not an SLO: its content is whatever objects start with "${p.prefix}" in container ${p.container}, in listing order. Listings are eventually consistent, so its content can lag or change.`,
    suggestion: (p) => `To pin its segments and checksums, make an SLO of the objects under ${p.container}/${p.prefix}.`,
    action: () => 'compose-prefix',
    data: (p) => ({ old: `${p.container}/${p.prefix}` }),
  }),
  'dlo-invalid': rule<Record<string, never>>({
    levels: ['error'],
    message: () => 'This object has an X-Object-Manifest header without a "container/prefix" value, so it reads as empty.',
  }),
  'dlo-empty': rule<{ container: string; prefix: string }>({
    levels: ['warning'],
    message: (p) => `No objects start with "${p.prefix}" in ${p.container}, so this object reads as empty.`,
  }),

  // ---------- compositions ----------
  'prefix-empty': rule<{ container: string; prefix: string }>({
    levels: ['error'],
    message: (p) => `No objects (with content) start with "${p.prefix}" in ${p.container}.`,
    suggestion: () => 'Check the prefix; it is matched from the start of object names.',
  }),
  'empty-object-skipped': rule<{ count: number; spec: string }>({
    levels: ['info'],
    message: (p) => `Skipped ${p.count} empty object${p.count === 1 ? '' : 's'} under ${p.spec} (a 0-byte segment is not allowed).`,
  }),
  'target-exists': rule<{ name: string; kind: string; size: number; slo: boolean }>({
    levels: ['warning'],
    message: (p) => `${p.name} already exists (${p.kind}, ${p.size} bytes); it will be replaced${p.slo ? ' (its segments stay)' : ''}.`,
  }),
};
