// A realistic sample DANFCe (sale + emission + shop) for the "imprimir página de teste" action,
// the benchmark and the tests. Its chave has a valid DV and its QR is a well-formed v2 URL, so the
// printed test page can be scanned to check the printer's QR size and contrast.
import { createHash } from 'node:crypto';
import type { EmissionView } from '../../shared/emission.ts';
import type { Emitter, Payment, Sale, SaleItem } from '../../shared/sale.ts';
import type { BuildReceiptInput, ReceiptLogo, ReceiptWidth } from '../../shared/receipt/model.ts';
import { applyBasisPoints, lineTotalCents, spreadDiscount } from '../../shared/money.ts';
import { buildChave } from '../../shared/fiscal/chave.ts';
import { qrV2Online } from '../../shared/fiscal/qrcode.ts';
import { qrCodeUrl } from '../../shared/fiscal/uf.ts';
import { tpAmbOf } from '../../shared/fiscal/homologation.ts';

export const SAMPLE_EMITTER: Emitter = {
  cnpj: '12345678000195',
  ie: '9012345678',
  name: 'MERCEARIA SÃO JOÃO LTDA',
  tradeName: 'Empório do Bairro',
  crt: 1,
  uf: 'PR',
  address: {
    street: 'Rua Marechal Deodoro',
    number: '1234',
    district: 'Centro',
    city: 'Curitiba',
    cityCode: '4106902',
    cep: '80010010',
    phone: '4133334444',
  },
};

/** The line a test page prints so the shop can see whether the code page is right. */
export const ACCENTS_LINE = 'ação ÇÃO áéíóú âêô ãõ à ü R$ 1.234,56';

const CATALOG: { code: string; description: string; unit: string; priceCents: number; qtyE4: number; taxBp: number }[] = [
  { code: '7891000100103', description: 'Café Torrado e Moído Tradicional 500 g', unit: 'UN', priceCents: 1899, qtyE4: 20_000, taxBp: 2834 },
  { code: '2000123', description: 'Queijo Muçarela Fatiado', unit: 'KG', priceCents: 4990, qtyE4: 5_120, taxBp: 2011 },
  {
    code: '7896004000855',
    description: 'Pão de Forma Integral Sem Adição de Açúcar com Grãos Selecionados 450 g',
    unit: 'UN',
    priceCents: 1249,
    qtyE4: 10_000,
    taxBp: 1923,
  },
  { code: '42', description: 'Água Mineral sem Gás 1,5 L', unit: 'UN', priceCents: 379, qtyE4: 60_000, taxBp: 3712 },
  { code: '7894900011517', description: 'Refrigerante Guaraná Antarctica 2 L', unit: 'UN', priceCents: 999, qtyE4: 10_000, taxBp: 4400 },
  { code: '1001', description: 'Banana Prata', unit: 'KG', priceCents: 699, qtyE4: 13_450, taxBp: 1100 },
];

export interface SampleOptions {
  items?: number;
  environment?: 'producao' | 'homologacao';
  /** Manual offline contingency (tpEmis 9, not yet authorized): two copies. */
  contingency?: boolean;
  width?: ReceiptWidth;
  summary?: boolean;
  /** Pay in cash (opens the drawer, gives troco) instead of debit card. */
  cash?: boolean;
  customerCpf?: string;
  discountCents?: number;
  numero?: number;
  notices?: string[];
  /** The shop's receipt logo (the test page prints the one configured). */
  logo?: ReceiptLogo | null;
  /** The shop's own emitter (a real shop's test page shows its header); default: a made-up shop. */
  emitter?: Emitter | null;
}

function buildItems(count: number, discountCents: number): SaleItem[] {
  const raw = Array.from({ length: count }, (_, i) => {
    const p = CATALOG[i % CATALOG.length] as (typeof CATALOG)[number];
    const gross = lineTotalCents(p.qtyE4, p.priceCents);
    return { p, gross, i };
  });
  const shares = spreadDiscount(
    raw.map((r) => r.gross),
    discountCents,
  );
  return raw.map(({ p, gross, i }) => {
    const discount = shares[i] as number;
    const total = gross - discount;
    return {
      seq: i + 1,
      productId: `p${i + 1}`,
      code: p.code,
      gtin: /^\d{13}$/.test(p.code) ? p.code : null,
      description: p.description,
      unit: p.unit,
      ncm: '21069090',
      cfop: '5102',
      cest: null,
      origin: '0',
      icms: '102',
      icmsRateBp: 0,
      approxTaxBp: p.taxBp,
      qtyE4: p.qtyE4,
      unitPriceCents: p.priceCents,
      grossCents: gross,
      discountCents: discount,
      totalCents: total,
      approxTaxCents: applyBasisPoints(total, p.taxBp),
    };
  });
}

const sha1Hex = (s: string) => createHash('sha1').update(s, 'utf8').digest('hex');

export function sampleReceiptInput(opts: SampleOptions = {}): BuildReceiptInput {
  const environment = opts.environment ?? 'homologacao';
  const emitter = opts.emitter ?? SAMPLE_EMITTER;
  const createdAt = '2026-11-24T10:15:09-03:00';
  const items = buildItems(opts.items ?? 5, opts.discountCents ?? 0);
  const grossCents = items.reduce((a, i) => a + i.grossCents, 0);
  const discountCents = items.reduce((a, i) => a + i.discountCents, 0);
  const totalCents = grossCents - discountCents;
  const paid = opts.cash ? Math.ceil((totalCents + 1) / 5000) * 5000 : totalCents;
  const payments: Payment[] = opts.cash
    ? [{ method: '01', amountCents: paid }]
    : [{ method: '04', amountCents: paid, card: { integration: '2', brand: '02' } }];
  const sale: Sale = {
    id: 501,
    terminalId: 'CX01',
    operatorId: 'op1',
    createdAt,
    items,
    payments,
    customer: opts.customerCpf ? { document: opts.customerCpf, name: 'Maria das Graças' } : null,
    grossCents,
    discountCents,
    totalCents,
    paidCents: paid,
    changeCents: paid - totalCents,
    approxTaxCents: items.reduce((a, i) => a + i.approxTaxCents, 0),
  };
  const contingency = opts.contingency ?? false;
  const serie = contingency ? 600 : 1;
  const numero = opts.numero ?? 123;
  const chave = buildChave({
    uf: emitter.uf,
    dhEmi: createdAt,
    cnpj: emitter.cnpj,
    serie,
    numero,
    tpEmis: contingency ? 9 : 1,
    cnf: 48213907,
  });
  const qrcodeUrl = qrV2Online({
    urlQr: qrCodeUrl(emitter.uf, environment),
    chave,
    tpAmb: tpAmbOf(environment),
    cscId: '000001',
    csc: 'CSC-DE-EXEMPLO-0123456789ABCDEF',
    sha1Hex,
  });
  const emission: EmissionView = {
    saleId: sale.id,
    attempt: 1,
    ref: `CX01-${sale.id}-1`,
    state: contingency ? 'contingency' : 'authorized',
    environment,
    numero: String(numero),
    serie: String(serie),
    chave,
    protocolo: contingency ? null : '141260000123456',
    authorizedAt: contingency ? null : '2026-11-24T10:15:11-03:00',
    qrcodeUrl,
    urlConsulta: null,
    statusSefaz: contingency ? null : '100',
    mensagemSefaz: contingency ? null : 'Autorizado o uso da NF-e',
    problem: null,
    contingency,
    cancelDeadline: null,
    updatedAt: createdAt,
  };
  return {
    sale,
    emission,
    emitter: emitter,
    options: { width: opts.width ?? 48, summary: opts.summary ?? false, ...(opts.notices ? { notices: opts.notices } : {}), logo: opts.logo ?? null },
  };
}
