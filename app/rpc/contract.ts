// The one RPC contract between the renderer and every host (Electron IPC, browser-mode WebSocket).
// Each call's input is a zod schema — hosts decode with it at the boundary — and its output a zod schema
// whose inferred type both sides use. Adding a call is one entry in `calls`. No Node or DOM imports here:
// the renderer bundles this file too.
//
// The domain model (auth config, objects, manifests, findings, transfers, errors) lives in app/domain/; this file
// composes it into calls and events and re-exports it, so the renderer needs no other import from app/.
import { z } from 'zod';
import { Profile, ProfileSummary } from '../domain/auth.ts';
import { ConnectionState } from '../domain/cluster.ts';
import { ErrorValue } from '../domain/errors.ts';
import { ComposeEntry, ComposePreview, ComposeResult, DoctorFixResult, DoctorReport, EditEntry } from '../domain/findings.ts';
import { FlatSegment, InspectResult, VerifyResult } from '../domain/manifest.ts';
import { BatchDownloadResult, BatchFile, BatchFileSize, BatchPlan, BatchUploadResult, FolderFile, GroupAction, IfExists, NameConflict } from '../domain/batch.ts';
import { ContainerEntry, DeleteResult, ObjectEntry, ObjectPeek, ObjectStat } from '../domain/objects.ts';
import { DloConversion, OrphanDeletion, OrphanReport, OrphanSearch } from '../domain/orphans.ts';
import { MetadataChange, MetadataView } from '../domain/metadata.ts';
import { CopyMode, CopyResult, TempUrl, TempUrlKeys, TempUrlMethod } from '../domain/objops.ts';
import { TranscriptEntry } from '../domain/transcript.ts';
import { DownloadTarget, TransferInfo, UploadPlan, UploadSource } from '../domain/transfer.ts';

export * from '../domain/auth.ts';
export * from '../domain/batch.ts';
export * from '../domain/cluster.ts';
export * from '../domain/errors.ts';
export * from '../domain/findings.ts';
export * from '../domain/manifest.ts';
export * from '../domain/names.ts';
export * from '../domain/objects.ts';
export * from '../domain/orphans.ts';
export * from '../domain/metadata.ts';
export * from '../domain/objops.ts';
export * from '../domain/transcript.ts';
export * from '../domain/transfer.ts';

// ---------- host values and names ----------

const name = z.string().min(1).max(1024);
const containerName = z.string().min(1).max(256).refine((s) => !s.includes('/'), 'container names cannot contain "/"');

export const SandboxState = z.object({
  state: z.enum(['running', 'stopped', 'unhealthy', 'not-installed']),
  authUrl: z.string().optional(),
  problems: z.array(z.string()),
});
export type SandboxState = z.infer<typeof SandboxState>;

export const HostInfo = z.object({
  mode: z.enum(['electron', 'browser']),
  version: z.string(),
  platform: z.string(),
  /** Can the host open native file dialogs (Electron)? */
  nativeDialogs: z.boolean(),
  /** Notice to show the user about how secrets are stored in this mode. */
  secretStorage: z.string(),
});
export type HostInfo = z.infer<typeof HostInfo>;

// ---------- calls ----------

const target = z.object({ container: containerName, object: name });
const none = z.object({}).strict();

function call<I extends z.ZodType, O extends z.ZodType>(input: I, output: O) {
  return { input, output };
}

export const DemoResult = z.object({ container: z.string(), created: z.array(z.string()), kept: z.array(z.string()) });
export type DemoResult = z.infer<typeof DemoResult>;

export const calls = {
  'host.info': call(none, HostInfo),

  'profiles.list': call(none, z.object({ profiles: z.array(ProfileSummary), lastUsed: z.string().nullable() })),
  /** Creates or replaces a profile. A secret left empty on an existing profile keeps the stored one. */
  'profiles.save': call(z.object({ profile: Profile }), ProfileSummary),
  'profiles.remove': call(z.object({ id: z.string() }), z.object({ removed: z.boolean() })),
  /** Authenticates without making it the current connection. */
  'profiles.test': call(z.object({ profile: Profile }), z.object({ ok: z.boolean(), message: z.string(), account: z.string().optional() })),

  'connection.open': call(z.object({ profileId: z.string() }), ConnectionState),
  /** Starts the local sandbox if needed and connects to it. */
  'connection.openSandbox': call(none, ConnectionState),
  'connection.current': call(none, ConnectionState.nullable()),
  'connection.close': call(none, z.object({ closed: z.boolean() })),

  'sandbox.status': call(none, SandboxState),

  'containers.list': call(z.object({ prefix: z.string().optional(), hideSegments: z.boolean().default(false) }), z.object({ containers: z.array(ContainerEntry) })),
  'containers.create': call(z.object({ container: containerName }), z.object({ created: z.boolean() })),
  'containers.delete': call(z.object({ container: containerName }), z.object({ deleted: z.boolean() })),
  /** A demo container (an SLO, a nested SLO, a DLO, a manifest stored as plain data by a misspelled query); idempotent. */
  'demo.create': call(z.object({}), DemoResult),

  'objects.list': call(
    z.object({
      container: containerName,
      prefix: z.string().default(''),
      delimiter: z.string().max(1).optional(),
      marker: z.string().optional(),
      limit: z.number().int().min(1).max(10000).default(1000),
      /** Descending by name; `marker` then means "names before it" (how the list reaches its end at once). */
      reverse: z.boolean().optional(),
    }),
    z.object({ entries: z.array(ObjectEntry), nextMarker: z.string().nullable() }),
  ),
  'objects.stat': call(target, ObjectStat),
  /** The first bytes of an object (default 1 KiB) for a preview. */
  'objects.peek': call(target.extend({ bytes: z.number().int().min(1).max(65536).default(1024) }), ObjectPeek),
  /** A container's own count and bytes (HEAD): current, unlike the account listing's, which Swift updates later. */
  'containers.stat': call(z.object({ container: containerName }), ContainerEntry),
  'objects.delete': call(target.extend({ leaveSegments: z.boolean().default(false) }), DeleteResult),

  'slo.inspect': call(target, InspectResult),
  'slo.verify': call(target, VerifyResult),
  /** Explains, entry by entry, what is wrong with an object that is (or was meant to be) an SLO. */
  'doctor.run': call(target, DoctorReport),
  /** Builds a correct manifest from the segments that exist; with confirm it replaces the object (only on success). */
  'doctor.fix': call(target.extend({ confirm: z.boolean().default(false), dropMissing: z.boolean().default(false) }), DoctorFixResult),
  /** Validates a composition against the cluster's limits and predicts size and SLO ETag; writes nothing. */
  'compose.preview': call(z.object({ entries: z.array(ComposeEntry), container: containerName.optional(), object: name.optional() }), ComposePreview),
  /** An existing SLO's manifest as editable entries (segments with ranges; inline data as text when it reads as UTF-8). */
  'compose.load': call(target, z.object({ entries: z.array(EditEntry) })),
  /** Writes the composed SLO (manifest PUT with heartbeat) and checks Swift's ETag against the prediction. */
  'compose.create': call(target.extend({ entries: z.array(ComposeEntry) }), ComposeResult),

  /** Segments in `container`'s segment containers that no manifest in the account references. Reads only. */
  'orphans.find': call(OrphanSearch.extend({ container: containerName }), OrphanReport),
  /** Searches again and deletes what is orphaned now, limited to `paths` (the ones the user confirmed) when given. */
  'orphans.delete': call(OrphanSearch.extend({ container: containerName, paths: z.array(z.string()).optional() }), z.object({ report: OrphanReport, deleted: OrphanDeletion })),
  /** Writes an SLO pinning a DLO's current segments, in place or under `target`; the DLO is replaced only on success. */
  'dlo.convert': call(target.extend({ target: target.optional() }), DloConversion),

  'transfers.planUpload': call(
    z.object({
      container: containerName,
      object: name,
      size: z.number().int().min(0),
      segmentSize: z.number().int().min(1).optional(),
      concurrency: z.number().int().min(1).max(32).optional(),
      segmentContainer: containerName.optional(),
      /** Segment even a file at or under the segment size: an SLO of one segment. */
      asSlo: z.boolean().default(false),
      /** Adaptive concurrency: grow from `concurrency` up to this while throughput grows (default: fixed). */
      maxConcurrency: z.number().int().min(1).max(32).optional(),
    }),
    UploadPlan,
  ),
  'transfers.upload': call(
    z.object({
      source: UploadSource,
      container: containerName,
      object: name,
      segmentSize: z.number().int().min(1).optional(),
      concurrency: z.number().int().min(1).max(32).optional(),
      segmentContainer: containerName.optional(),
      leaveSegments: z.boolean().default(false),
      asSlo: z.boolean().default(false),
      /** Adaptive concurrency: grow from `concurrency` up to this while throughput grows (default: fixed). */
      maxConcurrency: z.number().int().min(1).max(32).optional(),
    }),
    TransferInfo,
  ),
  'transfers.download': call(
    z.object({ container: containerName, object: name, target: DownloadTarget, concurrency: z.number().int().min(1).max(32).optional(), maxConcurrency: z.number().int().min(1).max(32).optional() }),
    TransferInfo,
  ),
  'transfers.list': call(none, z.object({ transfers: z.array(TransferInfo) })),
  'transfers.pause': call(z.object({ id: z.string() }), TransferInfo),
  'transfers.resume': call(z.object({ id: z.string() }), TransferInfo),
  'transfers.cancel': call(z.object({ id: z.string() }), TransferInfo),
  /** Forget a finished, failed or cancelled transfer. */
  'transfers.dismiss': call(z.object({ id: z.string() }), z.object({ dismissed: z.boolean() })),

  'transcript.list': call(z.object({ since: z.number().optional() }), z.object({ entries: z.array(TranscriptEntry) })),
  'transcript.curl': call(z.object({ id: z.number(), includeToken: z.boolean().default(false) }), z.object({ command: z.string() })),
  'transcript.clear': call(none, z.object({ cleared: z.boolean() })),

  /** Native dialogs (Electron). Browser mode answers with an 'invalid' error: the renderer uses its own file input. */
  'dialog.openFiles': call(z.object({ multiple: z.boolean().default(true) }), z.object({ paths: z.array(z.string()) })),
  'dialog.saveFile': call(z.object({ defaultName: z.string() }), z.object({ path: z.string().nullable() })),

  // ---------- folders and batches (folders up/down, the overwrite prompt) ----------
  /** Which upload targets exist already, each with the name "keep both" would give the new file. */
  'objects.conflicts': call(z.object({ container: containerName, objects: z.array(name).max(100_000) }), z.object({ conflicts: z.array(NameConflict) })),
  /** The plan sheet of a batch: each file planned on its own with the same settings, summed, and its name conflicts. */
  'batch.plan': call(
    z.object({
      container: containerName,
      prefix: z.string().max(1024).default(''),
      files: z.array(BatchFileSize).max(100_000),
      segmentSize: z.number().int().min(1).optional(),
      concurrency: z.number().int().min(1).max(32).optional(),
      segmentContainer: containerName.optional(),
    }),
    BatchPlan,
  ),
  /** Uploads a batch as one transfer group; existing names follow `decisions[name]`, else `ifExists`. */
  'batch.upload': call(
    z.object({
      container: containerName,
      prefix: z.string().max(1024).default(''),
      files: z.array(BatchFile).min(1).max(100_000),
      /** What the transfer group is called, e.g. "photos/". */
      label: z.string().max(200).default(''),
      segmentSize: z.number().int().min(1).optional(),
      concurrency: z.number().int().min(1).max(32).optional(),
      segmentContainer: containerName.optional(),
      ifExists: IfExists.default('replace'),
      decisions: z.record(z.string(), IfExists).default({}),
    }),
    BatchUploadResult,
  ),
  /**
   * Downloads pseudo-folders (`prefixes`) and `objects`, the tree relative to `base`, into a directory (`path`
   * target) or, in browser mode, as one verified tar. Unsafe local names are made safe or refused and listed.
   */
  'batch.download': call(
    z.object({
      container: containerName,
      base: z.string().max(1024).default(''),
      prefixes: z.array(z.string().max(1024)).max(10_000).default([]),
      objects: z.array(name).max(100_000).default([]),
      target: DownloadTarget,
      concurrency: z.number().int().min(1).max(32).optional(),
    }),
    BatchDownloadResult,
  ),
  /** Pause, resume, cancel or dismiss every transfer of a group. */
  'transfers.group': call(z.object({ group: z.string().min(1), action: GroupAction }), z.object({ transfers: z.array(TransferInfo) })),
  /** Host paths (Electron): dropped or picked folders walked into their files (symbolic links not followed). */
  'files.expand': call(z.object({ paths: z.array(z.string().min(1)).max(10_000) }), z.object({ files: z.array(FolderFile), skipped: z.array(z.string()) })),
  /** Native folder dialog (Electron): a folder to upload, or the directory a download goes into. */
  'dialog.pickFolder': call(z.object({ purpose: z.enum(['upload', 'download']) }), z.object({ path: z.string().nullable() })),

  /**
   * A page of an object's leaves (flattened segment runs) by index: leaf 731,000,000 of a 10⁹-leaf SLO is reached by
   * skipping subtrees by their counts, never by walking the earlier leaves. `total` is the object's leaf count.
   */
  'slo.leaves': call(
    target.extend({ from: z.number().int().min(0), count: z.number().int().min(1).max(1000).default(100) }),
    z.object({ total: z.number(), from: z.number(), leaves: z.array(FlatSegment) }),
  ),

  // ---------- metadata, temp URLs, server-side copies ----------
  /** All headers of an object (object given) or a container, its metadata, and this cluster's metadata limits. */
  'metadata.get': call(z.object({ container: containerName, object: name.optional() }), MetadataView),
  /** Checks the change against the limits, then one POST (an object's full header set; a container's changes only). */
  'metadata.set': call(z.object({ container: containerName, object: name.optional(), change: MetadataChange }), MetadataView),
  /** Whether the account's (and a container's) temp-URL keys are set; their values only with reveal. */
  'tempurl.keys': call(z.object({ container: containerName.optional(), reveal: z.boolean().default(false) }), TempUrlKeys),
  /** Sets key 1 or 2 of the account (or of `container`); key omitted: a random one; null removes it. */
  'tempurl.setKey': call(z.object({ container: containerName.optional(), slot: z.union([z.literal(1), z.literal(2)]).default(1), key: z.string().max(256).nullable().optional() }), TempUrlKeys),
  /** A signed URL for one object, valid `seconds` from now (at most a year). */
  'tempurl.create': call(target.extend({ method: TempUrlMethod.default('GET'), seconds: z.number().int().min(1).max(366 * 86400) }), TempUrl),
  /** Server-side copy; a large object's manifest by default (segments shared). move deletes the source manifest after. */
  'objects.copy': call(
    z.object({ source: target, target, mode: CopyMode.default('manifest'), overwrite: z.boolean().default(false), move: z.boolean().default(false) }),
    CopyResult,
  ),

  /** The account's own counts (HEAD): the container list sizes its window from `containers`. */
  'account.stat': call(none, z.object({ containers: z.number(), objects: z.number(), bytes: z.number() })),
  /**
   * One page of the account listing for the windowed container list: `reverse` lists descending (a marker then bounds
   * from above); segment containers are left out when asked, `more` still says whether Swift's page was full.
   */
  'containers.page': call(
    z.object({
      prefix: z.string().optional(),
      marker: z.string().optional(),
      reverse: z.boolean().optional(),
      limit: z.number().int().min(1).max(10000).default(1000),
      hideSegments: z.boolean().default(false),
    }),
    z.object({ containers: z.array(ContainerEntry), more: z.boolean() }),
  ),
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallInput<K extends CallName> = z.input<Calls[K]['input']>;
export type CallArgs<K extends CallName> = z.output<Calls[K]['input']>;
export type CallOutput<K extends CallName> = z.output<Calls[K]['output']>;

// ---------- events (host → renderer) ----------

export const events = {
  'transfer.update': TransferInfo,
  'transcript.entry': TranscriptEntry,
  'connection.changed': ConnectionState.nullable(),
  /**
   * Browser mode only: the host pulls a byte range of a dropped file. The renderer answers by POSTing
   * `file.slice(start, end)` to `/<token>/pull/<pullId>`; the host reads it as a stream (backpressure for free).
   */
  'file.pull': z.object({ pullId: z.string(), fileId: z.string(), start: z.number(), end: z.number() }),
  /** Electron only: files picked with File › Open… (already trusted by main); the renderer offers to upload them. */
  'files.opened': z.object({ paths: z.array(z.string()) }),
} as const;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<K extends EventName> = z.output<Events[K]>;

// ---------- wire envelopes (both transports) ----------

export type RpcRequest = { id: number; method: string; params: unknown };
export type RpcResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: ErrorValue };
export type RpcEvent = { event: string; payload: unknown };

export function isCallName(s: string): s is CallName {
  return Object.prototype.hasOwnProperty.call(calls, s);
}
