// Fixed-row-height virtualization: only rows in (or near) the viewport are rendered, absolutely
// positioned inside a spacer as tall as all rows. DOM size stays constant at any row count.
//
// Browsers cap an element's height (Chromium near 33.5 million px; a million rows of 34 px exceed it), so past
// MAX_SPACER the spacer stays at that height and the scroll position maps proportionally onto row positions: the
// scrollbar still spans every row, and rows are placed relative to the viewport (`top(i)`).
import { useCallback, useLayoutEffect, useRef, useState } from 'react';

const MAX_SPACER = 8_000_000;

export interface Virtual {
  ref: React.RefObject<HTMLDivElement | null>;
  onScroll: (e: React.UIEvent<HTMLDivElement>) => void;
  start: number;
  end: number;
  totalHeight: number;
  viewportHeight: number;
  scrollToIndex: (index: number, align?: 'auto' | 'center' | 'start') => void;
  /** The offset of row `index` inside the spacer (its translateY). */
  top: (index: number) => number;
  /** Moves the view by `rows` rows (a list whose rows moved under it keeps the same rows on screen). */
  scrollByRows: (rows: number) => void;
}

export function useVirtual(count: number, rowHeight: number, overscan = 6): Virtual {
  const ref = useRef<HTMLDivElement | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(0);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setViewportHeight(el.clientHeight);
    const ro = new ResizeObserver(() => setViewportHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const onScroll = useCallback((e: React.UIEvent<HTMLDivElement>) => {
    setScrollTop(e.currentTarget.scrollTop);
  }, []);

  // When the list shrinks (new folder, filter), the browser clamps scrollTop; follow it.
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && el.scrollTop !== scrollTop) setScrollTop(el.scrollTop);
  }, [count, scrollTop]);

  const vh = viewportHeight || 600;
  const realHeight = count * rowHeight;
  const totalHeight = Math.min(realHeight, MAX_SPACER);
  // Real pixels per scrolled pixel (1 unless the spacer is capped).
  const ratio = totalHeight > vh && realHeight > totalHeight ? (realHeight - vh) / (totalHeight - vh) : 1;

  const scrollToIndex = useCallback(
    (index: number, align: 'auto' | 'center' | 'start' = 'auto') => {
      const el = ref.current;
      if (!el) return;
      const view = el.scrollTop * ratio;
      const top = index * rowHeight;
      const bottom = top + rowHeight;
      let next = view;
      if (align === 'start') next = top;
      else if (align === 'center') next = top - el.clientHeight / 2 + rowHeight / 2;
      else if (top < view) next = top;
      else if (bottom > view + el.clientHeight) next = bottom - el.clientHeight;
      next = Math.max(0, next / ratio);
      if (next !== el.scrollTop) {
        el.scrollTop = next;
        setScrollTop(el.scrollTop);
      }
    },
    [rowHeight, ratio],
  );

  const view = scrollTop * ratio;
  const start = Math.max(0, Math.floor(view / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((view + vh) / rowHeight) + overscan);
  const top = useCallback((index: number) => scrollTop + index * rowHeight - view, [scrollTop, rowHeight, view]);
  const scrollByRows = useCallback(
    (rows: number) => {
      const el = ref.current;
      if (!el || rows === 0) return;
      el.scrollTop = Math.max(0, el.scrollTop + (rows * rowHeight) / ratio);
      setScrollTop(el.scrollTop);
    },
    [rowHeight, ratio],
  );
  return { ref, onScroll, start, end, totalHeight, viewportHeight: vh, scrollToIndex, top, scrollByRows };
}
