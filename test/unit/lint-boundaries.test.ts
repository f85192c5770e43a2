import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { lintFile } from '../../scripts/lint.ts';

describe('environment boundaries', () => {
  it('rejects Electron, React and DOM in app/', () => {
    expect(lintFile('app/x.ts', `import { app } from 'electron';`)).toHaveLength(1);
    expect(lintFile('app/x.ts', `import React from 'react';`)).toHaveLength(1);
    expect(lintFile('app/x.ts', `import { useStore } from 'zustand';`)).toHaveLength(1);
    expect(lintFile('app/x.ts', `const el = document.createElement('div');`)).toHaveLength(1);
    expect(lintFile('app/slo/x.ts', `import { a } from '../../main/browser/server.ts';`)).toHaveLength(1);
    expect(lintFile('app/x.ts', `import { readFile } from 'node:fs/promises';\nimport { z } from 'zod';`)).toEqual([]);
  });

  it('keeps the renderer on the contract', () => {
    expect(lintFile('renderer/src/a.ts', `import { readFile } from 'node:fs';`)).toHaveLength(1);
    expect(lintFile('renderer/src/a.ts', `import { SwiftClient } from '../../app/swift/client.ts';`)).toHaveLength(1);
    expect(lintFile('renderer/src/a.ts', `import type { CallName } from '../../app/rpc/contract.ts';`)).toEqual([]);
    expect(lintFile('renderer/src/a.ts', `import { ipcRenderer } from 'electron';`)).toHaveLength(1);
  });

  it('keeps the RPC layer above the core and the domain plain', () => {
    expect(lintFile('app/swift/x.ts', `import type { AuthConfig } from '../rpc/contract.ts';`)).toHaveLength(1);
    expect(lintFile('app/slo/x.ts', `import type { Handlers } from '../rpc/handlers.ts';`)).toHaveLength(1);
    expect(lintFile('app/swift/x.ts', `import type { AuthConfig } from '../domain/auth.ts';`)).toEqual([]);
    expect(lintFile('app/studio/x.ts', `import type { Handlers } from '../rpc/handlers.ts';`)).toEqual([]);
    expect(lintFile('app/domain/x.ts', `import { SwiftError } from '../swift/errors.ts';`)).toHaveLength(1);
    expect(lintFile('app/domain/x.ts', `import { z } from 'zod';\nimport { ObjectKind } from './objects.ts';`)).toEqual([]);
  });

  it('allows only electron in the sandboxed preload', () => {
    expect(lintFile('main/electron/preload.ts', `import { contextBridge } from 'electron';`)).toEqual([]);
    expect(lintFile('main/electron/preload.ts', `import { readFileSync } from 'node:fs';`)).toHaveLength(1);
  });

  it('passes on the real tree', () => {
    const out = execFileSync('node', ['bin/run.mjs', 'scripts/lint.ts'], { encoding: 'utf8' });
    expect(out).toMatch(/0 problem/);
  });
});
