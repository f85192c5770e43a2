// The one implementation of the contract, shared by every host. Hosts differ only in their HostPlatform
// (secrets, dropped files, downloads, dialogs); everything a user does flows through here into app/.
import { createDemo } from './demo.ts';
import { startSandbox, sandboxStatus } from '../sandbox/manager.ts';
import type { CallArgs } from '../rpc/contract.ts';
import type { Profile } from '../domain/auth.ts';
import type { ConnectionState } from '../domain/cluster.ts';
import type { Handlers, HostPlatform } from '../rpc/handlers.ts';
import { SwiftError } from '../swift/errors.ts';
import { listContainers, listContainersPage, listObjectsPage } from '../swift/listing.ts';
import { createContainer, deleteContainer, headAccount, headContainer, headObject } from '../swift/objects.ts';
import { peekObject } from '../swift/peek.ts';
import { toCurl, Transcript } from '../swift/transcript.ts';
import type { SwiftClient } from '../swift/client.ts';
import { capabilities } from '../swift/info.ts';
import { inspectObject } from '../slo/inspect.ts';
import { GraphCache, leafPage } from '../slo/leaf-page.ts';
import { verifyObject } from '../slo/verify.ts';
import { deleteObjectAndSegments } from '../slo/delete.ts';
import { planUpload } from '../transfer/plan.ts';
import { TransferManager } from '../transfer/manager.ts';
import { openFileSource } from '../transfer/file-source.ts';
import { doctorHandlers } from './doctor-handlers.ts';
import { maintenanceHandlers } from './maintenance.ts';
import { batchHandlers } from './batch-handlers.ts';
import { objOpsHandlers } from './objops.ts';
import { clientFor, openConnection, type OpenConnection } from './connection.ts';
import { ProfileStore } from './profiles.ts';

export const SANDBOX_PROFILE_ID = 'local-sandbox';

/** Segment containers as python-swiftclient and SLO Studio name them. */
export function isSegmentContainer(name: string): boolean {
  return name.endsWith('_segments') || name.endsWith('.segments');
}

export interface StudioHandlers extends Handlers {
  dispose(): Promise<void>;
}

export function createHandlers(platform: HostPlatform): StudioHandlers {
  const profiles = new ProfileStore(platform.dataDir, platform.secrets);
  const transcript = new Transcript();
  transcript.on((r) => platform.broadcast('transcript.entry', r));
  let current: OpenConnection | undefined;

  const transfers = new TransferManager({
    client: () => need().client,
    dataDir: platform.dataDir,
    emit: (info) => platform.broadcast('transfer.update', info),
  });

  function refuseHostPath(): void {
    if (!platform.hostPaths) {
      throw new SwiftError({ kind: 'invalid', message: 'This host does not read or write local files by path; drop the file into the window, and downloads are saved by the browser.' });
    }
  }

  function need(): OpenConnection {
    if (!current) throw new SwiftError({ kind: 'invalid', message: 'Not connected: choose a connection first.' });
    return current;
  }
  const client = (): SwiftClient => need().client;
  // Measured manifest graphs of the objects being paged through (slo.leaves), so each page costs a HEAD only.
  const graphs = new GraphCache();

  async function switchTo(conn: OpenConnection): Promise<ConnectionState> {
    const old = current;
    current = conn;
    if (old && old.client !== conn.client) await old.client.close().catch(() => {});
    await profiles.setLastUsed(conn.profile.id);
    platform.broadcast('connection.changed', conn.state);
    return conn.state;
  }

  async function sandboxProfile(): Promise<Profile> {
    const info = await startSandbox();
    const profile: Profile = {
      id: SANDBOX_PROFILE_ID,
      name: 'Local sandbox',
      auth: { type: 'v1', authUrl: info.authUrl, user: info.user, key: info.key },
      insecure: false,
      concurrency: 8,
      sandbox: true,
    };
    await profiles.save(profile);
    return profile;
  }

  const handlers: StudioHandlers = {
    async 'host.info'() {
      return platform.info;
    },

    async 'profiles.list'() {
      return profiles.list();
    },
    async 'profiles.save'({ profile }) {
      return profiles.save(profile);
    },
    async 'profiles.remove'({ id }) {
      if (current?.profile.id === id) {
        await current.client.close().catch(() => {});
        current = undefined;
        platform.broadcast('connection.changed', null);
      }
      return { removed: await profiles.remove(id) };
    },
    async 'profiles.test'({ profile }) {
      const full = await profiles.withStoredSecret(profile);
      const c = clientFor(full);
      try {
        await c.auth();
        const caps = await capabilities(c);
        const slo = caps.slo ? `SLO supported (up to ${caps.slo.maxManifestSegments} segments per manifest)` : 'this cluster does NOT support SLO';
        return { ok: true, message: `Connected to account ${c.account}; ${slo}.`, account: c.account };
      } catch (e) {
        const err = e instanceof SwiftError ? e : new SwiftError({ kind: 'network', message: String(e) });
        return { ok: false, message: err.describe() };
      } finally {
        await c.close().catch(() => {});
      }
    },

    async 'connection.open'({ profileId }) {
      const profile = profileId === SANDBOX_PROFILE_ID ? await sandboxProfile() : await profiles.get(profileId);
      return switchTo(await openConnection(profile, transcript));
    },
    async 'connection.openSandbox'() {
      return switchTo(await openConnection(await sandboxProfile(), transcript));
    },
    async 'connection.current'() {
      return current?.state ?? null;
    },
    async 'connection.close'() {
      const had = current !== undefined;
      await current?.client.close().catch(() => {});
      current = undefined;
      platform.broadcast('connection.changed', null);
      return { closed: had };
    },

    async 'sandbox.status'() {
      const s = await sandboxStatus();
      return { state: s.state, problems: s.problems, ...(s.info ? { authUrl: s.info.authUrl } : {}) };
    },

    async 'containers.list'({ prefix, hideSegments }) {
      const containers = [];
      for await (const c of listContainers(client(), prefix ? { prefix } : {})) {
        if (hideSegments && isSegmentContainer(c.name)) continue;
        containers.push(c);
      }
      return { containers };
    },
    async 'containers.create'({ container }) {
      return { created: await createContainer(client(), container) };
    },
    async 'containers.delete'({ container }) {
      await deleteContainer(client(), container);
      return { deleted: true };
    },
    'demo.create': () => createDemo(client()),

    async 'objects.list'(args) {
      const page = await listObjectsPage(client(), args.container, {
        prefix: args.prefix,
        limit: args.limit,
        ...(args.delimiter ? { delimiter: args.delimiter } : {}),
        ...(args.marker ? { marker: args.marker } : {}),
        ...(args.reverse ? { reverse: true } : {}),
      });
      // Listings only hint at kinds (0-byte objects may be DLO manifests); the renderer resolves those lazily with
      // objects.stat for the rows on screen, so a page of 1,000 empty objects costs one request, not 1,001.
      return page;
    },
    async 'objects.stat'({ container, object }) {
      return headObject(client(), container, object);
    },
    async 'objects.peek'({ container, object, bytes }) {
      return peekObject(client(), container, object, bytes);
    },
    async 'containers.stat'({ container }) {
      const { count, bytes } = await headContainer(client(), container);
      return { name: container, count, bytes };
    },
    async 'objects.delete'({ container, object, leaveSegments }) {
      return deleteObjectAndSegments(client(), container, object, { leaveSegments });
    },

    async 'slo.inspect'({ container, object }) {
      return inspectObject(client(), container, object);
    },
    async 'slo.verify'({ container, object }) {
      return verifyObject(client(), container, object);
    },
    async 'slo.leaves'({ container, object, from, count }) {
      return leafPage(client(), container, object, from, count, graphs);
    },

    ...doctorHandlers(client),
    ...maintenanceHandlers(client),
    ...batchHandlers(client, transfers, platform, refuseHostPath),
    ...objOpsHandlers(client),

    async 'transfers.planUpload'(args) {
      const caps = await capabilities(client());
      return planUpload(
        {
          size: args.size,
          container: args.container,
          ...(args.segmentSize ? { segmentSize: args.segmentSize } : {}),
          ...(args.concurrency ? { concurrency: args.concurrency } : {}),
          ...(args.maxConcurrency ? { maxConcurrency: args.maxConcurrency } : {}),
          ...(args.segmentContainer ? { segmentContainer: args.segmentContainer } : {}),
          ...(args.asSlo ? { asSlo: true } : {}),
        },
        caps,
      );
    },
    async 'transfers.upload'(args) {
      need();
      if (args.source.kind === 'path') refuseHostPath();
      const source =
        args.source.kind === 'path'
          ? await openFileSource(args.source.path)
          : platform.browserFile
            ? platform.browserFile(args.source.fileId, args.source.name, args.source.size, args.source.lastModified)
            : (() => {
                throw new SwiftError({ kind: 'invalid', message: 'This host cannot read files held by a browser tab.' });
              })();
      return transfers.upload(source, uploadArgs(args));
    },
    async 'transfers.download'(args) {
      need();
      if (args.target.kind === 'path') {
        refuseHostPath();
        return transfers.download({ container: args.container, object: args.object, path: args.target.path, ...(args.concurrency ? { concurrency: args.concurrency } : {}), ...(args.maxConcurrency ? { maxConcurrency: args.maxConcurrency } : {}) });
      }
      if (!platform.serveDownload) throw new SwiftError({ kind: 'invalid', message: 'This host cannot stream downloads to a browser; choose a file to save to.' });
      const serve = platform.serveDownload.bind(platform);
      return transfers.downloadToSink({
        container: args.container,
        object: args.object,
        ...(args.concurrency ? { concurrency: args.concurrency } : {}),
        serve: (id, meta, write) => serve(id, meta, write),
      });
    },
    async 'transfers.list'() {
      return { transfers: transfers.list() };
    },
    async 'transfers.pause'({ id }) {
      return transfers.pause(id);
    },
    async 'transfers.resume'({ id }) {
      need();
      return transfers.resume(id);
    },
    async 'transfers.cancel'({ id }) {
      return transfers.cancel(id);
    },
    async 'transfers.dismiss'({ id }) {
      return { dismissed: transfers.dismiss(id) };
    },

    async 'transcript.list'({ since }) {
      return { entries: transcript.list(since ?? 0) };
    },
    async 'transcript.curl'({ id, includeToken }) {
      const rec = transcript.get(id);
      if (!rec) throw new SwiftError({ kind: 'not-found', message: `Request #${id} is no longer in the transcript.` });
      return { command: toCurl(rec, includeToken ? current?.client.token : undefined) };
    },
    async 'transcript.clear'() {
      transcript.clear();
      return { cleared: true };
    },

    async 'dialog.openFiles'() {
      throw new SwiftError({ kind: 'invalid', message: 'Native file dialogs exist only in the desktop app; use the file picker or drop files.' });
    },
    async 'dialog.saveFile'() {
      throw new SwiftError({ kind: 'invalid', message: 'Native file dialogs exist only in the desktop app; the browser saves downloads itself.' });
    },
    async 'dialog.pickFolder'() {
      throw new SwiftError({ kind: 'invalid', message: 'Native folder dialogs exist only in the desktop app; use the folder picker or drop a folder.' });
    },

    async 'account.stat'() {
      const { containers, objects, bytes } = await headAccount(client());
      return { containers, objects, bytes };
    },
    async 'containers.page'({ prefix, marker, reverse, limit, hideSegments }) {
      // Hidden segment containers may fill a whole page: read on until a page shows something (or the listing ends),
      // so a window that asks for more always gets rows or an end, never an empty page that promises more.
      for (let at = marker, pages = 0; ; pages++) {
        const page = await listContainersPage(client(), { limit, ...(prefix ? { prefix } : {}), ...(at ? { marker: at } : {}), ...(reverse ? { reverse } : {}) });
        const shown = hideSegments ? page.containers.filter((c) => !isSegmentContainer(c.name)) : page.containers;
        if (shown.length > 0 || !page.more || pages >= 50) return { containers: shown, more: page.more && shown.length > 0 };
        at = page.containers.at(-1)!.name;
      }
    },

    async dispose() {
      await transfers.dispose();
      await current?.client.close().catch(() => {});
      current = undefined;
    },
  };
  return handlers;
}

function uploadArgs(args: CallArgs<'transfers.upload'>) {
  return {
    container: args.container,
    object: args.object,
    leaveSegments: args.leaveSegments,
    ...(args.segmentSize ? { segmentSize: args.segmentSize } : {}),
    ...(args.concurrency ? { concurrency: args.concurrency } : {}),
    ...(args.maxConcurrency ? { maxConcurrency: args.maxConcurrency } : {}),
    ...(args.segmentContainer ? { segmentContainer: args.segmentContainer } : {}),
    ...(args.asSlo ? { asSlo: true } : {}),
  };
}
