// Human-readable numbers. Binary units (KiB/MiB/GiB) everywhere; exact byte counts go in tooltips.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

export function humanBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  if (n < 1024) return `${n} B`;
  let v = n;
  let i = 0;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  const digits = v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return `${v.toFixed(digits).replace(/\.0+$|(\.\d*[1-9])0+$/, '$1')} ${UNITS[i]}`;
}

const nf = new Intl.NumberFormat('en-US');

export function exactBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return 'unknown size';
  return `${nf.format(n)} ${n === 1 ? 'byte' : 'bytes'}`;
}

export function formatCount(n: number): string {
  return nf.format(n);
}

export function formatRate(bps: number): string {
  if (!Number.isFinite(bps) || bps <= 0) return '—';
  return `${humanBytes(Math.round(bps))}/s`;
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${String(m % 60).padStart(2, '0')}m`;
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

const dtf = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const tf = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** Swift listings give "2024-05-01T10:20:30.123456" (UTC, no zone). */
export function parseSwiftDate(s: string | undefined): Date | null {
  if (!s) return null;
  const iso = /[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`;
  const d = new Date(iso);
  if (!Number.isNaN(d.getTime())) return d;
  const d2 = new Date(s);
  return Number.isNaN(d2.getTime()) ? null : d2;
}

export function formatDate(s: string | undefined): string {
  const d = parseSwiftDate(s);
  return d ? dtf.format(d) : s ?? '—';
}

export function formatTime(ms: number): string {
  return tf.format(new Date(ms));
}

export const SIZE_UNITS = [
  { label: 'KiB', factor: 1024 },
  { label: 'MiB', factor: 1024 ** 2 },
  { label: 'GiB', factor: 1024 ** 3 },
] as const;
export type SizeUnit = (typeof SIZE_UNITS)[number]['label'];

/** Splits bytes into the largest unit that keeps a tidy number, for editable size fields. */
export function splitSize(bytes: number): { value: number; unit: SizeUnit } {
  for (let i = SIZE_UNITS.length - 1; i >= 0; i--) {
    const u = SIZE_UNITS[i]!;
    if (bytes >= u.factor && (bytes / u.factor) * 100 === Math.round((bytes / u.factor) * 100)) {
      return { value: bytes / u.factor, unit: u.label };
    }
  }
  return { value: Math.max(1, Math.round(bytes / 1024)), unit: 'KiB' };
}

export function joinSize(value: number, unit: SizeUnit): number {
  const f = SIZE_UNITS.find((u) => u.label === unit)?.factor ?? 1;
  return Math.round(value * f);
}

export function basename(path: string): string {
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  const i = trimmed.lastIndexOf('/');
  return i >= 0 ? trimmed.slice(i + 1) : trimmed;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
