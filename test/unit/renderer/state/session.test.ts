import { describe, expect, it } from 'vitest';
import type { StatusView } from '../../../../shared/contract.ts';
import { useSession } from '../../../../renderer/state/session.ts';

describe('status pushes', () => {
  it('keep the logged-in operator the same object, so a status event does not re-render the whole app', () => {
    const me = { id: 'caixa-1', name: 'Caixa 1', role: 'cashier' as const };
    useSession.setState({ operator: me });
    const status = (n: number) => ({ operator: { ...me }, demo: false, pending: n }) as unknown as StatusView;
    useSession.getState().setStatus(status(1));
    useSession.getState().setStatus(status(2));
    expect(useSession.getState().operator).toBe(me);
    expect(useSession.getState().status).toMatchObject({ pending: 2 });
    // A renamed operator is news.
    useSession.getState().setStatus({ ...status(3), operator: { ...me, name: 'Caixa Um' } });
    expect(useSession.getState().operator).toEqual({ ...me, name: 'Caixa Um' });
  });
});
