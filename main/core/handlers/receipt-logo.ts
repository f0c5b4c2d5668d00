// The DANFCe logo (Configurações › Impressora): the manager picks a PNG or JPEG, main checks it and
// keeps the print-ready version in the data dir; clearing it brings back the receipt without logo.
import type { Services } from '../services.ts';
import { auditSafe } from './audit.ts';
import type { Handlers } from './types.ts';

/** The logo file and the audit trail. */
type ReceiptLogoDeps = Pick<Services, 'receiptLogo' | 'phase' | 'profile'>;

export const receiptLogoHandlers: Handlers<'settings.receiptLogo' | 'settings.setReceiptLogo' | 'settings.clearReceiptLogo', ReceiptLogoDeps> = {
  'settings.receiptLogo'(_input, s) {
    return s.receiptLogo.get();
  },
  'settings.setReceiptLogo'(input, s, ctx) {
    const logo = s.receiptLogo.set(Buffer.from(input.imageBase64, 'base64'));
    auditSafe(s, ctx.actor!.id, 'settings_change', { receiptLogo: `${logo.width}x${logo.height}` });
    return logo;
  },
  'settings.clearReceiptLogo'(_input, s, ctx) {
    s.receiptLogo.clear();
    auditSafe(s, ctx.actor!.id, 'settings_change', { receiptLogo: null });
    return null;
  },
};
