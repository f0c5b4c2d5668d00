// ECONF (conciliação financeira): attach the electronic payments' data to an authorized note after
// the sale, e.g. the PIX's endToEndId that arrived late. The manager may complete the institution's
// CNPJ and the authorization number; a cashier needs the manager's PIN.
import { useState } from 'react';
import type { EconfView, SaleDetail } from '../../../shared/contract.ts';
import { formatBRL } from '../../../shared/money.ts';
import { normalizeDocument } from '../../../shared/fiscal/cpf-cnpj.ts';
import { paymentLabel } from '../../../shared/fiscal/tpag.ts';
import { ManagerActionDialog, usePinAction } from '../../components/ManagerActionDialog.tsx';
import { call, pos } from '../../pos.ts';

/** Cash (01) and "sem pagamento" (90) never need reconciliation. */
export const econfEligible = (method: string) => method !== '01' && method !== '90';

export function EconfDialog({ detail, onClose, onDone }: { detail: SaleDetail; onClose: () => void; onDone: (v: EconfView) => void }) {
  const action = usePinAction();
  const { setError } = action;
  const payments = detail.sale.payments.map((p, i) => ({ p, seq: i + 1 })).filter(({ p }) => econfEligible(p.method));
  const [fields, setFields] = useState(
    () => new Map(payments.map(({ p, seq }) => [seq, { cnpj: p.card?.acquirerCnpj ?? '', aut: p.card?.authorization ?? '' }])),
  );

  function set(seq: number, key: 'cnpj' | 'aut', value: string) {
    setFields((m) => new Map(m).set(seq, { ...(m.get(seq) ?? { cnpj: '', aut: '' }), [key]: value }));
    setError(null);
  }

  function submit() {
    const out: { seq: number; institutionCnpj?: string; authorization?: string }[] = [];
    for (const { seq } of payments) {
      const f = fields.get(seq) ?? { cnpj: '', aut: '' };
      const cnpj = normalizeDocument(f.cnpj);
      if (cnpj !== '' && !/^[0-9A-Z]{12}\d{2}$/.test(cnpj)) {
        setError(`Pagamento ${seq}: o CNPJ da instituição deve ter 14 caracteres.`);
        return;
      }
      out.push({ seq, ...(cnpj ? { institutionCnpj: cnpj } : {}), ...(f.aut.trim() ? { authorization: f.aut.trim() } : {}) });
    }
    void action.run(async (auth) => onDone(await call(pos().sales.econf({ saleId: detail.sale.id, payments: out, ...auth }))));
  }

  return (
    <ManagerActionDialog
      title="Conciliação financeira (ECONF)"
      testId="econf-dialog"
      onClose={onClose}
      action={action}
      pinTestId="econf-pin"
      errorTestId="econf-error"
      confirmTestId="econf-confirm"
      confirmLabel="Registrar conciliação"
      confirmClass="primary"
      onConfirm={submit}
    >
      <p className="dialog-text">Envia à SEFAZ, pela Focus, os dados dos pagamentos eletrônicos desta nota.</p>
      {payments.map(({ p, seq }) => (
        <fieldset key={seq} className="grid" data-testid={`econf-payment-${seq}`}>
          <legend>
            {paymentLabel(p.method, p.description)} {formatBRL(p.amountCents)}
          </legend>
          <label className="field">
            <span>CNPJ da instituição (credenciadora/PSP)</span>
            <input data-testid={`econf-cnpj-${seq}`} value={fields.get(seq)?.cnpj ?? ''} maxLength={18} onChange={(e) => set(seq, 'cnpj', e.target.value)} />
          </label>
          <label className="field">
            <span>Nº de autorização (PIX: endToEndId)</span>
            <input data-testid={`econf-aut-${seq}`} value={fields.get(seq)?.aut ?? ''} maxLength={128} onChange={(e) => set(seq, 'aut', e.target.value)} />
          </label>
        </fieldset>
      ))}
    </ManagerActionDialog>
  );
}

const ECONF_STATE_PT: Record<EconfView['state'], string> = {
  pending: 'Aguardando envio',
  sending: 'Enviando',
  authorized: 'Registrada',
  rejected: 'Recusada',
  unknown: 'Sem resposta — confira no painel da Focus',
  replaced: 'Não registrada — enviada de novo',
};

/** The sale's ECONF events; one left without an answer gets the manager's "Resolver" button. */
export function EconfList({ events, onResolve }: { events: EconfView[]; onResolve?: (e: EconfView) => void }) {
  if (events.length === 0) return null;
  return (
    <ul className="econf-list" data-testid="econf-list">
      {events.map((e) => (
        <li key={e.id} data-testid="econf-item" data-state={e.state}>
          Conciliação {e.numero ?? '—'}: {ECONF_STATE_PT[e.state]}
          {e.protocolo ? ` · protocolo ${e.protocolo}` : ''}
          {e.state !== 'authorized' && e.message ? <span className="muted"> · {e.message}</span> : null}
          {e.state === 'unknown' && onResolve ? (
            <button type="button" data-testid="econf-resolve" onClick={() => onResolve(e)}>
              Resolver
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/**
 * An ECONF whose answer was lost: the manager looks for it in Focus's panel. Found, they type its
 * protocol and the app confirms it with Focus; not there, they send it again (a new, journaled event).
 */
export function EconfResolveDialog({ event, onClose, onDone }: { event: EconfView; onClose: () => void; onDone: (v: EconfView) => void }) {
  const action = usePinAction();
  const [protocolo, setProtocolo] = useState('');
  const resolve = (how: { kind: 'check'; protocolo: string } | { kind: 'resend' }) =>
    void action.run(async (auth) => onDone(await call(pos().sales.econfResolve({ econfId: event.id, how, ...auth }))));
  return (
    <ManagerActionDialog
      title="Conciliação sem resposta"
      testId="econf-resolve-dialog"
      onClose={onClose}
      action={action}
      pinTestId="econf-resolve-pin"
      errorTestId="econf-resolve-error"
      confirmTestId="econf-resolve-check"
      confirmLabel="Conferir na Focus"
      confirmClass="primary"
      confirmDisabled={protocolo.replace(/\D/g, '').length < 6}
      onConfirm={() => resolve({ kind: 'check', protocolo })}
    >
      <p className="dialog-text">
        A resposta da Focus a esta conciliação não chegou. Abra o painel da Focus NFe, na nota desta venda, e procure a conciliação financeira.
      </p>
      <label className="field">
        <span>Está lá: digite o protocolo da conciliação</span>
        <input
          data-testid="econf-resolve-protocolo"
          inputMode="numeric"
          maxLength={24}
          value={protocolo}
          onChange={(e) => {
            setProtocolo(e.target.value);
            action.setError(null);
          }}
        />
      </label>
      <p className="dialog-text">
        Não está lá:{' '}
        <button type="button" data-testid="econf-resolve-resend" disabled={action.busy} onClick={() => resolve({ kind: 'resend' })}>
          Enviar a conciliação de novo
        </button>
      </p>
    </ManagerActionDialog>
  );
}
