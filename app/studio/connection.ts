// Opening a connection: a SwiftClient per profile, authenticated, with the cluster's capabilities read once.
import type { ConnectionState, Profile } from '../rpc/contract.ts';
import { SwiftClient } from '../swift/client.ts';
import { capabilities } from '../swift/info.ts';
import type { Transcript } from '../swift/transcript.ts';

export interface OpenConnection {
  profile: Profile;
  client: SwiftClient;
  state: ConnectionState;
}

export function clientFor(profile: Profile, transcript?: Transcript): SwiftClient {
  return new SwiftClient({
    auth: profile.auth,
    concurrency: profile.concurrency,
    insecure: profile.insecure,
    ...(profile.caPem ? { caPem: profile.caPem } : {}),
    ...(transcript ? { transcript } : {}),
  });
}

export async function openConnection(profile: Profile, transcript?: Transcript): Promise<OpenConnection> {
  const client = clientFor(profile, transcript);
  try {
    const session = await client.auth();
    const caps = await capabilities(client);
    const state: ConnectionState = {
      profileId: profile.id,
      profileName: profile.name,
      storageUrl: session.storageUrl,
      account: client.account,
      capabilities: caps,
      warnings: [...client.warnings],
    };
    return { profile, client, state };
  } catch (e) {
    await client.close().catch(() => {});
    throw e;
  }
}
