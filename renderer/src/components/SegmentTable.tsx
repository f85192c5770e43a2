// The flattened segment table, virtualized (1,000s of segments render instantly), with verify status.
import { useEffect, useEffectEvent, useMemo } from 'react';
import type { FlatSegment, SegmentCheck } from '../../../app/rpc/contract.ts';
import { exactBytes, humanBytes } from '../lib/format.ts';
import { useVirtual } from '../lib/useVirtual.ts';

const ROW = 30;

const STATUS_TEXT: Record<SegmentCheck['status'], string> = {
  ok: 'OK',
  missing: 'missing',
  'size-mismatch': 'size mismatch',
  'etag-mismatch': 'etag mismatch',
  error: 'error',
};

export function SegmentTable({
  segments,
  checks,
  selected,
  scrollRequest,
  onlyProblems,
  onSelect,
}: {
  segments: readonly FlatSegment[];
  checks: ReadonlyMap<number, SegmentCheck>;
  selected: number | null;
  scrollRequest: number;
  onlyProblems: boolean;
  onSelect: (index: number) => void;
}) {
  const rows = useMemo(() => {
    const all = segments.map((_, i) => i);
    if (!onlyProblems) return all;
    return all.filter((i) => {
      const c = checks.get(segments[i]!.index);
      return c && c.status !== 'ok';
    });
  }, [segments, checks, onlyProblems]);
  const v = useVirtual(rows.length, ROW, 10);
  const hasChecks = checks.size > 0;
  const anyRange = useMemo(() => segments.some((s) => s.range), [segments]);
  const anyVia = useMemo(() => segments.some((s) => s.via.length > 0), [segments]);

  // Scroll only when asked (scrollRequest), not whenever the selection or the rows change.
  const scrollToSelected = useEffectEvent(() => {
    if (selected === null) return;
    const pos = rows.indexOf(selected);
    if (pos >= 0) v.scrollToIndex(pos, 'center');
  });
  useEffect(() => {
    if (scrollRequest !== 0) scrollToSelected();
  }, [scrollRequest]);

  // Wide enough for the biggest index shown (a page deep in a 10⁹-leaf SLO has 9-digit indexes).
  const digits = String(segments.length ? segments[segments.length - 1]!.index : 0).length;
  const cols = [
    `${Math.max(64, 24 + digits * 9)}px`,
    'minmax(220px, 2.2fr)',
    '96px',
    '96px',
    'minmax(200px, 1.3fr)',
    ...(anyRange ? ['120px'] : []),
    ...(anyVia ? ['minmax(140px, 1fr)'] : []),
    ...(hasChecks ? ['120px'] : []),
  ].join(' ');

  const onKeyDown = (e: React.KeyboardEvent) => {
    const cur = selected !== null ? rows.indexOf(selected) : -1;
    let next = cur;
    if (e.key === 'ArrowDown') next = Math.min(rows.length - 1, cur + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, cur - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = rows.length - 1;
    else if (e.key === 'PageDown') next = Math.min(rows.length - 1, cur + Math.floor(v.viewportHeight / ROW));
    else if (e.key === 'PageUp') next = Math.max(0, cur - Math.floor(v.viewportHeight / ROW));
    else return;
    e.preventDefault();
    const idx = rows[next];
    if (idx !== undefined) {
      onSelect(idx);
      v.scrollToIndex(next);
    }
  };

  const selPos = selected !== null ? rows.indexOf(selected) : -1;

  return (
    <div role="grid" className="grid segment-table" style={{ '--cols': cols } as React.CSSProperties} aria-label="Segments" aria-rowcount={rows.length + 1}>
      <div role="rowgroup" className="grid-head">
        <div role="row" className="grid-row head">
          <div role="columnheader" className="cell st-index num">#</div>
          <div role="columnheader" className="cell st-path">Path</div>
          <div role="columnheader" className="cell st-offset num">Offset</div>
          <div role="columnheader" className="cell st-size num">Size</div>
          <div role="columnheader" className="cell st-etag">ETag</div>
          {anyRange && <div role="columnheader" className="cell st-range">Range</div>}
          {anyVia && <div role="columnheader" className="cell st-via">Via</div>}
          {hasChecks && <div role="columnheader" className="cell st-status">Verify</div>}
        </div>
      </div>
      <div
        role="rowgroup"
        className="grid-body"
        ref={v.ref}
        onScroll={v.onScroll}
        tabIndex={0}
        aria-label="Segment rows"
        aria-activedescendant={selPos >= v.start && selPos < v.end ? `seg-row-${selected}` : undefined}
        onKeyDown={onKeyDown}
      >
        <div className="grid-spacer" role="presentation" style={{ height: v.totalHeight }}>
          {rows.slice(v.start, v.end).map((idx, k) => {
            const i = v.start + k;
            const s = segments[idx]!;
            const c = checks.get(s.index);
            return (
              <div
                key={idx}
                id={`seg-row-${idx}`}
                role="row"
                aria-rowindex={i + 2}
                aria-selected={selected === idx}
                aria-label={`Segment ${s.index}${c ? `, ${STATUS_TEXT[c.status]}` : ''}`}
                className={`grid-row ${selected === idx ? 'selected' : ''} ${c ? `check-${c.status}` : ''}`}
                style={{ transform: `translateY(${i * ROW}px)` }}
                onClick={() => onSelect(idx)}
              >
                <div role="gridcell" className="cell st-index num">{s.index}</div>
                <div role="gridcell" className="cell st-path mono ellipsis-start" title={s.path}>
                  {s.data ? <span className="muted">(inline data)</span> : <span><bdi>{s.path}</bdi></span>}
                </div>
                <div role="gridcell" className="cell st-offset num" title={exactBytes(s.offset)}>
                  {humanBytes(s.offset)}
                </div>
                <div role="gridcell" className="cell st-size num" title={s.size !== s.segmentSize ? `${exactBytes(s.size)} of a ${exactBytes(s.segmentSize)} segment` : exactBytes(s.size)}>
                  {humanBytes(s.size)}
                </div>
                <div role="gridcell" className="cell st-etag mono" title={s.etag ?? 'no etag in manifest'}>
                  {s.etag ?? <span className="muted">—</span>}
                </div>
                {anyRange && <div role="gridcell" className="cell st-range mono">{s.range ?? ''}</div>}
                {anyVia && (
                  <div role="gridcell" className="cell st-via mono ellipsis-start" title={s.via.join(' › ')}>
                    {s.via.length ? <span><bdi>{s.via[s.via.length - 1]}</bdi></span> : <span className="muted">top</span>}
                  </div>
                )}
                {hasChecks && (
                  <div role="gridcell" className="cell st-status" title={c?.message}>
                    {c ? <span className={`check-pill check-${c.status}`}>{STATUS_TEXT[c.status]}</span> : <span className="muted">—</span>}
                  </div>
                )}
              </div>
            );
          })}
        </div>
        {rows.length === 0 && <div className="grid-empty muted">{onlyProblems ? 'No problems found.' : 'No segments.'}</div>}
      </div>
    </div>
  );
}
