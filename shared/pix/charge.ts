// A PIX charge's life at the till, one source of truth for the core and the screens.
//
//   creating ─► active ─► paid ─► used            (the sale was finalized with it)
//      │          │        └────► orphan ─► refunding ─► refunded
//      │          └─► removing ─► removed
//      │                  └─────► orphan        (paid before the removal reached the PSP)
//      └─► failed                               (the PSP refused it: nothing was charged)
//
// `creating` is journaled before the PUT leaves; `removing` and `refunding` before their calls,
// so a crash at any point is resolved at start by asking the PSP.
export const PIX_CHARGE_STATES = ['creating', 'active', 'paid', 'used', 'removing', 'removed', 'failed', 'orphan', 'refunding', 'refunded'] as const;
export type PixChargeState = (typeof PIX_CHARGE_STATES)[number];

export const PIX_TRANSITIONS: Readonly<Record<PixChargeState, readonly PixChargeState[]>> = {
  creating: ['active', 'paid', 'failed', 'removing', 'removed'],
  // active → used only for a static code (no PSP confirmation: it is used as it is, unconfirmed).
  active: ['paid', 'removing', 'removed', 'used'],
  paid: ['used', 'orphan'],
  used: [],
  removing: ['removed', 'orphan'],
  removed: ['orphan'],
  failed: [],
  orphan: ['refunding', 'used'],
  refunding: ['refunded', 'orphan'],
  refunded: [],
};

export function canMovePix(from: PixChargeState, to: PixChargeState): boolean {
  return PIX_TRANSITIONS[from].includes(to);
}

/** States the core keeps asking the PSP about. */
export const PIX_OPEN_STATES: readonly PixChargeState[] = ['creating', 'active', 'removing', 'refunding'];
/** A payment the manager must look at: money received that no sale used. */
export const PIX_NEEDS_MANAGER: readonly PixChargeState[] = ['orphan', 'refunding'];

export const PIX_STATE_LABELS: Readonly<Record<PixChargeState, string>> = {
  creating: 'Gerando cobrança',
  active: 'Aguardando pagamento',
  paid: 'Pago',
  used: 'Pago (na venda)',
  removing: 'Cancelando cobrança',
  removed: 'Cobrança cancelada',
  failed: 'Não gerada',
  orphan: 'Pago sem venda — devolver',
  refunding: 'Devolvendo',
  refunded: 'Devolvido',
};

export type PixKind = 'dynamic' | 'static';

export interface PixChargeView {
  txid: string;
  clientId: string;
  kind: PixKind;
  amountCents: number;
  state: PixChargeState;
  /** The state in the words the till shows (PIX_STATE_LABELS). */
  label: string;
  /** The BR Code ("Pix copia e cola") to show as a QR code; null until the PSP created it. */
  brCode: string | null;
  /** ISO instant after which the charge can no longer be paid. */
  expiresAt: string | null;
  endToEndId: string | null;
  paidCents: number | null;
  saleId: number | null;
  createdAt: string;
  /** Static Pix not yet seen in the PSP's statement. */
  unconfirmed: boolean;
  problem: { code: string; message: string } | null;
}
