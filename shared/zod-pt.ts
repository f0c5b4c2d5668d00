// zod → Brazilian Portuguese, for every schema of the app. Importing this module installs the
// error map as zod's global locale (z.config): a schema's own message (already pt-BR) still wins,
// and every default that would have been English becomes a plain Portuguese phrase instead. Field
// paths get the names a cashier or manager knows ('items.0.qtyE4' → 'item 1, quantidade').
import { z } from 'zod';
import type { FieldProblem } from './errors.ts';

const ptLocale = z.locales.pt();
type Issue = Parameters<typeof ptLocale.localeError>[0];

const FIELD_LABELS: Readonly<Record<string, string>> = {
  pin: 'PIN',
  managerPin: 'PIN do gerente',
  operatorId: 'operador',
  items: 'itens',
  payments: 'pagamentos',
  customer: 'cliente',
  document: 'CPF/CNPJ',
  name: 'nome',
  email: 'e-mail',
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
  productId: 'produto',
  qtyE4: 'quantidade',
  unitPriceCents: 'preço unitário',
  discountCents: 'desconto',
  amountCents: 'valor',
  method: 'forma de pagamento',
  description: 'descrição',
  card: 'cartão',
  ie: 'inscrição estadual',
  crt: 'regime tributário (CRT)',
  uf: 'UF',
  street: 'logradouro',
  number: 'número',
  district: 'bairro',
  city: 'município',
  cityCode: 'código do município (IBGE)',
  cep: 'CEP',
  phone: 'telefone',
  tradeName: 'nome fantasia',
  cnpj: 'CNPJ',
  csc: 'CSC',
  cscId: 'identificador do CSC (ID token)',
  focusUrl: 'endereço da Focus',
  terminalId: 'identificação do terminal',
  newPin: 'novo PIN',
  currentPin: 'PIN atual',
  role: 'função',
  pfxBase64: 'certificado',
  password: 'senha do certificado',
  idleLockMinutes: 'bloqueio por inatividade',
};

/** Arrays whose elements the user counts ("item 3", "pagamento 2"). */
const COUNTED: Readonly<Record<string, string>> = { items: 'item', payments: 'pagamento' };

/** 'items.0.qtyE4' → 'item 1, quantidade'; 'emails.0' → 'e-mail'. */
export function fieldLabel(path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const k = path[i];
    if (typeof k !== 'string') continue;
    const next = path[i + 1];
    const counted = COUNTED[k];
    if (counted && typeof next === 'number') parts.push(`${counted} ${next + 1}`);
    else parts.push(FIELD_LABELS[k] ?? k);
  }
  return parts.join(', ');
}

/** The phrases a user may actually meet; anything rarer falls back to zod's Portuguese locale. */
function issueMessage(iss: Issue): string | undefined {
  const key = String(iss.path?.[iss.path.length - 1] ?? '');
  const isQty = key === 'qtyE4';
  const isMoney = key.endsWith('Cents');
  switch (iss.code) {
    case 'too_small':
      if (isQty) return 'a quantidade deve ser maior que zero';
      if (isMoney) return Number(iss.minimum) > 0 ? 'o valor deve ser maior que zero' : 'o valor não pode ser negativo';
      if (iss.origin === 'array') return 'lista vazia';
      if (iss.origin === 'string') return 'texto curto demais ou vazio';
      return 'valor pequeno demais';
    case 'too_big':
      if (isQty) return 'quantidade grande demais (confira se não digitou o código no lugar da quantidade)';
      if (iss.origin === 'array') return 'itens demais';
      if (iss.origin === 'string') return 'texto longo demais';
      return 'valor grande demais';
    case 'invalid_type':
      if (!iss.path || iss.path.length === 0) return 'os dados não chegaram no formato esperado';
      return iss.input === undefined ? 'campo obrigatório' : 'valor ausente ou do tipo errado';
    case 'invalid_format':
      return 'formato inválido';
    case 'invalid_value':
      return 'opção inválida';
    case 'unrecognized_keys':
      return 'campo não reconhecido';
    default:
      return undefined;
  }
}

const ptBrErrorMap = (iss: Issue): ReturnType<typeof ptLocale.localeError> => issueMessage(iss) ?? ptLocale.localeError(iss);

z.config({ localeError: ptBrErrorMap });

/** The field details of a failed parse (messages already in pt-BR), at most 20. */
export function zodFields(err: z.ZodError): FieldProblem[] {
  return err.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** One sentence for the first problem: 'Dados inválidos em item 1, quantidade: … Corrija e tente de novo.' */
export function zodSentence(err: z.ZodError): string {
  const first = err.issues[0];
  if (!first) return 'Dados inválidos. Corrija e tente de novo.';
  const where = fieldLabel(first.path);
  return `Dados inválidos${where ? ` em ${where}` : ''}: ${first.message}. Corrija e tente de novo.`;
}
