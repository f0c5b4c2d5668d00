// Payload freshness: the body of a (re)POST carries the sale's own data_emissao while SEFAZ still
// accepts it, and the time of the POST once it is too old (rejection 704) or in the future.
import type { EmissionRow } from '../db/types.ts';
import type { Sale } from '../../shared/sale.ts';
import { buildNfceRequest } from '../../shared/nfce/payload.ts';
import { localOffsetMinutes, toFocusDateTime } from '../../shared/datetime.ts';
import type { EngineSettings } from './types.ts';

/** A sale's clock may run this far ahead of ours before its data_emissao is replaced. */
const FUTURE_TOLERANCE_MS = 60_000;

export interface FreshPayload {
  body: ReturnType<typeof buildNfceRequest>;
  /** data_emissao actually sent, epoch ms (the 30-minute cancel window counts from it). */
  emittedMs: number;
}

export interface FreshnessInput {
  row: EmissionRow;
  sale: Sale;
  /** When the sale was committed, epoch ms. */
  createdMs: number;
  settings: EngineSettings;
  now: number;
  /** data_emissao older than this is refreshed (default policy: 4 minutes). */
  maxAgeMs: number;
}

/** Builds the body for this POST: the committed sale with a data_emissao SEFAZ will accept. */
export function freshPayload({ row, sale, createdMs, settings, now, maxAgeMs }: FreshnessInput): FreshPayload {
  const offset = settings.utcOffsetMinutes ?? localOffsetMinutes(now);
  const fresh = now - createdMs <= maxAgeMs && createdMs - now <= FUTURE_TOLERANCE_MS;
  const dataEmissao = fresh ? sale.createdAt : toFocusDateTime(now, offset);
  const body = buildNfceRequest({
    sale: { ...sale, createdAt: dataEmissao },
    emitter: settings.emitter,
    environment: row.environment,
    ...(settings.taxReform ? { taxReform: settings.taxReform } : {}),
  });
  return { body, emittedMs: fresh ? createdMs : now };
}
