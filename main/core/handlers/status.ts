import { statusView, type StatusDeps } from '../services.ts';
import type { Handlers } from './types.ts';

export const statusHandlers: Handlers<'status.get', StatusDeps> = {
  'status.get'(_input, s) {
    return statusView(s);
  },
};
