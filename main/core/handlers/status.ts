import { statusView } from '../services.ts';
import type { Handlers } from './types.ts';

export const statusHandlers: Handlers<'status.get'> = {
  'status.get'(_input, s) {
    return statusView(s);
  },
};
