// The register's list: search (name, code or GTIN), filters, 100 rows a page.
import { useEffect, useState } from 'react';
import type { Product, TaxProfile } from '../../../shared/sale.ts';
import { formatBRL } from '../../../shared/money.ts';
import { call, messageOf, pos } from '../../pos.ts';
import { focusOnMount } from '../../components/focus-on-mount.ts';

export interface ListFilters {
  query: string;
  status: 'active' | 'inactive' | 'all';
  noGtin: boolean;
  fiscalIssues: boolean;
  weighed: boolean;
  taxProfileId: string;
}

const PAGE = 100;

const ISSUE_LABEL: Record<string, string> = {
  gtin_invalid: 'GTIN',
  ncm_invalid: 'NCM',
  cest_missing: 'CEST',
  cest_invalid: 'CEST',
  cfop_not_nfce: 'CFOP',
  icms_regime: 'ICMS',
  pis_cofins: 'PIS/COFINS',
  ibs_cbs_missing: 'IBS/CBS',
  price_zero: 'preço',
};

export function ProductList(props: { profiles: TaxProfile[]; reload: number; onEdit: (p: Product) => void; onToggle: (p: Product) => void }) {
  const [filters, setFilters] = useState<ListFilters>({ query: '', status: 'active', noGtin: false, fiscalIssues: false, weighed: false, taxProfileId: '*' });
  const [page, setPage] = useState(0);
  const [data, setData] = useState<{ total: number; rows: { product: Product; issues: string[] }[] } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const t = setTimeout(() => {
      call(
        pos().catalog.list({
          query: filters.query,
          status: filters.status,
          offset: page * PAGE,
          limit: PAGE,
          ...(filters.noGtin ? { noGtin: true } : {}),
          ...(filters.fiscalIssues ? { fiscalIssues: true } : {}),
          ...(filters.weighed ? { weighed: true } : {}),
          ...(filters.taxProfileId !== '*' ? { taxProfileId: filters.taxProfileId } : {}),
        }),
      ).then(
        (r) => {
          if (live) {
            setData(r);
            setError(null);
          }
        },
        (err: unknown) => {
          if (live) setError(messageOf(err));
        },
      );
    }, 120);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [filters, page, props.reload]);

  const upd = (patch: Partial<ListFilters>) => {
    setPage(0);
    setFilters((f) => ({ ...f, ...patch }));
  };
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE)) : 1;

  return (
    <div className="catalog-list" data-testid="catalog-list">
      <div className="filters">
        <label className="field">
          <span>Buscar (nome, código ou GTIN)</span>
          <input data-testid="catalog-query" value={filters.query} onChange={(e) => upd({ query: e.target.value })} ref={focusOnMount} />
        </label>
        <label className="field">
          <span>Situação</span>
          <select data-testid="catalog-status" value={filters.status} onChange={(e) => upd({ status: e.target.value as ListFilters['status'] })}>
            <option value="active">Ativos</option>
            <option value="inactive">Inativos</option>
            <option value="all">Todos</option>
          </select>
        </label>
        <label className="field">
          <span>Perfil fiscal</span>
          <select data-testid="catalog-profile-filter" value={filters.taxProfileId} onChange={(e) => upd({ taxProfileId: e.target.value })}>
            <option value="*">Todos</option>
            <option value="">Sem perfil</option>
            {props.profiles.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" data-testid="catalog-no-gtin" checked={filters.noGtin} onChange={(e) => upd({ noGtin: e.target.checked })} />
          Sem GTIN
        </label>
        <label className="check">
          <input type="checkbox" data-testid="catalog-fiscal-issues" checked={filters.fiscalIssues} onChange={(e) => upd({ fiscalIssues: e.target.checked })} />
          Com pendência fiscal
        </label>
        <label className="check">
          <input type="checkbox" data-testid="catalog-weighed" checked={filters.weighed} onChange={(e) => upd({ weighed: e.target.checked })} />
          Pesáveis
        </label>
      </div>
      {error ? (
        <p className="error-line" role="alert">
          {error}
        </p>
      ) : null}
      <table className="contingency-table catalog-table">
        <thead>
          <tr>
            <th>Código</th>
            <th>GTIN</th>
            <th>Descrição</th>
            <th>Un</th>
            <th className="num">Preço</th>
            <th>NCM</th>
            <th>Pendências</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {data?.rows.map(({ product: p, issues }) => (
            <tr key={p.id} data-testid="catalog-row" className={p.active ? '' : 'muted'}>
              <td>{p.code}</td>
              <td>{p.gtin ?? 'SEM GTIN'}</td>
              <td>
                {p.description}
                {p.weighed ? ' ⚖' : ''}
                {p.active ? '' : ' (inativo)'}
              </td>
              <td>{p.unit}</td>
              <td className="num">{formatBRL(p.priceCents)}</td>
              <td>{p.ncm}</td>
              <td>{issues.map((i) => ISSUE_LABEL[i] ?? i).join(', ')}</td>
              <td>
                <button type="button" data-testid="catalog-edit" onClick={() => props.onEdit(p)}>
                  Editar
                </button>{' '}
                <button type="button" data-testid="catalog-toggle" onClick={() => props.onToggle(p)}>
                  {p.active ? 'Desativar' : 'Reativar'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="result-actions">
        <span data-testid="catalog-total">{data ? `${data.total.toLocaleString('pt-BR')} produto(s)` : 'Carregando…'}</span>
        <button type="button" disabled={page === 0} onClick={() => setPage((n) => n - 1)}>
          Anterior
        </button>
        <span>
          Página {page + 1} de {pages}
        </span>
        <button type="button" disabled={page + 1 >= pages} onClick={() => setPage((n) => n + 1)}>
          Próxima
        </button>
      </div>
    </div>
  );
}
