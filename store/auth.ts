// Who is calling: a paired lane (its credential), or a manager — the store's admin token, or a
// manager session a lane opened with an operator's PIN. Tokens are looked up by their SHA-256.
import { ManagerSessionResponse, STORE_PROTOCOL_VERSION, StoreError, StoreOperator } from '../shared/store/protocol.ts';
import type { Clock } from './clock.ts';
import type { Db } from './db/pool.ts';
import { currentRecord } from './records.ts';
import { hashToken, newToken, verifyScryptPin } from './secrets.ts';

export type Principal = { kind: 'lane'; laneId: string } | { kind: 'manager'; laneId: string | null; operatorId: string | null };

const SESSION_MS = 15 * 60_000;
/** Wrong PINs per lane before it must wait a minute (a 4-digit PIN is only as strong as this). */
const MAX_PIN_FAILURES = 5;
const PIN_LOCK_MS = 60_000;

export function bearer(header: string | undefined): string | null {
  const m = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(header ?? '');
  return m?.[1] ?? null;
}

export async function authenticate(db: Db, now: Clock, header: string | undefined): Promise<Principal | null> {
  const token = bearer(header);
  if (token === null) return null;
  const h = hashToken(token);
  const r = await db.query<{ kind: 'lane' | 'admin' | 'session'; lane_id: string | null; operator_id: string | null }>(
    `SELECT 'lane' AS kind, id AS lane_id, NULL AS operator_id FROM lanes WHERE credential_hash = $1 AND NOT revoked
     UNION ALL SELECT 'admin', NULL, NULL FROM admin_tokens WHERE token_hash = $1
     UNION ALL SELECT 'session', s.lane_id, s.operator_id FROM manager_sessions s JOIN lanes l ON l.id = s.lane_id
       WHERE s.token_hash = $1 AND s.expires_ms > $2 AND NOT l.revoked`,
    [h, now()],
  );
  const row = r.rows[0];
  if (row === undefined) return null;
  if (row.kind === 'lane') return { kind: 'lane', laneId: row.lane_id! };
  return { kind: 'manager', laneId: row.lane_id, operatorId: row.operator_id };
}

export async function createAdminToken(db: Db, now: Clock, label: string): Promise<string> {
  const token = newToken();
  await db.query('INSERT INTO admin_tokens (token_hash, label, created_ms) VALUES ($1, $2, $3)', [hashToken(token), label, now()]);
  return token;
}

export class ManagerSessions {
  readonly #failures = new Map<string, { count: number; untilMs: number }>();
  readonly #db: Db;
  readonly #now: Clock;

  constructor(db: Db, now: Clock) {
    this.#db = db;
    this.#now = now;
  }

  /** A store operator with the manager role and the right PIN opens a short session for this lane. */
  async open(laneId: string, operatorId: string, pin: string): Promise<ManagerSessionResponse> {
    const at = this.#now();
    const f = this.#failures.get(laneId);
    if (f !== undefined && f.count >= MAX_PIN_FAILURES && f.untilMs > at) {
      throw new StoreError('manager_pin_invalid', 'Muitas tentativas de PIN. Espere um minuto e tente de novo.');
    }
    const op = StoreOperator.safeParse(await currentRecord(this.#db, 'operator', operatorId));
    const ok = op.success && op.data.active && op.data.role === 'manager' && (await verifyScryptPin(pin, op.data.pinHash));
    if (!ok) {
      const count = f !== undefined && f.untilMs > at ? f.count + 1 : 1;
      this.#failures.set(laneId, { count, untilMs: at + PIN_LOCK_MS });
      throw new StoreError('manager_pin_invalid');
    }
    this.#failures.delete(laneId);
    const token = newToken();
    await this.#db.query('INSERT INTO manager_sessions (token_hash, operator_id, lane_id, expires_ms) VALUES ($1, $2, $3, $4)', [
      hashToken(token),
      operatorId,
      laneId,
      at + SESSION_MS,
    ]);
    return { protocol: STORE_PROTOCOL_VERSION, token, expiresAtMs: at + SESSION_MS };
  }
}
