// Séries, the cashier's discount limit, how long a sale waits for SEFAZ before contingency, QR version.
import { useState } from 'react';
import type { PublicSettings } from '../../../shared/contract.ts';
import { call, pos } from '../../pos.ts';
import { SectionMessage, useManagerAction } from './useManagerAction.tsx';

export function OperationSection({ settings }: { settings: PublicSettings }) {
  const action = useManagerAction();
  const [serie, setSerie] = useState(settings.serie);
  const [contSerie, setContSerie] = useState(settings.contingencySerie);
  const [limit, setLimit] = useState((settings.discountLimitBp / 100).toLocaleString('pt-BR'));
  const [deadline, setDeadline] = useState(String(Math.round(settings.authorizationDeadlineMs / 1000)));
  const [qr, setQr] = useState(String(settings.qrVersion));
  const [scaleLabel, setScaleLabel] = useState<'price' | 'weight'>(settings.scaleLabel ?? 'price');
  const [error, setError] = useState<string | null>(null);

  function save() {
    if (!/^\d{1,3}$/.test(serie) || !/^\d{1,3}$/.test(contSerie)) {
      setError('A série tem de 1 a 3 números.');
      return;
    }
    if (Number(serie) === Number(contSerie)) {
      setError('A série de contingência precisa ser diferente da série normal (números nunca se repetem).');
      return;
    }
    const m = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(limit.trim().replace('%', ''));
    const bp = m ? Number(m[1]) * 100 + Number(((m[2] ?? '') + '00').slice(0, 2)) : NaN;
    if (!Number.isInteger(bp) || bp > 10_000) {
      setError('Limite de desconto: digite uma porcentagem de 0 a 100, por exemplo 10 ou 7,5.');
      return;
    }
    const secs = Number(deadline);
    if (!Number.isInteger(secs) || secs < 3 || secs > 120) {
      setError('Prazo de autorização: de 3 a 120 segundos.');
      return;
    }
    setError(null);
    const patch = {
      serie,
      contingencySerie: contSerie,
      discountLimitBp: bp,
      authorizationDeadlineMs: secs * 1000,
      qrVersion: qr === '3' ? (3 as const) : (2 as const),
      scaleLabel,
    };
    action.request('Alterar séries, limite de desconto e prazos.', (managerPin) => call(pos().settings.update({ managerPin, patch })), 'Configurações de operação salvas.');
  }

  return (
    <section className="settings-section" data-testid="settings-operation">
      <h3>Séries, desconto, balança e prazos</h3>
      <div className="grid">
        <label className="field"><span>Série da NFC-e</span><input data-testid="settings-serie" value={serie} maxLength={3} onChange={(e) => setSerie(e.target.value)} /></label>
        <label className="field"><span>Série de contingência</span><input data-testid="settings-cont-serie" value={contSerie} maxLength={3} onChange={(e) => setContSerie(e.target.value)} /></label>
        <label className="field"><span>Desconto máximo sem gerente (%)</span><input data-testid="settings-discount-limit" value={limit} onChange={(e) => setLimit(e.target.value)} /></label>
        <label className="field"><span>Espera pela SEFAZ antes da contingência (s)</span><input data-testid="settings-deadline" value={deadline} inputMode="numeric" onChange={(e) => setDeadline(e.target.value)} /></label>
        <label className="field">
          <span>QR Code</span>
          <select data-testid="settings-qr" value={qr} onChange={(e) => setQr(e.target.value)}>
            <option value="2">Versão 2</option>
            <option value="3">Versão 3</option>
          </select>
        </label>
        <label className="field">
          <span>Etiqueta da balança (código começando com 2)</span>
          <select data-testid="settings-scale-label" value={scaleLabel} onChange={(e) => setScaleLabel(e.target.value === 'weight' ? 'weight' : 'price')}>
            <option value="price">Traz o preço total</option>
            <option value="weight">Traz o peso (gramas)</option>
          </select>
        </label>
      </div>
      {error ? <p className="error-line" role="alert" data-testid="operation-error">{error}</p> : null}
      <button type="button" className="primary" data-testid="save-operation" onClick={save}>Salvar</button>
      <SectionMessage message={action.message} testId="operation-message" />
      {action.dialog}
    </section>
  );
}
