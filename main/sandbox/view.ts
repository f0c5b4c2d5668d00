// A stored note as Focus shows it in POST/GET answers (§4.2–§4.4): absent keys omitted, numero,
// serie and status_sefaz as strings, chave_nfe with the "NFe" prefix.
import { compact } from './http.ts';
import { cancelXmlPath, danfePath, xmlPath } from './paths.ts';
import { tpAmbOf, sefazTime } from './xml.ts';
import { SANDBOX_APP_VERSION } from './demo.ts';
import type { SandboxNote } from './types.ts';

export interface ViewOptions {
  completa?: boolean;
}

export function noteView(note: SandboxNote, opts: ViewOptions = {}): Record<string, unknown> {
  const base = { cnpj_emitente: note.cnpj, ref: note.ref, status: note.status, status_sefaz: note.statusSefaz, mensagem_sefaz: note.mensagemSefaz };
  if (note.status === 'erro_autorizacao' || !note.chave || note.numero === null || note.serie === null || !note.dataEmissao) {
    return compact({ ...base, ...contingencyKeys(note) });
  }
  const files = {
    chave_nfe: `NFe${note.chave}`,
    numero: String(note.numero),
    serie: String(note.serie),
    caminho_xml_nota_fiscal: xmlPath(note.env, note.cnpj, note.dataEmissao, note.chave),
  };
  let out: Record<string, unknown>;
  if (note.status === 'denegado') {
    out = { ...base, ...files };
  } else if (note.status === 'cancelado') {
    out = {
      ...base,
      ...files,
      caminho_xml_cancelamento: cancelXmlPath(note.env, note.cnpj, note.dataEmissao, note.chave),
      numero_protocolo: note.cancel?.protocolo,
      ...contingencyKeys(note),
    };
  } else {
    out = {
      ...base,
      ...files,
      caminho_danfe: danfePath(note.chave),
      qrcode_url: note.qrcodeUrl,
      url_consulta_nf: note.urlConsulta,
      ...contingencyKeys(note),
    };
  }
  if (opts.completa && (note.status === 'autorizado' || note.status === 'cancelado')) Object.assign(out, completaKeys(note));
  return compact(out);
}

function contingencyKeys(note: SandboxNote): Record<string, unknown> {
  const c = note.contingency;
  if (!c) return {};
  const out: Record<string, unknown> = { contingencia_offline: true, contingencia_offline_efetivada: c.efetivada };
  const o = c.original;
  if (o) {
    const cancelled = o.outcome === 'cancelado';
    out.tentativa_anterior = compact({
      status: o.outcome,
      serie: String(o.serie),
      numero: String(o.numero),
      chave_nfe: `NFe${o.chave}`,
      caminho_xml_nota_fiscal: o.authProtocolo && note.dataEmissao ? xmlPath(note.env, note.cnpj, note.dataEmissao, o.chave) : undefined,
      caminho_xml_cancelamento: cancelled && note.dataEmissao ? cancelXmlPath(note.env, note.cnpj, note.dataEmissao, o.chave) : undefined,
      numero_protocolo: cancelled ? (o.cancelProtocolo ?? undefined) : undefined,
    });
  }
  return out;
}

/** completa=1 (§4.4): the note as Focus completed it, and SEFAZ's protocol objects. */
function completaKeys(note: SandboxNote): Record<string, unknown> {
  const chave = note.chave as string;
  const out: Record<string, unknown> = {
    requisicao_nota_fiscal: {
      ...note.requisicao,
      versao: '4.00',
      chave_nfe: `NFe${chave}`,
      uf: chave.slice(0, 2),
      codigo_unico: note.cnf,
      modelo: '65',
      serie: String(note.serie),
      numero: String(note.numero),
      formato_impressao: '4',
      forma_emissao: String(note.tpEmis),
      digito_verificador: chave.slice(43),
      ambiente: tpAmbOf(note.env),
      processo_emissao: '0',
      versao_aplicativo: SANDBOX_APP_VERSION,
    },
  };
  if (note.protocolo && note.authorizedAt !== null) {
    out.protocolo_nota_fiscal = {
      versao: '4.00',
      ambiente: tpAmbOf(note.env),
      versao_aplicativo: SANDBOX_APP_VERSION,
      chave_nfe: chave,
      data_recebimento: sefazTime(note.authorizedAt),
      numero_protocolo: note.protocolo,
      digest_value: note.digestValue,
      status: '100',
      motivo: 'Autorizado o uso da NF-e',
    };
  }
  if (note.cancel) {
    const when = sefazTime(note.cancel.at);
    out.requisicao_cancelamento = {
      versao: '1.00',
      id_tag: `ID110111${chave}01`,
      codigo_orgao: chave.slice(0, 2),
      ambiente: tpAmbOf(note.env),
      cnpj: note.cnpj,
      chave_nfe: chave,
      data_evento: when,
      tipo_evento: '110111',
      numero_sequencial_evento: '1',
      versao_evento: '1.00',
      descricao_evento: 'Cancelamento',
      protocolo: note.protocolo,
      justificativa: note.cancel.justificativa,
    };
    out.protocolo_cancelamento = {
      versao: '1.00',
      ambiente: tpAmbOf(note.env),
      versao_aplicativo: SANDBOX_APP_VERSION,
      codigo_orgao: chave.slice(0, 2),
      status: '135',
      motivo: 'Evento registrado e vinculado a NF-e',
      chave_nfe: chave,
      tipo_evento: '110111',
      descricao_evento: 'Cancelamento registrado',
      data_evento: when,
      numero_protocolo: note.cancel.protocolo,
    };
  }
  return out;
}
