// The cash register's channels: abertura, sangria/suprimento, X, blind closing with Z. The cashier
// never receives expected amounts: every channel that carries them needs a manager (logged in, or
// approving with the PIN, through the same manager check as cancellations).
import type { OperatorView, PrintResult, RegisterStateView } from '../../../shared/contract.ts';
import { formatBRL } from '../../../shared/money.ts';
import { parseAmount } from '../../../shared/register/amount.ts';
import { countTotalCents } from '../../../shared/register/denominations.ts';
import type { Declaration } from '../../../shared/register/report.ts';
import { RegisterError } from '../../register/errors.ts';
import { movementVoucher, reportVoucher, voucherText, type VoucherLine } from '../../register/voucher.ts';
import { requireManager, requireOperator, type ManagerDeps, type Services } from '../services.ts';
import type { Handlers } from './types.ts';

/** The register's channels: the manager check, the profile's journal (register) and the printer. */
type RegisterDeps = ManagerDeps & Pick<Services, 'profile' | 'receipts'>;

export function operatorName(s: Pick<Services, 'operators'>, id: string): string {
  return s.operators.get(id)?.name ?? id;
}

/** Who is at the till and which manager approves (the house manager-approval rule, services.ts). */
export async function managerFor(s: ManagerDeps, pin: string | undefined): Promise<{ operator: OperatorView; manager: OperatorView }> {
  const operator = requireOperator(s);
  const manager = await requireManager(s, pin);
  return { operator, manager };
}

export function cents(text: string, what: string, opts: { allowZero?: boolean; emptyIsZero?: boolean } = {}): number {
  if (opts.emptyIsZero && text.trim() === '') return 0;
  const r = parseAmount(text, opts);
  if (!r.ok) throw new RegisterError('amount_invalid', `${what}: ${r.message}`, { fields: [{ path: what, message: r.message }] });
  return r.cents;
}

export function registerState(s: Pick<Services, 'settings' | 'profile' | 'operators'>): RegisterStateView {
  const st = s.settings.get();
  const reg = s.profile().register;
  const open = reg.current(st.terminalId);
  const last = reg.closings(st.terminalId, 1)[0];
  return {
    terminalId: st.terminalId,
    required: st.registerRequired,
    session: open
      ? { id: open.id, openedMs: open.openedMs, openedBy: open.openedBy, openedByName: operatorName(s, open.openedBy), openingCents: open.openingCents }
      : null,
    lastClosing: last ? { sessionId: last.sessionId, zNumber: last.zNumber, closedMs: last.closedMs } : null,
  };
}

/** Called by sales.finalize: with the setting on, no sale without an open session on this terminal. */
export function requireOpenRegister(s: Pick<Services, 'settings' | 'profile'>): void {
  const st = s.settings.get();
  if (!st.registerRequired) return;
  s.profile().register.requireOpen(st.terminalId);
}

async function print(s: Pick<Services, 'receipts' | 'settings'>, lines: VoucherLine[]): Promise<PrintResult> {
  if (!s.receipts?.printVoucher) return { ok: false, message: 'Impressão indisponível: o comprovante ficou guardado no caixa.' };
  return s.receipts.printVoucher(lines, s.settings.get());
}

export const registerHandlers: Handlers<
  | 'register.state'
  | 'register.open'
  | 'register.movement'
  | 'register.report'
  | 'register.print'
  | 'register.close'
  | 'register.closings'
  | 'register.zReport'
  | 'register.cartCancelled',
  RegisterDeps
> = {
  'register.state'(_input, s) {
    requireOperator(s);
    return registerState(s);
  },
  'register.open'(input, s) {
    const operator = requireOperator(s);
    const typed = input.amountText.trim() === '' && input.counts ? null : cents(input.amountText, 'fundo de troco', { allowZero: true });
    const counted = input.counts ? countTotalCents(input.counts) : null;
    if (typed !== null && counted !== null && typed !== counted) {
      throw new RegisterError(
        'opening_count_mismatch',
        `A contagem por cédulas e moedas soma ${formatBRL(counted)}, diferente do fundo informado (${formatBRL(typed)}). Confira a contagem.`,
      );
    }
    s.profile().register.open({
      terminalId: s.settings.get().terminalId,
      operatorId: operator.id,
      openingCents: counted ?? typed ?? 0,
      counts: input.counts ?? null,
    });
    return registerState(s);
  },
  async 'register.movement'(input, s) {
    const { operator, manager } = await managerFor(s, input.managerPin);
    const amountCents = cents(input.amountText, input.kind === 'sangria' ? 'valor da sangria' : 'valor do suprimento');
    const st = s.settings.get();
    const width = st.printer.width;
    let lines: VoucherLine[] = [];
    const r = s.profile().register.movement({
      clientId: input.clientId,
      terminalId: st.terminalId,
      kind: input.kind,
      amountCents,
      reason: input.reason,
      operatorId: operator.id,
      managerId: manager.id,
      voucher: (m) => {
        lines = movementVoucher(
          { ...m, operatorName: operatorName(s, m.operatorId), managerName: operatorName(s, m.managerId), terminalId: st.terminalId },
          width,
        );
        return voucherText(lines, width);
      },
    });
    if (!r.created) return { movement: r.movement, printed: { ok: true, message: 'Movimento já registrado; nada foi lançado de novo.' } };
    return { movement: r.movement, printed: await print(s, lines) };
  },
  async 'register.report'(input, s) {
    await managerFor(s, input.managerPin);
    const reg = s.profile().register;
    return reg.report(reg.requireOpen(s.settings.get().terminalId), (id) => operatorName(s, id));
  },
  async 'register.print'(input, s) {
    await managerFor(s, input.managerPin);
    const st = s.settings.get();
    const reg = s.profile().register;
    const session = input.sessionId ? reg.session(input.sessionId) : reg.requireOpen(st.terminalId);
    // A closed session reprints its Z as it was: the kept report with the declared-vs-expected lines.
    const kept = session.state === 'closed' ? reg.closing(session.id) : null;
    const report = kept?.report ?? reg.report(session, (id) => operatorName(s, id));
    return print(s, reportVoucher(report, st.printer.width, kept?.lines));
  },
  async 'register.close'(input, s) {
    const { operator, manager } = await managerFor(s, input.managerPin);
    const declaration: Declaration = {
      cashCounts: input.cashCounts,
      cashCents: countTotalCents(input.cashCounts),
      cardCents: cents(input.cardText, 'total de cartões', { allowZero: true, emptyIsZero: true }),
      pixCents: cents(input.pixText, 'total de PIX', { allowZero: true, emptyIsZero: true }),
      otherCents: cents(input.otherText, 'outras formas', { allowZero: true, emptyIsZero: true }),
    };
    const st = s.settings.get();
    let lines: VoucherLine[] = [];
    const closed = s.profile().register.close({
      names: (id) => operatorName(s, id),
      terminalId: st.terminalId,
      declaration,
      operatorId: operator.id,
      managerId: manager.id,
      zText: (report, cmp) => {
        lines = reportVoucher(report, st.printer.width, cmp);
        return voucherText(lines, st.printer.width);
      },
    });
    return { report: closed.report, declaration, lines: closed.lines, printed: await print(s, lines) };
  },
  async 'register.closings'(input, s) {
    await managerFor(s, input.managerPin);
    return s.profile().register.closings(s.settings.get().terminalId);
  },
  async 'register.zReport'(input, s) {
    await managerFor(s, input.managerPin);
    const reg = s.profile().register;
    const kept = reg.closing(input.sessionId);
    if (!kept) throw new RegisterError('register_session_unknown', 'Esta sessão de caixa ainda está aberta: use a leitura X.');
    return { report: kept.report, declaration: kept.declaration, lines: kept.lines, text: reg.zText(input.sessionId) ?? '' };
  },
  'register.cartCancelled'(input, s) {
    const operator = requireOperator(s);
    s.profile().sales.audit(operator.id, 'cart_cancel', { terminalId: s.settings.get().terminalId, lines: input.lines, totalCents: input.totalCents });
    return null;
  },
};
