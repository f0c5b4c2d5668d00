// The lane ↔ store HTTP protocol (issue #16): one definition both sides parse with, so a lane and
// its store agree on every body that crosses the wire. JSON over HTTP(S); every request and answer
// carries `protocol` (STORE_PROTOCOL_VERSION). Changes are additive: new optional fields, new event
// kinds, new routes; a breaking change bumps the version and the store answers `protocol_mismatch`.
//
// Auth: `Authorization: Bearer <credential>`. A lane's credential comes from pairing; a manager's is
// either the store's admin token (printed by `npm run store -- admin-token`) or a short-lived manager
// session a paired lane opens with an operator's PIN (POST /v1/manager/session).
import { z } from 'zod';
import { EMISSION_STATES } from '../emission.ts';
import { UserFacingError } from '../errors.ts';

export const STORE_PROTOCOL_VERSION = 1;
const protocol = z.literal(STORE_PROTOCOL_VERSION);

/** Routes, all under one prefix; methods in the comments. */
export const STORE_ROUTES = {
  /** GET, no auth: who the store is and its clock (lanes measure skew). */
  hello: '/v1/hello',
  /** POST, no auth: a one-time code becomes a lane credential. */
  pair: '/v1/pair',
  /** POST, lane: a batch of outbox events. */
  events: '/v1/events',
  /** GET, lane: ?since=<cursor>&limit=<n>&waitMs=<ms> — catalog, tax profiles, operators, settings. */
  changes: '/v1/changes',
  /** POST, lane: lease / renew / release Focus request credits. */
  creditsLease: '/v1/credits/lease',
  creditsRenew: '/v1/credits/renew',
  creditsRelease: '/v1/credits/release',
  /** POST, lane: an operator's PIN opens a manager session (for the lane's Loja screen). */
  managerSession: '/v1/manager/session',
  /** POST, manager: a fresh one-time pairing code. */
  pairingCode: '/v1/admin/pairing-codes',
  /** POST, manager: upsert/delete catalog, tax profiles, operators, settings. */
  records: '/v1/admin/records',
  /** GET, manager: every lane's sync state. */
  lanes: '/v1/admin/lanes',
  /** POST, manager: a lane's credential stops working (a stolen or retired PC); its série stays taken. */
  revokeLane: '/v1/admin/lanes/revoke',
  /** GET, manager: ?day=YYYY-MM-DD — the store-wide X/Z-style day totals. */
  reportDay: '/v1/admin/reports/day',
  /** GET, manager: ?month=YYYY-MM — the accountant's month across lanes. */
  reportMonth: '/v1/admin/reports/month',
} as const;

export const PROTOCOL_HEADER = 'x-balcao-store-protocol';

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const uuid = z.uuid();
const realDay = (s: string) => {
  const d = new Date(`${s}T12:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'data no formato AAAA-MM-DD' })
  .refine(realDay, { message: 'data no formato AAAA-MM-DD' });
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'mês no formato AAAA-MM' });
const cents = z.number().int();
const count = z.number().int().min(0);
const ms = z.number().int().min(0);
/** A JSON object (event payloads, records): the store keeps it as jsonb. */
const jsonObject = z.record(z.string(), z.unknown());

// ---- hello / pairing -------------------------------------------------------------------------

export const HelloResponse = z.object({ protocol, storeId: z.string(), storeName: z.string(), serverTimeMs: ms });
export type HelloResponse = z.infer<typeof HelloResponse>;

export const PAIRING_CODE_PATTERN = /^[0-9]{4}-[0-9]{4}$/;
export const PairRequest = z.object({
  protocol,
  code: z.string().trim().regex(PAIRING_CODE_PATTERN, { message: 'código de pareamento no formato 1234-5678' }),
  /** How the manager calls this lane ("Caixa 2"). */
  laneName: z.string().trim().min(1).max(60),
  appVersion: z.string().max(40).optional(),
});
export type PairRequest = z.infer<typeof PairRequest>;

export const PairResponse = z.object({
  protocol,
  storeId: z.string(),
  laneId: id,
  /** The lane's bearer credential; shown once, stored hashed by the store. Keep it in the vault. */
  credential: z.string().min(32),
  /** The lane's terminal id ("CX02", the settings' terminalId format), unique in the store. */
  terminalId: z.string().regex(/^[A-Za-z0-9]{1,12}$/),
  /** The lane's own contingency série (tpEmis 9, "901", the settings' format), never shared by two lanes. */
  contingencySerie: z.string().regex(/^\d{1,3}$/),
  /** SHA-256 of the store's TLS certificate (hex, colon-free, lowercase), null on plain loopback HTTP. Lanes pin it. */
  certFingerprint256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  serverTimeMs: ms,
});
export type PairResponse = z.infer<typeof PairResponse>;

export const PairingCodeRequest = z.object({
  protocol,
  ttlMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .optional(),
});
export const PairingCodeResponse = z.object({ protocol, code: z.string().regex(PAIRING_CODE_PATTERN), expiresAtMs: ms });
export type PairingCodeResponse = z.infer<typeof PairingCodeResponse>;

export const ManagerSessionRequest = z.object({ protocol, operatorId: z.string().min(1).max(40), pin: z.string().max(8) });
export const ManagerSessionResponse = z.object({ protocol, token: z.string().min(32), expiresAtMs: ms });
export type ManagerSessionResponse = z.infer<typeof ManagerSessionResponse>;

// ---- outbox push -----------------------------------------------------------------------------

/** Kinds the store projects into its reports; any other kind matching EVENT_KIND is stored as is. */
export const PROJECTED_KINDS = ['sale', 'sale_emission', 'register_session', 'register_movement'] as const;
export const KNOWN_EVENT_KINDS = [...PROJECTED_KINDS, 'audit', 'problem'] as const;
const EVENT_KIND = /^[a-z][a-z0-9_]{0,39}$/;

export const OutboxEvent = z.object({
  /** Client-generated, unique forever: a resend of the same event carries the same id. */
  id: uuid,
  /** Per lane, 1, 2, 3… without gaps: the order the lane committed them. */
  seq: z.number().int().min(1),
  kind: z.string().regex(EVENT_KIND),
  /** The lane's clock when the event was committed (may be skewed; the store also keeps its own). */
  atMs: ms,
  payload: jsonObject,
});
export type OutboxEvent = z.infer<typeof OutboxEvent>;

export const MAX_PUSH_EVENTS = 500;
export const PushRequest = z.object({
  protocol,
  events: z.array(OutboxEvent).min(1).max(MAX_PUSH_EVENTS),
  /** Events still waiting in the lane's outbox after this batch (shown in the lane's sync state). */
  backlog: count.optional(),
  /** The lane's clock when it sent the batch: the store derives the lane's clock skew from it. */
  sentAtMs: ms.optional(),
  /**
   * The outbox history these seqs belong to. Absent: the lane's first history. A journal restored
   * from an older copy numbers seqs again, so the lane starts a new history (a fresh id) from its
   * first unacknowledged row; the store then deduplicates by event id across histories.
   */
  journal: z.object({ id: uuid, startSeq: z.number().int().min(1) }).optional(),
});
export type PushRequest = z.infer<typeof PushRequest>;

/**
 * The store stores events in seq order only. `ackedSeq` is the highest seq it holds contiguously
 * from 1: the lane may forget everything up to it. Duplicates (seq ≤ ackedSeq with the same id) are
 * acknowledged again. A batch that starts past ackedSeq + 1 (a gap) stores nothing past the gap and
 * says `gap: true`; the lane resends from `expectedSeq` (= ackedSeq + 1).
 */
export const PushAck = z.object({
  protocol,
  ackedSeq: z.number().int().min(0),
  expectedSeq: z.number().int().min(1),
  stored: count,
  duplicates: count,
  gap: z.boolean(),
  serverTimeMs: ms,
});
export type PushAck = z.infer<typeof PushAck>;

// Payloads of the projected kinds. Lanes validate with these before enqueueing; the store projects
// with them (an event that fails is kept, flagged, and left out of the totals).

const tpag = z.string().regex(/^\d{2}$/);
const EmissionStateSchema = z.enum(EMISSION_STATES);

export const SaleEventPayload = z.object({
  /** The lane's clientId for the sale (unique in the store together with the lane). */
  saleId: z.string().min(1).max(64),
  /** The lane's local calendar day of the sale (the lane knows its time zone). */
  day,
  atMs: ms,
  operatorId: z.string().min(1).max(40),
  /** The lane's register session the sale belongs to, if any. */
  sessionId: z.number().int().nullable(),
  grossCents: cents.min(0),
  discountCents: cents.min(0),
  totalCents: cents.min(0),
  changeCents: cents.min(0),
  /** tPag code and amount received (cash before troco). */
  payments: z.array(z.object({ method: tpag, amountCents: cents.min(0) })).min(1),
  items: z.array(z.object({ productId: z.string().max(40), cfop: z.string().regex(/^\d{4}$/), qtyE4: z.number().int(), totalCents: cents })),
  emission: z.object({ state: EmissionStateSchema, serie: z.number().int().nullable(), number: z.number().int().nullable() }),
});
export type SaleEventPayload = z.infer<typeof SaleEventPayload>;

/** A sale's note moved (authorized, cancelled, contingency transmitted…): the latest state wins. */
export const SaleEmissionPayload = z.object({
  saleId: z.string().min(1).max(64),
  state: EmissionStateSchema,
  serie: z.number().int().nullable(),
  number: z.number().int().nullable(),
  atMs: ms,
});
export type SaleEmissionPayload = z.infer<typeof SaleEmissionPayload>;

/** Sent at opening and again at closing (same sessionId; the latest wins). */
export const RegisterSessionPayload = z.object({
  sessionId: z.number().int(),
  day,
  openedMs: ms,
  openedBy: z.string().min(1).max(40),
  openingCents: cents.min(0),
  closedMs: ms.nullable(),
  zNumber: z.number().int().nullable(),
});
export type RegisterSessionPayload = z.infer<typeof RegisterSessionPayload>;

export const RegisterMovementPayload = z.object({
  movementId: z.number().int(),
  sessionId: z.number().int(),
  day,
  kind: z.enum(['sangria', 'suprimento']),
  amountCents: cents.min(1),
  reason: z.string().max(200),
  operatorId: z.string().max(40),
  managerId: z.string().max(40),
  atMs: ms,
});
export type RegisterMovementPayload = z.infer<typeof RegisterMovementPayload>;

/** A short, stable description of why a payload did not parse (kept with the event for support). */
export function zodIssuesText(err: z.ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(raiz)'}: ${i.code}`)
    .join('; ');
}

// ---- pull: catalog, tax profiles, operators, settings -----------------------------------------

export const RECORD_ENTITIES = ['product', 'tax_profile', 'operator', 'setting'] as const;
export const RecordEntity = z.enum(RECORD_ENTITIES);
export type RecordEntity = z.infer<typeof RecordEntity>;

/** An operator as lanes store it: the PIN only as the house's scrypt hash (main/auth/pin-hash.ts format). */
export const StoreOperator = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/),
  name: z.string().min(1).max(60),
  role: z.enum(['cashier', 'manager']),
  pinHash: z.string().regex(/^scrypt\$/),
  active: z.boolean(),
});
export type StoreOperator = z.infer<typeof StoreOperator>;

/**
 * One change: `data` is the whole record (a Product, a TaxProfile, a StoreOperator, or a setting's
 * JSON value), null when deleted. Products and tax profiles are validated by the shared schemas.
 */
export const Change = z.object({
  version: z.number().int().min(1),
  entity: RecordEntity,
  key: z.string().min(1).max(80),
  data: jsonObject.nullable(),
});
export type Change = z.infer<typeof Change>;

export const MAX_PULL_LIMIT = 5000;
export const MAX_WAIT_MS = 30_000;
export const PullQuery = z.object({
  since: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(1000),
  /** Long-poll: with no change past `since`, the store holds the answer up to this long. */
  waitMs: z.coerce.number().int().min(0).max(MAX_WAIT_MS).default(0),
  /** The even share this lane would spend if cut off (it learns the lane count from the answers). */
  share: z.coerce.number().int().min(1).max(100).optional(),
});
export type PullQuery = z.infer<typeof PullQuery>;

export const PullResponse = z.object({
  protocol,
  changes: z.array(Change),
  /** Pass it as `since` next time: the version of the last change returned (or `since` when none). */
  cursor: z.number().int().min(0),
  /** More changes wait past `cursor`: ask again right away. */
  more: z.boolean(),
  /** Paired lanes sharing this lane's Focus token: a lane that never leases still learns of a new one. */
  lanes: z.number().int().min(1).optional(),
  /** This lane's emergency reserve per minute (see CREDIT_RESERVE_PER_LANE). */
  reserve: count.optional(),
});
export type PullResponse = z.infer<typeof PullResponse>;

export const RecordsRequest = z.object({
  protocol,
  upserts: z
    .array(z.object({ entity: RecordEntity, key: z.string().min(1).max(80), data: jsonObject }))
    .max(MAX_PULL_LIMIT * 20)
    .default([]),
  deletes: z
    .array(z.object({ entity: RecordEntity, key: z.string().min(1).max(80) }))
    .max(MAX_PULL_LIMIT)
    .default([]),
});
export type RecordsRequest = z.input<typeof RecordsRequest>;
export const RecordsResponse = z.object({ protocol, version: z.number().int().min(0), changed: count });
export type RecordsResponse = z.infer<typeof RecordsResponse>;

// ---- Focus request credits -------------------------------------------------------------------

/** Focus allows 100 requests per minute per token, for all lanes together. */
export const FOCUS_LIMIT_PER_MINUTE = 100;
export const MAX_LEASE_MS = 15_000;
/** The window Focus counts requests in. */
export const FOCUS_WINDOW_MS = 60_000;
/**
 * A lane the store has not heard from for this long may be cut off and spending its even share on
 * its own: the store holds that share back from every grant (and until a window after the lane is
 * back). Longer than the lane's long-poll (25 s), so a connected idle lane is not counted silent.
 */
export const SILENT_AFTER_MS = 30_000;
/** How late a request may reach the store after the lane's previous answer (transit, queues). */
export const CONTACT_MARGIN_MS = 5_000;
/**
 * A lane cut off from the store spends its even share only once it has had no answer from the store
 * for this long. Every lease granted before the store held the lane's share back has then ended a
 * full window earlier, so leases and the share never meet in one 60 s window.
 */
export const FALLBACK_AFTER_MS = SILENT_AFTER_MS + CONTACT_MARGIN_MS + MAX_LEASE_MS + FOCUS_WINDOW_MS;
/**
 * The right to spend the even share on its own is a lease: it ends this long after the lane's last
 * answer from the store. A lane switched off (or cut off for longer) then spends only its reserve,
 * and the store stops holding its share back a window after the lease ended.
 */
export const SHARE_LEASE_MS = 10 * 60_000;
/**
 * Every lane's emergency reserve: requests per minute it may send at once, with or without the store
 * (a cashier's note never waits for a lease). The store hands it out at pairing and holds it back
 * from every grant, for good; all reserves together never exceed CREDIT_RESERVE_POOL, so a store
 * with more than 8 lanes has lanes without one (they wait for leases, or FALLBACK_AFTER_MS).
 */
export const CREDIT_RESERVE_PER_LANE = 5;
export const CREDIT_RESERVE_POOL = 40;

export const LeaseRequest = z.object({
  protocol,
  /** Which token: a hash the lane derives from it (the store never sees the token). */
  tokenKey: z.string().regex(/^[0-9a-f]{16,64}$/),
  want: z.number().int().min(1).max(FOCUS_LIMIT_PER_MINUTE),
  /** A sale at the counter comes before a contingency backlog: backlogs never take the last credits. */
  purpose: z.enum(['sale', 'backlog']),
  leaseMs: z.number().int().min(1000).max(MAX_LEASE_MS).default(10_000),
  /** The even share this lane would spend per minute were it cut off from the store (held back while it is silent). */
  share: z.number().int().min(1).max(FOCUS_LIMIT_PER_MINUTE).optional(),
});
export type LeaseRequest = z.input<typeof LeaseRequest>;

export const RenewRequest = z.object({ protocol, leaseId: uuid, want: z.number().int().min(1).max(FOCUS_LIMIT_PER_MINUTE), used: count });
export type RenewRequest = z.infer<typeof RenewRequest>;
/** `used`: how many credits of the lease went on the wire (the unused ones return to the budget). */
export const ReleaseRequest = z.object({ protocol, leaseId: uuid, used: count });
export type ReleaseRequest = z.infer<typeof ReleaseRequest>;

/**
 * `granted` may be 0 (budget spent): retry after `retryAfterMs`. A lease's credits may be used only
 * before `expiresAtMs`; a renew returns a NEW lease (the old one ends with its `used`).
 */
export const LeaseResponse = z.object({
  protocol,
  leaseId: uuid.nullable(),
  granted: count,
  expiresAtMs: ms,
  retryAfterMs: ms,
  /**
   * `lanes`: paired lanes sharing the store (the lane's even share is the limit over it); `reserve`:
   * this lane's emergency reserve per minute (CREDIT_RESERVE_PER_LANE, or 0 past the pool).
   */
  budget: z.object({ limitPerMinute: count, committed: count, lessees: count, lanes: count.optional(), reserve: count.optional() }),
});
export type LeaseResponse = z.infer<typeof LeaseResponse>;
export const ReleaseResponse = z.object({ protocol, released: z.boolean() });
export type ReleaseResponse = z.infer<typeof ReleaseResponse>;

// ---- manager: lanes and reports --------------------------------------------------------------

export const LaneSyncState = z.object({
  laneId: id,
  name: z.string(),
  terminalId: z.string(),
  contingencySerie: z.string(),
  pairedMs: ms,
  ackedSeq: z.number().int().min(0),
  lastPushMs: ms.nullable(),
  /** As the lane reported at its last push. */
  backlog: count.nullable(),
  lastPullMs: ms.nullable(),
  lastPullCursor: z.number().int().min(0).nullable(),
  /** Store clock − lane clock at the last push, in ms (positive: the lane is behind). */
  clockSkewMs: z.number().int().nullable(),
  /** Events kept but left out of the totals because their payload did not parse. */
  badEvents: count,
  revoked: z.boolean(),
});
export type LaneSyncState = z.infer<typeof LaneSyncState>;
export const LanesResponse = z.object({ protocol, lanes: z.array(LaneSyncState), catalogVersion: z.number().int().min(0) });
export type LanesResponse = z.infer<typeof LanesResponse>;
export const RevokeLaneRequest = z.object({ protocol, laneId: id });
export const RevokeLaneResponse = z.object({ protocol, revoked: z.boolean() });
export type RevokeLaneResponse = z.infer<typeof RevokeLaneResponse>;

const CountAndCents = z.object({ count, cents });
const MethodTotal = z.object({ method: tpag, count, amountCents: cents });

/** The X/Z-style figures of one day (shared/register/report.ts names), for a lane or the whole store. */
export const StoreDayTotals = z.object({
  /** Sales whose note was not cancelled (pending and contingency notes included). */
  sales: CountAndCents.extend({ grossCents: cents, changeCents: cents }),
  byMethod: z.array(MethodTotal),
  byOperator: z.array(z.object({ operatorId: z.string(), count, totalCents: cents })),
  discounts: CountAndCents,
  cancelledNotes: CountAndCents,
  contingencyPending: CountAndCents,
  suprimentos: CountAndCents,
  sangrias: CountAndCents,
  openingCents: cents,
  sessions: z.object({ opened: count, closed: count }),
});
export type StoreDayTotals = z.infer<typeof StoreDayTotals>;

export const StoreDayReport = z.object({
  protocol,
  day,
  generatedMs: ms,
  lanes: z.array(z.object({ laneId: id, name: z.string(), terminalId: z.string(), totals: StoreDayTotals })),
  total: StoreDayTotals,
});
export type StoreDayReport = z.infer<typeof StoreDayReport>;

/** The accountant's month (main/reports/month-summary.ts's MonthSummary): authorized notes only. */
export const StoreMonthSummary = z.object({
  byDay: z.array(z.object({ day, notes: count, totalCents: cents })),
  byCfop: z.array(z.object({ cfop: z.string(), items: count, totalCents: cents })),
  byMethod: z.array(MethodTotal),
  totalCents: cents,
  notes: count,
});
export type StoreMonthSummary = z.infer<typeof StoreMonthSummary>;

export const StoreMonthReport = z.object({
  protocol,
  month,
  generatedMs: ms,
  lanes: z.array(z.object({ laneId: id, name: z.string(), terminalId: z.string(), summary: StoreMonthSummary, cancelledNotes: count })),
  total: StoreMonthSummary,
  cancelledNotes: count,
});
export type StoreMonthReport = z.infer<typeof StoreMonthReport>;

export const DayQuery = z.object({ day });
export const MonthQuery = z.object({ month });

// ---- errors ----------------------------------------------------------------------------------

export const STORE_ERROR_CODES = [
  'protocol_mismatch',
  'invalid_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'pairing_code_invalid',
  'pairing_code_expired',
  'pairing_code_used',
  'allocation_exhausted',
  'seq_conflict',
  'lease_not_found',
  'manager_pin_invalid',
  'store_unavailable',
  'internal',
] as const;
export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];

export const STORE_ERROR_STATUS: Readonly<Record<StoreErrorCode, number>> = {
  protocol_mismatch: 426,
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  pairing_code_invalid: 403,
  pairing_code_expired: 403,
  pairing_code_used: 403,
  allocation_exhausted: 409,
  seq_conflict: 409,
  lease_not_found: 404,
  manager_pin_invalid: 403,
  store_unavailable: 503,
  internal: 500,
};

const STORE_ERROR_PT: Readonly<Record<StoreErrorCode, string>> = {
  protocol_mismatch: 'Este caixa e o servidor da loja estão em versões diferentes. Atualize o Balcão nos dois.',
  invalid_request: 'O servidor da loja recusou os dados enviados.',
  unauthorized: 'Este caixa não está autorizado no servidor da loja. Pareie o caixa de novo.',
  forbidden: 'Só o gerente pode fazer isso no servidor da loja.',
  not_found: 'O servidor da loja não conhece este endereço.',
  pairing_code_invalid: 'Código de pareamento inválido. Peça um código novo ao gerente da loja.',
  pairing_code_expired: 'Código de pareamento vencido. Peça um código novo ao gerente da loja.',
  pairing_code_used: 'Este código de pareamento já foi usado. Peça um código novo ao gerente da loja.',
  allocation_exhausted: 'Não há mais números de terminal ou séries de contingência livres na loja.',
  seq_conflict: 'O histórico deste caixa não confere com o do servidor da loja (arquivo de vendas restaurado de uma cópia?). O caixa reenvia o que falta.',
  lease_not_found: 'A cota de envios à Focus expirou; o caixa pede outra.',
  manager_pin_invalid: 'PIN do gerente incorreto.',
  store_unavailable: 'O servidor da loja não responde. O caixa continua vendendo e envia tudo quando ele voltar.',
  internal: 'O servidor da loja teve um erro interno. Tente de novo.',
};

export class StoreError extends UserFacingError<StoreErrorCode> {
  constructor(code: StoreErrorCode, message: string = STORE_ERROR_PT[code], options: ConstructorParameters<typeof UserFacingError>[2] = {}) {
    super(code, message, options);
  }
}

/** Every refusal's body: `{ protocol, error: { code, message, fields? } }`. */
export const ErrorBody = z.object({
  protocol: z.number().int(),
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** What a lane turns a store refusal into (an unknown code becomes `internal`, never a crash). */
export function storeErrorFromBody(body: unknown): StoreError {
  const parsed = ErrorBody.safeParse(body);
  if (!parsed.success) return new StoreError('internal');
  const { code, message, fields } = parsed.data.error;
  const known = (STORE_ERROR_CODES as readonly string[]).includes(code) ? (code as StoreErrorCode) : 'internal';
  return new StoreError(known, message, fields === undefined ? {} : { fields });
}
