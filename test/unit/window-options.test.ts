// Electron window hardening: every flag present with its safe value, and CSPs without eval or inline scripts.
import { describe, expect, it } from 'vitest';
import { ELECTRON_CSP, hardenedWebPreferences, windowOptions } from '../../main/electron/window-options.ts';
import { contentSecurityPolicy } from '../../main/browser/server.ts';

describe('hardenedWebPreferences', () => {
  const prefs = hardenedWebPreferences('/app/dist/electron/preload.cjs');

  it.each([
    ['contextIsolation', true],
    ['sandbox', true],
    ['nodeIntegration', false],
    ['nodeIntegrationInWorker', false],
    ['nodeIntegrationInSubFrames', false],
    ['webSecurity', true],
    ['allowRunningInsecureContent', false],
    ['experimentalFeatures', false],
    ['webviewTag', false],
    ['spellcheck', false],
    ['navigateOnDragDrop', false],
  ] as const)('sets %s to %s explicitly', (flag, value) => {
    expect(Object.prototype.hasOwnProperty.call(prefs, flag)).toBe(true);
    expect(prefs[flag]).toBe(value);
  });

  it('uses the given preload and nothing else that loosens isolation', () => {
    expect(prefs.preload).toBe('/app/dist/electron/preload.cjs');
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('additionalArguments');
  });

  it('windowOptions carries the same preferences and the product title', () => {
    const options = windowOptions('/p.cjs');
    expect(options.title).toBe('SLO Studio');
    expect(options.webPreferences).toEqual(hardenedWebPreferences('/p.cjs'));
  });
});

describe('content security policies', () => {
  for (const [name, csp] of [
    ['Electron', ELECTRON_CSP],
    ['browser mode', contentSecurityPolicy(4321)],
  ] as const) {
    it(`${name}: no eval, no inline scripts, no plugins, no framing`, () => {
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).not.toContain('wasm-unsafe-eval');
      const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'));
      expect(scriptSrc).toBe("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).toContain("default-src 'self'");
    });
  }

  it('browser mode lets the page reach only its own WebSocket', () => {
    expect(contentSecurityPolicy(4321)).toContain("connect-src 'self' ws://127.0.0.1:4321 ws://localhost:4321;");
  });
});

describe('developer tools', () => {
  it('are off in a packaged build whatever the environment says, on in a development build', async () => {
    const { devToolsAllowed } = await import('../../main/electron/window-options.ts');
    const before = process.env.SLO_STUDIO_DEV;
    process.env.SLO_STUDIO_DEV = '1';
    try {
      expect(devToolsAllowed(true)).toBe(false);
    } finally {
      if (before === undefined) delete process.env.SLO_STUDIO_DEV;
      else process.env.SLO_STUDIO_DEV = before;
    }
    expect(devToolsAllowed(false)).toBe(true);
  });
});
