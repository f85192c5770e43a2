// Custom certificate authorities. A CA arrives as PEM text (the renderer reads the file the user picked); the only
// path read here is one a user typed on the command line, and it is read defensively: asynchronously, regular files
// only (a FIFO would block, /dev/zero would never end), at most 1 MiB.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import { SwiftError } from './errors.ts';

export const MAX_CA_BYTES = 1024 * 1024;

export async function readCaFile(path: string): Promise<string> {
  const fail = (message: string, cause?: unknown) => new SwiftError({ kind: 'invalid', message, cause });
  // O_NONBLOCK: opening a FIFO with no writer must not wait for one.
  const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch((e: unknown) => {
    const code = (e as NodeJS.ErrnoException).code;
    throw fail(code === 'ENOENT' ? `The CA file ${path} does not exist.` : `Could not open the CA file ${path}: ${(e as Error).message}`, e);
  });
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw fail(`The CA file ${path} is not a regular file; give a PEM file with CA certificates.`);
    if (st.size > MAX_CA_BYTES) throw fail(`The CA file ${path} is ${st.size} bytes; a CA bundle must be at most 1 MiB.`);
    const buf = Buffer.alloc(st.size);
    const { bytesRead } = await fh.read(buf, 0, st.size, 0);
    return checkCaPem(buf.subarray(0, bytesRead).toString('utf8'), path);
  } finally {
    await fh.close();
  }
}

/** PEM text with at least one certificate, within the size cap. */
export function checkCaPem(pem: string, source = 'The CA certificate'): string {
  if (Buffer.byteLength(pem) > MAX_CA_BYTES) throw new SwiftError({ kind: 'invalid', message: `${source} is larger than 1 MiB.` });
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new SwiftError({ kind: 'invalid', message: `${source} holds no PEM certificate ("-----BEGIN CERTIFICATE-----").` });
  }
  return pem;
}

/**
 * The CA list for TLS: Node's `ca` option replaces the default roots, so the custom CA is added to them — a
 * connection with a custom CA still trusts every public CA, exactly as the UI says.
 */
export function trustedCas(pem: string): string[] {
  return [...rootCertificates, pem];
}
