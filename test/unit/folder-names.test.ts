// The naming rules of folders up and down: "keep both" names, object names from a tree, local paths that stay
// inside the download folder, and the tar headers browser mode streams.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepBothName } from '../../app/transfer/keep-both.ts';
import { batchNames, decideTargets, objectNameFor } from '../../app/transfer/folder-upload.ts';
import { planLocalPaths, safeRelativePath } from '../../app/transfer/local-name.ts';
import { TAR_END, tarEntryHeader, tarPadding } from '../../app/transfer/tar.ts';

describe('keepBothName', () => {
  it('adds " (n)" before the extension, continues a number, keeps dot-files and folders', () => {
    const none = () => false;
    expect(keepBothName('dir/report.pdf', none)).toBe('dir/report (2).pdf');
    expect(keepBothName('dir/report (2).pdf', none)).toBe('dir/report (3).pdf');
    expect(keepBothName('.profile', none)).toBe('.profile (2)');
    expect(keepBothName('a.b/noext', none)).toBe('a.b/noext (2)');
    const taken = new Set(['x (2).tar.gz', 'x.tar (2).gz']);
    expect(keepBothName('x.tar.gz', (c) => taken.has(c))).toBe('x.tar (3).gz');
  });
});

describe('object names from a tree', () => {
  it('joins prefix and relative path, drops empty and "." parts, refuses ".." and two files on one name', () => {
    expect(objectNameFor('up/', 'photos/./2024//a.jpg')).toBe('up/photos/2024/a.jpg');
    expect(() => objectNameFor('', 'a/../b')).toThrow(/does not name a file inside the folder/);
    expect(() => batchNames('', [{ relPath: 'a/b' }, { relPath: 'a//b' }])).toThrow(/Two files of the batch would both become a\/b/);
  });

  it('applies per-name answers first, then the default for the rest', () => {
    const conflicts = [
      { object: 'a', keepBoth: 'a (2)' },
      { object: 'b', keepBoth: 'b (2)' },
    ];
    const d = decideTargets(['a', 'b', 'c'], conflicts, 'skip', { a: 'keep-both' });
    expect(d).toEqual({ uploads: [{ index: 0, object: 'a (2)' }, { index: 2, object: 'c' }], skipped: ['b'], renamed: [{ from: 'a', to: 'a (2)' }] });
  });
});

describe('safe local paths', () => {
  it('makes "..", absolute names, backslashes and over-long names safe; refuses NUL and what stays too long', () => {
    expect(safeRelativePath('a/../../x')).toEqual({ local: 'a/__/__/x', reasons: ['".." (parent folder) became "__"'] });
    expect(safeRelativePath('/etc/passwd').local).toBe('etc/passwd');
    expect(safeRelativePath('..\\..\\win.ini').local).toBe('.._.._win.ini');
    expect(safeRelativePath('a\0b')).toMatchObject({ local: null });
    expect(safeRelativePath('./.')).toMatchObject({ local: null });
    const long = safeRelativePath(`d/${'é'.repeat(200)}.txt`);
    expect(Buffer.byteLength(long.local!.split('/')[1]! + '.slo-partial')).toBeLessThanOrEqual(255);
    expect(long.local).toMatch(/~[0-9a-f]{8}\.txt$/);
    expect(safeRelativePath(Array.from({ length: 40 }, () => 'x'.repeat(100)).join('/'))).toMatchObject({ local: null });
  });

  it('tells apart objects that would share a path, and a file where a folder must be', () => {
    const { files, changed } = planLocalPaths([
      { object: 'p/a', relPath: 'a' },
      { object: 'p/a/b', relPath: 'a/b' },
      { object: 'p/x//y', relPath: 'x//y' },
      { object: 'p/x/y', relPath: 'x/y' },
    ]);
    expect(files.map((f) => f.local)).toEqual(['a (2)', 'a/b', 'x/y', 'x/y (2)']);
    expect(changed.map((c) => c.object)).toEqual(['p/a', 'p/x/y']);
  });
});

describe('tar', () => {
  it('writes headers GNU tar extracts, unicode and long names through pax records', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slo-tar-'));
    const entries: [string, Buffer][] = [
      ['plain.txt', Buffer.from('hello')],
      ['fotos/été/plage ☀.jpg', Buffer.from('sun')],
      [`${'long-'.repeat(30)}/name.bin`, Buffer.alloc(513, 1)],
    ];
    const parts: Buffer[] = [];
    for (const [name, data] of entries) parts.push(tarEntryHeader(name, data.length), data, Buffer.alloc(tarPadding(data.length)));
    parts.push(TAR_END);
    writeFileSync(join(dir, 'a.tar'), Buffer.concat(parts));
    execFileSync('tar', ['-xf', 'a.tar'], { cwd: dir });
    for (const [name, data] of entries) expect(readFileSync(join(dir, name)).equals(data), name).toBe(true);
  });
});
