// The proportional segment map: one block per segment, width ∝ size, coloured by sub-manifest.
// Up to 2,000 segments as flex-grown divs (each testable by data-testid); beyond that, a canvas.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { FlatSegment, SegmentCheck } from '../../../app/rpc/contract.ts';
import { exactBytes, humanBytes } from '../lib/format.ts';

const DOM_LIMIT = 2000;
const HUES = [212, 152, 32, 280, 350, 190, 95, 12, 250, 55];

export interface GroupInfo {
  key: string;
  label: string;
  hue: number;
  count: number;
  bytes: number;
}

/** Groups segments by the sub-manifest they came through ("" = directly in the top manifest). */
export function groupSegments(segments: readonly FlatSegment[]): { groups: GroupInfo[]; groupOf: Int32Array } {
  const index = new Map<string, number>();
  const groups: GroupInfo[] = [];
  const groupOf = new Int32Array(segments.length);
  segments.forEach((s, i) => {
    const key = s.via.length ? s.via[s.via.length - 1]! : '';
    let g = index.get(key);
    if (g === undefined) {
      g = groups.length;
      index.set(key, g);
      groups.push({ key, label: key || 'top manifest', hue: HUES[g % HUES.length]!, count: 0, bytes: 0 });
    }
    groups[g]!.count++;
    groups[g]!.bytes += s.size;
    groupOf[i] = g;
  });
  return { groups, groupOf };
}

function blockColor(hue: number, i: number, dark: boolean): string {
  // Alternate lightness so neighbouring segments of one group stay distinguishable.
  const l = dark ? (i % 2 ? 52 : 44) : i % 2 ? 62 : 54;
  return `hsl(${hue} 62% ${l}%)`;
}

const BAD = new Set(['missing', 'size-mismatch', 'etag-mismatch', 'error']);

interface Props {
  segments: readonly FlatSegment[];
  total: number;
  selected: number | null;
  checks: ReadonlyMap<number, SegmentCheck>;
  onSelect: (index: number) => void;
  dark: boolean;
}

export function SegmentMap(props: Props) {
  const { segments } = props;
  const { groups, groupOf } = useMemo(() => groupSegments(segments), [segments]);
  const [hover, setHover] = useState<{ i: number; x: number; y: number } | null>(null);
  const showLegend = groups.length > 1;

  return (
    <section className="segment-map-section" aria-label="Segment map">
      <div className="map-head">
        <h3>Segment map</h3>
        <span className="muted small">
          {segments.length.toLocaleString()} segments · width proportional to size · click a block to find it in the table
        </span>
      </div>
      {segments.length <= DOM_LIMIT ? (
        <DomMap {...props} groups={groups} groupOf={groupOf} onHover={setHover} />
      ) : (
        <CanvasMap {...props} groups={groups} groupOf={groupOf} onHover={setHover} />
      )}
      {showLegend && (
        <ul className="map-legend" aria-label="Sub-manifests">
          {groups.map((g) => (
            <li key={g.key}>
              <span className="legend-swatch" style={{ background: blockColor(g.hue, 0, props.dark) }} aria-hidden="true" />
              <code className="ellipsis-start" title={g.key}>
                <span>
                  <bdi>{g.label}</bdi>
                </span>
              </code>
              <span className="muted">
                {g.count.toLocaleString()} · {humanBytes(g.bytes)}
              </span>
            </li>
          ))}
        </ul>
      )}
      {hover && segments[hover.i] && <MapTooltip seg={segments[hover.i]!} check={props.checks.get(hover.i)} x={hover.x} y={hover.y} />}
    </section>
  );
}

function MapTooltip({ seg, check, x, y }: { seg: FlatSegment; check: SegmentCheck | undefined; x: number; y: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState({ left: x + 12, top: y + 16 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const w = el.offsetWidth;
    const h = el.offsetHeight;
    setPos({
      left: Math.min(x + 12, window.innerWidth - w - 8),
      top: y + 16 + h > window.innerHeight - 8 ? y - h - 10 : y + 16,
    });
  }, [x, y]);
  return (
    <div ref={ref} className="map-tooltip" role="tooltip" style={{ left: pos.left, top: pos.top }}>
      <div className="tt-title">Segment {seg.index}</div>
      <code className="tt-path">{seg.data ? '(inline data)' : seg.path}</code>
      <dl>
        <dt>Offset</dt>
        <dd title={exactBytes(seg.offset)}>{humanBytes(seg.offset)}</dd>
        <dt>Size</dt>
        <dd>
          {humanBytes(seg.size)} <span className="muted">({exactBytes(seg.size)})</span>
        </dd>
        {seg.range && (
          <>
            <dt>Range</dt>
            <dd>{seg.range}</dd>
          </>
        )}
        <dt>ETag</dt>
        <dd className="mono">{seg.etag ?? '—'}</dd>
        {seg.via.length > 0 && (
          <>
            <dt>Via</dt>
            <dd className="mono">{seg.via.join(' › ')}</dd>
          </>
        )}
        {check && (
          <>
            <dt>Verify</dt>
            <dd className={check.status === 'ok' ? 'text-ok' : 'text-danger'}>{check.status === 'ok' ? 'OK' : check.message}</dd>
          </>
        )}
      </dl>
    </div>
  );
}

type InnerProps = Props & { groups: GroupInfo[]; groupOf: Int32Array; onHover: (h: { i: number; x: number; y: number } | null) => void };

function DomMap({ segments, selected, checks, onSelect, dark, groups, groupOf, onHover }: InnerProps) {
  const indexOf = (e: React.MouseEvent): number | null => {
    const el = (e.target as HTMLElement).closest<HTMLElement>('[data-index]');
    return el ? Number(el.dataset.index) : null;
  };
  const gaps = segments.length <= 400;
  // A segment under ~0.5 % of the total would get less than a pixel (and lose it to the gap): every block gets a
  // minimum width while there is room for one per segment.
  const minBlock = segments.length <= 200 ? 4 : gaps ? 2 : 0;
  return (
    <div
      className={`segment-map ${gaps ? 'with-gaps' : ''}`}
      style={{ '--min-block': `${minBlock}px` } as React.CSSProperties}
      role="group"
      aria-label={`Map of ${segments.length} segments`}
      onMouseMove={(e) => {
        const i = indexOf(e);
        onHover(i === null ? null : { i, x: e.clientX, y: e.clientY });
      }}
      onMouseLeave={() => onHover(null)}
      onClick={(e) => {
        const i = indexOf(e);
        if (i !== null) onSelect(i);
      }}
    >
      {segments.map((s, i) => {
        const c = checks.get(s.index);
        const bad = c && BAD.has(c.status);
        return (
          <div
            key={i}
            data-index={i}
            data-testid={`segment-block-${s.index}`}
            className={`map-block ${selected === i ? 'selected' : ''} ${bad ? 'bad' : ''} ${c?.status === 'ok' ? 'ok' : ''}`}
            style={{ flexGrow: Math.max(s.size, 0), background: bad ? undefined : blockColor(groups[groupOf[i]!]!.hue, i, dark) }}
          />
        );
      })}
    </div>
  );
}

function CanvasMap({ segments, total, selected, checks, onSelect, dark, groups, groupOf, onHover }: InnerProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(800);
  const height = 44;

  useLayoutEffect(() => {
    const el = ref.current?.parentElement;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);

  const sum = total > 0 ? total : segments.reduce((a, s) => a + s.size, 0) || 1;

  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.floor(width * dpr);
    c.height = Math.floor(height * dpr);
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const bad = getComputedStyle(c).getPropertyValue('--danger').trim() || '#dc3545';
    for (let i = 0; i < segments.length; i++) {
      const s = segments[i]!;
      const x0 = (s.offset / sum) * width;
      const w = Math.max((s.size / sum) * width, 0.5);
      const ch = checks.get(s.index);
      ctx.fillStyle = ch && BAD.has(ch.status) ? bad : blockColor(groups[groupOf[i]!]!.hue, i, dark);
      ctx.fillRect(x0, 0, w, height);
    }
    if (selected !== null && segments[selected]) {
      const s = segments[selected];
      const x0 = (s.offset / sum) * width;
      const w = Math.max((s.size / sum) * width, 3);
      ctx.strokeStyle = dark ? '#fff' : '#111';
      ctx.lineWidth = 2;
      ctx.strokeRect(x0 + 1, 1, w - 2 < 1 ? 1 : w - 2, height - 2);
    }
  }, [segments, width, sum, checks, selected, dark, groups, groupOf]);

  const indexAt = useCallback(
    (clientX: number): number | null => {
      const c = ref.current;
      if (!c || segments.length === 0) return null;
      const r = c.getBoundingClientRect();
      const off = ((clientX - r.left) / r.width) * sum;
      let lo = 0;
      let hi = segments.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (segments[mid]!.offset <= off) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    },
    [segments, sum],
  );

  return (
    <div className="segment-map canvas">
      <canvas
        ref={ref}
        style={{ width, height }}
        data-testid="segment-map-canvas"
        role="img"
        aria-label={`Map of ${segments.length} segments`}
        onMouseMove={(e) => {
          const i = indexAt(e.clientX);
          onHover(i === null ? null : { i, x: e.clientX, y: e.clientY });
        }}
        onMouseLeave={() => onHover(null)}
        onClick={(e) => {
          const i = indexAt(e.clientX);
          if (i !== null) onSelect(i);
        }}
      />
    </div>
  );
}
