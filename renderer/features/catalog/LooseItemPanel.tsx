// Item avulso (the till's line for something not in the catalog): off until the manager enables it
// here, choosing the tax profile and NCM every such item carries and the highest price a cashier may
// type. The core checks the choice against the shop's regime before saving it.
import { useState } from 'react';
import type { TaxProfile } from '../../../shared/sale.ts';
import { formatBRL, parseMoneyInput } from '../../../shared/money.ts';
import { LooseItemSettings } from '../../../shared/catalog/loose.ts';
import { call, pos } from '../../pos.ts';
import { useSession } from '../../state/session.ts';
import type { PinGate } from './usePin.tsx';

export function LooseItemPanel(props: { profiles: TaxProfile[]; pin: PinGate; onSaved: (text: string) => void }) {
  const current = useSession((s) => s.settings?.looseItem);
  const [enabled, setEnabled] = useState(current?.enabled ?? false);
  const [profileId, setProfileId] = useState(current?.taxProfileId ?? '');
  const [ncm, setNcm] = useState(current?.ncm ?? '');
  const [cest, setCest] = useState(current?.cest ?? '');
  const [max, setMax] = useState(formatBRL(current?.maxPriceCents ?? 100_000).replace(/^R\$\s*/, ''));
  const [error, setError] = useState<string | null>(null);

  const save = () => {
    const parsed = LooseItemSettings.safeParse({
      enabled,
      taxProfileId: profileId || null,
      ncm: ncm.trim() || null,
      cest: cest.trim() || null,
      maxPriceCents: parseMoneyInput(max) ?? -1,
    });
    if (!parsed.success) {
      setError('Confira: NCM com 8 dígitos, CEST com 7 (ou em branco) e preço máximo de R$ 0,01 a R$ 100.000,00.');
      return;
    }
    setError(null);
    props.pin.withPin('Alterar o item avulso do caixa.', async (managerPin) => {
      const saved = await call(pos().catalog.setLooseItem({ looseItem: parsed.data, managerPin }));
      const st = useSession.getState();
      if (st.settings) st.setSettings({ ...st.settings, looseItem: saved });
      props.onSaved(saved.enabled ? 'Item avulso habilitado no caixa.' : 'Item avulso desabilitado.');
    });
  };

  return (
    <section className="settings-section" data-testid="loose-panel">
      <h3>Item avulso</h3>
      <p className="hint">Para vender algo fora do cadastro: o caixa digita a descrição e o preço; os dados fiscais vêm do perfil escolhido aqui.</p>
      <div className="grid">
        <label className="field checkbox">
          <input type="checkbox" data-testid="loose-enabled" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          <span>Permitir item avulso no caixa</span>
        </label>
        <label className="field">
          <span>Perfil fiscal</span>
          <select data-testid="loose-profile" value={profileId} onChange={(e) => setProfileId(e.target.value)}>
            <option value="">(escolha)</option>
            {props.profiles.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>NCM</span>
          <input data-testid="loose-ncm" value={ncm} maxLength={8} inputMode="numeric" onChange={(e) => setNcm(e.target.value)} />
        </label>
        <label className="field">
          <span>CEST (substituição tributária)</span>
          <input data-testid="loose-cest" value={cest} maxLength={7} inputMode="numeric" onChange={(e) => setCest(e.target.value)} />
        </label>
        <label className="field">
          <span>Preço máximo por item (R$)</span>
          <input data-testid="loose-max" value={max} inputMode="decimal" onChange={(e) => setMax(e.target.value)} />
        </label>
      </div>
      {error ? (
        <p className="error-line" role="alert" data-testid="loose-panel-error">
          {error}
        </p>
      ) : null}
      <button type="button" className="primary" data-testid="loose-save" onClick={save}>
        Salvar item avulso
      </button>
    </section>
  );
}
