// The locally issued part of a manual offline NFC-e (tpEmis 9): chave and QR code. Focus builds
// and signs the XML only later, when the note is transmitted with forma_emissao=offline, and it must
// then land on the very same chave, so everything here derives from values the journal keeps
// (numero, série, cNF, dhEmi = the sale's data_emissao).
//
// QR version (nfce-rules §2.2–§2.3):
// - v3 (default): RSA PKCS#1 v1.5 SHA-1 with the emitter's A1 key over
//   "<chave>|3|<tpAmb>|<DD>|<vNF>|<tp_idDest>|<idDest>". Deterministic, so it matches what Focus puts
//   in the XML if Focus signs v3 with the same certificate.
// - v2 (fallback for UFs that still require it): the hash covers digVal, the DigestValue of the
//   FINAL signed XML, which only Focus will produce. The PDV cannot know it, so the printed v2 QR
//   carries a digVal of our own (SHA-1 of the note's JSON) — syntactically valid, correctly hashed
//   with the CSC, but a consumer who scans it may see the portal report a mismatch. SEFAZ does not
//   reject the note for it (it checks the XML's QR, which Focus writes). Prefer v3 wherever accepted.
import { createHash } from 'node:crypto';
import { buildChave } from '../../shared/fiscal/chave.ts';
import { qrCodeUrl, consultaUrl } from '../../shared/fiscal/uf.ts';
import { qrV2Offline, qrV3Offline, type QrV3Dest } from '../../shared/fiscal/qrcode.ts';
import type { Customer, Emitter, Environment } from '../../shared/sale.ts';

export type OfflineQrMode = { version: 3; signBase64: (data: string) => string } | { version: 2; cscId: string; csc: string; digestSource: string };

export interface OfflineDocumentInput {
  emitter: Emitter;
  environment: Environment;
  /** The sale's data_emissao (local time with offset): AAMM of the chave and DD of the QR. */
  dhEmi: string;
  totalCents: number;
  customer: Customer | null;
  serie: number;
  numero: number;
  cnf: string;
  qr: OfflineQrMode;
}

export interface OfflineDocument {
  chave: string;
  qrCode: string;
  urlConsulta: string;
}

export const tpAmbOf = (env: Environment): 1 | 2 => (env === 'producao' ? 1 : 2);

export function qrDestOf(customer: Customer | null): QrV3Dest | null {
  const doc = customer?.document;
  if (!doc) return null;
  return /^\d{11}$/.test(doc) ? { kind: 'cpf', id: doc } : { kind: 'cnpj', id: doc };
}

const sha1Hex = (data: string) => createHash('sha1').update(data, 'utf8').digest('hex');

export function buildOfflineDocument(i: OfflineDocumentInput): OfflineDocument {
  const chave = buildChave({
    uf: i.emitter.uf,
    dhEmi: i.dhEmi,
    cnpj: i.emitter.cnpj,
    modelo: '65',
    serie: i.serie,
    numero: i.numero,
    tpEmis: 9,
    cnf: i.cnf,
  });
  const urlQr = qrCodeUrl(i.emitter.uf, i.environment);
  const tpAmb = tpAmbOf(i.environment);
  let qrCode: string;
  if (i.qr.version === 3) {
    qrCode = qrV3Offline({
      urlQr,
      chave,
      tpAmb,
      dhEmi: i.dhEmi,
      vNFCents: i.totalCents,
      dest: qrDestOf(i.customer),
      signBase64: i.qr.signBase64,
    });
  } else {
    // See the header: a local stand-in for the XML DigestValue (the real one does not exist yet).
    const digestValueBase64 = createHash('sha1').update(i.qr.digestSource, 'utf8').digest('base64');
    qrCode = qrV2Offline({
      urlQr,
      chave,
      tpAmb,
      cscId: i.qr.cscId,
      csc: i.qr.csc,
      sha1Hex,
      dhEmi: i.dhEmi,
      vNFCents: i.totalCents,
      digestValueBase64,
    });
  }
  return { chave, qrCode, urlConsulta: consultaUrl(i.emitter.uf, i.environment) };
}
