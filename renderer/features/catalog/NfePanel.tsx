// The supplier's NF-e (modelo 55) XML: each item becomes a new product, updates an existing one
// (found by GTIN, or chosen by code) or is skipped. The sale price starts at cost + markup.
import { useState } from 'react';
import type { TaxProfile } from '../../../shared/sale.ts';
import type { ChannelInput } from '../../../shared/contract.ts';
import type { NfePreview } from '../../../shared/catalog/transfer.ts';
import { PURCHASE_TO_SALE_CFOP } from '../../../shared/catalog/cfop-map.ts';
import { priceWithMarkup, readPercentBp } from '../../../shared/catalog/values.ts';
import { formatBRL, formatQty, parseMoneyInput } from '../../../shared/money.ts';
import { call, pos } from '../../pos.ts';
import { uploadFile } from './files.ts';
import type { PinGate } from './usePin.tsx';

interface LineState {
  action: 'new' | 'link' | 'skip';
  productId: string;
  code: string;
  price: string;
  taxProfileId: string;
}

const money = (c: number) => formatBRL(c).replace(/^R\$\s*/, '');

export function NfePanel(props: { profiles: TaxProfile[]; pin: PinGate; onDone: (text: string) => void; onError: (err: unknown) => void }) {
  const [nfe, setNfe] = useState<NfePreview | null>(null);
  const [lines, setLines] = useState<Record<number, LineState>>({});
  const [markup, setMarkup] = useState('30');
  const [error, setError] = useState<string | null>(null);

  const markupBp = () => {
    const r = readPercentBp(markup);
    return r.ok ? r.value : 0;
  };

  async function choose(file: File) {
    setNfe(null);
    setError(null);
    try {
      const p = await call(pos().catalog.nfeOpen({ uploadId: await uploadFile(file) }));
      const bp = markupBp();
      const init: Record<number, LineState> = {};
      for (const it of p.items) {
        const profile = props.profiles.find((pr) => pr.cfop === it.saleCfop) ?? props.profiles[0];
        init[it.n] = {
          action: it.match ? 'link' : 'new',
          productId: it.match?.id ?? '',
          code: it.gtin ?? it.supplierCode,
          price: money(priceWithMarkup(it.unitCostCents, bp)),
          taxProfileId: profile?.id ?? '',
        };
      }
      setLines(init);
      setNfe(p);
    } catch (err) {
      props.onError(err);
    }
  }
  const applyMarkup = () => {
    if (!nfe) return;
    const bp = markupBp();
    setLines((ls) => Object.fromEntries(nfe.items.map((it) => [it.n, { ...ls[it.n]!, price: money(priceWithMarkup(it.unitCostCents, bp)) }])));
  };
  const upd = (n: number, patch: Partial<LineState>) => setLines((ls) => ({ ...ls, [n]: { ...ls[n]!, ...patch } }));

  function apply() {
    if (!nfe) return;
    const out: ChannelInput<'catalog.nfeApply'>['lines'] = [];
    for (const it of nfe.items) {
      const l = lines[it.n]!;
      const price = parseMoneyInput(l.price);
      if (l.action !== 'skip' && (price === null || price <= 0)) {
        setError(`Item ${it.n}: preço de venda inválido.`);
        return;
      }
      if (l.action === 'new' && !l.taxProfileId) {
        setError(`Item ${it.n}: escolha o perfil fiscal (cadastre um em Perfis fiscais).`);
        return;
      }
      out.push({
        n: it.n,
        action: l.action,
        priceCents: price ?? 0,
        ...(l.action === 'link' ? { productId: l.productId } : {}),
        ...(l.action === 'new' ? { code: l.code, taxProfileId: l.taxProfileId } : {}),
      });
    }
    setError(null);
    props.pin.withPin('Cadastrar os itens da NF-e de compra.', async (managerPin) => {
      const r = await call(pos().catalog.nfeApply({ nfeId: nfe.nfeId, managerPin, lines: out }));
      setNfe(null);
      props.onDone(`NF-e ${nfe.numero}: ${r.created} produto(s) novo(s), ${r.updated} atualizado(s).`);
    });
  }

  return (
    <section className="settings-section" data-testid="nfe-panel">
      <p className="hint">Escolha o arquivo XML da NF-e de compra (modelo 55) que o fornecedor enviou.</p>
      <input
        type="file"
        accept=".xml"
        data-testid="nfe-file"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void choose(f);
          e.target.value = '';
        }}
      />
      <details>
        <summary>CFOP de compra → CFOP de venda</summary>
        <table className="detail-items" data-testid="cfop-table">
          <thead>
            <tr>
              <th>CFOP na compra</th>
              <th>CFOP na venda</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {PURCHASE_TO_SALE_CFOP.map((r) => (
              <tr key={r.sale + r.purchase[0]}>
                <td>{r.purchase.join(', ')}</td>
                <td>{r.sale}</td>
                <td>{r.note}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      {nfe ? (
        <>
          <p data-testid="nfe-summary">
            NF-e {nfe.numero} série {nfe.serie} de {nfe.supplier.name} ({nfe.supplier.cnpj}): {nfe.items.length} item(ns).
          </p>
          <div className="result-actions">
            <label className="field">
              <span>Margem sobre o custo (%)</span>
              <input data-testid="nfe-markup" value={markup} onChange={(e) => setMarkup(e.target.value)} />
            </label>
            <button type="button" data-testid="nfe-apply-markup" onClick={applyMarkup}>
              Aplicar margem a todos
            </button>
          </div>
          <table className="contingency-table" data-testid="nfe-items">
            <thead>
              <tr>
                <th>#</th>
                <th>Produto na nota</th>
                <th>NCM / CEST</th>
                <th>CFOP</th>
                <th className="num">Qtd</th>
                <th className="num">Custo</th>
                <th>Ação</th>
                <th>Preço de venda</th>
              </tr>
            </thead>
            <tbody>
              {nfe.items.map((it) => {
                const l = lines[it.n]!;
                return (
                  <tr key={it.n} data-testid="nfe-item">
                    <td>{it.n}</td>
                    <td>
                      {it.description}
                      <br />
                      <small className="muted">
                        {it.gtin ?? 'SEM GTIN'} · cód. fornecedor {it.supplierCode}
                      </small>
                    </td>
                    <td>
                      {it.ncm}
                      {it.cest ? ` / ${it.cest}` : ''}
                    </td>
                    <td>
                      {it.cfop} → {it.saleCfop}
                    </td>
                    <td className="num">
                      {formatQty(it.qtyE4, it.unit)} {it.unit}
                    </td>
                    <td className="num">{formatBRL(it.unitCostCents)}</td>
                    <td>
                      <select data-testid="nfe-action" value={l.action} onChange={(e) => upd(it.n, { action: e.target.value as LineState['action'] })}>
                        <option value="new">Produto novo</option>
                        {it.match ? (
                          <option value="link">
                            Atualizar {it.match.code} — {it.match.description}
                          </option>
                        ) : null}
                        <option value="skip">Ignorar</option>
                      </select>
                      {l.action === 'new' ? (
                        <>
                          <input aria-label="Código interno" value={l.code} onChange={(e) => upd(it.n, { code: e.target.value })} />
                          <select
                            aria-label="Perfil fiscal"
                            data-testid="nfe-profile"
                            value={l.taxProfileId}
                            onChange={(e) => upd(it.n, { taxProfileId: e.target.value })}
                          >
                            <option value="">Perfil fiscal…</option>
                            {props.profiles.map((p) => (
                              <option key={p.id} value={p.id}>
                                {p.name}
                              </option>
                            ))}
                          </select>
                        </>
                      ) : null}
                    </td>
                    <td>
                      <input data-testid="nfe-price" value={l.price} disabled={l.action === 'skip'} onChange={(e) => upd(it.n, { price: e.target.value })} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {error ? (
            <p className="error-line" role="alert">
              {error}
            </p>
          ) : null}
          <button type="button" className="primary" data-testid="nfe-apply" onClick={apply}>
            Cadastrar itens
          </button>
        </>
      ) : null}
    </section>
  );
}
