// The fiscal documents behind a note: QR code and digest at authorization time, and the files the
// caminho_* paths point to (regenerated on demand from the stored request, so they never drift).
import { createHash } from 'node:crypto';
import { qrV2Offline, qrV2Online } from '../../shared/fiscal/qrcode.ts';
import { consultaUrl, qrCodeUrl } from '../../shared/fiscal/uf.ts';
import type { SandboxContext } from './context.ts';
import { danfceHtml } from './danfce.ts';
import { apiError, type ApiResponse } from './http.ts';
import { inutName, yearMonthOf, type FileRequest } from './paths.ts';
import type { SandboxNote } from './types.ts';
import { validateNfce, type NormNote } from './validation.ts';
import { buildInfNFe, cancelXml, digestOf, inutXml, nfeXml } from './xml.ts';

const sha1Hex = (s: string) => createHash('sha1').update(s, 'utf8').digest('hex');

/** The normalized note behind a stored one (its request passed validation when it was stored). */
export function normOf(note: SandboxNote): NormNote {
  const v = validateNfce(note.request, note.offline);
  if (!v.ok) throw new Error(`nota ${note.ref} armazenada com corpo inválido`);
  return v.note;
}

/** Compute digestValue, qrcodeUrl and urlConsulta of a note whose number/chave are set. */
export function fillDocumentFields(ctx: SandboxContext, note: SandboxNote, norm: NormNote): void {
  const uf = ctx.emitter.uf;
  const csc = ctx.csc[note.env];
  const tpAmb = note.env === 'producao' ? 1 : 2;
  const digest = digestOf(buildInfNFe({ note, norm, emitter: ctx.emitter }));
  note.digestValue = digest;
  const base = { urlQr: qrCodeUrl(uf, note.env), chave: note.chave as string, tpAmb, cscId: csc.id, csc: csc.csc, sha1Hex } as const;
  note.qrcodeUrl =
    note.tpEmis === 9 ? qrV2Offline({ ...base, dhEmi: norm.dhEmiText, vNFCents: Number(norm.totals.vNF), digestValueBase64: digest }) : qrV2Online(base);
  note.urlConsulta = consultaUrl(uf, note.env);
}

/** The original attempt of an automatic-contingency note, seen as a note of its own (for its XML). */
export function originalAsNote(note: SandboxNote): SandboxNote | null {
  const o = note.contingency?.original;
  if (!o) return null;
  return {
    ...note,
    serie: o.serie,
    numero: o.numero,
    chave: o.chave,
    cnf: o.cnf,
    tpEmis: 1,
    contingency: null,
    protocolo: o.authProtocolo,
    authorizedAt: o.authProtocolo ? (note.contingency as NonNullable<SandboxNote['contingency']>).startedAt : null,
    status: o.outcome === 'cancelado' ? 'cancelado' : 'autorizado',
  };
}

const notFoundFile = (): ApiResponse => apiError(404, 'nao_encontrado', 'Arquivo não encontrado');
const xml = (text: string): ApiResponse => ({ status: 200, text, contentType: 'application/xml; charset=utf-8' });

export async function serveFile(ctx: SandboxContext, f: FileRequest): Promise<ApiResponse> {
  if (f.kind === 'inu') {
    const inut = ctx.store.inutilizacoes().find((i) => i.env === f.env && i.cnpj === f.cnpj && i.caminhoXml.endsWith(`/${f.yearMonth}/XMLs/${f.name}-inu.xml`));
    return inut
      ? xml(inutXml(inut, ctx.emitter.uf, inutName(f.name.slice(0, 2), inut.cnpj, inut.serie, inut.numeroInicial, inut.numeroFinal)))
      : notFoundFile();
  }
  const use = ctx.store.chaveUse(f.chave);
  const owner = use ? ctx.store.noteByKey(use.noteKey) : undefined;
  if (!use || !owner) return notFoundFile();
  const note = use.role === 'note' ? owner : originalAsNote(owner);
  if (!note || note.chave !== f.chave) return notFoundFile();
  if (f.kind !== 'danfe' && (f.env !== note.env || f.cnpj !== note.cnpj || f.yearMonth !== yearMonthOf(note.dataEmissao ?? ''))) return notFoundFile();
  const norm = normOf(owner);

  if (f.kind === 'danfe') {
    if (use.role !== 'note') return notFoundFile();
    return { status: 200, text: await danfceHtml(note, norm, ctx.emitter), contentType: 'text/html; charset=utf-8' };
  }
  if (f.kind === 'nfe') {
    if (use.role === 'original') {
      // Only an original attempt that SEFAZ really authorized has an XML of its own.
      if (!note.protocolo) return notFoundFile();
      const copy = { ...note };
      fillDocumentFields(ctx, copy, norm);
      return xml(nfeXml({ note: copy, norm, emitter: ctx.emitter, qrCode: copy.qrcodeUrl as string, urlChave: copy.urlConsulta as string }));
    }
    return xml(nfeXml({ note, norm, emitter: ctx.emitter, qrCode: note.qrcodeUrl ?? '', urlChave: note.urlConsulta ?? '' }));
  }
  // -can.xml
  const cancel =
    use.role === 'note'
      ? owner.cancel && owner.protocolo
        ? { protocolo: owner.cancel.protocolo, at: owner.cancel.at, justificativa: owner.cancel.justificativa, auth: owner.protocolo }
        : null
      : owner.contingency?.original?.cancelProtocolo && owner.contingency.original.authProtocolo
        ? {
            protocolo: owner.contingency.original.cancelProtocolo,
            at: owner.contingency.original.resolvedAt ?? owner.updatedAt,
            justificativa: 'Cancelamento de nota substituida por emissao em contingencia offline',
            auth: owner.contingency.original.authProtocolo,
          }
        : null;
  if (!cancel) return notFoundFile();
  return xml(
    cancelXml({
      env: note.env,
      cnpj: note.cnpj,
      uf: ctx.emitter.uf,
      chave: f.chave,
      authProtocolo: cancel.auth,
      justificativa: cancel.justificativa,
      at: cancel.at,
      protocolo: cancel.protocolo,
    }),
  );
}
