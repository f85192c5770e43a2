// rclone as a competitor (Debian's 1.60 here). Its remote is configured only through the environment
// (RCLONE_CONFIG_<NAME>_*), pre-authenticated with the same storage URL and token every competitor gets, so nothing
// is written to ~/.config/rclone. rclone does not verify SLO/DLO content: it has no MD5 for a large object.
import { run } from './proc.ts';
import type { Endpoint } from './swift.ts';

export interface Rclone {
  available: boolean;
  /** Why it is skipped, when it is. */
  reason?: string;
  version?: string;
}

let probed: Promise<Rclone> | undefined;

/** Finds rclone on PATH once per bench run. */
export function probeRclone(): Promise<Rclone> {
  probed ??= run('rclone', ['version']).then(
    (r) => (r.code === 0 ? { available: true, version: r.stdout.split('\n')[0]?.replace(/^rclone\s+/, '').trim() ?? '?' } : { available: false, reason: `rclone version exited ${r.code}` }),
    () => ({ available: false, reason: 'rclone is not installed (apt-get install -y rclone); skipped' }),
  );
  return probed;
}

/** Environment naming the remote `slobench:` for one endpoint (loopback or through the WAN shaper). */
export function rcloneEnv(base: NodeJS.ProcessEnv, ep: Endpoint): NodeJS.ProcessEnv {
  return {
    ...base,
    RCLONE_CONFIG: '/dev/null',
    RCLONE_CONFIG_SLOBENCH_TYPE: 'swift',
    RCLONE_CONFIG_SLOBENCH_STORAGE_URL: ep.storageUrl,
    RCLONE_CONFIG_SLOBENCH_AUTH_TOKEN: ep.token,
  };
}

export const RCLONE_REMOTE = 'slobench';
