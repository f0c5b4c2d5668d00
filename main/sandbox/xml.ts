// Minimal but well-formed NF-e 4.00 documents for what the sandbox serves: the nota (nfeProc with
// protNFe once SEFAZ authorized it), the cancellation event and the inutilização. Not schema-complete
// and not really signed: the Signature carries the true SHA-1 digest of infNFe (the value the offline
// QR code and protNFe/digVal need) and a placeholder SignatureValue.
import { createHash } from 'node:crypto';
import { toFocusDateTime } from '../../shared/datetime.ts';
import { UF_IBGE } from '../../shared/fiscal/uf.ts';
import type { Emitter } from '../../shared/sale.ts';
import { centsText, scaledText } from './decimal.ts';
import { SANDBOX_APP_VERSION } from './demo.ts';
import type { NormItem, NormNote, NormPisCofins } from './validation.ts';
import type { NormItemIbsCbs, NormNoteIbsCbs } from './ibscbs.ts';
import type { Environment, SandboxInutilizacao, SandboxNote } from './types.ts';

const NS = 'http://www.portalfiscal.inf.br/nfe';
/** Brasília offset used for every time SEFAZ writes (dhRecbto, dhEvento). */
const BRT = -180;

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

type Child = string | null | undefined | false;

/** `<name attrs>children</name>`; children are already-serialized XML (use t() for text). */
function el(name: string, attrs: Record<string, string> | null, ...children: Child[]): string {
  const a = attrs
    ? Object.entries(attrs)
        .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
        .join('')
    : '';
  return `<${name}${a}>${children.filter(Boolean).join('')}</${name}>`;
}

/** A leaf element with text content; omitted when the value is null/undefined. */
function t(name: string, value: string | number | null | undefined): string {
  return value === null || value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;
}

export const tpAmbOf = (env: Environment) => (env === 'producao' ? '1' : '2');
export const sefazTime = (epochMs: number) => toFocusDateTime(epochMs, BRT);

export interface NfeXmlInput {
  note: SandboxNote;
  norm: NormNote;
  emitter: Emitter;
  /** infNFeSupl values. */
  qrCode: string;
  urlChave: string;
}

function icmsGroup(it: NormItem): string {
  if (it.icms) {
    return el(
      'ICMS00',
      null,
      t('orig', it.orig),
      t('CST', it.cst),
      t('modBC', it.icms.modBC),
      t('vBC', centsText(it.icms.vBC)),
      t('pICMS', scaledText(it.icms.pICMS, 4)),
      t('vICMS', centsText(it.icms.vICMS)),
    );
  }
  const sn: Record<string, string> = {
    '101': 'ICMSSN101',
    '102': 'ICMSSN102',
    '103': 'ICMSSN102',
    '300': 'ICMSSN102',
    '400': 'ICMSSN102',
    '201': 'ICMSSN201',
    '202': 'ICMSSN202',
    '203': 'ICMSSN202',
    '500': 'ICMSSN500',
    '900': 'ICMSSN900',
  };
  if (sn[it.cst]) return el(sn[it.cst] as string, null, t('orig', it.orig), t('CSOSN', it.cst));
  const group = ['40', '41', '50'].includes(it.cst) ? 'ICMS40' : `ICMS${it.cst}`;
  return el(group, null, t('orig', it.orig), t('CST', it.cst));
}

function pisCofins(tag: 'PIS' | 'COFINS', g: NormPisCofins | null): string {
  if (!g) return '';
  if (g.group === 'nt') return el(tag, null, el(`${tag}NT`, null, t('CST', g.cst)));
  const values = [t('CST', g.cst), t('vBC', centsText(g.vBC)), t(`p${tag}`, scaledText(g.p, 4)), t(`v${tag}`, centsText(g.v))];
  return el(tag, null, el(g.group === 'aliq' ? `${tag}Aliq` : `${tag}Outr`, null, ...values));
}

/** det/imposto/IBSCBS (NT 2025.002): CST, cClassTrib and gIBSCBS with the UF, Mun and CBS groups. */
function ibsCbsGroup(g: NormItemIbsCbs | null | undefined): string {
  if (!g) return '';
  return el(
    'IBSCBS',
    null,
    t('CST', g.cst),
    t('cClassTrib', g.cClassTrib),
    el(
      'gIBSCBS',
      null,
      t('vBC', centsText(g.vBC)),
      el('gIBSUF', null, t('pIBSUF', scaledText(g.pIBSUF, 4)), t('vIBSUF', centsText(g.vIBSUF))),
      el('gIBSMun', null, t('pIBSMun', scaledText(g.pIBSMun, 4)), t('vIBSMun', centsText(g.vIBSMun))),
      t('vIBS', centsText(g.vIBS)),
      el('gCBS', null, t('pCBS', scaledText(g.pCBS, 4)), t('vCBS', centsText(g.vCBS))),
    ),
  );
}

function ibsCbsTot(g: NormNoteIbsCbs): string {
  if (!g.items.some((x) => x !== null)) return '';
  const zero = '0.00';
  const tot = g.totals;
  return el(
    'IBSCBSTot',
    null,
    t('vBCIBSCBS', centsText(tot.vBC)),
    el(
      'gIBS',
      null,
      el('gIBSUF', null, t('vDif', zero), t('vDevTrib', zero), t('vIBSUF', centsText(tot.vIBSUF))),
      el('gIBSMun', null, t('vDif', zero), t('vDevTrib', zero), t('vIBSMun', centsText(tot.vIBSMun))),
      t('vIBS', centsText(tot.vIBS)),
      t('vCredPres', zero),
      t('vCredPresCondSus', zero),
    ),
    el('gCBS', null, t('vDif', zero), t('vDevTrib', zero), t('vCBS', centsText(tot.vCBS)), t('vCredPres', zero), t('vCredPresCondSus', zero)),
  );
}

function det(it: NormItem, tax?: NormNoteIbsCbs): string {
  const money = (v: bigint) => (v > 0n ? centsText(v) : null);
  const prod = el(
    'prod',
    null,
    t('cProd', it.codigo),
    t('cEAN', it.ean),
    t('xProd', it.descricao),
    t('NCM', it.ncm),
    t('CEST', it.cest),
    t('CFOP', it.cfop),
    t('uCom', it.uCom),
    t('qCom', scaledText(it.qCom, 4)),
    t('vUnCom', scaledText(it.vUnCom, 10)),
    t('vProd', centsText(it.vProd)),
    t('cEANTrib', it.eanTrib),
    t('uTrib', it.uTrib),
    t('qTrib', scaledText(it.qTrib, 4)),
    t('vUnTrib', scaledText(it.vUnTrib, 10)),
    t('vFrete', money(it.vFrete)),
    t('vSeg', money(it.vSeg)),
    t('vDesc', money(it.vDesc)),
    t('vOutro', money(it.vOutro)),
    t('indTot', it.indTot),
  );
  const imposto = el(
    'imposto',
    null,
    t('vTotTrib', it.vTotTrib === null ? null : centsText(it.vTotTrib)),
    el('ICMS', null, icmsGroup(it)),
    pisCofins('PIS', it.pis),
    pisCofins('COFINS', it.cofins),
    ibsCbsGroup(tax?.items[it.n - 1]),
  );
  const vItem = tax?.vItem[it.n - 1];
  return el('det', { nItem: String(it.n) }, prod, imposto, vItem === null || vItem === undefined ? null : t('vItem', centsText(vItem)));
}

/**
 * The infNFe element exactly as it is hashed: with the inherited namespace declared, as inclusive
 * C14N would write it (attributes in order, no whitespace between elements).
 */
export function buildInfNFe(i: Omit<NfeXmlInput, 'qrCode' | 'urlChave'>): string {
  const { note, norm, emitter } = i;
  const chave = note.chave as string;
  const tpEmis = String(note.tpEmis ?? 1);
  const cont = note.contingency;
  const ide = el(
    'ide',
    null,
    t('cUF', UF_IBGE[emitter.uf]),
    t('cNF', note.cnf),
    t('natOp', norm.natOp),
    t('mod', '65'),
    t('serie', note.serie),
    t('nNF', note.numero),
    t('dhEmi', norm.dhEmiText),
    t('tpNF', '1'),
    t('idDest', norm.idDest),
    t('cMunFG', emitter.address.cityCode),
    t('tpImp', '4'),
    t('tpEmis', tpEmis),
    t('cDV', chave.slice(43)),
    t('tpAmb', tpAmbOf(note.env)),
    t('finNFe', '1'),
    t('indFinal', '1'),
    t('indPres', norm.indPres),
    t('cMunFGIBS', norm.ibscbs?.cMunFGIBS),
    t('procEmi', '0'),
    t('verProc', SANDBOX_APP_VERSION),
    tpEmis === '9' && cont ? t('dhCont', sefazTime(cont.startedAt)) : null,
    tpEmis === '9'
      ? t('xJust', cont?.automatic ? 'Falha de comunicacao com o webservice da SEFAZ autorizadora' : 'Sem conexao com a internet no estabelecimento emitente')
      : null,
  );
  const a = emitter.address;
  const emit = el(
    'emit',
    null,
    t('CNPJ', emitter.cnpj),
    t('xNome', emitter.name),
    t('xFant', emitter.tradeName ?? null),
    el(
      'enderEmit',
      null,
      t('xLgr', a.street),
      t('nro', a.number),
      t('xBairro', a.district),
      t('cMun', a.cityCode),
      t('xMun', a.city),
      t('UF', emitter.uf),
      t('CEP', a.cep),
      t('cPais', '1058'),
      t('xPais', 'BRASIL'),
      t('fone', a.phone ?? null),
    ),
    t('IE', emitter.ie),
    t('CRT', emitter.crt),
  );
  const d = norm.dest;
  const dest = d
    ? el('dest', null, t('CNPJ', d.cnpj), t('CPF', d.cpf), t('idEstrangeiro', d.idEstrangeiro), t('xNome', d.nome), t('indIEDest', d.indIEDest))
    : '';
  const tot = norm.totals;
  const total = el(
    'total',
    null,
    el(
      'ICMSTot',
      null,
      t('vBC', centsText(tot.vBC)),
      t('vICMS', centsText(tot.vICMS)),
      t('vICMSDeson', '0.00'),
      t('vFCP', '0.00'),
      t('vBCST', '0.00'),
      t('vST', '0.00'),
      t('vFCPST', '0.00'),
      t('vFCPSTRet', '0.00'),
      t('vProd', centsText(tot.vProd)),
      t('vFrete', centsText(tot.vFrete)),
      t('vSeg', centsText(tot.vSeg)),
      t('vDesc', centsText(tot.vDesc)),
      t('vII', '0.00'),
      t('vIPI', '0.00'),
      t('vIPIDevol', '0.00'),
      t('vPIS', centsText(norm.items.reduce((a, it) => a + (it.pis?.v ?? 0n), 0n))),
      t('vCOFINS', centsText(norm.items.reduce((a, it) => a + (it.cofins?.v ?? 0n), 0n))),
      t('vOutro', centsText(tot.vOutro)),
      t('vNF', centsText(tot.vNF)),
      t('vTotTrib', tot.vTotTrib > 0n ? centsText(tot.vTotTrib) : null),
    ),
    norm.ibscbs ? ibsCbsTot(norm.ibscbs) : null,
    norm.ibscbs?.vNFTot === null || norm.ibscbs?.vNFTot === undefined ? null : t('vNFTot', centsText(norm.ibscbs.vNFTot)),
  );
  const pag = el(
    'pag',
    null,
    ...norm.payments.map((p) =>
      el(
        'detPag',
        null,
        t('indPag', p.indPag),
        t('tPag', p.tPag),
        t('xPag', p.xPag),
        t('vPag', centsText(p.vPag)),
        p.tpIntegra || p.cnpjCred || p.tBand || p.cAut
          ? el('card', null, t('tpIntegra', p.tpIntegra ?? '2'), t('CNPJ', p.cnpjCred), t('tBand', p.tBand), t('cAut', p.cAut))
          : null,
      ),
    ),
    norm.troco !== null && norm.troco > 0n ? t('vTroco', centsText(norm.troco)) : null,
  );
  const infAdic = norm.infCpl || norm.infAdFisco ? el('infAdic', null, t('infAdFisco', norm.infAdFisco), t('infCpl', norm.infCpl)) : '';
  return el(
    'infNFe',
    { xmlns: NS, Id: `NFe${chave}`, versao: '4.00' },
    ide,
    emit,
    dest,
    ...norm.items.map((it) => det(it, norm.ibscbs)),
    total,
    el('transp', null, t('modFrete', norm.modFrete)),
    pag,
    infAdic,
  );
}

/** base64(SHA-1(infNFe)): the DigestValue of the signature, protNFe/digVal and the offline QR's digVal. */
export function digestOf(infNFe: string): string {
  return createHash('sha1').update(infNFe, 'utf8').digest('base64');
}

function signature(chave: string, digest: string): string {
  return el(
    'Signature',
    { xmlns: 'http://www.w3.org/2000/09/xmldsig#' },
    el(
      'SignedInfo',
      null,
      '<CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"></CanonicalizationMethod>',
      '<SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"></SignatureMethod>',
      el(
        'Reference',
        { URI: `#NFe${chave}` },
        el(
          'Transforms',
          null,
          '<Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"></Transform>',
          '<Transform Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"></Transform>',
        ),
        '<DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"></DigestMethod>',
        t('DigestValue', digest),
      ),
    ),
    // Placeholder: the sandbox holds no certificate. Clients must not verify it.
    t('SignatureValue', Buffer.from(`FOCUS-SANDBOX-NOT-SIGNED-${chave}`).toString('base64')),
  );
}

export function nfeXml(i: NfeXmlInput): string {
  const { note } = i;
  const chave = note.chave as string;
  // Without the xmlns on infNFe: inside <NFe> it is inherited, and the digest was taken with it.
  const infNFe = buildInfNFe(i).replace(` xmlns="${NS}"`, '');
  const digest = note.digestValue as string;
  const nfe = el('NFe', { xmlns: NS }, infNFe, el('infNFeSupl', null, t('qrCode', i.qrCode), t('urlChave', i.urlChave)), signature(chave, digest));
  const head = '<?xml version="1.0" encoding="UTF-8"?>';
  const hasProtocol = note.protocolo !== null && note.authorizedAt !== null;
  if (!hasProtocol) return head + nfe;
  const status = note.status === 'denegado' ? note.statusSefaz : '100';
  const motivo = note.status === 'denegado' ? note.mensagemSefaz : 'Autorizado o uso da NF-e';
  const prot = el(
    'protNFe',
    { versao: '4.00' },
    el(
      'infProt',
      null,
      t('tpAmb', tpAmbOf(note.env)),
      t('verAplic', SANDBOX_APP_VERSION),
      t('chNFe', chave),
      t('dhRecbto', sefazTime(note.authorizedAt as number)),
      t('nProt', note.protocolo),
      t('digVal', digest),
      t('cStat', status),
      t('xMotivo', motivo),
    ),
  );
  return head + el('nfeProc', { xmlns: NS, versao: '4.00' }, nfe, prot);
}

export interface CancelXmlInput {
  env: Environment;
  cnpj: string;
  uf: Emitter['uf'];
  chave: string;
  authProtocolo: string;
  justificativa: string;
  at: number;
  protocolo: string;
}

export function cancelXml(i: CancelXmlInput): string {
  const cUF = UF_IBGE[i.uf];
  const when = sefazTime(i.at);
  const evento = el(
    'evento',
    { xmlns: NS, versao: '1.00' },
    el(
      'infEvento',
      { Id: `ID110111${i.chave}01` },
      t('cOrgao', cUF),
      t('tpAmb', tpAmbOf(i.env)),
      t('CNPJ', i.cnpj),
      t('chNFe', i.chave),
      t('dhEvento', when),
      t('tpEvento', '110111'),
      t('nSeqEvento', '1'),
      t('verEvento', '1.00'),
      el('detEvento', { versao: '1.00' }, t('descEvento', 'Cancelamento'), t('nProt', i.authProtocolo), t('xJust', i.justificativa)),
    ),
  );
  const ret = el(
    'retEvento',
    { versao: '1.00' },
    el(
      'infEvento',
      null,
      t('tpAmb', tpAmbOf(i.env)),
      t('verAplic', SANDBOX_APP_VERSION),
      t('cOrgao', cUF),
      t('cStat', '135'),
      t('xMotivo', 'Evento registrado e vinculado a NF-e'),
      t('chNFe', i.chave),
      t('tpEvento', '110111'),
      t('xEvento', 'Cancelamento registrado'),
      t('nSeqEvento', '1'),
      t('dhRegEvento', when),
      t('nProt', i.protocolo),
    ),
  );
  return '<?xml version="1.0" encoding="UTF-8"?>' + el('procEventoNFe', { xmlns: NS, versao: '1.00' }, evento, ret);
}

export function inutXml(inut: SandboxInutilizacao, uf: Emitter['uf'], name: string): string {
  const cUF = UF_IBGE[uf];
  const when = sefazTime(inut.receivedAt);
  const body = (tag: string, ...extra: Child[]) => el(tag, { Id: `ID${cUF}${name}` }, t('tpAmb', tpAmbOf(inut.env)), ...extra);
  const req = el(
    'inutNFe',
    { xmlns: NS, versao: '4.00' },
    body(
      'infInut',
      t('xServ', 'INUTILIZAR'),
      t('cUF', cUF),
      t('ano', name.slice(0, 2)),
      t('CNPJ', inut.cnpj),
      t('mod', '65'),
      t('serie', inut.serie),
      t('nNFIni', inut.numeroInicial),
      t('nNFFin', inut.numeroFinal),
      t('xJust', inut.justificativa),
    ),
  );
  const ret = el(
    'retInutNFe',
    { versao: '4.00' },
    el(
      'infInut',
      null,
      t('tpAmb', tpAmbOf(inut.env)),
      t('verAplic', SANDBOX_APP_VERSION),
      t('cStat', inut.statusSefaz),
      t('xMotivo', inut.mensagemSefaz),
      t('cUF', cUF),
      t('ano', name.slice(0, 2)),
      t('CNPJ', inut.cnpj),
      t('mod', '65'),
      t('serie', inut.serie),
      t('nNFIni', inut.numeroInicial),
      t('nNFFin', inut.numeroFinal),
      t('dhRecbto', when),
      t('nProt', inut.protocolo),
    ),
  );
  return '<?xml version="1.0" encoding="UTF-8"?>' + el('procInutNFe', { xmlns: NS, versao: '4.00' }, req, ret);
}
