// What a Focus answer means for an emission. Pure: the engine commits the decision.
import type { FocusDocument, FocusOutcome } from '../focus/types.ts';
import type { AnswerRecord, EmissionPatch } from '../db/types.ts';
import type { BlockReason, EmissionState } from '../../shared/emission.ts';
import { explainRejection } from '../../shared/fiscal/rejections.ts';
import { NO_PROBLEM, problemPatch } from './problem.ts';

export type Decision =
  /** Commit this state (with the fields of the answer). */
  | { kind: 'adopt'; to: EmissionState; patch: EmissionPatch; doc?: FocusDocument }
  /** Nothing was processed: the same ref may be POSTed again. */
  | { kind: 'resend'; patch?: EmissionPatch }
  /** Outcome still open: ask again (GET) later. */
  | { kind: 'ask-again'; patch?: EmissionPatch }
  /** It may have been processed: resolve with GET before anything else. */
  | { kind: 'unknown' };

/** Focus codes that mean the emitter's setup (token, company, certificate) needs a manager. */
const SETUP_CODES = new Set(['permissao_negada', 'empresa_nao_habilitada', 'empresa_nao_configurada', 'ambiente_nao_configurado', 'certificado_vencido']);
const ALREADY_DONE = new Set(['nfe_autorizada', 'already_processed']);
const IN_PROGRESS = new Set(['em_processamento', 'pending_operation']);
/** Only Focus's own codes prove that a ref does not exist there (a bare 404 may be a proxy's page). */
const NOT_FOUND = new Set(['nao_encontrado', 'nfce_nao_encontrada']);

/**
 * A configuration problem of the emitter at Focus rather than a rejection of the sale. Focus has been
 * recorded answering a missing CSC / id_token as 422 erro_validacao whose only distinguishing part is
 * the message naming them (focus-nfce-api §4.6 item 6): the message is the sole signal there is.
 */
const CSC_CODES = new Set(['erro_validacao', 'empresa_nao_configurada', 'ambiente_nao_configurado']);
const CSC_TEXT = /\bCSC\b|id[ _]?token/i;
export const CSC_PROBLEM_CODE = 'csc_nao_configurado';

const CLEAR_PROBLEM: EmissionPatch = { ...NO_PROBLEM, codigoApi: null };

/** The columns an answered document fills. */
export function documentPatch(doc: FocusDocument): EmissionPatch {
  const patch: EmissionPatch = { ...CLEAR_PROBLEM };
  const s = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);
  if (s(doc.numero)) patch.numero = s(doc.numero);
  if (s(doc.serie)) patch.serie = s(doc.serie);
  if (s(doc.chave_nfe)) patch.chave = String(doc.chave_nfe).replace(/^NFe/i, '');
  if (s(doc.qrcode_url)) patch.qrcodeUrl = s(doc.qrcode_url);
  if (s(doc.url_consulta_nf)) patch.urlConsulta = s(doc.url_consulta_nf);
  if (s(doc.caminho_xml_nota_fiscal)) patch.caminhoXml = s(doc.caminho_xml_nota_fiscal);
  if (s(doc.caminho_danfe)) patch.caminhoDanfe = s(doc.caminho_danfe);
  if (s(doc.caminho_xml_cancelamento)) patch.caminhoXmlCancel = s(doc.caminho_xml_cancelamento);
  patch.statusSefaz = s(doc.status_sefaz);
  patch.mensagemSefaz = s(doc.mensagem_sefaz);
  const prot = doc.protocolo_nota_fiscal;
  if (prot && s(prot.numero_protocolo)) patch.protocolo = s(prot.numero_protocolo);
  // The protocol's receipt time is when SEFAZ authorized; data_emissao is only the fallback.
  const authorizedAt = s(prot?.data_recebimento) ?? s(doc.data_emissao);
  if (doc.status === 'autorizado' && authorizedAt) patch.authorizedAt = authorizedAt;
  if (doc.contingencia_offline !== undefined) patch.contingenciaOffline = doc.contingencia_offline === true;
  if (doc.contingencia_offline_efetivada !== undefined) patch.contingenciaEfetivada = doc.contingencia_offline_efetivada === true;
  return patch;
}

function adoptDocument(doc: FocusDocument): Decision {
  const patch = documentPatch(doc);
  switch (doc.status) {
    case 'autorizado':
      return {
        kind: 'adopt',
        to: doc.contingencia_offline === true && doc.contingencia_offline_efetivada !== true ? 'contingency_focus' : 'authorized',
        patch,
        doc,
      };
    case 'erro_autorizacao': {
      const p = explainRejection(doc.status_sefaz, doc.mensagem_sefaz);
      return { kind: 'adopt', to: 'rejected', patch: { ...patch, ...problemPatch('rejected', p.title, p.fix) } };
    }
    case 'denegado': {
      const p = explainRejection(doc.status_sefaz, doc.mensagem_sefaz);
      return { kind: 'adopt', to: 'denied', patch: { ...patch, ...problemPatch('denied', p.title, p.fix) }, doc };
    }
    case 'cancelado':
      return { kind: 'adopt', to: 'cancelled', patch, doc };
    default:
      // processando_autorizacao or a status this build does not know: the outcome is still open.
      return { kind: 'ask-again' };
  }
}

function apiProblem(reason: BlockReason, codigo: string, mensagem: string): EmissionPatch {
  const p = explainRejection(undefined, mensagem, codigo);
  return { ...problemPatch(reason, p.title, p.fix), codigoApi: codigo, mensagemSefaz: mensagem || null, statusSefaz: null };
}

/** Decision after POST /v2/nfce?ref=… */
export function decideEmit(o: FocusOutcome<FocusDocument>): Decision {
  switch (o.kind) {
    case 'ok':
      return adoptDocument(o.body);
    case 'never-sent':
      return { kind: 'resend' };
    case 'unknown-outcome':
      return { kind: 'unknown' };
    case 'api-error': {
      const codigo = o.error.codigo ?? '';
      const mensagem = o.error.mensagem ?? '';
      if (ALREADY_DONE.has(codigo) || IN_PROGRESS.has(codigo)) return { kind: 'unknown' };
      if (o.status === 429) return { kind: 'resend' };
      if (o.status >= 500) return { kind: 'unknown' };
      // Not an answer about this note: a proxy's 404 page or a 409 Focus does not document for NFC-e
      // (§1.4). The POST may have been processed: GET the ref before anything else.
      if ((o.status === 404 && !NOT_FOUND.has(codigo)) || o.status === 409) return { kind: 'unknown' };
      if (o.status === 422 && CSC_CODES.has(codigo) && CSC_TEXT.test(mensagem)) {
        return { kind: 'adopt', to: 'blocked', patch: apiProblem('focus_setup', CSC_PROBLEM_CODE, mensagem) };
      }
      if (o.status === 401 || o.status === 403 || SETUP_CODES.has(codigo)) {
        return {
          kind: 'adopt',
          to: 'blocked',
          patch: apiProblem('focus_setup', codigo || `http_${o.status}`, mensagem || (o.status === 401 ? 'Token da Focus NFe recusado.' : '')),
        };
      }
      // Refused before SEFAZ (validation): nothing was created under this ref, it may be resent after the fix.
      const details = (o.error.erros ?? []).map((e) => (e.campo ? `${e.campo}: ${e.mensagem}` : e.mensagem)).join('; ');
      return { kind: 'adopt', to: 'rejected', patch: apiProblem('rejected', codigo || `http_${o.status}`, details ? `${mensagem} (${details})` : mensagem) };
    }
  }
}

/** Decision after GET /v2/nfce/REF for an emission whose POST may or may not have been processed. */
export function decideQuery(o: FocusOutcome<FocusDocument>): Decision {
  switch (o.kind) {
    case 'ok':
      return adoptDocument(o.body);
    case 'api-error':
      if (NOT_FOUND.has(o.error.codigo)) return { kind: 'resend' };
      if (o.status === 401 || o.status === 403) {
        return {
          kind: 'ask-again',
          patch: apiProblem(
            'focus_setup',
            o.error.codigo || `http_${o.status}`,
            o.error.mensagem || 'Token da Focus NFe recusado: não foi possível consultar a nota.',
          ),
        };
      }
      return { kind: 'ask-again' };
    case 'never-sent':
    case 'unknown-outcome':
      return { kind: 'ask-again' };
  }
}

/** The answer as received, for the journal's emission_answers. */
export function answerOf(operation: AnswerRecord['operation'], o: FocusOutcome<unknown>, atMs: number): AnswerRecord {
  switch (o.kind) {
    case 'ok':
      return {
        operation,
        kind: o.kind,
        httpStatus: o.status,
        body: o.body instanceof Uint8Array ? `<${o.body.byteLength} bytes>` : JSON.stringify(o.body),
        atMs,
      };
    case 'api-error':
      return { operation, kind: o.kind, httpStatus: o.status, body: JSON.stringify(o.error), atMs };
    case 'never-sent':
      return { operation, kind: o.kind, httpStatus: null, body: o.reason, atMs };
    case 'unknown-outcome':
      return { operation, kind: o.kind, httpStatus: o.status ?? null, body: `${o.reason}: ${o.detail}`, atMs };
  }
}
