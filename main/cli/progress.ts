// Transfer progress on the terminal: a redrawn bar on a TTY (stderr), JSON lines on stdout with --json.
import type { TransferProgress } from '../../app/transfer/progress.ts';
import { formatBytes, formatDuration } from './format.ts';

export function progressPrinter(opts: { json: boolean; tty: boolean; out: (s: string) => void; label: string }): { update(p: TransferProgress): void; done(): void } {
  let drawn = false;
  let lastJson = 0;
  return {
    update(p) {
      if (opts.json) {
        // JSON lines are for machines (bench, scripts): at most ~4 a second plus the final one.
        const now = Date.now();
        if (p.phase !== 'done' && now - lastJson < 250) return;
        lastJson = now;
        opts.out(JSON.stringify({ type: 'progress', phase: p.phase, bytesDone: p.bytesDone, totalBytes: p.totalBytes, rateBps: Math.round(p.rateBps), etaSeconds: p.etaSeconds, segments: p.segmentCount ?? p.segments.length, verified: p.segmentsVerified ?? countOf(p.segments, 'v'), resentBytes: p.resentBytes }));
        return;
      }
      if (!opts.tty) return;
      const cols = Math.max(40, process.stderr.columns ?? 80);
      const frac = p.totalBytes ? p.bytesDone / p.totalBytes : p.phase === 'done' ? 1 : 0;
      const tail = ` ${(frac * 100).toFixed(0).padStart(3)}% ${formatBytes(p.bytesDone)}/${formatBytes(p.totalBytes)} ${formatBytes(p.rateBps)}/s ETA ${formatDuration(p.etaSeconds)}${p.segments.length ? ` seg ${p.segmentsVerified ?? countOf(p.segments, 'v')}/${p.segmentCount ?? p.segments.length}` : ''}${p.phase === 'finishing' ? ' finishing' : ''}`;
      const width = Math.max(10, cols - tail.length - opts.label.length - 4);
      const filled = Math.round(frac * width);
      process.stderr.write(`\r${opts.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}]${tail}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) process.stderr.write('\n');
    },
  };
}

function countOf(s: string, ch: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s[i] === ch) n++;
  return n;
}
