// Séries, the cashier's discount limit, how long a sale waits for SEFAZ before contingency, QR version,
// the CSC and its ID (QR v2 offline), the idle lock and when cancelling needs the manager.
import { useState } from 'react';
import { SCALE_FORMATS, exampleLabelBody, scaleFormat, scaleRoundingRule, type ScaleFormatId } from '../../../shared/catalog/scale.ts';
import { withCheckDigit } from '../../../shared/catalog/gtin.ts';
import type { PublicSettings } from '../../../shared/contract.ts';
import { PIS_COFINS_REGIME_LABELS, PIS_COFINS_REGIMES, type PisCofinsRegime } from '../../../shared/fiscal/pis-cofins.ts';
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
  const [ibsCbsEarly, setIbsCbsEarly] = useState(settings.ibsCbsEarlyStart ?? false);
  const [econfAuto, setEconfAuto] = useState(settings.econfAfterAuthorization ?? false);
  const [pisRegime, setPisRegime] = useState<PisCofinsRegime>(settings.pisCofinsRegime ?? 'cumulativo');
  const env = settings.environment;
  const [cscId, setCscId] = useState(settings.cscId[env] ?? '');
  const [csc, setCsc] = useState('');
  const [idle, setIdle] = useState(String(settings.idleLockMinutes));
  const reais = (c: number) => (c < 0 ? '' : (c / 100).toLocaleString('pt-BR', { minimumFractionDigits: 2 }));
  const [itemAbove, setItemAbove] = useState(reais(settings.cancelItemApprovalAboveCents));
  const [saleAbove, setSaleAbove] = useState(reais(settings.cancelSaleApprovalAboveCents));
  const [format, setFormat] = useState<ScaleFormatId>(settings.scaleFormat ?? 'p5v6');
  const [error, setError] = useState<string | null>(null);

  /** '' → -1 (never), else R$ → cents. */
  const toCents = (text: string): number => {
    const t = text.trim();
    if (t === '') return -1;
    const m = /^(\d{1,7})(?:,(\d{1,2}))?$/.exec(t.replace(/\./g, ''));
    return m ? Number(m[1]) * 100 + Number(((m[2] ?? '') + '00').slice(0, 2)) : NaN;
  };

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
    const idleMin = Number(idle);
    if (!Number.isInteger(idleMin) || idleMin < 0 || idleMin > 240) {
      setError('Bloqueio por inatividade: de 0 (nunca) a 240 minutos.');
      return;
    }
    const itemCents = toCents(itemAbove);
    const saleCents = toCents(saleAbove);
    if (Number.isNaN(itemCents) || Number.isNaN(saleCents)) {
      setError('Valores de cancelamento: digite um valor em reais, como 50,00 (0 = sempre pedir o gerente; em branco = nunca).');
      return;
    }
    if (cscId.trim() && !/^\d{1,6}$/.test(cscId.trim())) {
      setError('O ID do CSC (ID token) tem de 1 a 6 números.');
      return;
    }
    if (csc.trim() && !/^[A-Za-z0-9]{16,36}$/.test(csc.trim())) {
      setError('O CSC tem de 16 a 36 letras e números, como aparece no portal da SEFAZ.');
      return;
    }
    setError(null);
    const newCsc = csc.trim();
    const patch = {
      idleLockMinutes: idleMin,
      cancelItemApprovalAboveCents: itemCents,
      cancelSaleApprovalAboveCents: saleCents,
      ...(cscId.trim() ? { cscId: cscId.trim() } : {}),
      serie,
      contingencySerie: contSerie,
      discountLimitBp: bp,
      authorizationDeadlineMs: secs * 1000,
      qrVersion: qr === '3' ? (3 as const) : (2 as const),
      scaleLabel,
      ibsCbsEarlyStart: ibsCbsEarly,
      econfAfterAuthorization: econfAuto,
      pisCofinsRegime: pisRegime,
      scaleFormat: format,
    };
    action.request(
      'Alterar séries, limite de desconto e prazos.',
      async (managerPin) => {
        const saved = await call(pos().settings.update({ managerPin, patch }));
        if (!newCsc) return saved;
        setCsc('');
        return call(pos().settings.setCsc({ managerPin, csc: newCsc }));
      },
      'Configurações de operação salvas.',
    );
  }

  return (
    <section className="settings-section" data-testid="settings-operation">
      <h3>Séries, desconto, balança e prazos</h3>
      <div className="grid">
        <label className="field">
          <span>Série da NFC-e</span>
          <input data-testid="settings-serie" value={serie} maxLength={3} onChange={(e) => setSerie(e.target.value)} />
        </label>
        <label className="field">
          <span>Série de contingência</span>
          <input data-testid="settings-cont-serie" value={contSerie} maxLength={3} onChange={(e) => setContSerie(e.target.value)} />
        </label>
        <label className="field">
          <span>Desconto máximo sem gerente (%)</span>
          <input data-testid="settings-discount-limit" value={limit} onChange={(e) => setLimit(e.target.value)} />
        </label>
        <label className="field">
          <span>Espera pela SEFAZ antes da contingência (s)</span>
          <input data-testid="settings-deadline" value={deadline} inputMode="numeric" onChange={(e) => setDeadline(e.target.value)} />
        </label>
        <label className="field">
          <span>QR Code</span>
          <select data-testid="settings-qr" value={qr} onChange={(e) => setQr(e.target.value)}>
            <option value="2">Versão 2</option>
            <option value="3">Versão 3</option>
          </select>
        </label>
        <label className="field">
          <span>Regime de PIS/COFINS (produtos com CST 01)</span>
          <select
            data-testid="settings-pis-regime"
            value={pisRegime}
            onChange={(e) => setPisRegime(e.target.value === 'nao_cumulativo' ? 'nao_cumulativo' : 'cumulativo')}
          >
            {PIS_COFINS_REGIMES.map((r) => (
              <option key={r} value={r}>
                {PIS_COFINS_REGIME_LABELS[r]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Etiqueta da balança (código começando com 2)</span>
          <select data-testid="settings-scale-label" value={scaleLabel} onChange={(e) => setScaleLabel(e.target.value === 'weight' ? 'weight' : 'price')}>
            <option value="price">Traz o preço total</option>
            <option value="weight">Traz o peso (gramas)</option>
          </select>
        </label>
        <label className="field checkbox">
          <input type="checkbox" data-testid="settings-ibscbs-early" checked={ibsCbsEarly} onChange={(e) => setIbsCbsEarly(e.target.checked)} />
          <span>
            Enviar IBS/CBS (reforma tributária) já agora. Obrigatório para o regime normal desde 2026 e para Simples/MEI a partir de 04/01/2027, com ou sem esta
            opção.
          </span>
        </label>
        <label className="field checkbox">
          <input type="checkbox" data-testid="settings-econf-auto" checked={econfAuto} onChange={(e) => setEconfAuto(e.target.checked)} />
          <span>Registrar a conciliação financeira (ECONF) dos pagamentos eletrônicos logo após a autorização (quando o estado exige).</span>
        </label>
        <label className="field">
          <span>ID do CSC (ID token, {env === 'producao' ? 'produção' : 'homologação'})</span>
          <input data-testid="settings-csc-id" value={cscId} maxLength={6} inputMode="numeric" onChange={(e) => setCscId(e.target.value)} />
        </label>
        <label className="field">
          <span>CSC {settings.hasCsc[env] ? '(gravado — digite para substituir)' : '(não cadastrado)'}</span>
          <input type="password" autoComplete="off" data-testid="settings-csc" value={csc} onChange={(e) => setCsc(e.target.value)} />
        </label>
        <label className="field">
          <span>Bloquear o caixa após (minutos sem uso; 0 = nunca)</span>
          <input data-testid="settings-idle" value={idle} inputMode="numeric" onChange={(e) => setIdle(e.target.value)} />
        </label>
        <label className="field">
          <span>Cancelar item acima de (R$) pede o gerente</span>
          <input data-testid="settings-cancel-item" value={itemAbove} onChange={(e) => setItemAbove(e.target.value)} />
        </label>
        <label className="field">
          <span>Cancelar venda acima de (R$) pede o gerente (0 = sempre)</span>
          <input data-testid="settings-cancel-sale" value={saleAbove} onChange={(e) => setSaleAbove(e.target.value)} />
        </label>
        <label className="field">
          <span>Formato da etiqueta da balança</span>
          <select data-testid="settings-scale-format" value={format} onChange={(e) => setFormat(scaleFormat(e.target.value).id)}>
            {SCALE_FORMATS.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="hint" data-testid="scale-rule">
        Exemplo: {withCheckDigit(exampleLabelBody(scaleFormat(format), scaleLabel))} = produto 123, {scaleLabel === 'price' ? 'R$ 12,34' : '0,512 kg'}.{' '}
        {scaleRoundingRule(scaleLabel)}
      </p>
      {error ? (
        <p className="error-line" role="alert" data-testid="operation-error">
          {error}
        </p>
      ) : null}
      <button type="button" className="primary" data-testid="save-operation" onClick={save}>
        Salvar
      </button>
      <SectionMessage message={action.message} testId="operation-message" />
      {action.dialog}
    </section>
  );
}
