// Test helpers around the real sandbox: a client from the provided credentials and unique container names.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { SwiftClient } from '../../app/swift/client.ts';

export function sandboxCreds() {
  return inject('sandbox');
}

export function sandboxClient(extra: Partial<ConstructorParameters<typeof SwiftClient>[0]> = {}): SwiftClient {
  const s = sandboxCreds();
  return new SwiftClient({ auth: { type: 'v1', authUrl: s.authUrl, user: s.user, key: s.key }, ...extra });
}

export function uniqueName(purpose: string): string {
  return `t-${purpose}-${randomBytes(4).toString('hex')}`;
}

/** Environment for python-swiftclient and `slo` children. */
export function swiftEnv(): NodeJS.ProcessEnv {
  const s = sandboxCreds();
  return { ...process.env, ST_AUTH: s.authUrl, ST_USER: s.user, ST_KEY: s.key };
}

/** A ustar archive of empty files, streamed: 512-byte header per file, no data blocks, two zero blocks at the end. */
export async function* emptyFilesTar(names: Iterable<string>): AsyncGenerator<Uint8Array> {
  for (const name of names) {
    const h = Buffer.alloc(512);
    h.write(name, 0, 100, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write('00000000000\0', 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    yield h;
  }
  yield Buffer.alloc(1024);
}
