// What the browser host's server (main/host/rpc.ts) and its page-side client
// (renderer/host/pos-client.ts) agree on: where calls may travel and what a lost answer means.
import type { Channel, PosError } from './contract.ts';

/**
 * Id of the data block (`<script type="application/json">`, never executed) in which the host's page
 * arrives with the answer to its first session.bootstrap, computed when the page was served: the
 * checkout's one round trip before it can render leaves the cold load's critical path.
 */
export const BOOTSTRAP_ELEMENT_ID = 'balcao-bootstrap';

/** Path of the host's WebSocket: events from the core and, on the same socket, contract calls. */
export const EVENTS_PATH = '/api/events';

/**
 * Channels the client re-sends over HTTP when the socket drops before their answer: reads, and
 * writes that are idempotent (sales.finalize is keyed by the draft's clientId, so a sale whose
 * answer died with the socket is sent again as POST and stays one sale; logout is a no-op the
 * second time). Everything else (print, e-mail, cancel, resend, settings, PIN checks that
 * count failed attempts) answers TRANSPORT_LOST instead: the core may already have done it.
 */
export const RETRY_SAFE_CHANNELS = [
  'session.bootstrap',
  'auth.operators',
  'auth.logout',
  'catalog.search',
  'catalog.lookup',
  'sales.finalize',
  'sales.list',
  'sales.get',
  'receipt.get',
  'settings.get',
  'status.get',
  'contingency.list',
  'register.state',
] as const satisfies readonly Channel[];

/** What a caller gets when its call was on a socket that dropped and is not safe to repeat. */
export const TRANSPORT_LOST: PosError = {
  code: 'transport_lost',
  message: 'A conexão com o sistema do caixa caiu antes da resposta. Confira se a operação foi concluída antes de repetir.',
};

/** What a caller gets when the host cannot be reached at all. */
export const TRANSPORT_DOWN: PosError = {
  code: 'transport',
  message: 'Sem comunicação com o sistema do caixa. Aguarde alguns segundos e tente de novo: nada foi perdido.',
};

/** The client's reconnect backoff (shared/backoff.ts), from the first retry to the cap. */
export const RECONNECT = { minMs: 250, maxMs: 5_000 } as const;
