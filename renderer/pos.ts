// The renderer's only door to the core: `window.pos`, injected by the preload (Electron) or by the
// browser host before this bundle loads. Calls return Result<T>; `call` turns an error result
// (or a dead transport) into a PosCallError whose message is already a Portuguese sentence.
import type { PosApi, PosError, Result } from '../shared/contract.ts';

declare global {
  interface Window {
    pos?: PosApi;
  }
}

export function hasPos(): boolean {
  return typeof window !== 'undefined' && window.pos !== undefined;
}

export function pos(): PosApi {
  const api = window.pos;
  if (!api) throw new PosCallError({ code: 'no_bridge', message: NO_BRIDGE });
  return api;
}

const NO_BRIDGE = 'O caixa não está conectado ao sistema. Feche e abra o Balcão de novo.';
const TRANSPORT = 'Sem comunicação com o sistema do caixa. Aguarde alguns segundos e tente de novo: nada foi perdido.';

export class PosCallError extends Error {
  readonly code: string;
  readonly fields: { path: string; message: string }[];
  constructor(error: PosError) {
    super(error.message);
    this.name = 'PosCallError';
    this.code = error.code;
    this.fields = error.fields ?? [];
  }
}

/** Await a channel call and unwrap it; every failure becomes a PosCallError. */
export async function call<T>(pending: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await pending;
  } catch {
    throw new PosCallError({ code: 'transport', message: TRANSPORT });
  }
  if (!result || typeof result !== 'object') throw new PosCallError({ code: 'transport', message: TRANSPORT });
  if (result.ok) return result.value;
  throw new PosCallError(result.error);
}

/** A sentence for any thrown value, for places that only show a message. */
export function messageOf(err: unknown): string {
  if (err instanceof PosCallError) {
    const extra = err.fields.map((f) => f.message).filter((m) => !err.message.includes(m));
    return extra.length > 0 ? `${err.message} (${extra.join('; ')})` : err.message;
  }
  return 'Algo deu errado no caixa. Tente de novo; se continuar, chame o gerente.';
}
