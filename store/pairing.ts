// Pairing: the store manager gets a one-time code; a lane trades it for its own credential, a
// terminal id and a contingency série. Allocation happens in the redeeming transaction and the
// lanes table's unique constraints are the last word.
import { randomUUID } from 'node:crypto';
import type { PairRequest, PairingCodeResponse } from '../shared/store/protocol.ts';
import { CREDIT_RESERVE_POOL, CREDIT_RESERVE_PER_LANE, STORE_PROTOCOL_VERSION, StoreError } from '../shared/store/protocol.ts';
import type { Clock } from './clock.ts';
import { type Db, inTransaction, isUniqueViolation } from './db/pool.ts';
import { hashToken, newPairingCode, newToken } from './secrets.ts';

export const DEFAULT_CODE_TTL_MS = 15 * 60_000;
/**
 * Séries 901–999. 900 is every standalone lane's default contingency série (main/settings), so a
 * lane that sold alone before pairing may already have notes on it: the store never hands it out.
 */
const FIRST_SERIE = 901;
const LAST_SERIE = 999;
/** Terminal ids LJ01…: never the standalone default (CX01), which is part of old Focus refs. */
const TERMINAL_PREFIX = 'LJ';
const MAX_ATTEMPTS = 8;
const ALLOCATION_LOCK = 7_016_018;

export interface Allocation {
  laneId: string;
  credential: string;
  terminalId: string;
  contingencySerie: string;
}

export async function createPairingCode(db: Db, now: Clock, ttlMs = DEFAULT_CODE_TTL_MS): Promise<PairingCodeResponse> {
  for (let attempt = 0; ; attempt++) {
    const code = newPairingCode();
    const created = now();
    try {
      await db.query('INSERT INTO pairing_codes (code, created_ms, expires_ms) VALUES ($1, $2, $3)', [code, created, created + ttlMs]);
      return { protocol: STORE_PROTOCOL_VERSION, code, expiresAtMs: created + ttlMs };
    } catch (e) {
      if (!isUniqueViolation(e) || attempt >= MAX_ATTEMPTS) throw e;
    }
  }
}

export async function redeemPairingCode(db: Db, now: Clock, req: PairRequest): Promise<Allocation> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await inTransaction(db, async (tx) => {
        const at = now();
        const row = (
          await tx.query<{ expires_ms: number; used_ms: number | null }>('SELECT expires_ms, used_ms FROM pairing_codes WHERE code = $1 FOR UPDATE', [req.code])
        ).rows[0];
        if (row === undefined) throw new StoreError('pairing_code_invalid');
        if (row.used_ms !== null) throw new StoreError('pairing_code_used');
        if (row.expires_ms <= at) throw new StoreError('pairing_code_expired');
        // Allocations queue behind one lock (pairing is rare): the next free numbers are then really
        // free. The unique constraints stay the last word, with a retry, should anything bypass it.
        await tx.query('SELECT pg_advisory_xact_lock($1)', [ALLOCATION_LOCK]);
        const serie = (
          await tx.query<{ n: number }>(
            'SELECT n FROM generate_series($1::int, $2::int) n WHERE n NOT IN (SELECT contingency_serie FROM lanes) ORDER BY n LIMIT 1',
            [FIRST_SERIE, LAST_SERIE],
          )
        ).rows[0];
        const terminal = (
          await tx.query<{ n: number }>(
            `SELECT n FROM generate_series(1, 999) n WHERE $1 || lpad(n::text, 2, '0') NOT IN (SELECT terminal_id FROM lanes) ORDER BY n LIMIT 1`,
            [TERMINAL_PREFIX],
          )
        ).rows[0];
        if (serie === undefined || terminal === undefined) throw new StoreError('allocation_exhausted');
        const laneId = randomUUID();
        const credential = newToken();
        const terminalId = `${TERMINAL_PREFIX}${String(terminal.n).padStart(2, '0')}`;
        // Its emergency reserve, while the pool lasts (store/credits.ts): fixed for good, so the lane
        // never spends a larger one than the store holds.
        const reserve = (
          await tx.query<{ reserve: number }>(
            'SELECT LEAST($1::int, $2::int - COALESCE(SUM(credit_reserve), 0))::int AS reserve FROM lanes WHERE NOT revoked',
            [CREDIT_RESERVE_PER_LANE, CREDIT_RESERVE_POOL],
          )
        ).rows[0]!.reserve;
        await tx.query(
          'INSERT INTO lanes (id, name, credential_hash, terminal_id, contingency_serie, paired_ms, last_seen_ms, credit_reserve) VALUES ($1, $2, $3, $4, $5, $6, $6, $7)',
          [laneId, req.laneName, hashToken(credential), terminalId, serie.n, at, Math.max(0, reserve)],
        );
        await tx.query('UPDATE pairing_codes SET used_ms = $2, lane_id = $3 WHERE code = $1', [req.code, at, laneId]);
        return { laneId, credential, terminalId, contingencySerie: String(serie.n) };
      });
    } catch (e) {
      // Another pairing took the same terminal id or série first: our transaction rolled back whole.
      if (isUniqueViolation(e) && attempt < MAX_ATTEMPTS) continue;
      throw e;
    }
  }
}
