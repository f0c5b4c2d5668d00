// The shop as it appears on every note: CNPJ (numeric or alphanumeric, with check digits), IE,
// regime (CRT), UF and address with the IBGE municipality code. The form is shared by Configurações
// and the first-run setup; the core validates the same rules again.
import { useState } from 'react';
import type { PublicSettings } from '../../../shared/contract.ts';
import { Emitter, Uf } from '../../../shared/sale.ts';
import type { Emitter as EmitterT } from '../../../shared/sale.ts';
import { normalizeDocument, validateDocument } from '../../../shared/fiscal/cpf-cnpj.ts';
import { call, pos } from '../../pos.ts';
import { SectionMessage, useManagerAction } from './useManagerAction.tsx';

type Form = Record<'cnpj' | 'ie' | 'name' | 'tradeName' | 'crt' | 'uf' | 'street' | 'number' | 'district' | 'city' | 'cityCode' | 'cep' | 'phone', string>;

const FIELD_HELP: Record<string, string> = {
  cnpj: 'CNPJ com 14 caracteres e dígitos verificadores corretos',
  ie: 'inscrição estadual: só números (2 a 14) ou ISENTO',
  name: 'razão social (2 a 60 letras)',
  tradeName: 'nome fantasia (2 a 60 letras) ou em branco',
  crt: 'regime tributário',
  uf: 'UF',
  street: 'logradouro',
  number: 'número (use S/N se não houver)',
  district: 'bairro',
  city: 'município',
  cityCode: 'código IBGE do município (7 números)',
  cep: 'CEP com 8 números',
  phone: 'telefone com DDD (10 ou 11 números) ou em branco',
};

const EMPTY: Form = {
  cnpj: '',
  ie: '',
  name: '',
  tradeName: '',
  crt: '1',
  uf: 'PR',
  street: '',
  number: '',
  district: '',
  city: '',
  cityCode: '',
  cep: '',
  phone: '',
};

function toForm(e: PublicSettings['emitter']): Form {
  if (!e) return EMPTY;
  return {
    cnpj: e.cnpj,
    ie: e.ie,
    name: e.name,
    tradeName: e.tradeName ?? '',
    crt: String(e.crt),
    uf: e.uf,
    street: e.address.street,
    number: e.address.number,
    district: e.address.district,
    city: e.address.city,
    cityCode: e.address.cityCode,
    cep: e.address.cep,
    phone: e.address.phone ?? '',
  };
}

export function EmitterSection({ settings }: { settings: PublicSettings }) {
  const action = useManagerAction();
  return (
    <section className="settings-section" data-testid="settings-emitter">
      <h3>Emitente</h3>
      <EmitterForm
        initial={settings.emitter}
        submitLabel="Salvar emitente"
        onSubmit={(emitter) =>
          action.request(
            'Alterar os dados do emitente.',
            (managerPin) => call(pos().settings.update({ managerPin, patch: { emitter } })),
            'Dados do emitente salvos.',
          )
        }
      />
      <SectionMessage message={action.message} testId="emitter-message" />
      {action.dialog}
    </section>
  );
}

export function EmitterForm({ initial, submitLabel, onSubmit }: { initial: EmitterT | null; submitLabel: string; onSubmit: (e: EmitterT) => void }) {
  const [form, setForm] = useState<Form>(() => toForm(initial));
  const [errors, setErrors] = useState<string[]>([]);
  const set = (k: keyof Form) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setForm((f) => ({ ...f, [k]: e.target.value }));

  function save() {
    const digits = (s: string) => s.replace(/\D/g, '');
    const candidate = {
      cnpj: normalizeDocument(form.cnpj),
      ie: form.ie.trim().toUpperCase() === 'ISENTO' ? 'ISENTO' : digits(form.ie),
      name: form.name,
      ...(form.tradeName.trim() ? { tradeName: form.tradeName } : {}),
      crt: Number(form.crt),
      uf: form.uf,
      address: {
        street: form.street,
        number: form.number,
        district: form.district,
        city: form.city,
        cityCode: digits(form.cityCode),
        cep: digits(form.cep),
        ...(digits(form.phone) ? { phone: digits(form.phone) } : {}),
      },
    };
    const problems: string[] = [];
    const doc = validateDocument(candidate.cnpj);
    if (!doc.ok || doc.kind !== 'cnpj') problems.push(`CNPJ: ${doc.ok ? 'informe um CNPJ, não um CPF' : doc.message}`);
    const parsed = Emitter.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[issue.path.length - 1] ?? '');
        if (key === 'cnpj' && problems.length > 0) continue;
        problems.push(`Confira o campo ${FIELD_HELP[key] ?? key}.`);
      }
    }
    setErrors(problems);
    if (problems.length > 0 || !parsed.success) return;
    onSubmit(parsed.data);
  }

  const input = (k: keyof Form, label: string, extra: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <label className="field">
      <span>{label}</span>
      <input data-testid={`emitter-${k}`} value={form[k]} onChange={set(k)} {...extra} />
    </label>
  );

  return (
    <div className="emitter-form">
      <div className="grid">
        {input('cnpj', 'CNPJ', { maxLength: 18 })}
        {input('ie', 'Inscrição estadual', { maxLength: 14 })}
        {input('name', 'Razão social', { maxLength: 60 })}
        {input('tradeName', 'Nome fantasia', { maxLength: 60 })}
        <label className="field">
          <span>Regime (CRT)</span>
          <select data-testid="emitter-crt" value={form.crt} onChange={set('crt')}>
            <option value="1">1 · Simples Nacional</option>
            <option value="2">2 · Simples Nacional, excesso de sublimite</option>
            <option value="3">3 · Regime normal</option>
            <option value="4">4 · MEI</option>
          </select>
        </label>
        <label className="field">
          <span>UF</span>
          <select data-testid="emitter-uf" value={form.uf} onChange={set('uf')}>
            {Uf.options.map((u) => (
              <option key={u} value={u}>
                {u}
              </option>
            ))}
          </select>
        </label>
        {input('street', 'Logradouro', { maxLength: 60 })}
        {input('number', 'Número', { maxLength: 60 })}
        {input('district', 'Bairro', { maxLength: 60 })}
        {input('city', 'Município', { maxLength: 60 })}
        {input('cityCode', 'Código IBGE do município', { maxLength: 7, inputMode: 'numeric' })}
        {input('cep', 'CEP', { maxLength: 9, inputMode: 'numeric' })}
        {input('phone', 'Telefone', { maxLength: 15, inputMode: 'tel' })}
      </div>
      {errors.length > 0 ? (
        <ul className="error-list" role="alert" data-testid="emitter-errors">
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      ) : null}
      <button type="button" className="primary" data-testid="save-emitter" onClick={save}>
        {submitLabel}
      </button>
    </div>
  );
}
