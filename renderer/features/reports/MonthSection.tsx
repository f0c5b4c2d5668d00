// "Arquivos do contador": one action builds the month's zip (XMLs, cancellations, inutilizações,
// summary CSV and PDF), with progress pushed by the core, and the comparison with Focus's backup.
import { useEffect, useState } from 'react';
import type { MonthExportResult } from '../../../shared/register/period.ts';
import { ErrorLine } from '../../components/ErrorLine.tsx';
import { call, messageOf, pos } from '../../pos.ts';

function lastMonth(): string {
  const d = new Date();
  d.setDate(1);
  d.setMonth(d.getMonth() - 1);
  return d.toLocaleDateString('sv-SE').slice(0, 7);
}

export function MonthSection() {
  const [month, setMonth] = useState(lastMonth);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number; phase: string } | null>(null);
  const [result, setResult] = useState<MonthExportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => pos().on('export.progress', (p) => setProgress(p)), []);

  async function run() {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await call(pos().reports.monthExport({ month })));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
      setProgress(null);
    }
  }
  return (
    <section className="chart-box" data-testid="month-section">
      <h3>Arquivos do mês para o contador</h3>
      <div className="filters">
        <label className="field inline">
          <span>Mês</span>
          <input type="month" data-testid="month-input" value={month} onChange={(e) => setMonth(e.target.value)} />
        </label>
        <button type="button" className="primary" disabled={busy} data-testid="month-export" onClick={() => void run()}>
          Gerar arquivo (zip)
        </button>
      </div>
      {progress ? (
        <p className="hint" data-testid="month-progress">
          {progress.phase}: {progress.done} de {progress.total}
        </p>
      ) : null}
      <ErrorLine text={error} />
      {result ? (
        <div className="ok-line" data-testid="month-result">
          <p>
            Arquivo gerado: <code>{result.path}</code>
          </p>
          <p>
            {result.authorized} notas autorizadas, {result.cancelled} canceladas ({result.cancelEvents} eventos), {result.inutilizacoes} inutilizações;{' '}
            {result.fetched} XMLs baixados da Focus.
          </p>
          {result.missing.length > 0 ? <p className="error-line">Sem XML: {result.missing.length} nota(s) — listadas no LEIAME do arquivo.</p> : null}
          <p data-testid="month-backup">{result.backup.message}</p>
        </div>
      ) : null}
    </section>
  );
}
