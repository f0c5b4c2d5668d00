// Contract calls over the host's WebSocket: the page sends {id, channel, input} and gets back
// {id, result}, where result is the very Result the core returns (the core still parses every
// input with the channel's schema). Anything malformed is answered with a pt-BR error result, so
// a caller never waits for an answer that will not come. Also the retry policy the client script
// applies when the socket drops with calls in flight.
import { z } from 'zod';
import { CHANNELS, type Channel, type PosError, type Result } from '../../shared/contract.ts';
import type { WsMessage } from './websocket.ts';

/** Same limit as a POST body. */
export const RPC_MAX_BYTES = 1024 * 1024;
/** Calls one page may have open on its socket at once (the UI needs a handful). */
export const RPC_MAX_IN_FLIGHT = 64;

/** Errors the host itself answers (the core's own errors pass through untouched). */
export const HOST_ERRORS = {
  unknownChannel: { code: 'unknown_channel', message: 'Operação desconhecida. Atualize o Balcão.' },
  invalidJson: { code: 'invalid_json', message: 'Pedido inválido (JSON malformado). Recarregue a tela e tente de novo.' },
  invalidFrame: { code: 'invalid_frame', message: 'Pedido inválido ao sistema do caixa. Recarregue a tela e tente de novo.' },
  tooBig: { code: 'too_big', message: 'Pedido grande demais. Reduza o arquivo e tente de novo.' },
  busy: { code: 'busy', message: 'O caixa recebeu pedidos demais ao mesmo tempo. Aguarde um instante e tente de novo.' },
  internal: { code: 'internal', message: 'Erro interno do Balcão. Tente de novo; se continuar, chame o suporte.' },
} as const satisfies Record<string, PosError>;

/**
 * Channels the client re-sends over HTTP when the socket drops before their answer: reads, and
 * writes that are idempotent (sales.finalize is keyed by the draft's clientId; logout is a no-op
 * the second time). Everything else (print, e-mail, cancel, resend, settings, PIN checks that
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

/**
 * Channels that always travel as POST. A sale's finalize waits on the emission (hundreds of ms to
 * the authorization deadline), so the socket saves it nothing, and its lost-answer recovery
 * (same clientId, one sale) is the HTTP path the e2e suite exercises.
 */
export const HTTP_ONLY_CHANNELS = ['sales.finalize'] as const satisfies readonly Channel[];

/** What a caller gets when its call was on a socket that dropped and is not safe to repeat. */
export const TRANSPORT_LOST: PosError = {
  code: 'transport_lost',
  message: 'A conexão com o sistema do caixa caiu antes da resposta. Confira se a operação foi concluída antes de repetir.',
};

const RpcRequest = z.object({
  id: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  channel: z.string().min(1).max(100),
  input: z.unknown().optional(),
});
export type RpcRequest = z.infer<typeof RpcRequest>;

export interface RpcReply {
  /** null when the frame was too broken to tell which call it was. */
  id: number | null;
  result: Result<unknown>;
}

export type Decoded = { ok: true; request: RpcRequest } | { ok: false; reply: RpcReply };

const fail = (id: number | null, error: PosError): { ok: false; reply: RpcReply } => ({ ok: false, reply: { id, result: { ok: false, error } } });

/** The id of a frame we will not parse (oversize): the client always writes it first. */
export function leadingId(head: string): number | null {
  const m = /^\s*\{\s*"id"\s*:\s*(\d{1,16})\s*[,}]/.exec(head);
  if (!m) return null;
  const id = Number(m[1]);
  return Number.isSafeInteger(id) && id >= 1 ? id : null;
}

export function decodeRequest(message: WsMessage): Decoded {
  if (message.truncated || message.size > RPC_MAX_BYTES) {
    return fail(leadingId(message.data.toString('latin1')), HOST_ERRORS.tooBig);
  }
  if (message.binary) return fail(null, HOST_ERRORS.invalidFrame);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(message.data));
  } catch {
    return fail(leadingId(message.data.toString('latin1')), HOST_ERRORS.invalidJson);
  }
  const parsed = RpcRequest.safeParse(value);
  if (!parsed.success) {
    const id = (value as { id?: unknown } | null)?.id;
    return fail(typeof id === 'number' && Number.isSafeInteger(id) && id >= 1 ? id : null, HOST_ERRORS.invalidFrame);
  }
  if (!Object.hasOwn(CHANNELS, parsed.data.channel)) return fail(parsed.data.id, HOST_ERRORS.unknownChannel);
  return { ok: true, request: parsed.data };
}

export type Handle = (channel: string, input: unknown) => Promise<Result<unknown>>;

/** The message handler for one connection: decodes, calls the core, answers on the same socket. */
export function rpcEndpoint(conn: { sendText(text: string): void }, handle: Handle): (message: WsMessage) => void {
  let inFlight = 0;
  const reply = (r: RpcReply) => conn.sendText(JSON.stringify({ id: r.id, result: r.result }));
  return (message) => {
    const decoded = decodeRequest(message);
    if (!decoded.ok) return reply(decoded.reply);
    const { id, channel, input } = decoded.request;
    if (inFlight >= RPC_MAX_IN_FLIGHT) return reply({ id, result: { ok: false, error: HOST_ERRORS.busy } });
    inFlight++;
    void handle(channel, input)
      .catch((): Result<unknown> => ({ ok: false, error: HOST_ERRORS.internal }))
      .then((result) => {
        inFlight--;
        reply({ id, result });
      });
  };
}
