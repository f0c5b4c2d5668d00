// POST /v2/nfce (emit) and GET /v2/nfce/REF (query): the ref state machine (§8 items 7–27).
// new → autorizado | erro_autorizacao | denegado; only erro_autorizacao may be POSTed again.
import { randomInt } from 'node:crypto';
import { buildChave, generateCnf } from '../../shared/fiscal/chave.ts';
import { normalizeDocument } from '../../shared/fiscal/cpf-cnpj.ts';
import { offlineContingencyAllowed } from '../../shared/fiscal/uf.ts';
import type { SandboxContext } from './context.ts';
import { fillDocumentFields } from './documents.ts';
import { apiError, asText, isObject, json, notFoundNote, parseJsonBody, type ApiRequest, type ApiResponse } from './http.ts';
import { allocateNumber } from './numbering.ts';
import { MSG, ruleKnobs, sefazCheck, type SefazRejection } from './sefaz-rules.ts';
import type { Environment, NoteStatus, SandboxNote } from './types.ts';
import { validateNfce, type NormNote } from './validation.ts';
import { noteView } from './view.ts';

/** Focus: alphanumeric, underscore seen in examples (hyphen, dot, space: undocumented → refused). */
export const REF_RE = /^[A-Za-z0-9_]+$/;

export function checkRef(ref: string | null, maxLength: number): ApiResponse | null {
  if (ref === null || ref === '') return apiError(400, 'ref_ausente', 'Parâmetro "ref" não informado');
  if (!REF_RE.test(ref) || ref.length > maxLength) {
    return apiError(400, 'requisicao_invalida', `Parâmetro "ref" inválido: use apenas letras, números e "_" (no máximo ${maxLength} caracteres)`);
  }
  return null;
}

/** Company-level refusals configured through the `company` fault (§8 item 9). */
function companyRefusal(ctx: SandboxContext): ApiResponse | null {
  const c = ctx.faults.value.company ?? {};
  if (c.nfceEnabled === false) return apiError(400, 'empresa_nao_habilitada', 'Emitente não habilitado para emissão de NFCe');
  if (c.environmentConfigured === false) return apiError(422, 'ambiente_nao_configurado', 'Ambiente não configurado para emissão de NFCe para este emitente');
  if (c.cscConfigured === false || c.idTokenConfigured === false) {
    if (c.cscError === 'empresa_nao_configurada') return apiError(422, 'empresa_nao_configurada', 'CSC e id_token da NFCe não informados para este ambiente');
    // As recorded by an integrator (§4.6): one message naming only what is missing.
    const parts = [
      c.cscConfigured === false ? 'Código CSC não configurado. Solicite ao suporte técnico.' : null,
      c.idTokenConfigured === false ? 'Id Token não configurado. Solicite ao suporte técnico.' : null,
    ].filter(Boolean);
    return apiError(422, 'erro_validacao', `Erro de validação (${parts.join('; ')})`);
  }
  if (c.certificateExpired === true) return apiError(400, 'certificado_vencido', 'O certificado digital do emitente está vencido');
  return null;
}

export function checkEmitterCnpj(ctx: SandboxContext, raw: unknown): ApiResponse | null {
  if (raw === undefined || raw === null || asText(raw).trim() === '') {
    return apiError(400, 'requisicao_invalida', 'Parâmetro "cnpj_emitente" não informado.');
  }
  if (normalizeDocument(asText(raw)) !== ctx.emitter.cnpj) return apiError(403, 'permissao_negada', 'CNPJ do emitente não autorizado.');
  return null;
}

export async function handleEmit(ctx: SandboxContext, req: ApiRequest): Promise<ApiResponse> {
  const env = req.env as Environment;
  const ref = req.query.get('ref');
  const refError = checkRef(ref, ctx.opts.maxRefLength);
  if (refError) return refError;
  const forma = req.query.get('forma_emissao');
  if (forma !== null && forma !== 'offline') {
    return apiError(400, 'forma_emissao_nao_informada', 'Parâmetro "forma_emissao" inválido. O único valor aceito é "offline".');
  }
  const offline = forma === 'offline';
  const completa = req.query.get('completa') === '1';
  const parsed = parseJsonBody(req);
  if (!parsed.ok) return parsed.response;
  const body = parsed.value;
  if (!isObject(body)) return apiError(400, 'requisicao_invalida', 'Envie os dados da nota fiscal como um objeto JSON no corpo da requisição.');

  const key = `${env}:${ref}`;
  if (ctx.inFlight.has(key)) return apiError(422, 'em_processamento', 'Nota fiscal em processamento. Aguarde e consulte a referência.');
  const existing = ctx.store.getNote(env, ref as string);
  if (existing && existing.status !== 'erro_autorizacao') {
    return apiError(
      422,
      'nfe_autorizada',
      existing.status === 'denegado' ? 'Nota fiscal já processada (denegada); use outra referência.' : 'Nota fiscal já autorizada',
    );
  }

  const cnpjError = checkEmitterCnpj(ctx, body.cnpj_emitente);
  if (cnpjError) return cnpjError;
  const company = companyRefusal(ctx);
  if (company) return company;
  const v = validateNfce(body, offline);
  if (!v.ok) return v.response;

  ctx.inFlight.add(key);
  const work = (async () => {
    try {
      await ctx.sefazLatency();
      return process(ctx, req, env, ref as string, body, v.note, offline, existing);
    } finally {
      ctx.inFlight.delete(key);
    }
  })();
  if (ctx.faults.value.slowSefaz) {
    // §8 item 34: SEFAZ is slow; Focus answers 202 and keeps processing. GET says processando until it ends.
    work.catch(() => {});
    return json(202, { cnpj_emitente: ctx.emitter.cnpj, ref, status: 'processando_autorizacao' });
  }
  return json(201, noteView(await work, { completa }));
}

export function handleQuery(ctx: SandboxContext, req: ApiRequest, ref: string): ApiResponse {
  const env = req.env as Environment;
  const note = ctx.store.getNote(env, ref);
  if (ctx.inFlight.has(`${env}:${ref}`)) {
    return json(200, { ref, cnpj_emitente: note?.cnpj ?? ctx.emitter.cnpj, status: 'processando_autorizacao' });
  }
  if (!note) return notFoundNote();
  return json(200, noteView(note, { completa: req.query.get('completa') === '1' }));
}

interface Numbering {
  serie: number;
  numero: number;
  source: 'auto' | 'client';
}

function pickNumber(ctx: SandboxContext, env: Environment, norm: NormNote, prev: SandboxNote | undefined): Numbering {
  const cnpj = ctx.emitter.cnpj;
  if (norm.numero !== null && norm.serie !== null) return { serie: norm.serie, numero: norm.numero, source: 'client' };
  const serie = ctx.opts.series[env];
  // §8 item 21: a rejection does not consume the number; the retry of the same ref keeps it.
  if (
    ctx.opts.retryKeepsNumber &&
    prev &&
    prev.numberSource === 'auto' &&
    prev.numero !== null &&
    prev.serie === serie &&
    !ctx.store.numberUse(cnpj, env, serie, prev.numero) &&
    !ctx.store.isInutilized(cnpj, env, serie, prev.numero)
  ) {
    return { serie, numero: prev.numero, source: 'auto' };
  }
  return { serie, numero: allocateNumber(ctx.store, cnpj, env, serie, ctx.opts.nextNumber), source: 'auto' };
}

function chaveOf(ctx: SandboxContext, norm: NormNote, serie: number, numero: number, tpEmis: 1 | 9, cnf: string): string {
  return buildChave({ uf: ctx.emitter.uf, dhEmi: norm.dhEmiText, cnpj: ctx.emitter.cnpj, modelo: '65', serie, numero, tpEmis, cnf });
}

/** Everything after SEFAZ's round trip: numbering, rules, faults, contingency; stores and returns the note. */
function process(
  ctx: SandboxContext,
  req: ApiRequest,
  env: Environment,
  ref: string,
  body: Record<string, unknown>,
  norm: NormNote,
  offline: boolean,
  prev: SandboxNote | undefined,
): SandboxNote {
  const now = ctx.now();
  const cnpj = ctx.emitter.cnpj;
  const num = pickNumber(ctx, env, norm, prev);
  const keepCnf = prev && prev.numero === num.numero && prev.serie === num.serie && prev.cnf && !norm.cnf ? prev.cnf : null;
  const cnf = norm.cnf ?? keepCnf ?? generateCnf(num.numero, randomInt);
  const tpEmis: 1 | 9 = offline ? 9 : 1;
  const chave = chaveOf(ctx, norm, num.serie, num.numero, tpEmis, cnf);

  const note: SandboxNote = {
    ref,
    env,
    cnpj,
    status: 'erro_autorizacao',
    statusSefaz: '',
    mensagemSefaz: '',
    numero: num.numero,
    serie: num.serie,
    numberSource: num.source,
    chave,
    cnf,
    tpEmis,
    dataEmissao: norm.dhEmiText,
    authorizedAt: null,
    protocolo: null,
    digestValue: null,
    qrcodeUrl: null,
    urlConsulta: null,
    offline,
    contingency: null,
    cancel: null,
    posts: (prev?.posts ?? 0) + 1,
    history: prev?.history ?? [],
    request: body,
    requisicao: norm.requisicao,
    totalCents: Number(norm.totals.vNF),
    createdAt: prev?.createdAt ?? now,
    updatedAt: now,
  };
  const finish = (status: NoteStatus, r: SefazRejection): SandboxNote => {
    note.status = status;
    note.statusSefaz = r.cStat;
    note.mensagemSefaz = r.xMotivo;
    note.history = [...note.history, { at: now, status, statusSefaz: r.cStat, numero: note.numero }];
    ctx.store.putNote(note);
    return note;
  };

  // Focus knows every number it has used: a clash is SEFAZ's duplicate (same chave → 204, else 539).
  const dup = duplicate(ctx, env, num.serie, num.numero, chave);
  if (dup) return finish('erro_autorizacao', dup);

  if (ctx.faults.sefazDown) {
    const mode = ctx.faults.sefazDownMode;
    if (offline) {
      // Already a contingency note: Focus keeps it and transmits when SEFAZ is back.
      note.contingency = {
        automatic: false,
        efetivada: false,
        failed: false,
        startedAt: norm.dhEmi.epochMs,
        effectivatedAt: null,
        plannedEffectivation: mode.effectivation,
        original: null,
      };
      fillDocumentFields(ctx, note, norm);
      return finish('autorizado', { cStat: '100', xMotivo: MSG['100'] });
    }
    if (!ctx.contingencyEnabled || !offlineContingencyAllowed(ctx.emitter.uf)) {
      const f = ctx.faults.value;
      return finish('erro_autorizacao', { cStat: f.outageStatusSefaz ?? '108', xMotivo: f.outageMensagemSefaz ?? MSG['108'] });
    }
    return automaticContingency(ctx, note, norm, finish, now);
  }

  const rejectFault = ctx.faults.take('reject', req.method, req.path);
  if (rejectFault) return finish('erro_autorizacao', { cStat: rejectFault.status_sefaz, xMotivo: rejectFault.mensagem_sefaz });

  const warnings: string[] = [];
  const rule = sefazCheck(norm, {
    env,
    now,
    offline,
    offlineMaxAgeMs: ctx.opts.offlineMaxAgeMs,
    numero: num.numero,
    cnf,
    ...ruleKnobs(ctx),
    warn: (w) => warnings.push(w),
  });
  if (warnings.length > 0) note.warnings = warnings;
  if (rule) return finish('erro_autorizacao', rule);

  const denyFault = ctx.faults.take('deny', req.method, req.path);
  note.protocolo = ctx.newProtocol();
  note.authorizedAt = now;
  fillDocumentFields(ctx, note, norm);
  if (denyFault) {
    const cStat = denyFault.status_sefaz ?? '302';
    return finish('denegado', { cStat, xMotivo: denyFault.mensagem_sefaz ?? (MSG as Record<string, string>)[cStat] ?? MSG['302'] });
  }
  if (offline)
    note.contingency = {
      automatic: false,
      efetivada: true,
      failed: false,
      startedAt: norm.dhEmi.epochMs,
      effectivatedAt: now,
      plannedEffectivation: 'ok',
      original: null,
    };
  return finish('autorizado', { cStat: '100', xMotivo: MSG['100'] });
}

function duplicate(ctx: SandboxContext, env: Environment, serie: number, numero: number, chave: string): SefazRejection | null {
  const cnpj = ctx.emitter.cnpj;
  const use = ctx.store.numberUse(cnpj, env, serie, numero);
  if (use) {
    return use.chave === chave
      ? { cStat: '204', xMotivo: `${MSG['204']} [chNFe: ${use.chave}]` }
      : { cStat: '539', xMotivo: `${MSG['539']} [chNFe: ${use.chave}]` };
  }
  if (ctx.store.isInutilized(cnpj, env, serie, numero)) return { cStat: '206', xMotivo: MSG['206'] };
  return null;
}

/**
 * §6.1 / §8 item 24: SEFAZ unreachable. The original number may have reached SEFAZ, so Focus
 * issues a second note with the next number of its own series (tpEmis 9) and answers autorizado.
 */
function automaticContingency(
  ctx: SandboxContext,
  note: SandboxNote,
  norm: NormNote,
  finish: (s: NoteStatus, r: SefazRejection) => SandboxNote,
  now: number,
): SandboxNote {
  const mode = ctx.faults.sefazDownMode;
  const env = note.env;
  const serie = ctx.opts.series[env];
  const original = { serie: note.serie as number, numero: note.numero as number, chave: note.chave as string, cnf: note.cnf as string };
  const numero = allocateNumber(ctx.store, note.cnpj, env, serie, ctx.opts.nextNumber);
  const cnf = generateCnf(numero, randomInt);
  note.serie = serie;
  note.numero = numero;
  note.numberSource = 'auto';
  note.cnf = cnf;
  note.tpEmis = 9;
  note.chave = chaveOf(ctx, norm, serie, numero, 9, cnf);
  note.contingency = {
    automatic: true,
    efetivada: false,
    failed: false,
    startedAt: now,
    effectivatedAt: null,
    plannedEffectivation: mode.effectivation,
    original: {
      ...original,
      reachedSefaz: mode.originalAuthorized,
      outcome: 'processando_autorizacao',
      authProtocolo: mode.originalAuthorized ? ctx.newProtocol() : null,
      cancelProtocolo: null,
      resolvedAt: null,
    },
  };
  fillDocumentFields(ctx, note, norm);
  return finish('autorizado', { cStat: '100', xMotivo: MSG['100'] });
}
