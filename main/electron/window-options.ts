// The BrowserWindow settings for the one app window: every Electron hardening flag set explicitly, so a change in
// Electron's defaults cannot quietly loosen them.
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

export const ELECTRON_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export function hardenedWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    spellcheck: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
  };
}

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    title: 'SLO Studio',
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false, // shown on ready-to-show, avoiding a white flash
    backgroundColor: '#101418',
    webPreferences: hardenedWebPreferences(preloadPath),
  };
}

/**
 * DevTools (and the View menu's reload/toggle items) exist only in a development build. No environment variable turns
 * them on in a packaged app: anyone who can set one for the user's session could otherwise read the renderer's state.
 */
export function devToolsAllowed(isPackaged: boolean): boolean {
  return !isPackaged;
}
