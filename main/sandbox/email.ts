// POST /v2/nfce/REF/email (§2.4, §8 item 29): queue the DANFCe/XML for up to 10 addresses.
// Nothing is sent: the call is recorded so tests can assert on it.
import { z } from 'zod';
import type { SandboxContext } from './context.ts';
import { apiError, isObject, json, notFoundNote, parseJsonBody, type ApiRequest, type ApiResponse } from './http.ts';
import type { Environment } from './types.ts';

export const MAX_EMAILS = 10;
const emailShape = z.string().email();

export function handleEmail(ctx: SandboxContext, req: ApiRequest, ref: string): ApiResponse {
  const env = req.env as Environment;
  const note = ctx.store.getNote(env, ref);
  if (!note) return notFoundNote();
  const parsed = parseJsonBody(req);
  if (!parsed.ok) return parsed.response;
  const emails = isObject(parsed.value) ? parsed.value.emails : undefined;
  if (!Array.isArray(emails) || emails.length === 0) return apiError(400, 'requisicao_invalida', 'Parâmetro "emails" não informado.');
  if (emails.length > MAX_EMAILS) {
    return apiError(400, 'requisicao_invalida', `Informe no máximo ${MAX_EMAILS} e-mails por requisição (recebidos ${emails.length}).`);
  }
  const bad = emails.filter((e) => typeof e !== 'string' || !emailShape.safeParse(e.trim()).success);
  if (bad.length > 0) {
    return apiError(
      400,
      'requisicao_invalida',
      `E-mail inválido: ${bad.map((b) => JSON.stringify(b)).join(', ')}`,
      bad.map((b) => ({ mensagem: `E-mail inválido: ${JSON.stringify(b)}`, campo: 'emails' })),
    );
  }
  if (note.status !== 'autorizado' && note.status !== 'cancelado') return apiError(422, 'nfe_nao_autorizada', 'Nota fiscal não autorizada');
  const list = (emails as string[]).map((e) => e.trim());
  ctx.store.addEmail({ env, ref, emails: list, at: ctx.now() });
  return json(200, { ref, emails: list, mensagem: 'E-mails adicionados à fila de envio' });
}
