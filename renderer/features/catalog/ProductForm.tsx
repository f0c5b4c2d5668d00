// Create or edit one product. The checks are the shared rules the core and the importers use;
// the GTIN check digit and the NCM shape block the save, the other findings are shown as pending.
import { useMemo, useState } from 'react';
import { Product, TAX_PROFILE_FIELDS, type Crt, type TaxProfile, type TaxProfileField } from '../../../shared/sale.ts';
import { isValidGtin } from '../../../shared/catalog/gtin.ts';
import { CEST_CHECK_NOTE, NCM_CHECK_NOTE, NFCE_CFOPS, ncmShapeOk, productIssues } from '../../../shared/catalog/rules.ts';
import { effectiveProduct } from '../../../shared/catalog/effective.ts';
import { formatBRL, parseMoneyInput } from '../../../shared/money.ts';
import { readPercentBp } from '../../../shared/catalog/values.ts';

const UNITS = ['UN', 'KG', 'G', 'L', 'ML', 'M', 'CX', 'PCT', 'DZ', 'FD'];
const ORIGINS: [string, string][] = [
  ['0', '0 — Nacional'],
  ['1', '1 — Estrangeira, importação direta'],
  ['2', '2 — Estrangeira, mercado interno'],
  ['3', '3 — Nacional, conteúdo importado > 40%'],
  ['4', '4 — Nacional, processos básicos'],
  ['5', '5 — Nacional, conteúdo importado ≤ 40%'],
  ['6', '6 — Estrangeira sem similar (CAMEX), direta'],
  ['7', '7 — Estrangeira sem similar (CAMEX), mercado interno'],
  ['8', '8 — Nacional, conteúdo importado > 70%'],
];
const FISCAL_LABEL: Record<TaxProfileField, string> = {
  cfop: 'CFOP',
  origin: 'Origem',
  icms: 'CST/CSOSN (ICMS)',
  icmsRateBp: 'Alíquota ICMS (%)',
  pisCofinsCst: 'CST PIS/COFINS',
  ibsCbsCst: 'CST IBS/CBS',
  cClassTrib: 'cClassTrib (IBS/CBS)',
  approxTaxBp: 'Tributos aproximados (%) — Lei 12.741',
};

type Fields = Record<string, string>;

const pct = (bp: number) => (bp / 100).toLocaleString('pt-BR', { minimumFractionDigits: 2 });

function toFields(p: Product | null): Fields {
  return {
    code: p?.code ?? '',
    gtin: p?.gtin ?? '',
    semGtin: p && p.gtin === null ? '1' : '',
    description: p?.description ?? '',
    unit: p?.unit ?? 'UN',
    price: p ? formatBRL(p.priceCents).replace(/^R\$\s*/, '') : '',
    weighed: p?.weighed ? '1' : '',
    ncm: p?.ncm ?? '',
    cest: p?.cest ?? '',
    cfop: p?.cfop ?? '5102',
    origin: p?.origin ?? '0',
    icms: p?.icms ?? '',
    icmsRateBp: p ? pct(p.icmsRateBp) : '0',
    pisCofinsCst: p?.pisCofinsCst ?? '49',
    ibsCbsCst: p?.ibsCbsCst ?? '',
    cClassTrib: p?.cClassTrib ?? '',
    approxTaxBp: p ? pct(p.approxTaxBp) : '0',
    taxProfileId: p?.taxProfileId ?? '',
  };
}

export function ProductForm(props: { product: Product | null; profiles: TaxProfile[]; crt: Crt; onSave: (p: Product) => void; onCancel: () => void }) {
  const [f, setF] = useState<Fields>(() => toFields(props.product));
  const [own, setOwn] = useState<Set<TaxProfileField>>(() => new Set(props.product?.overrides ?? []));
  const [error, setError] = useState<string | null>(null);
  const set = (k: string) => (e: { target: { value: string } }) => setF((o) => ({ ...o, [k]: e.target.value }));
  const profile = props.profiles.find((p) => p.id === f.taxProfileId) ?? null;
  const follows = (k: TaxProfileField) => profile !== null && !own.has(k);

  const built = useMemo(() => build(f, own, profile, props.product), [f, own, profile, props.product]);
  const issues = built.product ? productIssues(effectiveProduct(built.product, profile), props.crt) : [];

  function save() {
    if (!built.product) {
      setError(built.error);
      return;
    }
    setError(null);
    props.onSave(built.product);
  }

  const input = (k: string, label: string, extra: Partial<React.InputHTMLAttributes<HTMLInputElement>> = {}) => (
    <label className="field">
      <span>{label}</span>
      <input data-testid={`product-${k}`} value={f[k] ?? ''} onChange={set(k)} {...extra} />
    </label>
  );
  const fiscal = (k: TaxProfileField, control: React.ReactNode) => (
    <div className="field" key={k}>
      <span>{FISCAL_LABEL[k]}</span>
      {follows(k) ? (
        <output data-testid={`product-${k}-profile`} className="muted">
          {String(profile![k] ?? '—')} (do perfil)
        </output>
      ) : (
        control
      )}
      {profile ? (
        <label className="check small">
          <input
            type="checkbox"
            checked={!own.has(k)}
            onChange={(e) =>
              setOwn((o) => {
                const n = new Set(o);
                if (e.target.checked) n.delete(k);
                else n.add(k);
                return n;
              })
            }
          />
          usar do perfil
        </label>
      ) : null}
    </div>
  );

  return (
    <section className="settings-section" data-testid="product-form">
      <h3>{props.product ? `Editar ${props.product.description}` : 'Novo produto'}</h3>
      <div className="grid">
        {input('code', 'Código interno')}
        <div className="field">
          <span>GTIN/EAN</span>
          <input data-testid="product-gtin" value={f.semGtin ? 'SEM GTIN' : f.gtin} disabled={!!f.semGtin} inputMode="numeric" onChange={set('gtin')} />
          <label className="check small">
            <input
              type="checkbox"
              data-testid="product-sem-gtin"
              checked={!!f.semGtin}
              onChange={(e) => setF((o) => ({ ...o, semGtin: e.target.checked ? '1' : '' }))}
            />
            SEM GTIN
          </label>
        </div>
        {input('description', 'Descrição')}
        <label className="field">
          <span>Unidade</span>
          <select data-testid="product-unit" value={f.unit} onChange={set('unit')}>
            {[...new Set([...UNITS, f.unit ?? 'UN'])].map((u) => (
              <option key={u} value={u}>
                {u}
              </option>
            ))}
          </select>
        </label>
        {input('price', 'Preço de venda (R$)', { inputMode: 'decimal' })}
        <label className="check">
          <input
            type="checkbox"
            data-testid="product-weighed"
            checked={!!f.weighed}
            onChange={(e) => setF((o) => ({ ...o, weighed: e.target.checked ? '1' : '' }))}
          />
          Vendido por peso (balança)
        </label>
        {input('ncm', 'NCM (8 dígitos)', { inputMode: 'numeric', maxLength: 10 })}
        {input('cest', 'CEST (7 dígitos, se ST)', { inputMode: 'numeric', maxLength: 9 })}
        <label className="field">
          <span>Perfil fiscal</span>
          <select data-testid="product-profile" value={f.taxProfileId} onChange={set('taxProfileId')}>
            <option value="">Sem perfil (dados próprios)</option>
            {props.profiles.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="grid">
        {fiscal(
          'cfop',
          <select data-testid="product-cfop" value={f.cfop} onChange={set('cfop')}>
            {[...new Set([...NFCE_CFOPS, f.cfop ?? ''])].filter(Boolean).map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>,
        )}
        {fiscal(
          'origin',
          <select data-testid="product-origin" value={f.origin} onChange={set('origin')}>
            {ORIGINS.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>,
        )}
        {fiscal(
          'icms',
          <input
            data-testid="product-icms"
            value={f.icms}
            maxLength={3}
            inputMode="numeric"
            placeholder={props.crt === 3 || props.crt === 2 ? 'CST: 00, 40, 41, 60' : 'CSOSN: 102, 500…'}
            onChange={set('icms')}
          />,
        )}
        {fiscal('icmsRateBp', <input data-testid="product-icmsRate" value={f.icmsRateBp} inputMode="decimal" onChange={set('icmsRateBp')} />)}
        {fiscal(
          'pisCofinsCst',
          <input data-testid="product-pisCofins" value={f.pisCofinsCst} maxLength={2} inputMode="numeric" onChange={set('pisCofinsCst')} />,
        )}
        {fiscal('ibsCbsCst', <input data-testid="product-ibsCbsCst" value={f.ibsCbsCst} maxLength={3} inputMode="numeric" onChange={set('ibsCbsCst')} />)}
        {fiscal('cClassTrib', <input data-testid="product-cClassTrib" value={f.cClassTrib} maxLength={6} inputMode="numeric" onChange={set('cClassTrib')} />)}
        {fiscal('approxTaxBp', <input data-testid="product-approxTax" value={f.approxTaxBp} inputMode="decimal" onChange={set('approxTaxBp')} />)}
      </div>
      <p className="hint">
        {NCM_CHECK_NOTE} {CEST_CHECK_NOTE}
      </p>
      {issues.length > 0 ? (
        <ul className="warn-line" data-testid="product-issues">
          {issues.map((i) => (
            <li key={i.code}>{i.message}</li>
          ))}
        </ul>
      ) : null}
      {error ? (
        <p className="error-line" role="alert" data-testid="product-error">
          {error}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" onClick={props.onCancel}>
          Cancelar
        </button>
        <button type="button" className="primary" data-testid="product-save" onClick={save}>
          Salvar produto
        </button>
      </div>
    </section>
  );
}

function build(
  f: Fields,
  own: Set<TaxProfileField>,
  profile: TaxProfile | null,
  original: Product | null,
): { product: Product; error: null } | { product: null; error: string } {
  const fail = (error: string) => ({ product: null, error }) as const;
  const gtin = f.semGtin ? null : (f.gtin ?? '').replace(/\D/g, '');
  if (gtin !== null && !isValidGtin(gtin))
    return fail(gtin === '' ? 'Informe o GTIN/EAN ou marque SEM GTIN.' : 'GTIN/EAN com dígito verificador errado: confira o código de barras.');
  const price = parseMoneyInput(f.price ?? '');
  if (price === null) return fail('Preço de venda inválido: digite, por exemplo, 12,90.');
  const ncm = (f.ncm ?? '').replace(/\D/g, '');
  if (!ncmShapeOk(ncm)) return fail('NCM inválido: 8 dígitos de um capítulo existente (01 a 97).');
  const cest = (f.cest ?? '').replace(/\D/g, '');
  if (cest !== '' && cest.length !== 7) return fail('CEST tem 7 dígitos.');
  const rate = readPercentBp(f.icmsRateBp ?? '0');
  const approx = readPercentBp(f.approxTaxBp ?? '0');
  if (!rate.ok || !approx.ok) return fail('Porcentagens de 0 a 100, por exemplo 18 ou 31,45.');
  const fiscal: Record<TaxProfileField, unknown> = {
    cfop: f.cfop,
    origin: f.origin,
    icms: f.icms,
    icmsRateBp: rate.value,
    pisCofinsCst: f.pisCofinsCst,
    ibsCbsCst: f.ibsCbsCst || null,
    cClassTrib: f.cClassTrib || null,
    approxTaxBp: approx.value,
  };
  if (profile) for (const k of TAX_PROFILE_FIELDS) if (!own.has(k)) fiscal[k] = profile[k];
  const parsed = Product.safeParse({
    ...(original ?? {}),
    id: original?.id ?? crypto.randomUUID(),
    code: f.code,
    gtin,
    description: f.description,
    unit: f.unit,
    priceCents: price,
    weighed: !!f.weighed,
    ncm,
    cest: cest || null,
    ...fiscal,
    taxProfileId: profile?.id ?? null,
    overrides: profile ? TAX_PROFILE_FIELDS.filter((k) => own.has(k)) : [],
    active: original?.active ?? true,
  });
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? '');
    const names: Record<string, string> = {
      code: 'Código',
      description: 'Descrição',
      icms: 'CST/CSOSN',
      cfop: 'CFOP',
      pisCofinsCst: 'CST PIS/COFINS',
      ibsCbsCst: 'CST IBS/CBS (3 dígitos)',
      cClassTrib: 'cClassTrib (6 dígitos)',
      unit: 'Unidade',
    };
    return fail(`Confira o campo ${names[field] ?? field}.`);
  }
  return { product: parsed.data, error: null };
}
