// The manager's list of PIX money no sale used: paid after the cashier gave up or after expiry,
// removed from a sale, or abandoned. Each one is refunded to the payer with one action (manager
// PIN), and the PSP's statement can be reconciled against the journal.
import { useCallback, useEffect, useState } from 'react';
import type { PixChargeView } from '../../../shared/pix/charge.ts';
import { formatBRL } from '../../../shared/money.ts';
import { useKeys } from '../../app/useKeys.ts';
import { call, messageOf, pos } from '../../pos.ts';
import { useUi } from '../../state/ui.ts';
import { SectionMessage, useManagerAction } from '../settings/useManagerAction.tsx';
import { formatDateTimePtBr } from './pix-format.ts';

export function PixAttentionScreen() {
  const [rows, setRows] = useState<PixChargeView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState(0);
  const action = useManagerAction();
  const reconcile = useManagerAction();

  const load = useCallback(() => {
    call(pos().pix.attention({})).then(
      (r) => {
        setRows(r);
        setError(null);
      },
      (err: unknown) => setError(messageOf(err)),
    );
  }, []);
  useEffect(() => {
    load();
    return pos().on('pix.changed', () => load());
  }, [load]);

  const refund = (v: PixChargeView) =>
    action.request(
      `Devolver ${formatBRL(v.paidCents ?? v.amountCents)} ao pagador do Pix.`,
      (managerPin) => call(pos().pix.refund({ txid: v.txid, ...(managerPin ? { managerPin } : {}) })),
      (r) => {
        load();
        const after = r as PixChargeView;
        return after.state === 'refunded'
          ? `Pix de ${formatBRL(after.paidCents ?? after.amountCents)} devolvido ao pagador.`
          : `Devolução de ${formatBRL(after.paidCents ?? after.amountCents)} pedida ao PSP; a lista mostra quando concluir.`;
      },
    );

  useKeys((e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      useUi.getState().go('settings');
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = rows?.length ?? 0;
      if (n > 0) setSelected((s) => (e.key === 'ArrowDown' ? Math.min(n - 1, s + 1) : Math.max(0, s - 1)));
    } else if (e.key === 'Enter') {
      const v = rows?.[selected];
      if (v && v.state === 'orphan') {
        e.preventDefault();
        refund(v);
      }
    }
  });

  return (
    <div className="settings" data-testid="pix-attention-screen">
      <header className="screen-head">
        <h2>Pix recebidos sem venda</h2>
        <button
          type="button"
          data-testid="pix-reconcile"
          onClick={() =>
            reconcile.request(
              'Conferir o extrato do PSP das últimas 24 horas.',
              (managerPin) => call(pos().pix.reconcile({ hours: 24, ...(managerPin ? { managerPin } : {}) })),
              (r) => {
                load();
                const x = r as { received: number; matched: number; confirmedStatic: number; unknown: number };
                return `Extrato das últimas 24 horas: ${x.received} Pix recebido(s), ${x.matched} conferido(s) com o caixa, ${x.confirmedStatic} Pix estático(s) confirmado(s), ${x.unknown} sem cobrança deste caixa.`;
              },
            )
          }
        >
          Conferir extrato do PSP (24 h)
        </button>
        <button type="button" onClick={() => useUi.getState().go('settings')}>
          Voltar (Esc)
        </button>
      </header>
      <p className="hint">
        Dinheiro que entrou pelo Pix e não ficou em nenhuma venda (pago depois do cancelamento ou da expiração, ou retirado da venda). Devolva ao pagador (Enter
        na linha) ou confira o extrato.
      </p>
      {error ? (
        <p className="error-line" role="alert">
          {error}
        </p>
      ) : null}
      {rows === null ? <p className="hint">Carregando…</p> : null}
      {rows !== null && rows.length === 0 ? (
        <p className="ok-line" data-testid="pix-attention-empty">
          Nenhum Pix aguardando decisão.
        </p>
      ) : null}
      {rows && rows.length > 0 ? (
        <table className="attention-table">
          <thead>
            <tr>
              <th>Cobrança</th>
              <th>Valor pago</th>
              <th>Situação</th>
              <th>Identificador (E2E)</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((v, i) => (
              <tr
                key={v.txid}
                data-testid="pix-attention-row"
                data-txid={v.txid}
                data-state={v.state}
                className={i === selected ? 'selected' : ''}
                onClick={() => setSelected(i)}
              >
                <td>{formatDateTimePtBr(v.createdAt)}</td>
                <td className="money" data-testid="pix-attention-amount">
                  {formatBRL(v.paidCents ?? v.amountCents)}
                </td>
                <td data-testid="pix-attention-label">{v.label}</td>
                <td className="muted">{v.endToEndId ?? '—'}</td>
                <td>
                  {v.state === 'orphan' ? (
                    <button type="button" data-testid="pix-refund" onClick={() => refund(v)}>
                      Devolver
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <SectionMessage message={action.message} testId="pix-refund-message" />
      <SectionMessage message={reconcile.message} testId="pix-reconcile-message" />
      {action.dialog}
      {reconcile.dialog}
    </div>
  );
}
