// DELETE /v2/nfce/REF (§2.3, §8 item 28): synchronous cancellation event 110111 within 30 minutes.
import type { SandboxContext } from './context.ts';
import { apiError, asText, isObject, json, notFoundNote, parseJsonBody, type ApiRequest, type ApiResponse } from './http.ts';
import { cancelXmlPath } from './paths.ts';
import { MSG } from './sefaz-rules.ts';
import type { Environment, SandboxNote } from './types.ts';
import { parseFocusDateTime } from '../../shared/datetime.ts';

export const CANCEL_WINDOW_MS = 30 * 60_000;

/**
 * When the 30 minutes start. Normal notes: data_emissao (Focus's wording). Contingency (tpEmis 9)
 * notes carry a retroactive data_emissao, so their window starts at SEFAZ's authorization instead.
 */
export function cancelWindowStart(note: SandboxNote): number | null {
  if (note.tpEmis === 9) return note.authorizedAt;
  const p = note.dataEmissao ? parseFocusDateTime(note.dataEmissao) : null;
  return p ? p.epochMs : note.authorizedAt;
}

export async function handleCancel(ctx: SandboxContext, req: ApiRequest, ref: string): Promise<ApiResponse> {
  const env = req.env as Environment;
  const parsed = parseJsonBody(req);
  if (!parsed.ok) return parsed.response;
  const body = parsed.value;
  const just = isObject(body) ? body.justificativa : undefined;
  if (just === undefined || just === null || (typeof just === 'string' && just.trim() === '')) {
    return apiError(400, 'justificativa_nao_informada', 'Parâmetro "justificativa" não informado.');
  }
  const text = typeof just === 'string' ? just.trim() : asText(just);
  if (text.length < 15 || text.length > 255) {
    return apiError(400, 'requisicao_invalida', 'Parâmetro "justificativa" deve ter entre 15 e 255 caracteres');
  }
  const note = ctx.store.getNote(env, ref);
  if (!note) return notFoundNote();
  if (note.status === 'cancelado') return apiError(400, 'nfe_cancelada', 'Nota fiscal já cancelada');
  if (note.status !== 'autorizado' || !note.chave || !note.dataEmissao) return apiError(422, 'nfe_nao_autorizada', 'Nota fiscal não autorizada');

  await ctx.sefazLatency();
  const now = ctx.now();
  const fail = (cStat: string, msg: string) => json(200, { status: 'erro_cancelamento', status_sefaz: cStat, mensagem_sefaz: msg });
  // A contingency note not yet transmitted does not exist at SEFAZ: nothing to cancel there yet.
  if (note.contingency && !note.contingency.efetivada) return fail('217', MSG['217']);
  if (ctx.faults.sefazDown) {
    const f = ctx.faults.value;
    return fail(f.outageStatusSefaz ?? '108', f.outageMensagemSefaz ?? MSG['108']);
  }
  const rejectFault = ctx.faults.take('reject', req.method, req.path);
  if (rejectFault) return fail(rejectFault.status_sefaz, rejectFault.mensagem_sefaz);
  const start = cancelWindowStart(note);
  if (start === null || now - start > CANCEL_WINDOW_MS) return fail('501', MSG['501']);

  const protocolo = ctx.newProtocol();
  note.status = 'cancelado';
  note.statusSefaz = '135';
  note.mensagemSefaz = MSG['135'];
  note.cancel = { justificativa: text, protocolo, at: now };
  note.updatedAt = now;
  note.history = [...note.history, { at: now, status: 'cancelado', statusSefaz: '135', numero: note.numero }];
  ctx.store.putNote(note);
  return json(200, {
    status_sefaz: '135',
    mensagem_sefaz: MSG['135'],
    status: 'cancelado',
    caminho_xml_cancelamento: cancelXmlPath(env, note.cnpj, note.dataEmissao, note.chave),
    numero_protocolo: protocolo,
  });
}
