// A screen registers its key handler while it is mounted. Open dialogs own the keyboard, so screen
// handlers are skipped while one is up (the dialog handles Esc/Enter itself).
import { useLayoutEffect, useRef } from 'react';
import { useUi } from '../state/ui.ts';
import { FKEY } from './keymap.ts';

export function useKeys(handler: (e: KeyboardEvent) => void, opts: { whileDialog?: boolean } = {}): void {
  const ref = useRef(handler);
  ref.current = handler;
  // Layout effect: the listener is in place before the screen is painted, so a key pressed the
  // moment the screen appears is not lost.
  useLayoutEffect(() => {
    const listener = (e: KeyboardEvent) => {
      if (!opts.whileDialog && useUi.getState().dialog) {
        // Keep the browser from acting on F-keys (F5 reload, F3 find…) even under a dialog.
        if (FKEY.test(e.key)) e.preventDefault();
        return;
      }
      ref.current(e);
    };
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, [opts.whileDialog]);
}
