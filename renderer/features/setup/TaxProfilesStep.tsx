// "Configuração inicial", after the emitter: the starting tax profiles for the shop's regime (CRT),
// from the same table the register uses (shared/catalog/starters.ts). The manager accepts them (each
// can be unticked) or skips; they are created in this shop's own catalog, never in the demo's.
import { useState } from 'react';
import type { SetupState } from '../../../shared/contract.ts';
import type { TaxProfile } from '../../../shared/sale.ts';
import { REGIME_LABEL, starterTaxProfiles } from '../../../shared/catalog/starters.ts';
import { call, pos } from '../../pos.ts';
import { ErrorLine } from '../../components/ErrorLine.tsx';
import { useSetupStep } from './useSetupStep.ts';

const pct = (bp: number) => `${(bp / 100).toLocaleString('pt-BR', { minimumFractionDigits: 2 })}%`;

function summary(p: TaxProfile): string {
  const icms = p.icms.length === 3 ? `CSOSN ${p.icms}` : `CST ${p.icms}${p.icmsRateBp > 0 ? ` (${pct(p.icmsRateBp)})` : ''}`;
  return `CFOP ${p.cfop} · ICMS ${icms} · PIS/COFINS CST ${p.pisCofinsCst} · IBS/CBS CST ${p.ibsCbsCst ?? '—'} / cClassTrib ${p.cClassTrib ?? '—'}`;
}

export function TaxProfilesStep({ state, onSaved }: { state: SetupState; onSaved: (s: SetupState) => void }) {
  const step = useSetupStep(onSaved);
  const crt = state.emitter?.crt ?? null;
  const offered = crt === null ? [] : starterTaxProfiles(crt);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set(offered.map((p) => p.id)));
  const save = (profileIds: string[]) => void step.run(() => call(pos().setup.saveTaxProfiles({ profileIds })));
  if (crt === null) {
    return (
      <div data-testid="setup-tax-profiles">
        <h2>Perfis fiscais iniciais</h2>
        <p className="hint">Salve primeiro os dados do emitente: os perfis dependem do regime tributário da empresa.</p>
      </div>
    );
  }
  return (
    <div data-testid="setup-tax-profiles" data-crt={crt}>
      <h2>Perfis fiscais iniciais</h2>
      <p className="hint">
        Regime da empresa: <strong>{REGIME_LABEL[crt]}</strong>. Estes perfis reúnem os dados fiscais de uma revenda comum; os produtos usam um perfil e podem
        mudar campos. Confirme-os com o seu contador: dá para editá-los depois em Produtos › Perfis fiscais.
      </p>
      <ul className="setup-profiles">
        {offered.map((p) => (
          <li key={p.id}>
            <label className="check">
              <input
                type="checkbox"
                data-testid="setup-tax-profile"
                data-profile={p.id}
                checked={chosen.has(p.id)}
                onChange={(e) => {
                  const next = new Set(chosen);
                  if (e.target.checked) next.add(p.id);
                  else next.delete(p.id);
                  setChosen(next);
                }}
              />
              <span>
                <strong>{p.name}</strong>
                <br />
                <small>{summary(p)}</small>
              </span>
            </label>
          </li>
        ))}
      </ul>
      <div className="row">
        <button
          type="button"
          className="primary"
          data-testid="setup-tax-profiles-save"
          disabled={step.busy || chosen.size === 0}
          onClick={() => save(offered.filter((p) => chosen.has(p.id)).map((p) => p.id))}
        >
          Criar {chosen.size === 1 ? 'o perfil' : 'os perfis'} e continuar
        </button>
        <button type="button" data-testid="setup-tax-profiles-skip" disabled={step.busy} onClick={() => save([])}>
          Pular (cadastro os perfis depois)
        </button>
      </div>
      <ErrorLine text={step.error} testId="setup-error" />
    </div>
  );
}
