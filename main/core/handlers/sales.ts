// The checkout's channels. main/sales/prepare.ts re-reads every product from main's catalog and
// decides on prices, discounts and approvals: the renderer proposes, main disposes.
import { AuthError } from '../../auth/operators.ts';
import { prepareSale } from '../../sales/prepare.ts';
import { requireManager, requireOperator, statusView, type ManagerDeps, type Services, type StatusDeps } from '../services.ts';
import type { Handlers } from './types.ts';
import { requireOpenRegister } from './register.ts';

const CASH = '01';

/** The sale's path: the profile's journal and engine, main's catalog for prices, printing and the status bar. */
type SalesDeps = StatusDeps & ManagerDeps & Pick<Services, 'catalog' | 'events' | 'receipts' | 'autoPrint' | 'statusSoon' | 'store'>;

export const salesHandlers: Handlers<
  'sales.finalize' | 'sales.list' | 'sales.get' | 'sales.resend' | 'sales.cancel' | 'sales.email' | 'sales.econf' | 'sales.econfResolve',
  SalesDeps
> = {
  async 'sales.finalize'(draft, s) {
    const operator = requireOperator(s);
    requireOpenRegister(s);
    const settings = s.settings.get();
    const sales = s.profile().sales;
    // A PIX payment is whatever the journal's charge says: only a PSP-confirmed charge (or an
    // enabled static code) passes, and its endToEndId and the PSP's CNPJ go on the note.
    const payments = draft.payments.map((p) => {
      if (!p.pixTxid) return p;
      const d = sales.pix.paymentData(draft.clientId, p.pixTxid, p.amountCents);
      const card =
        d.method === '17'
          ? {
              integration: d.integration,
              ...(d.acquirerCnpj ? { acquirerCnpj: d.acquirerCnpj } : {}),
              ...(d.authorization ? { authorization: d.authorization } : {}),
            }
          : undefined;
      return { method: d.method, amountCents: p.amountCents, pixTxid: p.pixTxid, ...(card ? { card } : {}) };
    });
    const prepared = await prepareSale(
      { ...draft, payments },
      {
        catalog: { getProduct: (id) => s.catalog.get(id) },
        operatorId: operator.id,
        terminalId: settings.terminalId,
        // A manager at the till approves their own discounts.
        discountLimitBp: operator.role === 'manager' ? 10_000 : settings.discountLimitBp,
        verifyManagerPin: (pin) => managerIdOrNull(s, pin),
        // A price the store changed while this cart was open: the cart keeps the price it showed.
        recentPrice: (id, cents) => s.store.priceGrace.accepts(id, cents),
        pisCofinsRegime: settings.pisCofinsRegime,
        looseItem: {
          settings: settings.looseItem,
          profile: settings.looseItem.taxProfileId ? s.catalog.profile(settings.looseItem.taxProfileId) : null,
        },
        now: s.clock,
      },
    );
    const background = draft.background;
    const result = await sales.finalize(background ? { ...prepared, wait: false } : prepared);
    sales.pix.markUsed(
      draft.clientId,
      result.saleId,
      draft.payments.flatMap((p) => (p.pixTxid ? [p.pixTxid] : [])),
    );
    if (result.created !== false) {
      // Cash in hand: the drawer opens now, whatever SEFAZ is doing.
      // Claimed in the journal: the receipt's first print will not open it again, a reprint never.
      if (draft.payments.some((p) => p.method === CASH) && s.profile().sales.claimDrawer(result.saleId)) s.receipts?.openDrawer?.(result.saleId, settings);
      // No printer chosen is the manager's decision, not a failure to report at every sale.
      if (settings.autoPrint && settings.printer.kind !== 'none') s.autoPrint.expect(result.emission);
    }
    // In the background the answer goes first: the counters follow on the next turn.
    if (background) s.statusSoon();
    else s.events.emit('status.changed', statusView(s));
    return { saleId: result.saleId, emission: result.emission };
  },
  'sales.list'(q, s) {
    const names = new Map(s.operators.list().map((o) => [o.id, o.name]));
    return s
      .profile()
      .sales.list(q)
      .map((r) => ({
        id: r.id,
        createdAt: r.createdAt,
        totalCents: r.totalCents,
        numero: r.numero,
        serie: r.serie,
        state: r.state,
        operatorName: names.get(r.operatorId) ?? r.operatorId,
        customerDocument: r.customerDocument,
      }));
  },
  'sales.get'(input, s) {
    return s.profile().sales.detail(input.saleId);
  },
  async 'sales.resend'(input, s) {
    const operator = requireOperator(s);
    const view = await s.profile().sales.resend(input.saleId, operator.id);
    s.events.emit('status.changed', statusView(s));
    return view;
  },
  async 'sales.cancel'(input, s) {
    const operator = requireOperator(s);
    const actor = operator.role === 'manager' ? operator : await requireManager(s, input.managerPin);
    const view = await s.profile().sales.cancel(input.saleId, input.justificativa, actor.id);
    s.events.emit('status.changed', statusView(s));
    return view;
  },
  async 'sales.econf'(input, s) {
    const operator = requireOperator(s);
    const actor = operator.role === 'manager' ? operator : await requireManager(s, input.managerPin);
    return s.profile().sales.econf(input.saleId, input.payments, actor.id);
  },
  async 'sales.econfResolve'(input, s) {
    // The channel is manager-only (access.ts): the manager logged in, or a cashier with the manager's PIN.
    const actor = await requireManager(s, input.managerPin);
    return s.profile().sales.econfResolve(input.econfId, input.how, actor.id);
  },
  async 'sales.email'(input, s) {
    const operator = requireOperator(s);
    // A cashier sends only their own sales; anything else is the manager's call.
    const sale = s.profile().sales.detail(input.saleId).sale;
    const actor = sale.operatorId === operator.id ? operator : await requireManager(s, input.managerPin);
    await s.profile().sales.email(input.saleId, input.emails, actor.id);
    return { ok: true as const };
  },
};

/** prepareSale wants null for a wrong PIN; a locked PIN still surfaces its own message. */
async function managerIdOrNull(s: Pick<Services, 'operators'>, pin: string): Promise<string | null> {
  try {
    return (await s.operators.verifyManager(pin)).id;
  } catch (e) {
    if (e instanceof AuthError && e.code !== 'pin_locked') return null;
    throw e;
  }
}
