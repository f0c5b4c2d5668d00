// Every failure crosses the boundary as a PosError: a stable code and a sentence in Portuguese
// that says what to do. Unknown errors never leak their message or stack (they may carry a URL,
// a token, a file path): the user gets a generic sentence and the log gets a redacted line.
import { UserFacingError } from '../../shared/errors.ts';
import { ZodError } from 'zod';
import type { PosError } from '../../shared/contract.ts';
import { zodFields, zodSentence } from '../../shared/zod-pt.ts';

/** A failure the core itself raises; `message` is already the pt-BR sentence. */
export class PosFailure extends UserFacingError {
  constructor(code: string, message: string, fields?: PosError['fields']) {
    super(code, message, fields ? { fields } : {});
  }
}

export const GENERIC_MESSAGE = 'Algo deu errado no caixa. Tente de novo; se continuar, chame o suporte. Nenhuma venda foi perdida.';

export function toPosError(err: unknown): { error: PosError; expected: boolean } {
  if (err instanceof ZodError) return { error: fromZod(err), expected: true };
  if (err instanceof UserFacingError) {
    return { error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) }, expected: true };
  }
  return { error: { code: 'internal', message: GENERIC_MESSAGE }, expected: false };
}

function fromZod(err: ZodError): PosError {
  return { code: 'invalid_input', message: zodSentence(err), fields: zodFields(err) };
}
