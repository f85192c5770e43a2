// `slo compose <container>/<object> <container>/<segment>[:range]... [--prefix c/p] [--data TEXT] [--dry-run]`:
// builds an SLO from objects that already exist, validated against the cluster's limits before anything is written.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ComposeEntry, type ComposePreview } from '../../../app/rpc/contract.ts';
import { md5Hex } from '../../../app/slo/etag.ts';
import { headObject } from '../../../app/swift/objects.ts';
import { composeManifest, createComposed, loadForEdit, parseSegmentSpec } from '../../../app/slo/compose.ts';
import { UsageError } from '../args.ts';
import type { Command } from '../context.ts';
import { formatBytes, table } from '../format.ts';
import { findingJson, formatFindings } from './doctor.ts';
import { objectTarget } from './target.ts';

function list(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
}

async function readEntriesFile(path: string): Promise<ComposeEntry[]> {
  const text = path === '-' ? await new Promise<string>((resolve, reject) => {
    let s = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (c) => (s += c));
    process.stdin.on('end', () => resolve(s));
    process.stdin.on('error', reject);
  }) : await readFile(path, 'utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--entries ${path}: not valid JSON (${(e as Error).message}).`);
  }
  const parsed = z.array(ComposeEntry).safeParse(data);
  if (!parsed.success) {
    throw new UsageError(`--entries ${path}: expected a JSON array of {"path": "container/object", "range"?: "0-99"}, {"data": "text", "encoding"?: "utf8"|"base64"} or {"prefix": "container/prefix"} entries (manifest entries as written are checked like the doctor checks them).`);
  }
  return parsed.data;
}

function show(p: ComposePreview, out: (s: string) => void): void {
  if (p.entries.length) {
    out(table(
      p.entries.map((e, i) => ('data' in e
        ? [String(i), '(inline data)', '', String(Buffer.from(e.data, 'base64').length), `${md5Hex(Buffer.from(e.data, 'base64'))} (md5)`]
        : [String(i), e.path, e.range ?? '', String(e.size_bytes ?? ''), e.etag ?? ''])),
      { header: ['#', 'SEGMENT', 'RANGE', 'SIZE', 'ETAG'], right: [0, 3] },
    ));
    out('');
    out(`Size: ${p.size < 1024 ? '' : `${formatBytes(p.size)}, `}${p.size} bytes   SLO ETag: ${p.etag}   Nesting: ${p.depth}`);
  }
  if (p.problems.length) out(formatFindings(p.problems).join('\n'));
}

export const compose: Command = {
  name: 'compose',
  args: '<container>/<object> <container>/<segment>[:range]...',
  summary: 'make an SLO of existing objects, ranges, inline data and SLOs, checked against the cluster limits first',
  flags: {
    prefix: { type: 'string', repeat: true, description: 'add every object under container/prefix (listing order), after the named segments' },
    data: { type: 'string', repeat: true, description: 'add inline text (UTF-8) as a data entry, after the segments' },
    'data-base64': { type: 'string', repeat: true, description: 'add inline bytes given as base64, after the segments' },
    from: { type: 'string', description: 'start from the entries of an existing SLO (container/object), e.g. to edit it in place' },
    entries: { type: 'string', description: 'read the entries, in any order, from a JSON file ("-" for stdin)' },
    'dry-run': { type: 'boolean', description: 'validate and predict size and SLO ETag; write nothing' },
  },
  async run(ctx) {
    const { container, object } = objectTarget(ctx.positionals[0], 'compose');
    const entries: ComposeEntry[] = [];
    const client = await ctx.client();
    const keep: Record<string, string> = {};
    if (typeof ctx.flags.from === 'string') {
      const from = objectTarget(ctx.flags.from, 'compose --from');
      entries.push(...(await loadForEdit(client, from.container, from.object, { signal: ctx.signal })));
      if (from.container === container && from.object === object) {
        // Editing in place: keep the content type and metadata.
        const stat = await headObject(client, container, object, { signal: ctx.signal });
        for (const [k, v] of Object.entries(stat.headers)) if (k.startsWith('x-object-meta-')) keep[k] = v;
        if (stat.contentType) keep['content-type'] = stat.contentType;
      }
    }
    if (typeof ctx.flags.entries === 'string') entries.push(...(await readEntriesFile(ctx.flags.entries)));
    for (const spec of ctx.positionals.slice(1)) {
      const { path, range } = parseSegmentSpec(spec);
      entries.push({ path, ...(range ? { range } : {}) });
    }
    for (const p of list(ctx.flags.prefix)) entries.push({ prefix: p });
    for (const d of list(ctx.flags.data)) entries.push({ data: d, encoding: 'utf8' });
    for (const d of list(ctx.flags['data-base64'])) entries.push({ data: d, encoding: 'base64' });
    if (!entries.length) throw new UsageError('compose needs at least one segment: <container>/<segment>[:range], --prefix, --data, --from or --entries.');

    const dry = ctx.flags['dry-run'] === true;
    const preview = await composeManifest(client, entries, { target: { container, object }, signal: ctx.signal });
    if (dry || !preview.ok) {
      if (ctx.json) {
        ctx.out(JSON.stringify({ container, object, created: false, ok: preview.ok, size: preview.size, etag: preview.etag, depth: preview.depth, entries: preview.entries, problems: preview.problems.map(findingJson) }, null, 2));
      } else {
        show(preview, ctx.out);
        ctx.out('');
        ctx.out(preview.ok
          ? `Dry run: ${container}/${object} would be an SLO of ${preview.entries.length} entries, ${preview.size} bytes, SLO ETag ${preview.etag}. Nothing was written.`
          : `Not written: ${preview.problems.filter((p) => p.severity === 'error').length} problem(s) above must be fixed first.`);
      }
      return preview.ok ? 0 : 1;
    }
    const r = await createComposed(client, container, object, entries, { signal: ctx.signal, headers: keep });
    if (ctx.json) {
      ctx.out(JSON.stringify({ container, object, created: true, ok: true, size: r.size, etag: r.etag, depth: r.depth, entries: r.entries, problems: r.problems.map(findingJson) }, null, 2));
    } else {
      show(r, ctx.out);
      ctx.out('');
      ctx.out(`Created ${container}/${object}: an SLO of ${r.entries.length} entries, ${r.size} bytes; Swift's SLO ETag ${r.etag} matches the prediction.`);
    }
    return 0;
  },
};
