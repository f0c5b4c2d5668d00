// Every failure crosses the boundary as a PosError: a stable code and a sentence in Portuguese
// that says what to do. Unknown errors never leak their message or stack (they may carry a URL,
// a token, a file path): the user gets a generic sentence and the log gets a redacted line.
import { UserFacingError } from '../../shared/errors.ts';
import { ZodError } from 'zod';
import type { PosError } from '../../shared/contract.ts';

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
    const { code, message, fields } = err as UserFacingError<string>;
    return { error: { code, message, ...(fields ? { fields } : {}) }, expected: true };
  }
  return { error: { code: 'internal', message: GENERIC_MESSAGE }, expected: false };
}

const FIELD_NAMES: Record<string, string> = {
  pin: 'PIN',
  managerPin: 'PIN do gerente',
  operatorId: 'operador',
  items: 'itens',
  payments: 'pagamentos',
  customer: 'cliente',
  document: 'CPF/CNPJ',
  emails: 'e-mail',
  justificativa: 'justificativa',
  token: 'token',
  query: 'busca',
  code: 'código',
  emitter: 'emitente',
  printer: 'impressora',
  serie: 'série',
  contingencySerie: 'série de contingência',
  environment: 'ambiente',
  clientId: 'identificador da venda',
  qtyE4: 'quantidade',
  unitPriceCents: 'preço',
  discountCents: 'desconto',
  amountCents: 'valor',
};

function fromZod(err: ZodError): PosError {
  const fields = err.issues.slice(0, 20).map((i) => ({
    path: i.path.map(String).join('.'),
    message: issueMessage(i),
  }));
  const first = fields[0];
  const where = first ? fieldLabel(first.path) : '';
  const message = first
    ? `Dados inválidos${where ? ` em ${where}` : ''}: ${first.message}. Corrija e tente de novo.`
    : 'Dados inválidos. Corrija e tente de novo.';
  return { code: 'invalid_input', message, fields };
}

function fieldLabel(path: string): string {
  const parts = path.split('.').filter((p) => !/^\d+$/.test(p));
  const last = parts[parts.length - 1];
  return last ? (FIELD_NAMES[last] ?? last) : '';
}

function issueMessage(i: ZodError['issues'][number]): string {
  // Our schemas carry pt-BR messages; zod's English defaults are replaced by plain Portuguese.
  if (/[áéíóúãõçâê]|campo|deve|inválid|caracteres|informe|venda/i.test(i.message)) return i.message;
  switch (i.code) {
    case 'invalid_type': return 'valor ausente ou do tipo errado';
    case 'too_small': return 'valor pequeno demais ou vazio';
    case 'too_big': return 'valor grande demais';
    case 'invalid_format': return 'formato inválido';
    case 'invalid_value': return 'opção inválida';
    case 'unrecognized_keys': return 'campo não reconhecido';
    default: return 'valor inválido';
  }
}
