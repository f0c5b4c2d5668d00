// The status bar says when PIX money waits for the manager's decision (paid with no sale), so a late
// payment is never noticed only by the customer asking for it back.
import { useEffect, useState } from 'react';
import { call, pos } from '../../pos.ts';
import { useSession } from '../../state/session.ts';
import { useUi } from '../../state/ui.ts';

export function PixAttentionChip() {
  const operator = useSession((s) => s.operator);
  const [count, setCount] = useState(0);
  useEffect(() => {
    if (!operator) return;
    let live = true;
    const load = () =>
      call(pos().pix.attention({})).then(
        (r) => live && setCount(r.length),
        () => {},
      );
    void load();
    const off = pos().on('pix.changed', () => void load());
    return () => {
      live = false;
      off();
    };
  }, [operator]);
  if (!operator || count === 0) return null;
  return (
    <button
      type="button"
      className="chip chip-warn"
      data-testid="pix-attention-chip"
      onClick={() => {
        if (operator.role === 'manager') useUi.getState().go('pixAttention');
      }}
    >
      Pix sem venda: {count}
    </button>
  );
}
