// The CLI starts itself only when it is the program, on Windows paths as on POSIX ones.
import { mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isEntryPoint } from '../../main/cli/entry-point.ts';

describe('isEntryPoint', () => {
  it('recognises the module started as the program on POSIX', () => {
    expect(isEntryPoint('/home/u/slo-studio/dist/cli/slo.mjs', 'file:///home/u/slo-studio/dist/cli/slo.mjs', false)).toBe(true);
    expect(isEntryPoint('/home/u/slo-studio/bin/slo.mjs', 'file:///home/u/slo-studio/dist/cli/slo.mjs', false)).toBe(false);
    expect(isEntryPoint(undefined, 'file:///home/u/slo-studio/dist/cli/slo.mjs', false)).toBe(false);
  });

  it('recognises it from a Windows path, whatever the slashes and the drive letter case', () => {
    const url = 'file:///C:/Users/u/slo-studio/main/cli/slo.ts';
    expect(isEntryPoint('C:\\Users\\u\\slo-studio\\main\\cli\\slo.ts', url, true)).toBe(true);
    expect(isEntryPoint('c:\\Users\\u\\slo-studio\\main\\cli\\slo.ts', url, true)).toBe(true);
    expect(isEntryPoint('C:/Users/u/slo-studio/main/cli/slo.ts', url, true)).toBe(true);
    expect(isEntryPoint('C:\\Users\\u\\slo-studio\\bin\\slo.mjs', url, true)).toBe(false);
  });

  it('follows a symlink to the module (npm links bins)', () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'slo-entry-')));
    const real = join(dir, 'slo.mjs');
    writeFileSync(real, '');
    symlinkSync(real, join(dir, 'link'));
    expect(isEntryPoint(join(dir, 'link'), pathToFileURL(real).href, false)).toBe(true);
  });
});
