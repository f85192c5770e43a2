// A streamed POSIX tar (ustar + pax records for long or non-ASCII names and sizes past 8 GiB): how browser mode hands
// a whole folder to the browser, which cannot be given a directory to write into. Names come in already made safe.
import { createHash } from 'node:crypto';

const BLOCK = 512;

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

function header(name: string, size: number, type: '0' | 'x', mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(0o644, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(mtime, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write(type, 156, 'ascii');
  h.write('ustar\0' + '00', 257, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + ' ', 148, 'ascii');
  return h;
}

const ASCII_NAME = /^[\x20-\x7e]{1,99}$/;
const MAX_OCTAL_SIZE = 8 ** 11 - 1;

/** The header block(s) of one file: a pax record first when the name or size does not fit ustar. */
export function tarEntryHeader(name: string, size: number, mtime = Math.floor(Date.now() / 1000)): Buffer {
  const records = (ASCII_NAME.test(name) ? '' : paxRecord('path', name)) + (size > MAX_OCTAL_SIZE ? paxRecord('size', String(size)) : '');
  const plain = ASCII_NAME.test(name) ? name : `PaxHeaders/${createHash('md5').update(name).digest('hex')}`;
  const main = header(plain, size > MAX_OCTAL_SIZE ? 0 : size, '0', mtime);
  if (!records) return main;
  const data = Buffer.from(records, 'utf8');
  return Buffer.concat([header(`PaxHeaders/${plain.slice(-80)}`, data.length, 'x', mtime), data, Buffer.alloc(tarPadding(data.length)), main]);
}

/** Zero bytes after a file's data up to the next 512-byte block. */
export function tarPadding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

/** Two zero blocks end the archive. */
export const TAR_END = Buffer.alloc(2 * BLOCK);
