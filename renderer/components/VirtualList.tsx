// A fixed-row-height list that mounts only the rows in view (plus a few), so a 990-item sale or a
// long result list costs the same to render as a short one.
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

export interface VirtualListProps {
  count: number;
  rowHeight: number;
  renderRow: (index: number) => ReactNode;
  /** Keep the newest row in view as rows are added (the cart). */
  stickToEnd?: boolean;
  /** Keep this row in view (keyboard selection). */
  activeIndex?: number;
  className?: string;
  testId?: string;
  overscan?: number;
}

export function VirtualList(props: VirtualListProps) {
  const { count, rowHeight, renderRow, stickToEnd = false, activeIndex, className, testId, overscan = 4 } = props;
  const box = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 600 });

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    // Unchanged box, same state object: the ResizeObserver's first call (right after this one)
    // must not render the list a second time.
    const measure = () =>
      setView((v) => {
        const next = { top: el.scrollTop, height: el.clientHeight || 600 };
        return v.top === next.top && v.height === next.height ? v : next;
      });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el || !stickToEnd) return;
    const bottom = count * rowHeight - el.clientHeight;
    if (bottom > 0 && el.scrollTop < bottom) {
      el.scrollTop = bottom;
      setView({ top: el.scrollTop, height: el.clientHeight });
    }
  }, [count, rowHeight, stickToEnd]);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el || activeIndex === undefined || activeIndex < 0) return;
    const rowTop = activeIndex * rowHeight;
    if (rowTop < el.scrollTop) el.scrollTop = rowTop;
    else if (rowTop + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = rowTop + rowHeight - el.clientHeight;
  }, [activeIndex, rowHeight]);

  const first = Math.max(0, Math.floor(view.top / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((view.top + view.height) / rowHeight) + overscan);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <div key={i} className="vrow" style={{ top: i * rowHeight, height: rowHeight }}>
        {renderRow(i)}
      </div>,
    );
  }
  return (
    <div
      ref={box}
      className={`vlist ${className ?? ''}`}
      data-testid={testId}
      data-count={count}
      onScroll={(e) => setView({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })}
    >
      <div className="vlist-spacer" style={{ height: count * rowHeight }}>
        {rows}
      </div>
    </div>
  );
}
