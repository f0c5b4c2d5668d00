// Spreadsheet import: choose the file (CSV or XLSX), map its columns (guessed from the header),
// check every row, then save in one transaction — the valid rows, or nothing if any row is wrong.
import { useEffect, useState } from 'react';
import { COLUMNS, type ColumnMapping } from '../../../shared/catalog/columns.ts';
import type { ImportCheck, ImportPreview, ImportProgress } from '../../../shared/catalog/transfer.ts';
import { call, pos } from '../../pos.ts';
import { uploadFile } from './files.ts';
import type { PinGate } from './usePin.tsx';

const ENCODING: Record<string, string> = { 'utf-8': 'UTF-8', 'windows-1252': 'Windows-1252 (ANSI)', 'utf-16le': 'UTF-16' };
const SEPARATOR: Record<string, string> = { ';': 'ponto e vírgula', ',': 'vírgula', '\t': 'tabulação', '|': 'barra vertical' };

export function ImportPanel(props: { pin: PinGate; onDone: (text: string) => void; onError: (err: unknown) => void }) {
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [check, setCheck] = useState<ImportCheck | null>(null);
  const [mode, setMode] = useState<'valid' | 'all'>('valid');
  const [progress, setProgress] = useState<{ label: string; done: number; total: number } | null>(null);

  useEffect(() => {
    if (!preview) return;
    return pos().on('catalog.progress', (p: ImportProgress) => {
      if (p.importId === preview.importId) setProgress({ label: p.phase === 'check' ? 'Conferindo linhas' : 'Gravando', done: p.done, total: p.total });
    });
  }, [preview]);

  const busy = (label: string) => setProgress({ label, done: 0, total: 0 });
  const idle = () => setProgress(null);
  const failed = (err: unknown) => {
    idle();
    props.onError(err);
  };

  async function choose(file: File) {
    setPreview(null);
    setCheck(null);
    try {
      const uploadId = await uploadFile(file, (done, total) => setProgress({ label: 'Enviando o arquivo', done, total }));
      busy('Lendo a planilha');
      const p = await call(pos().catalog.importOpen({ uploadId, fileName: file.name }));
      setPreview(p);
      setMapping(p.suggested);
      idle();
    } catch (err) {
      failed(err);
    }
  }
  async function runCheck() {
    if (!preview) return;
    busy('Conferindo linhas');
    try {
      setCheck(await call(pos().catalog.importCheck({ importId: preview.importId, mapping })));
      idle();
    } catch (err) {
      failed(err);
    }
  }
  function commit() {
    if (!preview) return;
    props.pin.withPin('Importar os produtos da planilha.', async (managerPin) => {
      busy('Gravando');
      try {
        const r = await call(pos().catalog.importCommit({ importId: preview.importId, mapping, mode, managerPin }));
        idle();
        setPreview(null);
        setCheck(null);
        props.onDone(
          `Importação concluída: ${r.created} novo(s), ${r.updated} atualizado(s), ${r.unchanged} sem mudança${r.errorRows ? `, ${r.errorRows} linha(s) com erro ignorada(s)` : ''}.`,
        );
      } catch (err) {
        failed(err);
      }
    });
  }

  return (
    <section className="settings-section" data-testid="import-panel">
      <p className="hint">
        CSV (separado por ponto e vírgula ou vírgula, UTF-8 ou Windows-1252) ou XLSX. Os produtos são encontrados pelo código (ou pelo GTIN): importar o mesmo
        arquivo de novo não duplica nada. Até 100.000 produtos por arquivo.
      </p>
      <input
        type="file"
        accept=".csv,.txt,.xlsx"
        data-testid="import-file"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void choose(f);
          e.target.value = '';
        }}
      />
      {progress ? (
        <div className="progress" data-testid="import-progress">
          <span>{progress.label}…</span>
          <progress max={progress.total || undefined} value={progress.total ? progress.done : undefined} />
          {progress.total ? (
            <span>
              {progress.done.toLocaleString('pt-BR')} de {progress.total.toLocaleString('pt-BR')}
            </span>
          ) : null}
        </div>
      ) : null}
      {preview ? (
        <>
          <p data-testid="import-summary">
            {preview.fileName}: {preview.rowCount.toLocaleString('pt-BR')} linha(s)
            {preview.kind === 'csv'
              ? `, lido como ${ENCODING[preview.encoding ?? ''] ?? preview.encoding}, separador ${SEPARATOR[preview.separator ?? ''] ?? preview.separator}`
              : ', planilha XLSX (primeira aba)'}
            .
          </p>
          <div className="grid">
            {COLUMNS.map((c) => (
              <label className="field" key={c.key}>
                <span>
                  {c.label}
                  {c.required === 'always' ? ' *' : c.required === 'new' ? ' (produto novo)' : ''}
                </span>
                <select
                  data-testid={`map-${c.key}`}
                  value={mapping[c.key] ?? ''}
                  onChange={(e) => {
                    setCheck(null);
                    setMapping((m) => ({ ...m, [c.key]: e.target.value === '' ? null : Number(e.target.value) }));
                  }}
                >
                  <option value="">— não importar —</option>
                  {preview.header.map((h, i) => (
                    <option key={i} value={i}>
                      {h || `Coluna ${i + 1}`}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </div>
          <div className="import-sample">
            <table className="detail-items" data-testid="import-sample">
              <thead>
                <tr>
                  {preview.header.map((h, i) => (
                    <th key={i}>{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.sample.map((r, i) => (
                  <tr key={i}>
                    {r.map((c, j) => (
                      <td key={j}>{c}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <button type="button" className="primary" data-testid="import-check" onClick={() => void runCheck()}>
            Conferir
          </button>
        </>
      ) : null}
      {check ? (
        <div data-testid="import-check-result">
          <p>
            {check.created} novo(s), {check.updated} atualizado(s), {check.unchanged} sem mudança, <strong>{check.errorRows} com erro</strong>.
          </p>
          {check.errors.length > 0 ? (
            <table className="contingency-table" data-testid="import-errors">
              <thead>
                <tr>
                  <th>Linha</th>
                  <th>Coluna</th>
                  <th>Problema</th>
                </tr>
              </thead>
              <tbody>
                {check.errors.map((e, i) => (
                  <tr key={i}>
                    <td>{e.row}</td>
                    <td>{e.column}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <label className="check">
            <input type="radio" name="import-mode" data-testid="import-mode-valid" checked={mode === 'valid'} onChange={() => setMode('valid')} />
            Importar as linhas válidas e ignorar as com erro
          </label>
          <label className="check">
            <input type="radio" name="import-mode" data-testid="import-mode-all" checked={mode === 'all'} onChange={() => setMode('all')} />
            Tudo ou nada: se houver erro, não importar nada
          </label>
          <button
            type="button"
            className="primary"
            data-testid="import-commit"
            disabled={check.created + check.updated === 0 && check.errorRows === 0}
            onClick={commit}
          >
            Importar
          </button>
        </div>
      ) : null}
    </section>
  );
}
