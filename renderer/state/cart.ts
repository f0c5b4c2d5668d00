// The sale being rung up. It survives a reload (localStorage) so a crash or restart in the middle of
// a sale loses nothing; the manager PIN for an override is kept in memory only.
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { Payment } from '../../shared/sale.ts';
import type { CartLine } from './cart-logic.ts';
import { newClientId } from './cart-logic.ts';
import { lineGross } from '../../shared/cart.ts';

export interface CartState {
  lines: CartLine[];
  nextSeq: number;
  saleDiscountCents: number;
  customerDocument: string | null;
  payments: Payment[];
  /** Set when the payment screen opens; the same id goes with every retry of this sale. */
  clientId: string | null;
  managerPin: string | null;
  addLine(line: Omit<CartLine, 'seq'>): number;
  cancelLine(seq: number): void;
  /** New quantity for a line; an item discount larger than the new gross is dropped. */
  setQuantity(seq: number, qtyE4: number): void;
  /** Replaces the (empty) cart with a sale recalled from the espera list. */
  restore(cart: Pick<CartState, 'lines' | 'nextSeq' | 'saleDiscountCents' | 'customerDocument'>): void;
  /** Puts back a sale the core refused after the till was freed: its payments and clientId too. */
  restoreSale(sale: Pick<CartState, 'lines' | 'nextSeq' | 'saleDiscountCents' | 'customerDocument' | 'payments'> & { clientId: string }): void;
  setItemDiscount(seq: number, cents: number): void;
  setSaleDiscount(cents: number): void;
  setCustomer(document: string | null): void;
  setManagerPin(pin: string | null): void;
  ensureClientId(): string;
  addPayment(payment: Payment): void;
  removePayment(index: number): void;
  clearPayments(): void;
  reset(): void;
}

const EMPTY = {
  lines: [] as CartLine[],
  nextSeq: 1,
  saleDiscountCents: 0,
  customerDocument: null,
  payments: [] as Payment[],
  clientId: null,
  managerPin: null,
};

export const useCart = create<CartState>()(
  persist(
    (set, get) => ({
      ...EMPTY,
      addLine(line) {
        const seq = get().nextSeq;
        set((s) => ({ lines: [...s.lines, { ...line, seq }], nextSeq: seq + 1 }));
        return seq;
      },
      cancelLine(seq) {
        set((s) => ({ lines: s.lines.map((l) => (l.seq === seq ? { ...l, cancelled: true, discountCents: 0 } : l)) }));
      },
      setQuantity(seq, qtyE4) {
        set((s) => ({
          lines: s.lines.map((l) =>
            l.seq === seq ? { ...l, qtyE4, discountCents: l.discountCents > lineGross(qtyE4, l.unitPriceCents) ? 0 : l.discountCents } : l,
          ),
        }));
      },
      restore(cart) {
        set({ ...EMPTY, lines: cart.lines, nextSeq: cart.nextSeq, saleDiscountCents: cart.saleDiscountCents, customerDocument: cart.customerDocument });
      },
      restoreSale(sale) {
        set({
          ...EMPTY,
          lines: sale.lines,
          nextSeq: sale.nextSeq,
          saleDiscountCents: sale.saleDiscountCents,
          customerDocument: sale.customerDocument,
          payments: sale.payments,
          clientId: sale.clientId,
        });
      },
      setItemDiscount(seq, cents) {
        set((s) => ({ lines: s.lines.map((l) => (l.seq === seq ? { ...l, discountCents: cents } : l)) }));
      },
      setSaleDiscount(cents) {
        set({ saleDiscountCents: cents });
      },
      setCustomer(document) {
        set({ customerDocument: document });
      },
      setManagerPin(pin) {
        set({ managerPin: pin });
      },
      ensureClientId() {
        const existing = get().clientId;
        if (existing) return existing;
        const id = newClientId();
        set({ clientId: id });
        return id;
      },
      addPayment(payment) {
        set((s) => ({ payments: [...s.payments, payment] }));
      },
      removePayment(index) {
        set((s) => ({ payments: s.payments.filter((_, i) => i !== index) }));
      },
      clearPayments() {
        set({ payments: [] });
      },
      reset() {
        set({ ...EMPTY });
      },
    }),
    {
      name: 'balcao.cart.v1',
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({
        lines: s.lines,
        nextSeq: s.nextSeq,
        saleDiscountCents: s.saleDiscountCents,
        customerDocument: s.customerDocument,
        payments: s.payments,
        clientId: s.clientId,
      }),
    },
  ),
);

export function cartIsEmpty(s: Pick<CartState, 'lines'>): boolean {
  return !s.lines.some((l) => !l.cancelled);
}
