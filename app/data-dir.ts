// Where SLO Studio keeps profiles, journals and partial downloads — the same place in browser mode, Electron and
// the CLI, so a profile saved in one shows up in the others.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** SLO_STUDIO_DATA_DIR, else $XDG_CONFIG_HOME/slo-studio, else ~/.config/slo-studio. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SLO_STUDIO_DATA_DIR) return resolve(env.SLO_STUDIO_DATA_DIR);
  const config = env.XDG_CONFIG_HOME ? resolve(env.XDG_CONFIG_HOME) : join(homedir(), '.config');
  return join(config, 'slo-studio');
}
