// The app version, from package.json (inlined by esbuild in the Electron bundle).
import pkg from '../package.json' with { type: 'json' };

export function appVersion(): string {
  return pkg.version;
}
