// A modal that owns the keyboard while it is open: Esc closes it, Enter is left to its form.
// Closing hands focus back to the code field (via the ui store).
import { useLayoutEffect, useRef, type ReactNode } from 'react';

export interface DialogProps {
  title: string;
  testId: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
}

export function Dialog({ title, testId, onClose, children, wide }: DialogProps) {
  const box = useRef<HTMLDivElement>(null);
  // Before the first paint: a key typed right after the dialog opens must land in it (under Preact,
  // renderer/vite.config.ts, a passive effect waits for the next frame).
  useLayoutEffect(() => {
    const root = box.current;
    const el = root?.querySelector<HTMLElement>('[data-autofocus]') ?? root?.querySelector<HTMLElement>('input, select, textarea, button');
    el?.focus();
  }, []);
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={box}
        role="dialog"
        aria-modal="true"
        aria-label={title}
        className={`dialog ${wide ? 'dialog-wide' : ''}`}
        data-testid={testId}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            onClose();
          }
        }}
      >
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  );
}
