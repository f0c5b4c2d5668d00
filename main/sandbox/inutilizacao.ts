// POST /v2/nfce/inutilizacao and GET /v2/nfce/inutilizacoes (§2.5, §2.6, §8 item 30), plus the
// inutilizações Focus performs itself after an automatic contingency.
import { normalizeDocument } from '../../shared/fiscal/cpf-cnpj.ts';
import type { SandboxContext } from './context.ts';
import { checkEmitterCnpj } from './emission.ts';
import { apiError, asText, compact, isObject, json, parseJsonBody, type ApiRequest, type ApiResponse } from './http.ts';
import { inutName, inutXmlPath } from './paths.ts';
import { MSG } from './sefaz-rules.ts';
import type { Environment, SandboxInutilizacao } from './types.ts';
import { sefazTime } from './xml.ts';

const FIELDS = ['cnpj', 'serie', 'numero_inicial', 'numero_final', 'justificativa'] as const;

/** Record an accepted inutilização (status 102) and return it. */
export function recordInutilizacao(
  ctx: SandboxContext,
  env: Environment,
  serie: number,
  ini: number,
  fim: number,
  justificativa: string,
  origin: SandboxInutilizacao['origin'],
): SandboxInutilizacao {
  const now = ctx.now();
  const when = sefazTime(now);
  const name = inutName(when.slice(2, 4), ctx.emitter.cnpj, serie, ini, fim);
  const inut: SandboxInutilizacao = {
    env,
    cnpj: ctx.emitter.cnpj,
    modelo: '65',
    serie,
    numeroInicial: ini,
    numeroFinal: fim,
    justificativa,
    status: 'autorizado',
    statusSefaz: '102',
    mensagemSefaz: MSG['102'],
    protocolo: ctx.newProtocol(),
    receivedAt: now,
    origin,
    caminhoXml: inutXmlPath(env, ctx.emitter.cnpj, when.slice(0, 4) + when.slice(5, 7), name),
  };
  ctx.store.addInutilizacao(inut);
  return inut;
}

export function inutView(i: SandboxInutilizacao): Record<string, unknown> {
  return {
    status_sefaz: i.statusSefaz,
    mensagem_sefaz: i.mensagemSefaz,
    serie: String(i.serie),
    numero_inicial: String(i.numeroInicial),
    numero_final: String(i.numeroFinal),
    modelo: i.modelo,
    cnpj: i.cnpj,
    status: i.status,
    caminho_xml: i.caminhoXml,
    protocolo_sefaz: i.protocolo,
  };
}

export async function handleInutilizar(ctx: SandboxContext, req: ApiRequest): Promise<ApiResponse> {
  const env = req.env as Environment;
  const parsed = parseJsonBody(req);
  if (!parsed.ok) return parsed.response;
  const b = isObject(parsed.value) ? parsed.value : {};
  for (const f of FIELDS) {
    if (b[f] === undefined || b[f] === null || asText(b[f]).trim() === '') return apiError(400, 'requisicao_invalida', `Parâmetro "${f}" não informado.`);
  }
  const cnpjError = checkEmitterCnpj(ctx, b.cnpj);
  if (cnpjError) return cnpjError;
  const serieText = String(b.serie).trim();
  const iniText = String(b.numero_inicial).trim();
  const fimText = String(b.numero_final).trim();
  const just = String(b.justificativa).trim();
  if (!/^\d{1,3}$/.test(serieText)) return apiError(400, 'requisicao_invalida', 'Parâmetro "serie" inválido: informe um número de 0 a 999.');
  if (!/^\d{1,9}$/.test(iniText) || Number(iniText) < 1) return apiError(400, 'requisicao_invalida', 'Parâmetro "numero_inicial" inválido.');
  if (!/^\d{1,9}$/.test(fimText) || Number(fimText) < 1) return apiError(400, 'requisicao_invalida', 'Parâmetro "numero_final" inválido.');
  const serie = Number(serieText);
  const ini = Number(iniText);
  const fim = Number(fimText);
  if (ini > fim) return apiError(400, 'requisicao_invalida', 'Parâmetro "numero_inicial" deve ser menor ou igual a "numero_final".');
  if (just.length < 15 || just.length > 255) return apiError(400, 'requisicao_invalida', 'Parâmetro "justificativa" deve ter entre 15 e 255 caracteres');

  await ctx.sefazLatency();
  const range = { serie: String(serie), numero_inicial: String(ini), numero_final: String(fim) };
  const fail = (cStat: string, msg: string) => json(200, { status_sefaz: cStat, mensagem_sefaz: msg, ...range, status: 'erro_autorizacao' });
  if (ctx.faults.sefazDown) return fail(ctx.faults.value.outageStatusSefaz ?? '108', ctx.faults.value.outageMensagemSefaz ?? MSG['108']);
  const rejectFault = ctx.faults.take('reject', req.method, req.path);
  if (rejectFault) return fail(rejectFault.status_sefaz, rejectFault.mensagem_sefaz);
  const cnpj = ctx.emitter.cnpj;
  const used = ctx.store
    .allNotes()
    .some(
      (n) =>
        n.env === env &&
        n.cnpj === cnpj &&
        ['autorizado', 'cancelado', 'denegado'].includes(n.status) &&
        ((n.serie === serie && n.numero !== null && n.numero >= ini && n.numero <= fim) ||
          (n.contingency?.original && n.contingency.original.serie === serie && n.contingency.original.numero >= ini && n.contingency.original.numero <= fim)),
    );
  if (used) return fail('241', MSG['241']);
  const overlap = ctx.store
    .inutilizacoes()
    .some((i) => i.env === env && i.cnpj === cnpj && i.serie === serie && i.numeroInicial <= fim && ini <= i.numeroFinal);
  if (overlap) return fail('256', MSG['256']);
  return json(200, inutView(recordInutilizacao(ctx, env, serie, ini, fim, just, 'api')));
}

export function handleListInutilizacoes(ctx: SandboxContext, req: ApiRequest): ApiResponse {
  const env = req.env as Environment;
  const q = req.query;
  const doc = q.get('cnpj') ?? q.get('cpf');
  if (!doc || !/^(\d{11}|[0-9A-Z]{12}\d{2})$/.test(normalizeDocument(doc))) {
    return apiError(400, 'requisicao_invalida', 'Parâmetro "cnpj" ou "cpf" inválidos ou não informados');
  }
  if (normalizeDocument(doc) !== ctx.emitter.cnpj) return apiError(403, 'permissao_negada', 'CNPJ do emitente não autorizado.');
  const dateOk = (v: string | null) => v === null || /^\d{4}-\d{2}-\d{2}$/.test(v);
  const dIni = q.get('data_recebimento_inicial');
  const dFim = q.get('data_recebimento_final');
  if (!dateOk(dIni) || !dateOk(dFim)) return apiError(400, 'requisicao_invalida', 'Datas de recebimento devem estar no formato AAAA-MM-DD');
  const nIni = q.get('numero_inicial');
  const nFim = q.get('numero_final');
  const list = ctx.store.inutilizacoes().filter((i) => {
    if (i.env !== env || i.cnpj !== ctx.emitter.cnpj) return false;
    const day = sefazTime(i.receivedAt).slice(0, 10);
    if (dIni && day < dIni) return false;
    if (dFim && day > dFim) return false;
    if (nIni && /^\d+$/.test(nIni) && i.numeroFinal < Number(nIni)) return false;
    if (nFim && /^\d+$/.test(nFim) && i.numeroInicial > Number(nFim)) return false;
    return true;
  });
  return json(
    200,
    list.map((i) => compact(inutView(i))),
  );
}
