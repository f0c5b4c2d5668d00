// Ports and settings the emission engine is built with (constructor injection, no globals).
import { UserFacingError } from '../../shared/errors.ts';
import type { Emitter, Environment, Product } from '../../shared/sale.ts';
import type { EmissionView } from '../../shared/emission.ts';
import type { LinkState } from '../../shared/contract.ts';
import type { IbsCbsOptions } from '../../shared/fiscal/ibscbs.ts';

export interface EngineSettings {
  environment: Environment;
  emitter: Emitter;
  terminalId: string;
  /** Online series (informational: Focus numbers online notes from its own series setting). */
  serie: string;
  /** finalize() waits this long for a final answer before handing back the current view. Default 15 000. */
  authorizationDeadlineMs?: number;
  /** ISO-sign offset (minutes east of UTC) for data_emissao; default: the host clock's offset. */
  utcOffsetMinutes?: number;
  /** Register ECONF automatically after authorization for sales with electronic payments (a UF that asks). */
  econfAfterAuthorization?: boolean;
  /** IBS/CBS: the manager's early start and the store's default codes (the law's dates apply anyway). */
  taxReform?: IbsCbsOptions;
}

export interface Clock {
  now(): number;
}

/** What the engine needs from the catalog: the current product, to rebuild a rejected note. */
export interface CatalogPort {
  getProduct(id: string): Product | null;
}

export type DivertReason = 'offline' | 'deadline';

/**
 * The engine's port to the offline (manual contingency) flow; the flow implements it and never
 * calls the engine. The engine asks `linkState()` before each POST; when 'offline' it calls
 * `divert(saleId, 'offline')` instead of sending. When finalize's authorization deadline passes
 * while the sale is still pending/sending/unknown it calls `divert(saleId, 'deadline')`. A non-null
 * view means the offline flow took the sale over (it created its own attempt, e.g. state
 * 'contingency'); the engine keeps resolving the earlier attempt to a final state so the offline
 * flow can reconcile (cancel) it if it turns out authorized. Null means "not diverted": the engine
 * carries on as without a port. `onRelease` hands back a sale the flow had parked ('blocked' with a
 * contingency block reason) once the link is back: the engine sends it normally.
 */
export interface ContingencyPort {
  linkState(): LinkState;
  divert(saleId: number, reason: DivertReason): Promise<EmissionView | null>;
  onRelease(listener: (saleId: number) => void): () => void;
}

/** Named points of the emission path where a crash test may kill the process. */
export type CrashPoint =
  'before-sale-commit' | 'after-sale-commit' | 'after-sending-commit' | 'post-in-flight' | 'after-answer' | 'after-result-commit' | 'after-query-answer';

export type EmissionErrorCode =
  | 'sale_not_found'
  | 'not_authorized'
  | 'cancel_window_closed'
  | 'cancel_refused'
  | 'cancel_unconfirmed'
  | 'not_resendable'
  | 'invalid_justificativa'
  | 'invalid_emails'
  | 'focus_unreachable'
  | 'focus_error'
  | 'engine_closed'
  | 'wrong_environment'
  | 'econf_nothing'
  | 'econf_open'
  | 'econf_not_unknown'
  | 'econf_not_found';

/** A refusal the UI shows as is (message in pt-BR). */
export class EmissionError extends UserFacingError<EmissionErrorCode> {}
