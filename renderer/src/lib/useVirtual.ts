// Fixed-row-height virtualization: only rows in (or near) the viewport are rendered, absolutely
// positioned inside a spacer as tall as all rows. DOM size stays constant at any row count.
import { useCallback, useLayoutEffect, useRef, useState } from 'react';

export interface Virtual {
  ref: React.RefObject<HTMLDivElement | null>;
  onScroll: (e: React.UIEvent<HTMLDivElement>) => void;
  start: number;
  end: number;
  totalHeight: number;
  viewportHeight: number;
  scrollToIndex: (index: number, align?: 'auto' | 'center' | 'start') => void;
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

  const scrollToIndex = useCallback(
    (index: number, align: 'auto' | 'center' | 'start' = 'auto') => {
      const el = ref.current;
      if (!el) return;
      const top = index * rowHeight;
      const bottom = top + rowHeight;
      let next = el.scrollTop;
      if (align === 'start') next = top;
      else if (align === 'center') next = top - el.clientHeight / 2 + rowHeight / 2;
      else if (top < el.scrollTop) next = top;
      else if (bottom > el.scrollTop + el.clientHeight) next = bottom - el.clientHeight;
      next = Math.max(0, next);
      if (next !== el.scrollTop) {
        el.scrollTop = next;
        setScrollTop(el.scrollTop);
      }
    },
    [rowHeight],
  );

  const vh = viewportHeight || 600;
  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((scrollTop + vh) / rowHeight) + overscan);
  return { ref, onScroll, start, end, totalHeight: count * rowHeight, viewportHeight: vh, scrollToIndex };
}
