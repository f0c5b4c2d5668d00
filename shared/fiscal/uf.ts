// Per-UF fiscal tables: IBGE codes (chave cUF), the QR code and "consulta por chave" URLs of
// nfce-rules §2.4 (from sped-nfe's storage tables), and whether offline contingency exists.
// A QR on the wrong domain is rejected (cStat 395): confirm each UF served in its portal.
import type { Environment, Uf } from '../sale.ts';

export type { Uf };

export const UF_IBGE: Readonly<Record<Uf, string>> = {
  RO: '11',
  AC: '12',
  AM: '13',
  RR: '14',
  PA: '15',
  AP: '16',
  TO: '17',
  MA: '21',
  PI: '22',
  CE: '23',
  RN: '24',
  PB: '25',
  PE: '26',
  AL: '27',
  SE: '28',
  BA: '29',
  MG: '31',
  ES: '32',
  RJ: '33',
  SP: '35',
  PR: '41',
  SC: '42',
  RS: '43',
  MS: '50',
  MT: '51',
  GO: '52',
  DF: '53',
};

const BY_CODE = new Map<string, Uf>(Object.entries(UF_IBGE).map(([uf, code]) => [code, uf as Uf]));

/** '41' → 'PR'; null for an unknown code. */
export function ufFromIbge(cUF: string): Uf | null {
  return BY_CODE.get(cUF) ?? null;
}

interface UfUrls {
  qrProd: string;
  qrHom: string;
  chaveProd: string;
  chaveHom: string;
}

const u = (qrProd: string, qrHom: string | null, chaveProd: string, chaveHom: string | null): UfUrls => ({
  qrProd,
  qrHom: qrHom ?? qrProd,
  chaveProd,
  chaveHom: chaveHom ?? chaveProd,
});

/** nfce-rules §2.4 verbatim ("(same)" = the production value). */
const URLS: Readonly<Record<Uf, UfUrls>> = {
  AC: u(
    'http://www.sefaznet.ac.gov.br/nfce/qrcode',
    'http://www.hml.sefaznet.ac.gov.br/nfce/qrcode',
    'www.sefaznet.ac.gov.br/nfce/consulta',
    'www.sefaznet.ac.gov.br/nfce/consulta',
  ),
  AL: u('http://nfce.sefaz.al.gov.br/QRCode/consultarNFCe.jsp', null, 'www.sefaz.al.gov.br/nfce/consulta', null),
  AM: u(
    'https://sistemas.sefaz.am.gov.br/nfceweb/consultarNFCe.jsp',
    'https://sistemas.sefaz.am.gov.br/nfceweb-hom/consultarNFCe.jsp',
    'www.sefaz.am.gov.br/nfce/consulta',
    null,
  ),
  AP: u('https://www.sefaz.ap.gov.br/nfce/nfcep.php', 'https://www.sefaz.ap.gov.br/nfcehml/nfce.php', 'www.sefaz.ap.gov.br/nfce/consulta', null),
  BA: u(
    'http://nfe.sefaz.ba.gov.br/servicos/nfce/qrcode.aspx',
    'http://hnfe.sefaz.ba.gov.br/servicos/nfce/qrcode.aspx',
    'http://www.sefaz.ba.gov.br/nfce/consulta',
    'http://hinternet.sefaz.ba.gov.br/nfce/consulta',
  ),
  CE: u('http://nfce.sefaz.ce.gov.br/pages/ShowNFCe.html', 'http://nfceh.sefaz.ce.gov.br/pages/ShowNFCe.html', 'www.sefaz.ce.gov.br/nfce/consulta', null),
  DF: u('http://www.fazenda.df.gov.br/nfce/qrcode', 'http://dec.fazenda.df.gov.br/ConsultarNFCe.aspx', 'www.fazenda.df.gov.br/nfce/consulta', null),
  ES: u(
    'http://app.sefaz.es.gov.br/ConsultaNFCe/qrcode.aspx',
    'http://homologacao.sefaz.es.gov.br/ConsultaNFCe/qrcode.aspx',
    'www.sefaz.es.gov.br/nfce/consulta',
    null,
  ),
  GO: u(
    'https://nfeweb.sefaz.go.gov.br/nfeweb/sites/nfce/danfeNFCe',
    'https://nfewebhomolog.sefaz.go.gov.br/nfeweb/sites/nfce/danfeNFCe',
    'www.sefaz.go.gov.br/nfce/consulta',
    'www.nfce.go.gov.br/post/ver/214413/consulta-nfc-e-homologacao',
  ),
  MA: u(
    'http://www.nfce.sefaz.ma.gov.br/portal/consultarNFCe.jsp',
    'http://www.hom.nfce.sefaz.ma.gov.br/portal/consultarNFCe.jsp',
    'www.sefaz.ma.gov.br/nfce/consulta',
    null,
  ),
  MG: u(
    'https://portalsped.fazenda.mg.gov.br/portalnfce/sistema/qrcode.xhtml',
    null,
    'https://portalsped.fazenda.mg.gov.br/portalnfce',
    'https://hportalsped.fazenda.mg.gov.br/portalnfce',
  ),
  MS: u('http://www.dfe.ms.gov.br/nfce/qrcode', null, 'http://www.dfe.ms.gov.br/nfce/consulta', null),
  MT: u(
    'http://www.sefaz.mt.gov.br/nfce/consultanfce',
    'http://homologacao.sefaz.mt.gov.br/nfce/consultanfce',
    'http://www.sefaz.mt.gov.br/nfce/consultanfce',
    'http://homologacao.sefaz.mt.gov.br/nfce/consultanfce',
  ),
  PA: u(
    'https://appnfc.sefa.pa.gov.br/portal/view/consultas/nfce/nfceForm.seam',
    'https://appnfc.sefa.pa.gov.br/portal-homologacao/view/consultas/nfce/nfceForm.seam',
    'www.sefa.pa.gov.br/nfce/consulta',
    null,
  ),
  PB: u('http://www.sefaz.pb.gov.br/nfce', 'http://www.sefaz.pb.gov.br/nfcehom', 'www.sefaz.pb.gov.br/nfce/consulta', 'www.sefaz.pb.gov.br/nfcehom'),
  PE: u('http://nfce.sefaz.pe.gov.br/nfce/consulta', 'http://nfcehomolog.sefaz.pe.gov.br/nfce/consulta', 'nfce.sefaz.pe.gov.br/nfce/consulta', null),
  PI: u('http://www.sefaz.pi.gov.br/nfce/qrcode', null, 'www.sefaz.pi.gov.br/nfce/consulta', null),
  PR: u('http://www.fazenda.pr.gov.br/nfce/qrcode', null, 'http://www.fazenda.pr.gov.br/nfce/consulta', null),
  RJ: u(
    'https://consultadfe.fazenda.rj.gov.br/consultaNFCe/QRCode',
    'http://www4.fazenda.rj.gov.br/consultaNFCe/QRCode',
    'www.fazenda.rj.gov.br/nfce/consulta',
    null,
  ),
  RN: u('http://nfce.set.rn.gov.br/consultarNFCe.aspx', 'http://hom.nfce.set.rn.gov.br/consultarNFCe.aspx', 'www.set.rn.gov.br/nfce/consulta', null),
  RO: u('http://www.nfce.sefin.ro.gov.br/consultanfce/consulta.jsp', null, 'www.sefin.ro.gov.br/nfce/consulta', null),
  RR: u('https://www.sefaz.rr.gov.br/servlet/qrcode', 'http://200.174.88.103:8080/nfce/servlet/qrcode', 'www.sefaz.rr.gov.br/nfce/consulta', null),
  RS: u('https://www.sefaz.rs.gov.br/NFCE/NFCE-COM.aspx', null, 'www.sefaz.rs.gov.br/nfce/consulta', null),
  SC: u(
    'https://sat.sef.sc.gov.br/nfce/consulta',
    'https://hom.sat.sef.sc.gov.br/nfce/consulta',
    'https://sat.sef.sc.gov.br/nfce/consulta',
    'https://hom.sat.sef.sc.gov.br/nfce/consulta',
  ),
  SE: u(
    'http://www.nfce.se.gov.br/nfce/qrcode',
    'http://www.hom.nfe.se.gov.br/nfce/qrcode',
    'http://www.nfce.se.gov.br/nfce/consulta',
    'http://www.hom.nfe.se.gov.br/nfce/consulta',
  ),
  // sped-nfe's consulta for SP; DFe.NET uses …/consulta instead (§2.4): confirm in the SP portal.
  SP: u(
    'https://www.nfce.fazenda.sp.gov.br/qrcode',
    'https://www.homologacao.nfce.fazenda.sp.gov.br/qrcode',
    'https://www.nfce.fazenda.sp.gov.br/NFCeConsultaPublica',
    'https://www.homologacao.nfce.fazenda.sp.gov.br/NFCeConsultaPublica',
  ),
  TO: u(
    'http://www.sefaz.to.gov.br/nfce/qrcode',
    'http://homologacao.sefaz.to.gov.br/nfce/qrcode',
    'www.sefaz.to.gov.br/nfce/consulta',
    'http://homologacao.sefaz.to.gov.br/nfce/consulta.jsf',
  ),
};

/** Base URL of the QR code (without '?p='; the QR builders add it). */
export function qrCodeUrl(uf: Uf, env: Environment): string {
  const e = URLS[uf];
  return env === 'producao' ? e.qrProd : e.qrHom;
}

/** urlChave: "Consulte pela Chave de Acesso em …" printed on the DANFCe. */
export function consultaUrl(uf: Uf, env: Environment): string {
  const e = URLS[uf];
  return env === 'producao' ? e.chaveProd : e.chaveHom;
}

/** UFs where an NFC-e cannot be issued in offline contingency (tpEmis 9). */
export const OFFLINE_FORBIDDEN_UFS: ReadonlySet<Uf> = new Set<Uf>(['SP']);

export const OFFLINE_FORBIDDEN_MESSAGE =
  'Em São Paulo a SEFAZ não aceita NFC-e emitida em contingência off-line (tpEmis 9): a contingência ' +
  'de SP é a EPEC, que também precisa de internet. Sem conexão, não é possível emitir a NFC-e agora; ' +
  'aguarde a internet voltar para finalizar a venda com nota.';

export function offlineContingencyAllowed(uf: Uf): boolean {
  return !OFFLINE_FORBIDDEN_UFS.has(uf);
}

/** The pt-BR reason offline contingency is blocked in `uf`, or null when it is allowed. */
export function offlineContingencyBlockReason(uf: Uf): string | null {
  return offlineContingencyAllowed(uf) ? null : OFFLINE_FORBIDDEN_MESSAGE;
}
