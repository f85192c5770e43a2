// Times as users type them on the command line: durations ("90s", "15m", "1h", "7d") and dates (ISO 8601 or epoch
// seconds), for temp URL expiry and X-Delete-At.
import { UsageError } from './args.ts';

const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** "1h" → 3600; a bare number is seconds. */
export function parseDuration(text: string, flag: string): number {
  const m = /^\s*(\d+)\s*([smhdw]?)\s*$/i.exec(text);
  if (!m || Number(m[1]) <= 0) throw new UsageError(`--${flag} needs a duration like 90s, 15m, 1h or 7d (got "${text}").`);
  return Number(m[1]) * UNIT[(m[2] || 's').toLowerCase()]!;
}

/** An ISO date ("2027-01-31", "2027-01-31T12:00:00Z") or epoch seconds → epoch seconds. */
export function parseDate(text: string, flag: string): number {
  if (/^\d{9,11}$/.test(text.trim())) return Number(text.trim());
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw new UsageError(`--${flag} needs a date (2027-01-31 or 2027-01-31T12:00:00Z) or seconds since 1970 (got "${text}").`);
  return Math.floor(ms / 1000);
}
