// Tax profiles ("perfis fiscais"): named fiscal data shared by many products. A change applies from
// the next sale on. The starting profiles for the shop's regime are one click away.
import { useState } from 'react';
import { TaxProfile, type Crt } from '../../../shared/sale.ts';
import { readPercentBp } from '../../../shared/catalog/values.ts';
import { REGIME_LABEL as REGIME, starterTaxProfiles } from '../../../shared/catalog/starters.ts';
import { call, pos } from '../../pos.ts';
import type { PinGate } from './usePin.tsx';

const pct = (bp: number) => (bp / 100).toLocaleString('pt-BR', { minimumFractionDigits: 2 });

export function ProfilesPanel(props: { profiles: TaxProfile[]; crt: Crt; pin: PinGate; onSaved: (list: TaxProfile[], text: string) => void }) {
  const [form, setForm] = useState<Record<string, string> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const starters = starterTaxProfiles(props.crt).filter((s) => !props.profiles.some((p) => p.id === s.id));

  const edit = (p: TaxProfile | null) => {
    setError(null);
    setForm({
      id: p?.id ?? '',
      name: p?.name ?? '',
      cfop: p?.cfop ?? '5102',
      origin: p?.origin ?? '0',
      icms: p?.icms ?? '',
      icmsRateBp: pct(p?.icmsRateBp ?? 0),
      pisCofinsCst: p?.pisCofinsCst ?? '49',
      ibsCbsCst: p?.ibsCbsCst ?? '',
      cClassTrib: p?.cClassTrib ?? '',
      approxTaxBp: pct(p?.approxTaxBp ?? 0),
    });
  };
  const save = () => {
    if (!form) return;
    const rate = readPercentBp(form.icmsRateBp ?? '0');
    const approx = readPercentBp(form.approxTaxBp ?? '0');
    const id =
      form.id ||
      (form.name ?? '')
        .normalize('NFD')
        .replace(/[^A-Za-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
        .toLowerCase()
        .slice(0, 40) ||
      crypto.randomUUID();
    const parsed = TaxProfile.safeParse({
      ...form,
      id,
      icmsRateBp: rate.ok ? rate.value : -1,
      approxTaxBp: approx.ok ? approx.value : -1,
      ibsCbsCst: form.ibsCbsCst || null,
      cClassTrib: form.cClassTrib || null,
    });
    if (!parsed.success) {
      setError(
        `Confira o campo ${String(parsed.error.issues[0]?.path[0] ?? '')}: nome (2+ letras), CFOP 4 dígitos, CST/CSOSN 2–3 dígitos, PIS/COFINS 2, IBS/CBS 3, cClassTrib 6, porcentagens de 0 a 100.`,
      );
      return;
    }
    props.pin.withPin('Salvar o perfil fiscal (vale a partir da próxima venda).', async (managerPin) => {
      const list = await call(pos().catalog.saveProfile({ profile: parsed.data, managerPin }));
      setForm(null);
      props.onSaved(list, `Perfil "${parsed.data.name}" salvo: vale a partir da próxima venda.`);
    });
  };
  const addStarters = () =>
    props.pin.withPin('Adicionar os perfis iniciais do regime.', async (managerPin) => {
      const list = await call(pos().catalog.addStarterProfiles({ managerPin }));
      props.onSaved(list, 'Perfis iniciais adicionados. Confirme os dados com o contador da loja.');
    });
  const field = (k: string, label: string) => (
    <label className="field" key={k}>
      <span>{label}</span>
      <input data-testid={`profile-${k}`} value={form?.[k] ?? ''} onChange={(e) => setForm((f) => ({ ...f!, [k]: e.target.value }))} />
    </label>
  );

  return (
    <section className="settings-section" data-testid="profiles-panel">
      <p className="hint">Regime da loja: {REGIME[props.crt]}. Alterar um perfil muda os produtos que o usam a partir da próxima venda.</p>
      <table className="contingency-table">
        <thead>
          <tr>
            <th>Perfil</th>
            <th>CFOP</th>
            <th>CST/CSOSN</th>
            <th>PIS/COFINS</th>
            <th>IBS/CBS</th>
            <th>cClassTrib</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {props.profiles.map((p) => (
            <tr key={p.id} data-testid="profile-row">
              <td>{p.name}</td>
              <td>{p.cfop}</td>
              <td>
                {p.icms}
                {p.icmsRateBp ? ` (${pct(p.icmsRateBp)}%)` : ''}
              </td>
              <td>{p.pisCofinsCst}</td>
              <td>{p.ibsCbsCst ?? '—'}</td>
              <td>{p.cClassTrib ?? '—'}</td>
              <td>
                <button type="button" onClick={() => edit(p)}>
                  Editar
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="result-actions">
        <button type="button" data-testid="profile-new" onClick={() => edit(null)}>
          Novo perfil
        </button>
        {starters.length > 0 ? (
          <button type="button" className="primary" data-testid="profile-starters" onClick={addStarters}>
            Adicionar perfis iniciais ({starters.map((s) => s.name).join('; ')})
          </button>
        ) : null}
      </div>
      {form ? (
        <div className="subform" data-testid="profile-form">
          <div className="grid">
            {field('name', 'Nome')}
            {field('cfop', 'CFOP')}
            {field('origin', 'Origem (0 a 8)')}
            {field('icms', 'CST/CSOSN')}
            {field('icmsRateBp', 'Alíquota ICMS (%)')}
            {field('pisCofinsCst', 'CST PIS/COFINS')}
            {field('ibsCbsCst', 'CST IBS/CBS')}
            {field('cClassTrib', 'cClassTrib')}
            {field('approxTaxBp', 'Tributos aproximados (%)')}
          </div>
          {error ? (
            <p className="error-line" role="alert">
              {error}
            </p>
          ) : null}
          <div className="dialog-actions">
            <button type="button" onClick={() => setForm(null)}>
              Cancelar
            </button>
            <button type="button" className="primary" data-testid="profile-save" onClick={save}>
              Salvar perfil
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}
