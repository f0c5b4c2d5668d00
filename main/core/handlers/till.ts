// Till routines that live beside the sale: putting a sale aside (espera) and recalling it.
import { requireOperator, type Services } from '../services.ts';
import type { Handlers } from './types.ts';

/** Parked sales and who is at the till. */
type TillDeps = Pick<Services, 'parked' | 'session'>;

export const tillHandlers: Handlers<'till.park' | 'till.parked' | 'till.recall', TillDeps> = {
  'till.park'(input, s) {
    const operator = requireOperator(s);
    return s.parked().park(input.cart, operator.name);
  },
  'till.parked'(_input, s) {
    requireOperator(s);
    return s.parked().list();
  },
  'till.recall'(input, s) {
    requireOperator(s);
    return s.parked().recall(input.id);
  },
};
