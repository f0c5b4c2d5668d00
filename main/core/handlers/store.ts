// The store server's channels (issue #16). Pairing and unpairing change where this lane's sales go
// and which terminal id and contingency série it uses: the manager's, audited. The store-wide views
// (other lanes, day totals, the accountant's month) are fetched from the store with a manager
// session that the manager's PIN opens there (the store keeps the shared operators).
import type { Handlers } from './types.ts';
import { requireOperator, type Services } from '../services.ts';

type StoreDeps = Pick<Services, 'store' | 'settings' | 'profile' | 'session' | 'reopenProfile'>;

export const storeHandlers: Handlers<
  'store.state' | 'store.pair' | 'store.unpair' | 'store.syncNow' | 'store.lanes' | 'store.reportDay' | 'store.reportMonth',
  StoreDeps
> = {
  'store.state': (_i, s) => s.store.status(),
  async 'store.pair'(input, s, ctx) {
    const link = await s.store.pair({ url: input.url, code: input.code, laneName: input.laneName });
    const st = s.settings.get();
    s.profile().sales.audit(ctx.actor?.id ?? requireOperator(s).id, 'store_pair', {
      storeId: link.storeId,
      storeName: link.storeName,
      url: link.url,
      laneId: link.laneId,
      terminalId: st.terminalId,
      contingencySerie: st.contingencySerie,
    });
    // The profile reopens: its Focus client stops its keep-warm pings (the token is shared now).
    await s.reopenProfile();
    return s.store.status();
  },
  async 'store.unpair'(_input, s, ctx) {
    const link = s.store.link();
    await s.store.unpair();
    s.profile().sales.audit(ctx.actor?.id ?? requireOperator(s).id, 'store_unpair', { storeId: link?.storeId ?? null, laneId: link?.laneId ?? null });
    await s.reopenProfile();
    return s.store.status();
  },
  async 'store.syncNow'(_i, s) {
    await s.store.pushNow().catch(() => 0);
    await s.store.pullNow().catch(() => 0);
    return s.store.status();
  },
  'store.lanes': (input, s, ctx) => s.store.lanes({ operatorId: ctx.actor?.id ?? requireOperator(s).id, pin: input.managerPin }),
  'store.reportDay': (input, s, ctx) => s.store.reportDay({ operatorId: ctx.actor?.id ?? requireOperator(s).id, pin: input.managerPin }, input.day),
  'store.reportMonth': (input, s, ctx) => s.store.reportMonth({ operatorId: ctx.actor?.id ?? requireOperator(s).id, pin: input.managerPin }, input.month),
};
