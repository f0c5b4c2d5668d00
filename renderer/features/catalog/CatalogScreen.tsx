// The manager's product register: products, tax profiles, spreadsheet import/export and the
// supplier's NF-e. Every write carries the manager's PIN (asked once per visit).
import { useEffect, useState } from 'react';
import type { Product, TaxProfile } from '../../../shared/sale.ts';
import { useKeys } from '../../app/useKeys.ts';
import { call, messageOf, pos } from '../../pos.ts';
import { isManager, useSession } from '../../state/session.ts';
import { useUi } from '../../state/ui.ts';
import { ProductList } from './ProductList.tsx';
import { ProductForm } from './ProductForm.tsx';
import { ProfilesPanel } from './ProfilesPanel.tsx';
import { LooseItemPanel } from './LooseItemPanel.tsx';
import { ImportPanel } from './ImportPanel.tsx';
import { NfePanel } from './NfePanel.tsx';
import { downloadExport } from './files.ts';
import { usePin } from './usePin.tsx';

type Tab = 'products' | 'profiles' | 'import' | 'nfe';
const TABS: [Tab, string][] = [
  ['products', 'Produtos'],
  ['profiles', 'Perfis fiscais'],
  ['import', 'Importar planilha'],
  ['nfe', 'NF-e de compra (XML)'],
];

export function CatalogScreen() {
  const manager = useSession(isManager);
  const crt = useSession((s) => s.settings?.emitter?.crt ?? 1);
  const [tab, setTab] = useState<Tab>('products');
  const [profiles, setProfiles] = useState<TaxProfile[]>([]);
  const [editing, setEditing] = useState<Product | 'new' | null>(null);
  const [reload, setReload] = useState(0);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const fail = (err: unknown) => setMessage({ tone: 'error', text: messageOf(err) });
  const pin = usePin(fail);

  useEffect(() => {
    if (!manager) return;
    call(pos().catalog.profiles({})).then(setProfiles, fail);
  }, [manager]);
  useKeys((e) => {
    if (e.key === 'Escape' && !document.querySelector('[role="dialog"]')) {
      e.preventDefault();
      if (editing) setEditing(null);
      else useUi.getState().go('checkout');
    }
  });
  if (!manager)
    return (
      <p className="error-line" role="alert">
        Só o gerente pode abrir o cadastro de produtos.
      </p>
    );

  const save = (p: Product) =>
    pin.withPin('Salvar o produto no cadastro.', async (managerPin) => {
      const saved = await call(pos().catalog.update({ product: p, managerPin }));
      setEditing(null);
      setReload((n) => n + 1);
      setMessage({ tone: 'ok', text: `Produto ${saved.code} — ${saved.description} salvo.` });
    });
  const toggle = (p: Product) =>
    pin.withPin(p.active ? 'Desativar o produto (ele deixa de ser vendido; o histórico fica).' : 'Reativar o produto.', async (managerPin) => {
      await call(pos().catalog.setActive({ productId: p.id, active: !p.active, managerPin }));
      setReload((n) => n + 1);
      setMessage({ tone: 'ok', text: p.active ? `${p.description} desativado. Produtos vendidos nunca são apagados.` : `${p.description} reativado.` });
    });
  const exportAs = (format: 'csv' | 'xlsx') => {
    setMessage({ tone: 'ok', text: 'Gerando o arquivo…' });
    downloadExport(format).then(() => setMessage({ tone: 'ok', text: 'Arquivo exportado.' }), fail);
  };

  return (
    <div className="settings catalog" data-testid="catalog-screen">
      <header className="screen-head">
        <h2>Cadastro de produtos</h2>
        <button type="button" onClick={() => useUi.getState().go('settings')}>
          Configurações
        </button>
        <button type="button" onClick={() => useUi.getState().go('checkout')}>
          Voltar ao caixa (Esc)
        </button>
      </header>
      <nav className="tabs" role="tablist">
        {TABS.map(([t, label]) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={tab === t}
            className={tab === t ? 'primary' : ''}
            data-testid={`catalog-tab-${t}`}
            onClick={() => {
              setTab(t);
              setEditing(null);
              setMessage(null);
            }}
          >
            {label}
          </button>
        ))}
      </nav>
      {message ? (
        <p className={message.tone === 'ok' ? 'ok-line' : 'error-line'} role={message.tone === 'error' ? 'alert' : 'status'} data-testid="catalog-message">
          {message.text}
        </p>
      ) : null}
      {tab === 'products' ? (
        editing ? (
          <ProductForm product={editing === 'new' ? null : editing} profiles={profiles} crt={crt} onSave={save} onCancel={() => setEditing(null)} />
        ) : (
          <>
            <div className="result-actions">
              <button type="button" className="primary" data-testid="catalog-new" onClick={() => setEditing('new')}>
                Novo produto
              </button>
              <button type="button" data-testid="catalog-export-csv" onClick={() => exportAs('csv')}>
                Exportar CSV
              </button>
              <button type="button" data-testid="catalog-export-xlsx" onClick={() => exportAs('xlsx')}>
                Exportar XLSX
              </button>
            </div>
            <ProductList profiles={profiles} reload={reload} onEdit={setEditing} onToggle={toggle} />
          </>
        )
      ) : tab === 'profiles' ? (
        <>
          <ProfilesPanel
            profiles={profiles}
            crt={crt}
            pin={pin}
            onSaved={(list, text) => {
              setProfiles(list);
              setMessage({ tone: 'ok', text });
            }}
          />
          <LooseItemPanel profiles={profiles} pin={pin} onSaved={(text) => setMessage({ tone: 'ok', text })} />
        </>
      ) : tab === 'import' ? (
        <ImportPanel
          pin={pin}
          onDone={(text) => {
            setReload((n) => n + 1);
            setMessage({ tone: 'ok', text });
          }}
          onError={fail}
        />
      ) : (
        <NfePanel
          profiles={profiles}
          pin={pin}
          onDone={(text) => {
            setReload((n) => n + 1);
            setMessage({ tone: 'ok', text });
          }}
          onError={fail}
        />
      )}
      {pin.dialog}
    </div>
  );
}
