// The lint's rules, proven by running ESLint on planted code with the repo's own eslint.config.js: each text is
// linted as if it were the named file, so the per-directory rules apply exactly as in `npm run lint`.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.ts';

const eslint = new ESLint({ cwd: REPO });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${REPO}/${filePath}` });
  return result!.messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

/** Only the boundary findings (planted imports are unused, which another rule reports too). */
async function denied(filePath: string, code: string): Promise<string[]> {
  return (await problems(filePath, code)).filter((p) => p.startsWith('boundaries/imports: '));
}

describe('environment boundaries', () => {
  it('rejects Electron, React and the hosts in app/, however they are imported', async () => {
    for (const code of [
      `import 'electron';`,
      `import { app } from 'electron';`,
      `export { app } from 'electron';`,
      `export const load = () => import('electron');`,
      `import React from 'react';`,
      `import { create } from 'zustand';`,
      `import { a } from '../../main/browser/server.ts';`,
      `import '../../renderer/src/main.tsx';`,
    ]) {
      expect(await denied('app/slo/planted.ts', code), code).toHaveLength(1);
    }
  });

  it('rejects DOM globals in app/', async () => {
    expect(await problems('app/planted.ts', `export const el = document.createElement('div');`)).toEqual([expect.stringMatching(/^no-restricted-globals: /)]);
  });

  it('keeps the RPC layer above the core and the domain plain', async () => {
    const contract = `import type { AuthConfig } from '../rpc/contract.ts';\nexport type A = AuthConfig;`;
    for (const dir of ['swift', 'slo', 'transfer', 'sandbox']) {
      expect(await problems(`app/${dir}/planted.ts`, contract)).toEqual([expect.stringMatching(/only app\/studio may import the RPC layer/)]);
    }
    expect(await denied('app/slo/planted.ts', `import type { Handlers } from '../rpc/handlers.ts';`)).toHaveLength(1);
    expect(await problems('app/studio/planted.ts', contract)).toEqual([]);
    expect(await problems('app/swift/planted.ts', `import type { AuthConfig } from '../domain/auth.ts';\nexport type A = AuthConfig;`)).toEqual([]);
    expect(await denied('app/domain/planted.ts', `import { SwiftError } from '../swift/errors.ts';\nexport const E = SwiftError;`)).toHaveLength(1);
    expect(await problems('app/domain/planted.ts', `import { z } from 'zod';\nimport { ObjectKind } from './objects.ts';\nexport const K = z.object({ kind: ObjectKind });`)).toEqual([]);
  });

  it('keeps the renderer on the contract', async () => {
    const bad = [
      `import { SwiftClient } from '../../app/swift/client.ts';`,
      `import { readFile } from 'node:fs';`,
      `import { readFile } from 'fs/promises';`,
      `import { ipcRenderer } from 'electron';`,
      `import { request } from 'undici';`,
      `import { main } from '../../main/cli/slo.ts';`,
    ];
    for (const code of bad) expect(await denied('renderer/src/planted.ts', code), code).toHaveLength(1);
    expect(await problems('renderer/src/planted.ts', `import type { CallName } from '../../app/rpc/contract.ts';\nexport type C = CallName;`)).toEqual([]);
  });

  it('lets the sandboxed preload load only electron', async () => {
    expect(await problems('main/electron/preload.ts', `import { contextBridge } from 'electron';\ncontextBridge.exposeInMainWorld('x', {});`)).toEqual([]);
    expect(await problems('main/electron/preload.ts', `import type { RpcEvent } from '../../app/rpc/contract.ts';\nexport type E = RpcEvent;`)).toEqual([]);
    expect(await denied('main/electron/preload.ts', `import { readFileSync } from 'node:fs';\nreadFileSync('x');`)).toHaveLength(1);
    expect(await denied('main/electron/preload.ts', `import { RpcEvent } from '../../app/rpc/contract.ts';\nRpcEvent.parse({});`)).toHaveLength(1);
  });

  it('keeps Electron out of the CLI and the browser host', async () => {
    for (const file of ['main/cli/planted.ts', 'main/browser/planted.ts']) {
      expect(await denied(file, `import 'electron';`)).toHaveLength(1);
    }
  });
});

describe('React hooks rules', () => {
  it('fails a hook called conditionally and a missing effect dependency', async () => {
    const conditional = `import { useState } from 'react';\nexport function A({ on }: { on: boolean }) {\n  if (on) useState(0);\n  return null;\n}`;
    expect(await problems('renderer/src/components/Planted.tsx', conditional)).toEqual([expect.stringMatching(/^react-hooks\/rules-of-hooks: /)]);
    const missing = `import { useEffect } from 'react';\nexport function A({ n }: { n: number }) {\n  useEffect(() => console.log(n), []);\n  return null;\n}`;
    expect(await problems('renderer/src/components/Planted.tsx', missing)).toEqual([expect.stringMatching(/^react-hooks\/exhaustive-deps: /)]);
  });

  it('passes clean code', async () => {
    const clean = `import { useEffect, useState } from 'react';\nexport function A({ n }: { n: number }) {\n  const [x, setX] = useState(n);\n  useEffect(() => setX(n), [n]);\n  return x;\n}`;
    expect(await problems('renderer/src/components/Planted.tsx', clean)).toEqual([]);
  });
});

describe('the real tree', () => {
  it('passes', { timeout: 180_000 }, async () => {
    const results = await eslint.lintFiles(['.']);
    const found = results.flatMap((r) => r.messages.map((m) => `${r.filePath.slice(REPO.length + 1)}:${m.line} ${m.ruleId}: ${m.message}`));
    expect(found).toEqual([]);
  });
});
