// Sales history: today by default, search by date, número or value; a status chip per sale that
// follows the live emission events; the detail with reprint, cancel, e-mail and resend.
import { formatNumeroSerie } from '../../../shared/fiscal/numero.ts';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { SaleSummary } from '../../../shared/contract.ts';
import { formatBRL, parseMoneyInput } from '../../../shared/money.ts';
import { formatTimeBR, formatDateBR } from '../../../shared/datetime.ts';
import { useKeys } from '../../app/useKeys.ts';
import { ErrorLine } from '../../components/ErrorLine.tsx';
import { StateChip } from '../../components/StateChip.tsx';
import { VirtualList } from '../../components/VirtualList.tsx';
import { call, messageOf, pos } from '../../pos.ts';
import { useEmission } from '../../state/emission.ts';
import { useUi } from '../../state/ui.ts';
import { brDateToIso, todayLocal } from './dates.ts';
import { SaleDetailPanel } from './SaleDetailPanel.tsx';
import { OpenDrawerButton } from './OpenDrawerButton.tsx';

const ROW = 40;

export function HistoryScreen() {
  const [date, setDate] = useState(todayLocal());
  const [numero, setNumero] = useState('');
  const [value, setValue] = useState('');
  const [rows, setRows] = useState<SaleSummary[] | null>(null);
  const [active, setActive] = useState(0);
  const [openId, setOpenId] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const views = useEmission((s) => s.views);
  const listRef = useRef<HTMLDivElement>(null);

  async function load() {
    const query: { from?: string; to?: string; numero?: string; totalCents?: number; limit: number } = { limit: 500 };
    if (date.trim()) {
      const iso = brDateToIso(date);
      if (!iso) {
        setError(`Data "${date}" inválida. Use dd/mm/aaaa, por exemplo ${todayLocal()}, ou deixe em branco para todas.`);
        return;
      }
      query.from = iso;
      query.to = iso;
    }
    if (numero.trim()) {
      if (!/^\d{1,9}$/.test(numero.trim())) {
        setError('O número da nota tem só algarismos (até 9).');
        return;
      }
      query.numero = numero.trim();
    }
    if (value.trim()) {
      const cents = parseMoneyInput(value);
      if (cents === null) {
        setError(`"${value}" não é um valor. Digite, por exemplo, 25,90.`);
        return;
      }
      query.totalCents = cents;
    }
    try {
      const list = await call(pos().sales.list(query));
      setRows(list);
      setActive(0);
      setError(null);
    } catch (err) {
      setError(messageOf(err));
    }
  }

  useLayoutEffect(() => {
    listRef.current?.focus();
  }, []);
  useEffect(() => {
    void load();
    // Load once on open; later searches are explicit (Enter / Buscar).
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the query typed later must not reload by itself
  }, []);

  useKeys((e) => {
    if (openId !== null) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      useUi.getState().go('checkout');
    }
  });

  const list = rows ?? [];
  const onListKey = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((i) => Math.min(list.length - 1, i + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => Math.max(0, i - 1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const row = list[active];
      if (row) setOpenId(row.id);
    }
  };

  return (
    <div className="history" data-testid="history-screen">
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <label className="field">
          <span>Data</span>
          <input
            data-testid="history-date"
            inputMode="numeric"
            placeholder="dd/mm/aaaa"
            maxLength={10}
            value={date}
            onChange={(e) => setDate(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Nº da nota</span>
          <input data-testid="history-numero" inputMode="numeric" value={numero} onChange={(e) => setNumero(e.target.value)} />
        </label>
        <label className="field">
          <span>Valor (R$)</span>
          <input data-testid="history-value" inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)} />
        </label>
        <button type="submit" className="primary" data-testid="history-search">
          Buscar (Enter)
        </button>
        <button type="button" onClick={() => useUi.getState().go('checkout')}>
          Voltar ao caixa (Esc)
        </button>
        <OpenDrawerButton />
      </form>
      <ErrorLine text={error} testId="history-error" />
      <div className="history-body">
        <div className="history-list" ref={listRef} tabIndex={0} onKeyDown={onListKey} data-testid="history-list-box">
          {rows === null ? <p className="hint">Carregando…</p> : null}
          {rows !== null && rows.length === 0 ? (
            <p className="hint" data-testid="history-empty">
              Nenhuma venda encontrada com esses filtros.
            </p>
          ) : null}
          {list.length > 0 ? (
            <VirtualList
              count={list.length}
              rowHeight={ROW}
              activeIndex={active}
              testId="history-list"
              renderRow={(i) => {
                const r = list[i];
                if (!r) return null;
                const live = views.get(r.id);
                const state = live ? live.state : r.state;
                const numeroText = formatNumeroSerie(live?.numero ?? r.numero, live?.serie ?? r.serie);
                return (
                  <div
                    className={`history-row ${i === active ? 'active' : ''} ${openId === r.id ? 'open' : ''}`}
                    data-testid="history-row"
                    data-sale-id={r.id}
                    onClick={() => {
                      setActive(i);
                      setOpenId(r.id);
                    }}
                  >
                    <span className="when">
                      {formatDateBR(r.createdAt)} {formatTimeBR(r.createdAt)}
                    </span>
                    <span className="nota" data-testid="history-numero-serie">
                      {numeroText || `venda ${r.id}`}
                    </span>
                    <span className="money" data-testid="history-total">
                      {formatBRL(r.totalCents)}
                    </span>
                    <span className="muted operator-col">{r.operatorName}</span>
                    <StateChip state={state} testId="history-chip" />
                  </div>
                );
              }}
            />
          ) : null}
        </div>
        {openId !== null ? (
          <SaleDetailPanel
            saleId={openId}
            onClose={() => {
              setOpenId(null);
              listRef.current?.focus();
              void load();
            }}
          />
        ) : (
          <p className="hint detail-placeholder">Escolha uma venda com ↑ ↓ e Enter para ver os detalhes.</p>
        )}
      </div>
    </div>
  );
}
