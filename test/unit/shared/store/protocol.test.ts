// The lane↔store protocol's schemas: what a lane may enqueue, what comes back, and how a refusal
// becomes a UserFacingError with a stable code (an unknown future code degrades, never crashes).
import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../../../../shared/errors.ts';
import {
  KNOWN_EVENT_KINDS,
  OutboxEvent,
  PullQuery,
  PushRequest,
  SaleEventPayload,
  STORE_ERROR_CODES,
  STORE_ERROR_STATUS,
  StoreError,
  storeErrorFromBody,
} from '../../../../shared/store/protocol.ts';

const sale = {
  saleId: 'a1',
  day: '2026-11-30',
  atMs: 1,
  operatorId: 'caixa-1',
  sessionId: null,
  grossCents: 1000,
  discountCents: 0,
  totalCents: 1000,
  changeCents: 0,
  payments: [{ method: '01', amountCents: 1000 }],
  items: [{ productId: 'p1', cfop: '5102', qtyE4: 10_000, totalCents: 1000 }],
  emission: { state: 'pending', serie: null, number: null },
};

describe('store protocol', () => {
  it('accepts a well-formed event and sale payload; refuses a non-uuid id, seq 0, an impossible day', () => {
    const e = { id: crypto.randomUUID(), seq: 1, kind: 'sale', atMs: 5, payload: sale };
    expect(OutboxEvent.parse(e)).toEqual(e);
    expect(SaleEventPayload.parse(sale).emission.state).toBe('pending');
    expect(OutboxEvent.safeParse({ ...e, id: 'venda-1' }).success).toBe(false);
    expect(OutboxEvent.safeParse({ ...e, seq: 0 }).success).toBe(false);
    expect(OutboxEvent.safeParse({ ...e, kind: 'Venda Nova' }).success).toBe(false);
    expect(SaleEventPayload.safeParse({ ...sale, day: '2026-02-30' }).success).toBe(false);
    expect(SaleEventPayload.safeParse({ ...sale, emission: { ...sale.emission, state: 'aprovada' } }).success).toBe(false);
    expect(PushRequest.safeParse({ protocol: 1, events: [] }).success).toBe(false);
    for (const kind of KNOWN_EVENT_KINDS) expect(OutboxEvent.safeParse({ ...e, kind }).success).toBe(true);
  });

  it('reads pull queries from the URL with defaults and bounds', () => {
    expect(PullQuery.parse({})).toEqual({ since: 0, limit: 1000, waitMs: 0 });
    expect(PullQuery.parse({ since: '42', waitMs: '25000' })).toMatchObject({ since: 42, waitMs: 25_000 });
    expect(PullQuery.safeParse({ waitMs: '60000' }).success).toBe(false);
  });

  it('turns an error body into a StoreError with its code; unknown codes and junk become internal', () => {
    const e = storeErrorFromBody({ protocol: 1, error: { code: 'pairing_code_used', message: 'Já usado.' } });
    expect(e).toBeInstanceOf(UserFacingError);
    expect([e.code, e.message]).toEqual(['pairing_code_used', 'Já usado.']);
    expect(storeErrorFromBody({ protocol: 2, error: { code: 'new_in_v2', message: 'x' } }).code).toBe('internal');
    expect(storeErrorFromBody('<html>').code).toBe('internal');
    expect(new StoreError('store_unavailable').message).toMatch(/continua vendendo/);
    for (const c of STORE_ERROR_CODES) expect(STORE_ERROR_STATUS[c]).toBeGreaterThanOrEqual(400);
  });
});
