// The packaged app flips Electron's fuses: electron-builder reads them from electron-builder.yml (electronFuses).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

function fusesBlock(): Record<string, string> {
  const lines = readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith('electronFuses:'));
  const out: Record<string, string> = {};
  for (const l of start < 0 ? [] : lines.slice(start + 1)) {
    if (/^\s+#/.test(l)) continue;
    const m = /^\s+(\w+):\s*(\S+)/.exec(l);
    if (!m) break;
    out[m[1]!] = m[2]!;
  }
  return out;
}

describe('Electron fuses', () => {
  it('turn off run-as-node, NODE_OPTIONS and --inspect; turn on cookie encryption, asar integrity and asar-only loading', () => {
    expect(fusesBlock()).toMatchObject({
      runAsNode: 'false',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableCookieEncryption: 'true',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
      grantFileProtocolExtraPrivileges: 'false',
    });
  });
});
