// Checks done before anything goes on the wire, so a request Focus would refuse never costs a
// rate-limit credit (or a cashier's wait). Messages are pt-BR: they may reach the operator.
import { z } from 'zod';
import type { FocusApiError, FocusInutilizacaoRequest, FocusInutilizacoesQuery } from './types.ts';

export const JUSTIFICATIVA_MIN = 15;
export const JUSTIFICATIVA_MAX = 255;
export const MAX_EMAILS = 10;

/** Focus refs: "alphanumeric, no special characters"; underscore appears in official examples. */
const REF = /^[A-Za-z0-9_]{1,100}$/;

function invalid(mensagem: string, codigo = 'requisicao_invalida'): FocusApiError {
  return { codigo, mensagem };
}

/** Length in characters as a person counts them (code points), not UTF-16 units. */
function chars(s: string): number {
  return [...s].length;
}

export function checkRef(ref: string): FocusApiError | null {
  if (typeof ref !== 'string' || !REF.test(ref)) {
    return invalid('Referência (ref) inválida: use de 1 a 100 caracteres entre letras, números e "_".', 'ref_invalida');
  }
  return null;
}

export function checkJustificativa(j: string): FocusApiError | null {
  if (typeof j !== 'string' || j.trim() === '') {
    return invalid('Informe a justificativa.', 'justificativa_nao_informada');
  }
  const n = chars(j.trim());
  if (n < JUSTIFICATIVA_MIN || n > JUSTIFICATIVA_MAX) {
    return invalid(`A justificativa deve ter entre ${JUSTIFICATIVA_MIN} e ${JUSTIFICATIVA_MAX} caracteres (informados: ${n}).`);
  }
  return null;
}

const Email = z.email();

export function checkEmails(emails: string[]): FocusApiError | null {
  if (!Array.isArray(emails) || emails.length === 0) return invalid('Informe ao menos um e-mail.');
  if (emails.length > MAX_EMAILS) {
    return invalid(`No máximo ${MAX_EMAILS} e-mails por envio (informados: ${emails.length}).`);
  }
  const bad = emails.find((e) => !Email.safeParse(e).success);
  if (bad !== undefined) return invalid(`E-mail inválido: ${JSON.stringify(bad)}.`);
  return null;
}

const Digits = (min: number, max: number) => z.string().regex(new RegExp(`^\\d{${min},${max}}$`));

const Inutilizacao = z.object({
  cnpj: Digits(14, 14),
  serie: Digits(1, 3),
  numero_inicial: Digits(1, 9),
  numero_final: Digits(1, 9),
  justificativa: z.string(),
});

export function checkInutilizacao(req: FocusInutilizacaoRequest): FocusApiError | null {
  const r = Inutilizacao.safeParse(req);
  if (!r.success) {
    const field = String(r.error.issues[0]?.path[0] ?? 'dados');
    return invalid(`Inutilização: campo "${field}" ausente ou inválido.`);
  }
  if (Number(r.data.numero_inicial) > Number(r.data.numero_final)) {
    return invalid('Inutilização: o número inicial deve ser menor ou igual ao número final.');
  }
  return checkJustificativa(r.data.justificativa);
}

export function checkInutilizacoesQuery(q: FocusInutilizacoesQuery): FocusApiError | null {
  if (!q.cnpj && !q.cpf) return invalid('Informe o CNPJ ou o CPF para listar as inutilizações.');
  if (q.cnpj && !/^\d{14}$/.test(q.cnpj)) return invalid('CNPJ inválido: informe 14 dígitos.');
  if (q.cpf && !/^\d{11}$/.test(q.cpf)) return invalid('CPF inválido: informe 11 dígitos.');
  return null;
}
