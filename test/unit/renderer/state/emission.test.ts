import { describe, expect, it } from 'vitest';
import type { EmissionView } from '../../../../shared/emission.ts';
import { isNewer, useEmission } from '../../../../renderer/state/emission.ts';

function view(saleId: number, over: Partial<EmissionView> = {}): EmissionView {
  return {
    saleId,
    attempt: 1,
    ref: `r${saleId}`,
    state: 'sending',
    environment: 'homologacao',
    numero: null,
    serie: null,
    chave: null,
    protocolo: null,
    authorizedAt: null,
    qrcodeUrl: null,
    urlConsulta: null,
    statusSefaz: null,
    mensagemSefaz: null,
    problem: null,
    contingency: false,
    cancelDeadline: null,
    updatedAt: '2026-11-24T10:00:00.000-03:00',
    ...over,
  };
}

describe('emission store', () => {
  it('keeps the newest view when events arrive out of order', () => {
    const auth = view(1, { state: 'authorized', updatedAt: '2026-11-24T10:00:01.000-03:00' });
    useEmission.getState().apply(auth);
    useEmission.getState().apply(view(1, { state: 'sending' }));
    expect(useEmission.getState().views.get(1)?.state).toBe('authorized');
    expect(isNewer(view(1, { attempt: 2 }), auth)).toBe(true);
  });
  it('stays bounded over a whole shift', () => {
    for (let i = 1; i <= 2000; i++) useEmission.getState().apply(view(i));
    expect(useEmission.getState().views.size).toBeLessThanOrEqual(50);
    expect(useEmission.getState().views.has(2000)).toBe(true);
  });
});
