// The contract's doctor.* and compose.* calls, ready to spread into the shared handler table:
//   const handlers = { ...doctorHandlers(client), ... }
import type { Handlers } from '../rpc/handlers.ts';
import type { SwiftClient } from '../swift/client.ts';
import { composeManifest, createComposed, loadForEdit } from './compose.ts';
import { diagnose, fixObject } from './doctor.ts';

export type DoctorHandlers = Pick<Handlers, 'doctor.run' | 'doctor.fix' | 'compose.preview' | 'compose.load' | 'compose.create'>;

/** `client` returns the current connection's client (and throws when there is none). */
export function doctorHandlers(client: () => SwiftClient): DoctorHandlers {
  return {
    async 'doctor.run'({ container, object }) {
      return diagnose(client(), container, object);
    },
    async 'doctor.fix'({ container, object, confirm, dropMissing }) {
      return fixObject(client(), container, object, { confirm, dropMissing });
    },
    async 'compose.preview'({ entries, container, object }) {
      return composeManifest(client(), entries, container && object ? { target: { container, object } } : {});
    },
    async 'compose.load'({ container, object }) {
      return { entries: await loadForEdit(client(), container, object, { text: true }) };
    },
    async 'compose.create'({ container, object, entries }) {
      return createComposed(client(), container, object, entries);
    },
  };
}
