// The PIX charge on the payment screen right now: the panel writes it, the customer display reads
// it (the QR and the amount go to the customer's side while it waits for payment).
import { create } from 'zustand';
import type { PixChargeView } from '../../shared/pix/charge.ts';

export interface PixUiState {
  current: PixChargeView | null;
  show(view: PixChargeView | null): void;
}

export const usePixCharge = create<PixUiState>()((set) => ({
  current: null,
  show(current) {
    set({ current });
  },
}));
