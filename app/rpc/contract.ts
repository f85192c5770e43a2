// The one RPC contract between the renderer and every host (Electron IPC, browser-mode WebSocket).
// Each call's input is a zod schema — hosts decode with it at the boundary — and its output a zod schema
// whose inferred type both sides use. Adding a call is one entry in `calls`. No Node or DOM imports here:
// the renderer bundles this file too.
import { z } from 'zod';
import { Finding, FixBlock, FixPlan } from '../domain/findings.ts';

export { Finding, FindingAction, FixBlock, FixPlan, FixStep, JsonValue, Severity } from '../domain/findings.ts';

// ---------- shared values ----------

export const ErrorValue = z.object({
  kind: z.enum([
    'auth', 'not-found', 'conflict', 'precondition', 'too-large', 'rate-limited', 'server', 'network',
    'integrity', 'limit', 'invalid', 'cancelled', 'io',
  ]),
  message: z.string(),
  status: z.number().optional(),
  transId: z.string().optional(),
  detail: z.string().optional(),
});
export type ErrorValue = z.infer<typeof ErrorValue>;

const name = z.string().min(1).max(1024);
const containerName = z.string().min(1).max(256).refine((s) => !s.includes('/'), 'container names cannot contain "/"');

export const AuthConfig = z.discriminatedUnion('type', [
  z.object({ type: z.literal('v1'), authUrl: z.string().url(), user: z.string().min(1), key: z.string() }),
  z.object({
    type: z.literal('keystone-password'),
    authUrl: z.string().url(),
    username: z.string().min(1),
    password: z.string(),
    userDomain: z.string().default('Default'),
    projectName: z.string().min(1),
    projectDomain: z.string().default('Default'),
    region: z.string().optional(),
    interface: z.enum(['public', 'internal', 'admin']).default('public'),
  }),
  z.object({
    type: z.literal('keystone-appcred'),
    authUrl: z.string().url(),
    id: z.string().min(1),
    secret: z.string(),
    region: z.string().optional(),
    interface: z.enum(['public', 'internal', 'admin']).default('public'),
  }),
  z.object({ type: z.literal('token'), storageUrl: z.string().url(), token: z.string() }),
]);
export type AuthConfig = z.infer<typeof AuthConfig>;

export const Profile = z.object({
  id: z.string().min(1),
  name: z.string().min(1).max(200),
  auth: AuthConfig,
  /**
   * Extra CA certificates (PEM text, ≤ 1 MiB) trusted in addition to the system roots. Text, not a path: the renderer
   * reads the file the user picked, so no call makes the host open a path it names.
   */
  caPem: z.string().max(1024 * 1024).optional(),
  /** Skip TLS verification. Dangerous; the UI and CLI warn loudly. */
  insecure: z.boolean().default(false),
  /** Requests in flight per connection. */
  concurrency: z.number().int().min(1).max(64).default(8),
  /** Marks the built-in local sandbox profile. */
  sandbox: z.boolean().default(false),
});
export type Profile = z.infer<typeof Profile>;

/** A profile as the renderer sees it after saving: secrets are never sent back. */
export const ProfileSummary = z.object({
  id: z.string(),
  name: z.string(),
  authType: z.enum(['v1', 'keystone-password', 'keystone-appcred', 'token']),
  endpoint: z.string(),
  identity: z.string(),
  insecure: z.boolean(),
  sandbox: z.boolean(),
  hasSecret: z.boolean(),
  /** The custom CA (public certificates, not a secret), so an edit keeps it. */
  caPem: z.string().optional(),
  /** Keystone settings besides the identity, so an edit does not silently reset them (a saved secret is bound to them). */
  keystone: z.object({ userDomain: z.string(), projectDomain: z.string(), region: z.string().optional(), interface: z.enum(['public', 'internal', 'admin']) }).partial().optional(),
});
export type ProfileSummary = z.infer<typeof ProfileSummary>;

export const Capabilities = z.object({
  slo: z
    .object({
      maxManifestSegments: z.number(),
      maxManifestSize: z.number(),
      minSegmentSize: z.number(),
      yieldFrequency: z.number().optional(),
      allowAsyncDelete: z.boolean().optional(),
    })
    .nullable(),
  maxFileSize: z.number(),
  maxObjectNameLength: z.number(),
  maxContainerNameLength: z.number(),
  containerListingLimit: z.number(),
  bulkDelete: z.boolean(),
  dlo: z.boolean(),
  swiftVersion: z.string().optional(),
  /** Max nesting depth of SLOs; Swift's fixed limit is 10. */
  maxNestingDepth: z.number(),
});
export type Capabilities = z.infer<typeof Capabilities>;

export const ConnectionState = z.object({
  profileId: z.string(),
  profileName: z.string(),
  storageUrl: z.string(),
  account: z.string(),
  capabilities: Capabilities,
  /** Warnings to show the user (e.g. TLS verification disabled). */
  warnings: z.array(z.string()),
});
export type ConnectionState = z.infer<typeof ConnectionState>;

export const ContainerEntry = z.object({ name: z.string(), count: z.number(), bytes: z.number(), lastModified: z.string().optional() });
export type ContainerEntry = z.infer<typeof ContainerEntry>;

export const ObjectKind = z.enum(['slo', 'dlo', 'plain', 'unknown']);
export type ObjectKind = z.infer<typeof ObjectKind>;

export const ObjectEntry = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('object'),
    name: z.string(),
    bytes: z.number(),
    hash: z.string(),
    contentType: z.string(),
    lastModified: z.string(),
    /** From the listing's slo_etag / content_type swift_bytes hints when present, else 'unknown'. */
    kind: ObjectKind,
  }),
  z.object({ type: z.literal('folder'), name: z.string() }),
]);
export type ObjectEntry = z.infer<typeof ObjectEntry>;

export const ObjectStat = z.object({
  container: z.string(),
  object: z.string(),
  kind: ObjectKind,
  size: z.number(),
  etag: z.string(),
  contentType: z.string(),
  lastModified: z.string(),
  manifestEtag: z.string().optional(),
  dloPrefix: z.string().optional(),
  metadata: z.record(z.string(), z.string()),
  headers: z.record(z.string(), z.string()),
});
export type ObjectStat = z.infer<typeof ObjectStat>;

/** One leaf of a flattened manifest: a byte run of a real segment object, or inline data. */
export const FlatSegment = z.object({
  index: z.number(),
  /** "container/object" of the segment, or "" for inline data. */
  path: z.string(),
  /** Offset of this run in the assembled object. */
  offset: z.number(),
  /** Bytes this run contributes. */
  size: z.number(),
  /** Full size of the segment object as the manifest records it. */
  segmentSize: z.number(),
  etag: z.string().nullable(),
  range: z.string().optional(),
  /** Chain of sub-manifest paths this leaf came through ("" at the top). */
  via: z.array(z.string()),
  data: z.boolean().optional(),
});
export type FlatSegment = z.infer<typeof FlatSegment>;

export interface ManifestNode {
  path: string;
  size: number;
  etag: string | null;
  kind: 'segment' | 'sub-slo' | 'data';
  range?: string | undefined;
  children?: ManifestNode[] | undefined;
  /** Sub-manifests: leaves and nesting depth below this entry (known without expanding it). */
  leaves?: number | undefined;
  depth?: number | undefined;
}
export const ManifestNode: z.ZodType<ManifestNode> = z.lazy(() =>
  z.object({
    path: z.string(),
    size: z.number(),
    etag: z.string().nullable(),
    kind: z.enum(['segment', 'sub-slo', 'data']),
    range: z.string().optional(),
    children: z.array(ManifestNode).optional(),
    leaves: z.number().optional(),
    depth: z.number().optional(),
  }),
);

export const DeletePlan = z.object({
  /** Every container that loses objects when the object goes with its segments, and how many (manifest included). */
  containers: z.array(z.object({ container: z.string(), objects: z.number() })),
  /** Those beyond the object's own container and its default segment container: a user confirms these. */
  beyondOwn: z.array(z.string()),
});
export type DeletePlan = z.infer<typeof DeletePlan>;

export const InspectResult = z.object({
  container: z.string(),
  object: z.string(),
  kind: ObjectKind,
  size: z.number(),
  contentType: z.string(),
  lastModified: z.string(),
  /** ETag Swift reports for the whole object (unquoted). */
  etag: z.string(),
  /** SLO: ETag recomputed from the manifest; compare with `etag`. */
  computedEtag: z.string().optional(),
  etagMatches: z.boolean().optional(),
  manifestEtag: z.string().optional(),
  segmentCount: z.number(),
  depth: z.number(),
  segments: z.array(FlatSegment),
  tree: z.array(ManifestNode),
  /**
   * Set when segmentCount is over the listing limit: `segments` is then empty and `tree` holds only the top-level
   * entries (sub-manifests with their leaf counts), because listing every leaf would not fit in memory.
   */
  listLimit: z.number().optional(),
  /** The manifest as Swift returns it with format=raw (PUT format), for the raw JSON view. */
  raw: z.unknown().optional(),
  dlo: z.object({ container: z.string(), prefix: z.string() }).optional(),
  /** Things a user should know. */
  notes: z.array(z.string()),
  /** Set when a plain object's body is a manifest stored as ordinary data: the sentence that says so. */
  notAnSlo: z.string().optional(),
  /** What deleting it with its segments removes, by container. */
  deletePlan: DeletePlan.optional(),
});
export type InspectResult = z.infer<typeof InspectResult>;

export const SegmentCheck = z.object({
  index: z.number(),
  path: z.string(),
  status: z.enum(['ok', 'missing', 'size-mismatch', 'etag-mismatch', 'error']),
  expectedSize: z.number().nullable(),
  actualSize: z.number().nullable(),
  expectedEtag: z.string().nullable(),
  actualEtag: z.string().nullable(),
  message: z.string(),
});
export type SegmentCheck = z.infer<typeof SegmentCheck>;

export const VerifyResult = z.object({
  ok: z.boolean(),
  kind: ObjectKind,
  checked: z.number(),
  problems: z.number(),
  segments: z.array(SegmentCheck),
  summary: z.string(),
});
export type VerifyResult = z.infer<typeof VerifyResult>;

export const DeleteResult = z.object({
  kind: ObjectKind,
  deleted: z.number(),
  notFound: z.number(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
  summary: z.string(),
});
export type DeleteResult = z.infer<typeof DeleteResult>;

/** A PUT-format manifest entry (what ?multipart-manifest=put accepts). */
export const ManifestEntry = z.union([
  z.object({ path: z.string(), etag: z.string().nullable().optional(), size_bytes: z.number().nullable().optional(), range: z.string().optional() }),
  z.object({ data: z.string() }),
]);
export type ManifestEntry = z.infer<typeof ManifestEntry>;

export const DoctorReport = z.object({
  container: z.string(),
  object: z.string(),
  kind: ObjectKind,
  isSlo: z.boolean(),
  /** Bytes Swift reports for the object (a plain object: its own bytes; an SLO: the total). Null when missing. */
  size: z.number().nullable(),
  findings: z.array(Finding),
  /** Proposed correct manifest built from the segments that really exist (when one can be built). */
  manifest: z.array(ManifestEntry).optional(),
  /** What writing `manifest` would give: the SLO's size and ETag, every change step, which entries are left out. */
  fixPlan: FixPlan.optional(),
  /** Why no manifest could be proposed, when the object needs one. */
  fixBlocked: FixBlock.optional(),
  /** One-line verdict. */
  summary: z.string(),
});
export type DoctorReport = z.infer<typeof DoctorReport>;

export const DoctorFixResult = z.object({
  report: DoctorReport,
  manifest: z.array(ManifestEntry),
  /** SLO ETag Swift returned after the manifest PUT (only when replaced). */
  etag: z.string().optional(),
  replaced: z.boolean(),
  message: z.string(),
});
export type DoctorFixResult = z.infer<typeof DoctorFixResult>;

/**
 * One piece of a composed SLO: an object (or byte range of one, or an existing SLO), inline data, or a prefix. A
 * manifest entry as someone wrote it (any keys: "size bytes", "etag", GET-format "name"…) is accepted too, and checked
 * by the same rules as the doctor applies.
 */
export const ComposeEntry = z.union([
  z.object({ path: z.string().min(1), range: z.string().optional(), etag: z.string().nullable().optional(), size_bytes: z.number().nullable().optional() }).loose(),
  z.object({ data: z.string(), encoding: z.enum(['utf8', 'base64']).optional() }),
  z.object({ prefix: z.string().min(1) }),
  z.record(z.string(), z.json()),
]);
export type ComposeEntry = z.infer<typeof ComposeEntry>;

/** An entry of an existing SLO, loaded for editing. */
export const EditEntry = z.union([
  z.object({ path: z.string().min(1), range: z.string().optional() }),
  z.object({ data: z.string(), encoding: z.enum(['utf8', 'base64']) }),
]);
export type EditEntry = z.infer<typeof EditEntry>;

export const ComposePreview = z.object({
  entries: z.array(ManifestEntry),
  /** Size of the resulting object. */
  size: z.number(),
  /** The SLO ETag Swift will report. */
  etag: z.string(),
  /** Deepest nesting of the result (1: plain segments only). */
  depth: z.number(),
  problems: z.array(Finding),
  /** Per composed piece (the positions findings count): the bytes it adds and its manifest entry, null when it has none. */
  items: z.array(z.object({ bytes: z.number().nullable(), entry: z.number().nullable() })),
  ok: z.boolean(),
});
export type ComposePreview = z.infer<typeof ComposePreview>;

export const ComposeResult = ComposePreview.extend({ container: z.string(), object: z.string(), created: z.boolean() });
export type ComposeResult = z.infer<typeof ComposeResult>;

export const UploadPlan = z.object({
  size: z.number(),
  segmentSize: z.number(),
  segmentCount: z.number(),
  concurrency: z.number(),
  /** True when the file goes up as one ordinary object (at or under the segment size). */
  single: z.boolean(),
  /** Sub-manifests needed because segmentCount exceeds max_manifest_segments. */
  subManifests: z.number(),
  segmentContainer: z.string(),
  warnings: z.array(z.string()),
});
export type UploadPlan = z.infer<typeof UploadPlan>;

/** Segment states packed one character each: p pending, s sending, v verified, f failed. */
export const SegmentStates = z.string().regex(/^[psvf]*$/);

export const TransferInfo = z.object({
  id: z.string(),
  direction: z.enum(['upload', 'download']),
  state: z.enum(['queued', 'running', 'paused', 'finishing', 'done', 'failed', 'cancelled', 'interrupted']),
  container: z.string(),
  object: z.string(),
  /** File name on the local side (path in Electron/CLI, file name in the browser). */
  local: z.string(),
  totalBytes: z.number(),
  doneBytes: z.number(),
  rateBps: z.number(),
  etaSeconds: z.number().nullable(),
  segmentSize: z.number(),
  segments: SegmentStates,
  /** Bytes re-sent because a segment had to be retried or resumed. */
  resentBytes: z.number(),
  error: ErrorValue.optional(),
  /** Set when done: the object's ETag and whether every byte was checked. */
  result: z.object({ etag: z.string(), verified: z.boolean(), message: z.string() }).optional(),
  startedAt: z.number(),
  updatedAt: z.number(),
  /** Browser mode: where the finished download can be fetched. */
  downloadUrl: z.string().optional(),
});
export type TransferInfo = z.infer<typeof TransferInfo>;

/** Where upload bytes come from: a host path (Electron, CLI) or a File held by the browser. */
export const UploadSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('path'), path: z.string().min(1) }),
  z.object({
    kind: z.literal('browser-file'),
    fileId: z.string().min(1),
    name: z.string(),
    size: z.number().int().min(0),
    lastModified: z.number(),
  }),
]);
export type UploadSource = z.infer<typeof UploadSource>;

export const DownloadTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('path'), path: z.string().min(1) }),
  /** Browser mode: the host streams a verified download at `downloadUrl`. */
  z.object({ kind: z.literal('browser') }),
]);
export type DownloadTarget = z.infer<typeof DownloadTarget>;

export const TranscriptEntry = z.object({
  id: z.number(),
  time: z.number(),
  method: z.string(),
  url: z.string(),
  status: z.number().nullable(),
  durationMs: z.number(),
  transId: z.string().optional(),
  requestHeaders: z.record(z.string(), z.string()),
  responseHeaders: z.record(z.string(), z.string()),
  error: z.string().optional(),
});
export type TranscriptEntry = z.infer<typeof TranscriptEntry>;

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
    }),
    z.object({ entries: z.array(ObjectEntry), nextMarker: z.string().nullable() }),
  ),
  'objects.stat': call(target, ObjectStat),
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

  'transfers.planUpload': call(
    z.object({
      container: containerName,
      object: name,
      size: z.number().int().min(0),
      segmentSize: z.number().int().min(1).optional(),
      concurrency: z.number().int().min(1).max(32).optional(),
      segmentContainer: containerName.optional(),
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
    }),
    TransferInfo,
  ),
  'transfers.download': call(
    z.object({ container: containerName, object: name, target: DownloadTarget, concurrency: z.number().int().min(1).max(32).optional() }),
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
