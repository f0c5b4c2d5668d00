// NFC-e QR code text (nfce-rules §2.1 v2, §2.2 v3). Pure string builders: SHA-1 and the RSA
// signature are injected because shared/ cannot import node:crypto (main passes them in; the
// renderer never builds a QR). Output is the exact text to encode in the QR and infNFeSupl/qrCode.
import { centsToDecimal } from '../money.ts';
import { dayOfMonth } from '../datetime.ts';

export type QrTpAmb = 1 | 2;
/** Lowercase or uppercase hex SHA-1 of the UTF-8 bytes of `data`. */
export type Sha1Hex = (data: string) => string;

/** The UF base URL followed by '?p=' (added when missing; a trailing '?' is kept as part of it). */
export function qrBase(urlQr: string): string {
  if (urlQr.endsWith('?p=')) return urlQr;
  if (urlQr.endsWith('?')) return `${urlQr}p=`;
  return `${urlQr}?p=`;
}

/** '000001' → '1' (XSD 0|[1-9][0-9]{0,5}). */
export function normalizeCscId(cscId: string | number): string {
  const s = String(cscId).trim();
  if (!/^\d{1,6}$/.test(s)) throw new RangeError('identificador do CSC (idCSC) deve ter de 1 a 6 dígitos');
  return String(Number(s));
}

/** digVal: the hex of the ASCII characters of the base64 DigestValue (not of the raw digest bytes). */
export function digestValueToHex(digestValueBase64: string): string {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(digestValueBase64)) throw new RangeError('DigestValue deve estar em base64');
  let out = '';
  for (let i = 0; i < digestValueBase64.length; i++) out += digestValueBase64.charCodeAt(i).toString(16).padStart(2, '0');
  return out;
}

/**
 * Shape only, not the DV: the SEFAZ manual's own examples carry chaves whose DV does not check, and
 * the chave is validated where it is built (chave.ts). A wrong shape would still break the QR.
 */
function checkCommon(chave: string, tpAmb: number): void {
  if (!/^\d{6}[0-9A-Z]{12}\d{26}$/.test(chave)) throw new RangeError('chave de acesso inválida para o QR Code');
  if (tpAmb !== 1 && tpAmb !== 2) throw new RangeError('tpAmb deve ser 1 (produção) ou 2 (homologação)');
}

/** Loose on purpose: portals issue 16–36 alphanumerics, UUIDs with hyphens, and the manual's example has 41. */
function checkCsc(csc: string): void {
  if (!/^[\x21-\x7e]{1,64}$/.test(csc) || csc.includes('|')) throw new RangeError('CSC (código de segurança do contribuinte) inválido');
}

function hashUpper(sha1Hex: Sha1Hex, data: string): string {
  const h = sha1Hex(data);
  if (!/^[0-9a-fA-F]{40}$/.test(h)) throw new RangeError('a função SHA-1 deve devolver 40 caracteres hexadecimais');
  return h.toUpperCase();
}

/** DD of the QR: day of month of dhEmi in its own local time, 2 digits. */
export function qrDay(dhEmi: string): string {
  return String(dayOfMonth(dhEmi)).padStart(2, '0');
}

function vNF(cents: number): string {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new RangeError('valor total da nota inválido');
  return centsToDecimal(cents);
}

export interface QrV2OnlineInput {
  urlQr: string;
  chave: string;
  tpAmb: QrTpAmb;
  cscId: string | number;
  csc: string;
  sha1Hex: Sha1Hex;
}

/** `URL?p=<chave>|2|<tpAmb>|<idCSC>|<SHA1(chave|2|tpAmb|idCSC + CSC)>` */
export function qrV2Online(i: QrV2OnlineInput): string {
  checkCommon(i.chave, i.tpAmb);
  checkCsc(i.csc);
  const params = `${i.chave}|2|${i.tpAmb}|${normalizeCscId(i.cscId)}`;
  return `${qrBase(i.urlQr)}${params}|${hashUpper(i.sha1Hex, params + i.csc)}`;
}

export interface QrV2OfflineInput extends QrV2OnlineInput {
  dhEmi: string;
  vNFCents: number;
  digestValueBase64: string;
}

/** `URL?p=<chave>|2|<tpAmb>|<DD>|<vNF>|<digVal>|<idCSC>|<SHA1(… + CSC)>` */
export function qrV2Offline(i: QrV2OfflineInput): string {
  checkCommon(i.chave, i.tpAmb);
  checkCsc(i.csc);
  const params = [i.chave, '2', String(i.tpAmb), qrDay(i.dhEmi), vNF(i.vNFCents), digestValueToHex(i.digestValueBase64), normalizeCscId(i.cscId)].join('|');
  return `${qrBase(i.urlQr)}${params}|${hashUpper(i.sha1Hex, params + i.csc)}`;
}

/** `URL?p=<chave>|3|<tpAmb>`: v3 online has no hash. */
export function qrV3Online(i: { urlQr: string; chave: string; tpAmb: QrTpAmb }): string {
  checkCommon(i.chave, i.tpAmb);
  return `${qrBase(i.urlQr)}${i.chave}|3|${i.tpAmb}`;
}

export interface QrV3Dest {
  kind: 'cnpj' | 'cpf' | 'estrangeiro';
  id: string;
}

export interface QrV3SigningInput {
  chave: string;
  tpAmb: QrTpAmb;
  dhEmi: string;
  vNFCents: number;
  dest?: QrV3Dest | null;
}

const TP_ID_DEST = { cnpj: '1', cpf: '2', estrangeiro: '3' } as const;

/**
 * The text signed for a v3 offline QR: `<chave>|3|<tpAmb>|<DD>|<vNF>|<tp_idDest>|<idDest>`.
 * No recipient → both empty; a foreign recipient → type 3 with an empty id (manual v6.0 p. 30).
 * The XSD allows only digits in idDest, so an alphanumeric-CNPJ consumer is written as is (open issue §2.2).
 */
export function qrV3OfflineSigningString(i: QrV3SigningInput): string {
  checkCommon(i.chave, i.tpAmb);
  let tp = '';
  let id = '';
  if (i.dest) {
    tp = TP_ID_DEST[i.dest.kind];
    if (i.dest.kind !== 'estrangeiro') {
      id = i.dest.id.replace(/[./\-\s]/g, '').toUpperCase();
      const ok = i.dest.kind === 'cpf' ? /^\d{11}$/.test(id) : /^[0-9A-Z]{12}\d{2}$/.test(id);
      if (!ok) throw new RangeError(`documento do destinatário inválido para o QR Code (${i.dest.kind.toUpperCase()})`);
    }
  }
  return [i.chave, '3', String(i.tpAmb), qrDay(i.dhEmi), vNF(i.vNFCents), tp, id].join('|');
}

export interface QrV3OfflineInput extends QrV3SigningInput {
  urlQr: string;
  /** base64 RSA PKCS#1 v1.5 SHA-1 signature of the UTF-8 bytes of `data`, with the issuer's A1 key. */
  signBase64: (data: string) => string;
}

/** `URL?p=<chave>|3|<tpAmb>|<DD>|<vNF>|<tp_idDest>|<idDest>|<assinatura>` */
export function qrV3Offline(i: QrV3OfflineInput): string {
  const data = qrV3OfflineSigningString(i);
  const sig = i.signBase64(data);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(sig)) throw new RangeError('a assinatura do QR Code deve estar em base64');
  return `${qrBase(i.urlQr)}${data}|${sig}`;
}

/** The `p` parameter split on '|' (for checking a QR read back from a receipt or returned by Focus). */
export function qrParams(qrText: string): string[] | null {
  const at = qrText.indexOf('?p=');
  if (at < 0) return null;
  return qrText.slice(at + 3).split('|');
}
