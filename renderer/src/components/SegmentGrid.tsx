// Per-segment state of a transfer: one small cell per character of `segments` (p pending, s sending,
// v verified, f failed). Up to 2,000 segments as DOM cells; beyond that, drawn on a canvas.
import { memo, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { formatCount } from '../lib/format.ts';

const CANVAS_THRESHOLD = 2000;
const STATE_NAMES: Record<string, string> = { p: 'pending', s: 'sending', v: 'verified', f: 'failed' };

function summarize(states: string): string {
  const c = { p: 0, s: 0, v: 0, f: 0 } as Record<string, number>;
  for (let i = 0; i < states.length; i++) c[states[i]!] = (c[states[i]!] ?? 0) + 1;
  const parts = ['v', 's', 'p', 'f'].filter((k) => c[k]).map((k) => `${formatCount(c[k]!)} ${STATE_NAMES[k]}`);
  return `${formatCount(states.length)} segments: ${parts.join(', ') || 'none'}`;
}

export const SegmentGrid = memo(function SegmentGrid({ states, id }: { states: string; id: string }) {
  if (states.length === 0) return null;
  const label = summarize(states);
  if (states.length > CANVAS_THRESHOLD) return <SegmentCanvas states={states} label={label} id={id} />;
  return (
    <div className="segment-grid" role="img" aria-label={label} title={label} data-testid={`segment-grid-${id}`}>
      {Array.from(states, (ch, i) => (
        <span key={i} className={`seg-cell seg-${ch}`} data-state={STATE_NAMES[ch]} />
      ))}
    </div>
  );
});

function cssVar(el: Element, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

function SegmentCanvas({ states, label, id }: { states: string; label: string; id: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(600);
  const [tick, setTick] = useState(0);

  useLayoutEffect(() => {
    const el = ref.current?.parentElement;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);

  // Sending cells blink twice a second (two frames a second, unlike a CSS animation's sixty); the DOM grid stripes them.
  const sending = states.includes('s');
  useEffect(() => {
    if (!sending) return;
    const t = setInterval(() => setTick((x) => x + 1), 500);
    return () => clearInterval(t);
  }, [sending]);

  // Smaller cells for very large transfers so the grid stays a few rows tall.
  const cell = states.length > 20000 ? 3 : states.length > 8000 ? 4 : 6;
  const gap = 1;
  const perRow = Math.max(1, Math.floor((width + gap) / (cell + gap)));
  const rows = Math.ceil(states.length / perRow);
  const height = rows * (cell + gap);

  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.max(1, Math.floor(width * dpr));
    c.height = Math.max(1, Math.floor(height * dpr));
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const colors: Record<string, string> = {
      p: cssVar(c, '--seg-pending', '#d0d4da'),
      s: cssVar(c, '--seg-sending', '#3b82f6'),
      v: cssVar(c, '--seg-verified', '#22a35a'),
      f: cssVar(c, '--seg-failed', '#dc3545'),
    };
    const pulse = tick % 2 === 0 ? 1 : 0.55;
    for (let i = 0; i < states.length; i++) {
      const ch = states[i]!;
      ctx.globalAlpha = ch === 's' ? pulse : 1;
      ctx.fillStyle = colors[ch] ?? colors.p!;
      ctx.fillRect((i % perRow) * (cell + gap), Math.floor(i / perRow) * (cell + gap), cell, cell);
    }
    ctx.globalAlpha = 1;
  }, [states, width, height, perRow, cell, tick]);

  return (
    <div className="segment-canvas-wrap">
      <canvas ref={ref} style={{ width, height }} role="img" aria-label={label} title={label} data-testid={`segment-grid-${id}`} />
    </div>
  );
}

