// Metadata, temp URLs and server-side copies as one service for every front end: the hosts serve these as the
// contract's metadata.*, tempurl.* and objects.copy calls; the CLI commands call the same Swift and SLO functions.
import type { Handlers } from '../rpc/handlers.ts';
import type { SwiftClient } from '../swift/client.ts';
import { readMetadata, writeMetadata } from '../swift/metadata.ts';
import { createTempUrl, readTempUrlKeys, setTempUrlKey } from '../swift/tempurl.ts';
import { copyObject } from '../slo/copy.ts';

export type ObjOpsHandlers = Pick<Handlers, 'metadata.get' | 'metadata.set' | 'tempurl.keys' | 'tempurl.setKey' | 'tempurl.create' | 'objects.copy'>;

/** `client` returns the current connection's client (and throws when there is none). */
export function objOpsHandlers(client: () => SwiftClient): ObjOpsHandlers {
  return {
    async 'metadata.get'({ container, object }) {
      return readMetadata(client(), container, object);
    },
    async 'metadata.set'({ container, object, change }) {
      return writeMetadata(client(), container, object, change);
    },
    async 'tempurl.keys'({ container, reveal }) {
      return readTempUrlKeys(client(), { container, reveal });
    },
    async 'tempurl.setKey'({ container, slot, key }) {
      await setTempUrlKey(client(), { container, slot, key });
      return readTempUrlKeys(client(), { container });
    },
    async 'tempurl.create'({ container, object, method, seconds }) {
      return createTempUrl(client(), { container, object, method, seconds });
    },
    async 'objects.copy'({ source, target, mode, overwrite, move }) {
      return copyObject(client(), source, target, { mode, overwrite, move });
    },
  };
}
