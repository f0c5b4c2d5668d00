// ECONF, the financial reconciliation event (§2.7, §8 item 31): payment data attached to an
// authorized note after emission. POST registers, GET reads, DELETE cancels (oldest first).
import { isValidCnpj, normalizeDocument } from '../../shared/fiscal/cpf-cnpj.ts';
import type { SandboxContext } from './context.ts';
import { apiError, isObject, json, notFoundNote, parseJsonBody, type ApiRequest, type ApiResponse } from './http.ts';
import { MSG } from './sefaz-rules.ts';
import type { Environment, SandboxEconf, SandboxNote } from './types.ts';

const root = (env: Environment) => (env === 'homologacao' ? '/arquivos_development' : '/arquivos');
const pad = (n: number) => String(n).padStart(2, '0');

function xmlPath(note: SandboxNote, numero: number, cancel: boolean): string {
  const ym = (note.dataEmissao ?? '').slice(0, 4) + (note.dataEmissao ?? '').slice(5, 7);
  return `${root(note.env)}/${note.cnpj}/${ym}/XMLs/${note.chave}-cf-${cancel ? 'canc-' : ''}${pad(numero)}.xml`;
}

const present = (v: unknown) => v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');

/** The first problem of a detalhes_pagamento list, in Portuguese, or null. */
function checkDetalhes(body: unknown): string | null {
  if (!isObject(body) || !Array.isArray(body.detalhes_pagamento)) return 'Parâmetro "detalhes_pagamento" não informado.';
  const list = body.detalhes_pagamento;
  if (list.length < 1 || list.length > 100) return 'detalhes_pagamento deve ter de 1 a 100 entradas.';
  for (const [i, d] of list.entries()) {
    if (!isObject(d)) return `detalhes_pagamento[${i}] deve ser um objeto.`;
    for (const f of ['forma_pagamento', 'valor_pagamento', 'data_pagamento'])
      if (!present(d[f])) return `Parâmetro "detalhes_pagamento[${i}].${f}" não informado.`;
    if (!/^\d{2}$/.test(String(d.forma_pagamento))) return `detalhes_pagamento[${i}].forma_pagamento deve ter 2 dígitos.`;
    if (!/^\d+(\.\d{1,2})?$/.test(String(d.valor_pagamento))) return `detalhes_pagamento[${i}].valor_pagamento inválido.`;
    if (present(d.cnpj_transacional) && !present(d.uf_transacional)) return `Parâmetro "detalhes_pagamento[${i}].uf_transacional" não informado.`;
    if (present(d.cnpj_beneficiario) && !present(d.uf_beneficiario)) return `Parâmetro "detalhes_pagamento[${i}].uf_beneficiario" não informado.`;
    for (const f of ['cnpj_instituicao_financeira', 'cnpj_transacional', 'cnpj_beneficiario']) {
      if (present(d[f]) && !isValidCnpj(normalizeDocument(String(d[f])))) return `detalhes_pagamento[${i}].${f} inválido.`;
    }
  }
  return null;
}

function view(note: SandboxNote, e: SandboxEconf): Record<string, unknown> {
  return {
    status_sefaz: '135',
    mensagem_sefaz: MSG['135'],
    status: 'autorizado',
    caminho_xml_conciliacao_financeira: xmlPath(note, e.numero, false),
    numero_conciliacao_financeira: e.numero,
    numero_protocolo: e.protocolo,
  };
}

const unknownProtocol = (): ApiResponse =>
  apiError(422, 'object_not_found', 'A nota fiscal não possui um evento de conciliação financeira vinculado a esse protocolo.');

export async function handleEconfPost(ctx: SandboxContext, req: ApiRequest, ref: string): Promise<ApiResponse> {
  const env = req.env as Environment;
  const parsed = parseJsonBody(req);
  if (!parsed.ok) return parsed.response;
  const problem = checkDetalhes(parsed.value);
  if (problem) return apiError(400, 'requisicao_invalida', problem);
  const note = ctx.store.getNote(env, ref);
  if (!note) return notFoundNote();
  if (note.status !== 'autorizado' || !note.chave) return apiError(422, 'nfe_nao_autorizada', 'Nota fiscal não autorizada');
  await ctx.sefazLatency();
  const list = note.econf ?? [];
  const e: SandboxEconf = {
    numero: list.length + 1,
    protocolo: ctx.newProtocol(),
    detalhes: (parsed.value as { detalhes_pagamento: Record<string, unknown>[] }).detalhes_pagamento,
    at: ctx.now(),
    cancelled: null,
  };
  note.econf = [...list, e];
  note.updatedAt = e.at;
  ctx.store.putNote(note);
  return json(200, view(note, e));
}

export function handleEconfGet(ctx: SandboxContext, req: ApiRequest, ref: string, protocolo: string): ApiResponse {
  const note = ctx.store.getNote(req.env as Environment, ref);
  if (!note) return notFoundNote();
  const e = (note.econf ?? []).find((x) => x.protocolo === protocolo);
  return e ? json(200, view(note, e)) : unknownProtocol();
}

export async function handleEconfDelete(ctx: SandboxContext, req: ApiRequest, ref: string, protocolo: string): Promise<ApiResponse> {
  const note = ctx.store.getNote(req.env as Environment, ref);
  if (!note) return notFoundNote();
  const list = note.econf ?? [];
  const e = list.find((x) => x.protocolo === protocolo);
  if (!e) return unknownProtocol();
  await ctx.sefazLatency();
  const oldestActive = list.find((x) => x.cancelled === null);
  if (e.cancelled === null && oldestActive && oldestActive !== e) {
    return json(200, { status: 'erro_autorizacao', status_sefaz: '460', mensagem_sefaz: 'Rejeicao: Protocolo do Evento difere do cadastrado' });
  }
  e.cancelled ??= { numero: list.filter((x) => x.cancelled !== null).length + 1, protocolo: ctx.newProtocol(), at: ctx.now() };
  ctx.store.putNote(note);
  return json(200, {
    status_sefaz: '135',
    mensagem_sefaz: MSG['135'],
    status: 'autorizado',
    caminho_xml_cancelamento_conciliacao_financeira: xmlPath(note, e.cancelled.numero, true),
    numero_cancelamento_conciliacao_financeira: e.cancelled.numero,
  });
}
