// The preview of a plain object: a Range GET of its first KiB, as text when it is text, total size from Content-Range.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContainer, deleteContainer, deleteObject, putObject } from '../../app/swift/objects.ts';
import { peekObject } from '../../app/swift/peek.ts';
import { sandboxClient, uniqueName } from '../helpers/swift.ts';

const client = sandboxClient();
const c = uniqueName('peek');
const names: string[] = [];

async function put(name: string, body: Buffer | string): Promise<void> {
  await putObject(client, c, name, { body: typeof body === 'string' ? Buffer.from(body) : body });
  names.push(name);
}

beforeAll(async () => {
  await createContainer(client, c);
});
afterAll(async () => {
  for (const n of names) await deleteObject(client, c, n, { missingOk: true });
  await deleteContainer(client, c);
  await client.close();
});

describe('peekObject against the sandbox', () => {
  it('reads only the first KiB of a long text and reports the full size', async () => {
    // 1023 ASCII bytes then "é" (2 bytes): the cut at 1024 splits it, and the text drops the half character.
    const body = 'a'.repeat(1023) + 'é' + 'b'.repeat(5000);
    await put('long.txt', body);
    const p = await peekObject(client, c, 'long.txt', 1024);
    expect(Buffer.from(p.base64, 'base64')).toEqual(Buffer.from(body).subarray(0, 1024));
    expect(p.total).toBe(Buffer.byteLength(body));
    expect(p.text).toBe('a'.repeat(1023));
  });

  it('gives no text for binary bytes', async () => {
    const bin = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    await put('image.png', bin);
    const p = await peekObject(client, c, 'image.png', 1024);
    expect(Buffer.from(p.base64, 'base64')).toEqual(bin);
    expect(p.total).toBe(bin.length);
    expect(p.text).toBeNull();
  });

  it('answers an empty object (Swift: 416 for any range) with nothing', async () => {
    await put('empty', '');
    expect(await peekObject(client, c, 'empty', 1024)).toEqual({ base64: '', total: 0, text: '' });
  });
});
