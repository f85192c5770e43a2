// The Electron renderer is served from a privileged custom scheme, app://slo-studio/, not file://: it gets a real
// origin for CSP 'self', and main can tell our pages apart from anything else that might load.
export const APP_SCHEME = 'app';
export const APP_HOST = 'slo-studio';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** True for app://slo-studio/… (Node's URL reports origin "null" for custom schemes, so compare the parts). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}
