// Idle lock: after the configured minutes without a key or a click, the till logs out (the core
// enforces the same limit on its side, so a forgotten tab cannot be used later either).
import { useEffect } from 'react';
import { useSession } from '../state/session.ts';
import { useUi } from '../state/ui.ts';

export function useIdleLock(): void {
  const minutes = useSession((s) => s.settings?.idleLockMinutes ?? 0);
  const operator = useSession((s) => s.operator);
  useEffect(() => {
    if (!operator || minutes <= 0) return;
    let timer: ReturnType<typeof setTimeout>;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void useSession.getState().logout();
        useUi.getState().go('checkout');
        useUi.getState().say({ tone: 'info', text: 'Caixa bloqueado por inatividade. Entre de novo com o seu PIN.' });
      }, minutes * 60_000);
    };
    arm();
    const events = ['keydown', 'pointerdown'] as const;
    for (const e of events) window.addEventListener(e, arm, true);
    return () => {
      clearTimeout(timer);
      for (const e of events) window.removeEventListener(e, arm, true);
    };
  }, [operator, minutes]);
}
