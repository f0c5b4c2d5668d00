// Numbering gaps per série and their inutilização (manager, with a justification of 15+ letters).
import { useEffect, useState } from 'react';
import type { InutilizacaoView, NumberingGap } from '../../../shared/register/period.ts';
import { ErrorLine } from '../../components/ErrorLine.tsx';
import { call, messageOf, pos } from '../../pos.ts';

const STATUS_PT: Record<NumberingGap['status'], string> = { open: 'Em aberto', pending: 'Inutilização em andamento', voided: 'Inutilizada' };
const INUT_PT: Record<InutilizacaoView['state'], string> = { pending: 'Enviando', authorized: 'Homologada', rejected: 'Recusada' };

export function GapsSection() {
  const [gaps, setGaps] = useState<NumberingGap[]>([]);
  const [inuts, setInuts] = useState<InutilizacaoView[]>([]);
  const [just, setJust] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function load() {
    try {
      const r = await call(pos().reports.gaps({}));
      setGaps(r.gaps);
      setInuts(r.inutilizacoes);
    } catch (err) {
      setError(messageOf(err));
    }
  }
  useEffect(() => {
    void load();
  }, []);
  async function voidGap(g: NumberingGap) {
    if (just.trim().length < 15) return setError('Escreva a justificativa da inutilização (pelo menos 15 letras).');
    setBusy(true);
    setError(null);
    try {
      const r = await call(pos().reports.inutilize({ serie: g.serie, from: g.from, to: g.to, justificativa: just.trim() }));
      if (r.state === 'rejected') setError(`Inutilização recusada: ${r.message ?? 'sem motivo informado'}`);
      await load();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="chart-box" data-testid="gaps-section">
      <h3>Lacunas na numeração</h3>
      {gaps.length === 0 ? (
        <p className="muted" data-testid="no-gaps">
          Nenhuma lacuna: a numeração está contínua.
        </p>
      ) : (
        <>
          <label className="field">
            <span>Justificativa da inutilização</span>
            <input data-testid="gap-justificativa" maxLength={255} value={just} onChange={(e) => setJust(e.target.value)} />
          </label>
          <table className="report-table" data-testid="gaps-table">
            <tbody>
              {gaps.map((g) => (
                <tr key={`${g.serie}-${g.from}`} data-status={g.status}>
                  <td>Série {g.serie}</td>
                  <td>{g.from === g.to ? `nº ${g.from}` : `nº ${g.from} a ${g.to}`}</td>
                  <td>{STATUS_PT[g.status]}</td>
                  <td>
                    {g.status === 'open' ? (
                      <button type="button" disabled={busy} onClick={() => void voidGap(g)}>
                        Inutilizar
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <ErrorLine text={error} />
      {inuts.length > 0 ? (
        <table className="report-table">
          <tbody>
            {inuts.map((i) => (
              <tr key={i.id}>
                <td>Série {i.serie}</td>
                <td>
                  {i.from} a {i.to}
                </td>
                <td>{INUT_PT[i.state]}</td>
                <td>{i.message ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
