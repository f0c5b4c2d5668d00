// The DANFCe (DANFE NFC-e) as data: a pure function of the committed sale, the emission answer and
// the shop, following the block order of nfce-rules §5 (Manual DANFE NFC-e v6.0). Renderers
// (ESC/POS, HTML) only decide how it looks; what is printed is decided here, once.
import { UserFacingError } from '../errors.ts';
import { isPrintable, type EmissionState, type EmissionView } from '../emission.ts';
import type { Emitter, Sale } from '../sale.ts';
import { formatBRL, formatQty } from '../money.ts';
import { formatChave, isValidChave } from '../fiscal/chave.ts';
import { formatCnpj, formatCpf, formatDocument, isValidCnpj, isValidCpf, normalizeDocument } from '../fiscal/cpf-cnpj.ts';
import { paymentLabel, TPAG_CASH } from '../fiscal/tpag.ts';
import { consultaUrl } from '../fiscal/uf.ts';
import { HOMOLOG_ITEM_DESCRIPTION, HOMOLOG_RECEIPT_MESSAGE } from '../fiscal/homologation.ts';
import type { IbsCbsOptions } from '../fiscal/ibscbs.ts';
import { noteIbsCbs } from '../nfce/payload.ts';
import { formatDateTimeBR, parseFocusDateTime, toFocusDateTime } from '../datetime.ts';

/** Block 2's fixed text (nfce-rules §5): "DANFE NFC-e – Documento Auxiliar da NFC-e" (a plain hyphen: every code page has it). */
export const RECEIPT_TITLE = 'DANFE NFC-e - Documento Auxiliar da Nota Fiscal de Consumidor Eletrônica';
export const IBS_CBS_LABEL = 'IBS/CBS (LC 214/2025)';
export const RECEIPT_NO_ICMS_CREDIT = 'Não permite aproveitamento de crédito de ICMS';
export const CONSULTA_LABEL = 'Consulte pela Chave de Acesso em';
export const CONSUMER_UNIDENTIFIED = 'CONSUMIDOR NÃO IDENTIFICADO';
export const CONTINGENCY_MESSAGE = 'EMITIDA EM CONTINGÊNCIA';
export const CONTINGENCY_PENDING = 'Pendente de autorização';
export const TAX_LABEL = 'Tributos Totais Incidentes (Lei Federal 12.741/2012)';
export const VIA_CONSUMIDOR = 'Via Consumidor';
export const VIA_ESTABELECIMENTO = 'Via Estabelecimento';

export type ReceiptWidth = 48 | 32;

export interface ReceiptItem {
  seq: number;
  code: string;
  description: string;
  /** pt-BR quantity ('1', '0,512'). */
  qty: string;
  unit: string;
  unitPriceCents: number;
  /** vProd of the line (qty × unit price), before discounts: the discounts appear in the totals. */
  totalCents: number;
  discountCents: number;
}

export interface ReceiptPayment {
  label: string;
  amountCents: number;
}

/**
 * The shop's logo on top of the DANFCe (optional, Configurações › Impressora): a print-ready PNG,
 * already black and white and scaled to printer dots (203 dpi), width and height multiples of 8.
 */
export interface ReceiptLogo {
  pngBase64: string;
  width: number;
  height: number;
}

export interface ReceiptModel {
  width: ReceiptWidth;
  /** Printed above the header of every copy; null = no logo. */
  logo: ReceiptLogo | null;
  summary: boolean;
  environment: 'producao' | 'homologacao';
  /** tpEmis 9: printed with the contingency messages. */
  contingency: boolean;
  /** One entry per printed copy; null = no via label (authorized notes print a single copy). */
  copies: (string | null)[];
  header: {
    name: string;
    tradeName: string | null;
    /** 'CNPJ: 12.345.678/0001-95' or 'CPF: 123.456.789-09'. */
    document: string;
    ie: string;
    address: string[];
  };
  title: string[];
  /** Fiscal message area (homologation, contingency), printed right under the title. */
  fiscalMessages: string[];
  /** null for the summary DANFCe. */
  items: ReceiptItem[] | null;
  totals: {
    itemCount: number;
    grossCents: number;
    discountCents: number;
    payableCents: number;
  };
  payments: ReceiptPayment[];
  changeCents: number;
  consulta: { label: string; url: string; chave: string; chaveGroups: string[] };
  consumer: string[];
  identification: {
    numero: string;
    serie: string;
    emittedAt: string;
    protocolo: string | null;
    authorizedAt: string | null;
  };
  qrContent: string;
  tax: { label: string; cents: number };
  /** IBS/CBS the note carries (block 9, next to the Lei 12.741 taxes), null when it carries none. */
  ibsCbs: { label: string; ibsCents: number; cbsCents: number } | null;
  /** Taxpayer messages (infCpl) and test-page lines. */
  notices: string[];
  /** Whether the sale had cash (tPag 01). */
  hasCash: boolean;
  /** Open the cash drawer with this print: only the first print of a sale paid in cash (see withDrawerKick). */
  kickDrawer: boolean;
}

/** The model for a sale's first print (drawer opens when it had cash) or a reprint (never). */
export function withDrawerKick(model: ReceiptModel, firstPrint: boolean): ReceiptModel {
  return { ...model, kickDrawer: firstPrint && model.hasCash };
}

export interface BuildReceiptInput {
  sale: Sale;
  emission: EmissionView;
  emitter: Emitter;
  options: { summary?: boolean; width: ReceiptWidth; notices?: string[]; logo?: ReceiptLogo | null };
  /** The shop's IBS/CBS options, so the paper shows exactly what the note carried. */
  taxReform?: IbsCbsOptions;
}

export type ReceiptErrorCode = 'cancelled' | 'not_printable' | 'incomplete';

/** Why a receipt cannot be printed, with a sentence for the cashier. */
export class ReceiptError extends UserFacingError<ReceiptErrorCode> {}

const REFUSED: Partial<Record<EmissionState, [ReceiptErrorCode, string]>> = {
  cancelled: ['cancelled', 'Esta NFC-e foi cancelada: o DANFCe não pode ser impresso como documento válido.'],
  superseded: ['cancelled', 'Esta NFC-e foi substituída por outra emissão da mesma venda: imprima a nota que a substituiu.'],
  rejected: ['not_printable', 'A NFC-e foi rejeitada pela SEFAZ: não há DANFCe para imprimir. Corrija e emita novamente.'],
  denied: ['not_printable', 'A NFC-e foi denegada pela SEFAZ: não há DANFCe válido para imprimir.'],
  pending: ['not_printable', 'A NFC-e ainda não foi enviada: aguarde a autorização para imprimir.'],
  sending: ['not_printable', 'A NFC-e está sendo enviada: aguarde a autorização para imprimir.'],
  unknown: ['not_printable', 'A autorização da NFC-e ainda está sendo verificada: aguarde para imprimir.'],
  blocked: ['not_printable', 'A venda está aguardando o gerente e ainda não tem NFC-e para imprimir.'],
};

/** '1.234,56' (no currency symbol): the receipt columns are headed "R$". */
export function formatReceiptMoney(cents: number): string {
  return formatBRL(cents).replace(/^R\$\s*/, '');
}

/** Issuer document: a CPF issuer is stored left-padded with '000' (as in the chave). */
function issuerDocument(doc14: string): string {
  const d = normalizeDocument(doc14);
  if (d.startsWith('000') && !isValidCnpj(d) && isValidCpf(d.slice(3))) return `CPF: ${formatCpf(d.slice(3))}`;
  return `CNPJ: ${formatCnpj(d)}`;
}

function addressLines(e: Emitter): string[] {
  const a = e.address;
  const cep = `${a.cep.slice(0, 5)}-${a.cep.slice(5)}`;
  const lines = [`${a.street}, ${a.number} - ${a.district}`, `${a.city} - ${e.uf} - CEP ${cep}`];
  if (a.phone) {
    const p = a.phone;
    const local = p.length === 11 ? `${p.slice(2, 7)}-${p.slice(7)}` : `${p.slice(2, 6)}-${p.slice(6)}`;
    lines.push(`Fone: (${p.slice(0, 2)}) ${local}`);
  }
  return lines;
}

function consumerLines(sale: Sale): string[] {
  const c = sale.customer;
  if (!c?.document) {
    return c?.name ? [CONSUMER_UNIDENTIFIED, c.name] : [CONSUMER_UNIDENTIFIED];
  }
  const kind = /^\d{11}$/.test(c.document) ? 'CPF' : 'CNPJ';
  const line = `CONSUMIDOR - ${kind} ${formatDocument(c.document)}`;
  return c.name ? [line, c.name] : [line];
}

/** dd/mm/aaaa hh:mm:ss in the shop's offset (the sale's), even if Focus answered in UTC. */
function localDateTime(text: string, shopOffset: number | null): string {
  const p = parseFocusDateTime(text);
  if (!p) throw new ReceiptError('incomplete', `Data inválida na NFC-e (${text}).`);
  if (shopOffset === null || p.offsetMinutes === shopOffset) return formatDateTimeBR(text);
  return formatDateTimeBR(toFocusDateTime(p.epochMs, shopOffset));
}

function groupsOf(formattedChave: string): string[] {
  const groups = formattedChave.split(' ');
  // Two balanced lines (6 + 5 groups) fit both 48 and 32 columns.
  return [groups.slice(0, 6).join(' '), groups.slice(6).join(' ')].filter(Boolean);
}

function receiptIbsCbs(sale: Sale, emitter: Emitter, opts: IbsCbsOptions | undefined): ReceiptModel['ibsCbs'] {
  try {
    const t = noteIbsCbs(sale, emitter.crt, opts);
    return t ? { label: IBS_CBS_LABEL, ibsCents: t.ibsCents, cbsCents: t.cbsCents } : null;
  } catch {
    // A note whose IBS/CBS cannot be computed was never authorized: nothing to show.
    return null;
  }
}

/**
 * Builds the DANFCe model. Throws ReceiptError for a note that must not be printed as a valid
 * receipt (cancelled, rejected, not yet authorized) or that lacks the chave/QR.
 */
export function buildReceipt(input: BuildReceiptInput): ReceiptModel {
  const { sale, emission, emitter, options } = input;
  if (options.width !== 48 && options.width !== 32) {
    throw new ReceiptError('incomplete', 'Largura de bobina inválida: use 80 mm (48 colunas) ou 58 mm (32 colunas).');
  }
  const refused = REFUSED[emission.state];
  if (refused) throw new ReceiptError(refused[0], refused[1]);
  if (!isPrintable(emission.state)) {
    throw new ReceiptError('not_printable', 'Esta NFC-e não está em condição de ser impressa.');
  }
  const chave = emission.chave;
  if (!chave || !isValidChave(chave)) {
    throw new ReceiptError('incomplete', 'A NFC-e não tem chave de acesso válida: não é possível imprimir o DANFCe.');
  }
  if (!emission.qrcodeUrl) {
    throw new ReceiptError('incomplete', 'A NFC-e não tem o QR Code: não é possível imprimir o DANFCe.');
  }
  if (!emission.numero || !emission.serie) {
    throw new ReceiptError('incomplete', 'A NFC-e não tem número e série: não é possível imprimir o DANFCe.');
  }

  const contingency = emission.contingency || emission.state !== 'authorized' || chave[34] === '9';
  const pending = emission.state !== 'authorized' || !emission.protocolo;
  if (emission.state === 'authorized' && !emission.protocolo && !contingency) {
    throw new ReceiptError('incomplete', 'A NFC-e autorizada veio sem protocolo: consulte a nota antes de imprimir.');
  }
  const homolog = emission.environment === 'homologacao';
  const shopOffset = parseFocusDateTime(sale.createdAt)?.offsetMinutes ?? null;

  const fiscalMessages: string[] = [];
  if (homolog) fiscalMessages.push(HOMOLOG_RECEIPT_MESSAGE);
  if (contingency) {
    fiscalMessages.push(CONTINGENCY_MESSAGE);
    if (pending) fiscalMessages.push(CONTINGENCY_PENDING);
  }

  const items: ReceiptItem[] | null = options.summary
    ? null
    : sale.items.map((it, i) => ({
        seq: it.seq,
        code: it.code,
        // In homologation SEFAZ demands this exact xProd for the first item (cStat 373), and the
        // DANFCe prints what the XML says.
        description: homolog && i === 0 ? HOMOLOG_ITEM_DESCRIPTION : it.description,
        qty: formatQty(it.qtyE4, it.unit),
        unit: it.unit,
        unitPriceCents: it.unitPriceCents,
        totalCents: it.grossCents,
        discountCents: it.discountCents,
      }));

  const formatted = formatChave(chave);
  const withProtocol = !pending && emission.protocolo !== null;

  return {
    width: options.width,
    logo: options.logo ?? null,
    summary: Boolean(options.summary),
    environment: emission.environment,
    contingency,
    copies: contingency && pending ? [VIA_CONSUMIDOR, VIA_ESTABELECIMENTO] : [null],
    header: {
      name: emitter.name,
      tradeName: emitter.tradeName ?? null,
      document: issuerDocument(emitter.cnpj),
      ie: emitter.ie,
      address: addressLines(emitter),
    },
    title: [RECEIPT_TITLE, RECEIPT_NO_ICMS_CREDIT],
    fiscalMessages,
    items,
    totals: {
      itemCount: sale.items.length,
      grossCents: sale.grossCents,
      discountCents: sale.discountCents,
      payableCents: sale.totalCents,
    },
    payments: sale.payments.map((p) => ({ label: paymentLabel(p.method, p.description), amountCents: p.amountCents })),
    changeCents: sale.changeCents,
    consulta: {
      label: CONSULTA_LABEL,
      url: emission.urlConsulta || consultaUrl(emitter.uf, emission.environment),
      chave: formatted,
      chaveGroups: groupsOf(formatted),
    },
    consumer: consumerLines(sale),
    identification: {
      numero: emission.numero.padStart(9, '0'),
      serie: emission.serie.padStart(3, '0'),
      emittedAt: localDateTime(sale.createdAt, shopOffset),
      protocolo: withProtocol ? emission.protocolo : null,
      authorizedAt: withProtocol && emission.authorizedAt ? localDateTime(emission.authorizedAt, shopOffset) : null,
    },
    qrContent: emission.qrcodeUrl,
    tax: { label: TAX_LABEL, cents: sale.approxTaxCents },
    ibsCbs: receiptIbsCbs(sale, emitter, input.taxReform),
    notices: options.notices ? [...options.notices] : [],
    hasCash: sale.payments.some((p) => p.method === TPAG_CASH),
    kickDrawer: false,
  };
}
