// Caixa (PageUp by default): abertura with the opening float, sangria and suprimento (manager approval, voucher),
// X report (manager), and the blind closing: the cashier counts and declares without seeing what is
// expected; the manager then sees expected vs declared and the Z is printed and kept.
import { useEffect, useState } from 'react';
import type { ClosingLine, ClosingResult, RegisterReport } from '../../../shared/register/report.ts';
import type { ZListItem } from '../../../shared/contract.ts';
import { parseAmount } from '../../../shared/register/amount.ts';
import { formatBRL } from '../../../shared/money.ts';
import { useKeys } from '../../app/useKeys.ts';
import { ErrorLine } from '../../components/ErrorLine.tsx';
import { focusOnMount } from '../../components/focus-on-mount.ts';
import { ManagerPinDialog } from '../../components/ManagerPinDialog.tsx';
import { call, messageOf, pos, PosCallError } from '../../pos.ts';
import { useRegister } from '../../state/register.ts';
import { isManager, useSession } from '../../state/session.ts';
import { useUi } from '../../state/ui.ts';
import { DenominationGrid, parseCounts, type CountsText } from './DenominationGrid.tsx';
import { ClosingTable, ReportView } from './ReportView.tsx';
import type { PrinterStatusView } from '../../../shared/printing/status.ts';

type Mode =
  | { kind: 'home' }
  | { kind: 'movement'; movement: 'sangria' | 'suprimento' }
  | { kind: 'close' }
  | { kind: 'report'; report: RegisterReport; sessionId?: number; lines?: ClosingLine[] }
  | { kind: 'closings'; list: ZListItem[] }
  | { kind: 'closed'; result: ClosingResult };

const newClientId = () => crypto.randomUUID().replaceAll('-', '');

export function RegisterScreen() {
  const view = useRegister((s) => s.view);
  const manager = useSession(isManager);
  const [mode, setMode] = useState<Mode>({ kind: 'home' });
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [printer, setPrinter] = useState<PrinterStatusView | null>(null);
  const [pinFor, setPinFor] = useState<{ reason: string; run: (pin: string | undefined) => Promise<void> } | null>(null);

  useEffect(() => {
    void useRegister.getState().refresh();
  }, []);
  useKeys((e) => {
    if (e.key === 'Escape' && !pinFor) {
      e.preventDefault();
      if (mode.kind === 'home' || mode.kind === 'closed') useUi.getState().go('checkout');
      else setMode({ kind: 'home' });
    }
  });

  /** The manager at the till approves by themselves; a cashier asks for the manager's PIN. */
  function withManager(reason: string, run: (pin: string | undefined) => Promise<void>) {
    setError(null);
    setMessage(null);
    if (!manager) return setPinFor({ reason, run });
    // A logged-in manager approves without a PIN within the house grace window; past it, the core
    // answers manager_required and the PIN is asked for.
    void run(undefined).catch((err: unknown) => {
      if (err instanceof PosCallError && err.code === 'manager_required') setPinFor({ reason, run });
      else setError(messageOf(err));
    });
  }
  async function guard(fn: () => Promise<void>) {
    try {
      await fn();
    } catch (err) {
      setError(messageOf(err));
    }
  }

  const session = view?.session ?? null;
  return (
    <div className="register" data-testid="register-screen" data-open={session ? 'true' : 'false'}>
      <div className="screen-head">
        <h2>Caixa {view?.terminalId ?? ''}</h2>
        {session ? (
          <span className="chip chip-ok" data-testid="register-open">
            Aberto por {session.openedByName} às {new Date(session.openedMs).toLocaleTimeString('pt-BR', { timeStyle: 'short' })}
          </span>
        ) : (
          <span className="chip chip-warn" data-testid="register-closed">
            Fechado
          </span>
        )}
        <button
          type="button"
          data-testid="register-closings"
          onClick={() =>
            withManager('Reduções Z anteriores: o gerente autoriza ver os fechamentos.', async (managerPin) => {
              const list = await call(pos().register.closings(managerPin ? { managerPin } : {}));
              setMode({ kind: 'closings', list });
            })
          }
        >
          Reduções Z
        </button>
        <button type="button" onClick={() => useUi.getState().go('checkout')}>
          Voltar (Esc)
        </button>
      </div>
      <ErrorLine text={error} />
      {message ? (
        <p className="ok-line" role="status" data-testid="register-message">
          {message}
        </p>
      ) : null}

      {printer ? <PrinterLine status={printer} /> : null}

      {!session && mode.kind !== 'closed' && mode.kind !== 'closings' && mode.kind !== 'report' ? (
        <OpenForm
          onError={setError}
          onDone={(t) => {
            setMessage(t);
            // The register is open whatever the printer says; its paper and cover are shown, never in the way.
            setPrinter(null);
            call(pos().printer.status({})).then(setPrinter, () => setPrinter(null));
          }}
        />
      ) : null}

      {session && mode.kind === 'home' ? (
        <div className="register-actions">
          <button type="button" data-testid="register-sangria" onClick={() => setMode({ kind: 'movement', movement: 'sangria' })}>
            Sangria
          </button>
          <button type="button" data-testid="register-suprimento" onClick={() => setMode({ kind: 'movement', movement: 'suprimento' })}>
            Suprimento
          </button>
          <button
            type="button"
            data-testid="register-x"
            onClick={() =>
              withManager('Leitura X: o gerente autoriza ver os totais do caixa.', async (managerPin) => {
                const report = await call(pos().register.report(managerPin ? { managerPin } : {}));
                setMode({ kind: 'report', report });
              })
            }
          >
            Leitura X
          </button>
          <button type="button" className="primary" data-testid="register-close" onClick={() => setMode({ kind: 'close' })}>
            Fechar caixa
          </button>
        </div>
      ) : null}

      {session && mode.kind === 'movement' ? (
        <MovementForm
          kind={mode.movement}
          onCancel={() => setMode({ kind: 'home' })}
          onSubmit={(amountText, reason) =>
            withManager(`${mode.movement === 'sangria' ? 'Sangria' : 'Suprimento'} de caixa: autorização do gerente.`, async (managerPin) => {
              const r = await call(
                pos().register.movement({ clientId: newClientId(), kind: mode.movement, amountText, reason, ...(managerPin ? { managerPin } : {}) }),
              );
              setMode({ kind: 'home' });
              setMessage(
                `${mode.movement === 'sangria' ? 'Sangria' : 'Suprimento'} de ${formatBRL(r.movement.amountCents)} registrado. ${r.printed.message ?? ''}`,
              );
            })
          }
        />
      ) : null}

      {session && mode.kind === 'close' ? (
        <CloseForm
          onCancel={() => setMode({ kind: 'home' })}
          onError={setError}
          onSubmit={(input) =>
            withManager('Fechamento do caixa: o gerente confere a contagem.', async (managerPin) => {
              const result = await call(pos().register.close({ ...input, ...(managerPin ? { managerPin } : {}) }));
              setMode({ kind: 'closed', result });
              await useRegister.getState().refresh();
            })
          }
        />
      ) : null}

      {mode.kind === 'report' ? (
        <div>
          {mode.lines ? <ClosingTable lines={mode.lines} /> : null}
          <ReportView report={mode.report} />
          <div className="dialog-actions">
            <button
              type="button"
              onClick={() =>
                withManager(mode.sessionId ? 'Reimprimir a redução Z.' : 'Imprimir a leitura X.', async (managerPin) => {
                  const sessionId = mode.sessionId;
                  const r = await call(pos().register.print({ ...(sessionId ? { sessionId } : {}), ...(managerPin ? { managerPin } : {}) }));
                  setMessage(r.message ?? (sessionId ? 'Redução Z enviada para a impressora.' : 'Leitura X enviada para a impressora.'));
                })
              }
            >
              Imprimir
            </button>
            <button type="button" onClick={() => setMode({ kind: 'home' })}>
              Voltar
            </button>
          </div>
        </div>
      ) : null}

      {mode.kind === 'closings' ? (
        <ClosingsList
          list={mode.list}
          onOpen={(sessionId) =>
            withManager('Ver a redução Z.', async (managerPin) => {
              const z = await call(pos().register.zReport({ sessionId, ...(managerPin ? { managerPin } : {}) }));
              setMode({ kind: 'report', report: z.report, sessionId, lines: z.lines });
            })
          }
          onBack={() => setMode({ kind: 'home' })}
        />
      ) : null}

      {mode.kind === 'closed' ? (
        <div data-testid="register-closed-result">
          <p className="ok-line">Caixa fechado. {mode.result.printed.message ?? ''}</p>
          <ClosingTable lines={mode.result.lines} />
          <ReportView report={mode.result.report} />
        </div>
      ) : null}

      {pinFor ? (
        <ManagerPinDialog
          reason={pinFor.reason}
          onClose={() => setPinFor(null)}
          onApproved={(pin) => {
            const p = pinFor;
            setPinFor(null);
            void guard(() => p.run(pin));
          }}
        />
      ) : null}
    </div>
  );
}

function PrinterLine({ status }: { status: PrinterStatusView }) {
  const cls = status.level === 'green' ? 'ok-line' : status.level === 'yellow' ? 'warn-line' : 'error-line';
  return (
    <p className={cls} role="status" data-testid="register-printer" data-code={status.code} data-level={status.level}>
      <strong>{status.label}</strong> — {status.detail}
      {status.fix ? ` ${status.fix}` : ''}
    </p>
  );
}

const dateTime = (ms: number) => new Date(ms).toLocaleString('pt-BR', { dateStyle: 'short', timeStyle: 'short' });

/** The terminal's kept Z reports, newest first: each can be seen again and reprinted. */
function ClosingsList({ list, onOpen, onBack }: { list: ZListItem[]; onOpen: (sessionId: number) => void; onBack: () => void }) {
  return (
    <div data-testid="closings-list">
      {list.length === 0 ? <p className="hint">Nenhum caixa fechado neste terminal.</p> : null}
      {list.length > 0 ? (
        <table className="report-table">
          <thead>
            <tr>
              <th>Redução Z</th>
              <th>Aberto em</th>
              <th>Fechado em</th>
              <th>Vendas</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((z) => (
              <tr key={z.sessionId} data-testid="closing-row">
                <td>nº {z.zNumber}</td>
                <td>{dateTime(z.openedMs)}</td>
                <td>{dateTime(z.closedMs)}</td>
                <td>{formatBRL(z.totalCents)}</td>
                <td>
                  <button type="button" data-testid={`z-open-${z.zNumber}`} onClick={() => onOpen(z.sessionId)}>
                    Ver
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <div className="dialog-actions">
        <button type="button" onClick={onBack}>
          Voltar
        </button>
      </div>
    </div>
  );
}

function OpenForm({ onError, onDone }: { onError: (e: string | null) => void; onDone: (t: string) => void }) {
  const [amount, setAmount] = useState('');
  const [byCount, setByCount] = useState(false);
  const [counts, setCounts] = useState<CountsText>({});
  const [busy, setBusy] = useState(false);
  async function submit() {
    onError(null);
    const parsed = byCount ? parseCounts(counts) : null;
    if (parsed?.error) return onError(parsed.error);
    if (!byCount) {
      const a = parseAmount(amount, { allowZero: true });
      if (!a.ok) return onError(a.message);
    }
    setBusy(true);
    try {
      const v = await call(pos().register.open({ amountText: byCount ? '' : amount, ...(parsed ? { counts: parsed.counts } : {}) }));
      useRegister.getState().set(v);
      onDone(`Caixa aberto com fundo de troco de ${formatBRL(v.session?.openingCents ?? 0)}. Boas vendas!`);
    } catch (err) {
      onError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form
      className="subform"
      data-testid="register-open-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3>Abertura do caixa</h3>
      <label className="check">
        <input type="checkbox" checked={byCount} onChange={(e) => setByCount(e.target.checked)} data-testid="open-by-count" /> Contar por cédulas e moedas
      </label>
      {byCount ? (
        <DenominationGrid value={counts} onChange={setCounts} testId="open-counts" />
      ) : (
        <label className="field">
          <span>Fundo de troco (R$)</span>
          <input
            ref={focusOnMount}
            data-testid="open-amount"
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            placeholder="0,00"
          />
        </label>
      )}
      <div className="dialog-actions">
        <button type="submit" className="primary" disabled={busy} data-testid="open-submit">
          Abrir caixa (Enter)
        </button>
      </div>
    </form>
  );
}

function MovementForm({
  kind,
  onCancel,
  onSubmit,
}: {
  kind: 'sangria' | 'suprimento';
  onCancel: () => void;
  onSubmit: (amountText: string, reason: string) => void;
}) {
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  function submit() {
    const a = parseAmount(amount);
    if (!a.ok) return setError(a.message);
    if (reason.trim().length < 3) return setError('Informe o motivo (pelo menos 3 letras).');
    setError(null);
    onSubmit(amount, reason.trim());
  }
  return (
    <form
      className="subform"
      data-testid="movement-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h3>{kind === 'sangria' ? 'Sangria (retirada de dinheiro)' : 'Suprimento (entrada de dinheiro)'}</h3>
      <label className="field">
        <span>Valor (R$)</span>
        <input ref={focusOnMount} data-testid="movement-amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
      </label>
      <label className="field">
        <span>Motivo</span>
        <input data-testid="movement-reason" maxLength={140} value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <ErrorLine text={error} />
      <div className="dialog-actions">
        <button type="button" onClick={onCancel}>
          Voltar (Esc)
        </button>
        <button type="submit" className="primary" data-testid="movement-submit">
          Registrar (Enter)
        </button>
      </div>
    </form>
  );
}

function CloseForm({
  onCancel,
  onSubmit,
  onError,
}: {
  onCancel: () => void;
  onError: (e: string | null) => void;
  onSubmit: (input: { cashCounts: Record<string, number>; cardText: string; pixText: string; otherText: string }) => void;
}) {
  const [counts, setCounts] = useState<CountsText>({});
  const [card, setCard] = useState('');
  const [pix, setPix] = useState('');
  const [other, setOther] = useState('');
  function submit() {
    const parsed = parseCounts(counts);
    if (parsed.error) return onError(parsed.error);
    for (const [label, text] of [
      ['Cartões', card],
      ['PIX', pix],
      ['Outras formas', other],
    ] as const) {
      if (text.trim() === '') continue;
      const a = parseAmount(text, { allowZero: true });
      if (!a.ok) return onError(`${label}: ${a.message}`);
    }
    onError(null);
    onSubmit({ cashCounts: parsed.counts, cardText: card, pixText: pix, otherText: other });
  }
  return (
    <form
      className="subform"
      data-testid="close-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h3>Fechamento do caixa</h3>
      <p className="hint">
        Conte o dinheiro da gaveta e informe os totais das maquininhas. Os valores esperados aparecem só para o gerente, depois da contagem.
      </p>
      <DenominationGrid value={counts} onChange={setCounts} testId="close-counts" />
      <div className="close-declared">
        <label className="field">
          <span>Cartões — total das maquininhas (R$)</span>
          <input data-testid="close-card" inputMode="decimal" value={card} onChange={(e) => setCard(e.target.value)} />
        </label>
        <label className="field">
          <span>PIX (R$)</span>
          <input data-testid="close-pix" inputMode="decimal" value={pix} onChange={(e) => setPix(e.target.value)} />
        </label>
        <label className="field">
          <span>Outras formas (R$)</span>
          <input data-testid="close-other" inputMode="decimal" value={other} onChange={(e) => setOther(e.target.value)} />
        </label>
      </div>
      <div className="dialog-actions">
        <button type="button" onClick={onCancel}>
          Voltar (Esc)
        </button>
        <button type="submit" className="primary" data-testid="close-submit">
          Conferir com o gerente e fechar
        </button>
      </div>
    </form>
  );
}
