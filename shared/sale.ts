// The sale domain shared by every process: catalog products, the draft the renderer sends,
// the committed sale the journal keeps, and the shop (emitter) configuration.
// Money is always integer centavos; quantities are integer ten-thousandths (4 decimals).
import { z } from 'zod';
import { MAX_QTY_E4, MAX_SALE_CENTS } from './limits.ts';

/** Printable text without control characters, trimmed, bounded. */
export const text = (max: number, min = 1) =>
  z
    .string()
    .trim()
    .min(min, { message: 'campo obrigatório' })
    .max(max, { message: `no máximo ${max} caracteres` })
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), { message: 'contém caracteres de controle' });

export const cents = z.number().int({ message: 'valor deve estar em centavos inteiros' });
/** Quantity in ten-thousandths: 1 UN = 10_000, 0,512 kg = 5_120. */
export const qtyE4 = z.number().int();

export const Environment = z.enum(['producao', 'homologacao']);
export type Environment = z.infer<typeof Environment>;

/** CRT: 1 Simples Nacional, 2 Simples excesso de sublimite, 3 Regime normal, 4 MEI. */
export const Crt = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
export type Crt = z.infer<typeof Crt>;

export const Uf = z.enum([
  'RO',
  'AC',
  'AM',
  'RR',
  'PA',
  'AP',
  'TO',
  'MA',
  'PI',
  'CE',
  'RN',
  'PB',
  'PE',
  'AL',
  'SE',
  'BA',
  'MG',
  'ES',
  'RJ',
  'SP',
  'PR',
  'SC',
  'RS',
  'MS',
  'MT',
  'GO',
  'DF',
]);
export type Uf = z.infer<typeof Uf>;

export const PisCofinsCst = z.string().regex(/^\d{2}$/);
export const IbsCbsCst = z
  .string()
  .regex(/^\d{3}$/)
  .nullable()
  .default(null);
export const CClassTrib = z
  .string()
  .regex(/^\d{6}$/)
  .nullable()
  .default(null);

/** The fiscal fields a tax profile carries and a product may override. */
export const TAX_PROFILE_FIELDS = ['cfop', 'origin', 'icms', 'icmsRateBp', 'pisCofinsCst', 'ibsCbsCst', 'cClassTrib', 'approxTaxBp'] as const;
export const TaxProfileField = z.enum(TAX_PROFILE_FIELDS);
export type TaxProfileField = z.infer<typeof TaxProfileField>;

/** A named set of fiscal fields shared by many products ("Revenda — padaria", "Bebidas ST"). */
export const TaxProfile = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
  name: text(60, 2),
  cfop: z.string().regex(/^\d{4}$/),
  origin: z.string().regex(/^[0-8]$/),
  icms: z.string().regex(/^\d{2,3}$/),
  icmsRateBp: z.number().int().min(0).max(10_000).default(0),
  pisCofinsCst: PisCofinsCst.default('49'),
  ibsCbsCst: IbsCbsCst,
  cClassTrib: CClassTrib,
  approxTaxBp: z.number().int().min(0).max(10_000).default(0),
});
export type TaxProfile = z.infer<typeof TaxProfile>;

export const Product = z.object({
  id: text(40),
  /** Internal code the cashier may type. */
  code: text(60),
  /** GTIN/EAN, or null for "SEM GTIN". */
  gtin: z
    .string()
    .regex(/^\d{8}$|^\d{12,14}$/)
    .nullable(),
  description: text(120),
  /** Unidade comercial: UN, KG, L, M, CX… */
  unit: z.string().regex(/^[A-Z]{1,6}$/),
  priceCents: cents.min(0),
  ncm: z.string().regex(/^\d{8}$/),
  cfop: z.string().regex(/^\d{4}$/),
  cest: z
    .string()
    .regex(/^\d{7}$/)
    .nullable()
    .default(null),
  /** Origem da mercadoria 0..8. */
  origin: z.string().regex(/^[0-8]$/),
  /** CSOSN (102, 500…) for CRT 1/4, CST (00, 40, 41, 60…) otherwise. */
  icms: z.string().regex(/^\d{2,3}$/),
  /** ICMS rate in basis points (1800 = 18 %) for CST 00. */
  icmsRateBp: z.number().int().min(0).max(10_000).default(0),
  /** Approximate tax burden (Lei 12.741, IBPT) in basis points of the item total. */
  approxTaxBp: z.number().int().min(0).max(10_000).default(0),
  /** Sold by weight: quantity may have decimals, scale labels embed weight or price. */
  weighed: z.boolean().default(false),
  /** PIS/COFINS CST, 2 digits (49 outras saídas for Simples, 01 tributável…). */
  pisCofinsCst: PisCofinsCst.default('49'),
  /** IBS/CBS CST (tax reform), 3 digits; null until the shop fills it in. */
  ibsCbsCst: IbsCbsCst,
  /** IBS/CBS cClassTrib, 6 digits from the official table; null until filled in. */
  cClassTrib: CClassTrib,
  /** Tax profile ("perfil fiscal") the product follows; null: its own fiscal data only. */
  taxProfileId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/)
    .nullable()
    .default(null),
  /** Profile fields this product sets itself (the others follow the profile). */
  overrides: z.array(TaxProfileField).max(16).default([]),
  /** Inactive products are neither found nor sold; a product is never deleted (it may have been sold). */
  active: z.boolean().default(true),
});
export type Product = z.infer<typeof Product>;
/** The values a product gets for the fields above that older code and fixtures leave out. */
export const PRODUCT_DEFAULTS = {
  pisCofinsCst: '49',
  ibsCbsCst: null,
  cClassTrib: null,
  taxProfileId: null,
  overrides: [],
  active: true,
} as const satisfies Partial<Product>;
/** What a form or an import sends: the defaults above may be left out. */

export const CardInfo = z.object({
  /** 1 integrated (TEF), 2 not integrated (stand-alone card machine). */
  integration: z.enum(['1', '2']).default('2'),
  /** tBand, 2 digits. */
  brand: z
    .string()
    .regex(/^\d{2}$/)
    .optional(),
  acquirerCnpj: z
    .string()
    .regex(/^[0-9A-Z]{12}\d{2}$/)
    .optional(),
  authorization: text(128).optional(),
});
export type CardInfo = z.infer<typeof CardInfo>;

export const Payment = z.object({
  /** tPag code, 2 digits ('01' dinheiro, '03' crédito, '04' débito, '17' PIX…). */
  method: z.string().regex(/^\d{2}$/),
  /** Amount tendered in this method (cash may exceed what is due: the rest is troco). */
  amountCents: cents.min(1).max(MAX_SALE_CENTS * 10),
  card: CardInfo.optional(),
  /** The PIX charge (journaled in main) that paid this amount: main fills the card group from it. */
  pixTxid: z
    .string()
    .regex(/^[A-Za-z0-9]{25,35}$/)
    .optional(),
  /** xPag, required when method is 99. */
  description: text(60, 2).optional(),
});
export type Payment = z.infer<typeof Payment>;

export const Customer = z.object({
  /** CPF (11 digits) or CNPJ (14 chars, may be alphanumeric), normalised without mask. */
  document: z
    .string()
    .regex(/^\d{11}$|^[0-9A-Z]{12}\d{2}$/)
    .optional(),
  name: text(60, 2).optional(),
  email: z.string().email().max(120).optional(),
});
export type Customer = z.infer<typeof Customer>;

/** One line as the renderer proposes it. Main re-reads the product from its own catalog. */
export const ItemDraft = z.object({
  productId: text(40),
  qtyE4: qtyE4.min(1).max(MAX_QTY_E4),
  /** Unit price in centavos: the catalog price, or the price a scale label implies. */
  unitPriceCents: cents.min(0).max(MAX_SALE_CENTS),
  discountCents: cents.min(0).default(0),
  /** Item avulso (shared/catalog/loose.ts): the description the cashier typed; productId is then LOOSE_PRODUCT_ID. */
  looseDescription: text(120, 2).optional(),
});
export type ItemDraft = z.infer<typeof ItemDraft>;

/** What `pos.sales.finalize` receives. */
export const SaleDraft = z.object({
  /** Client-generated id so a double Enter or a resent IPC never creates two sales. */
  clientId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  items: z.array(ItemDraft).min(1, { message: 'a venda não tem itens' }).max(990),
  /** Discount on the whole sale, spread over the items (rateio). */
  discountCents: cents.min(0).default(0),
  payments: z.array(Payment).min(1, { message: 'informe o pagamento' }).max(100),
  customer: Customer.optional(),
  /** Manager approval for a discount above the cashier's limit. */
  managerPin: z
    .string()
    .regex(/^\d{4,8}$/)
    .optional(),
  /** Lines the cashier cancelled before paying (F6): kept in the audit log for the X/Z reports. */
  cancelledItems: z
    .array(ItemDraft.pick({ productId: true, qtyE4: true, unitPriceCents: true }))
    .max(990)
    .optional(),
});
export type SaleDraft = z.infer<typeof SaleDraft>;

/** A committed item: the product's fiscal data as it was at the sale, and its computed money. */
export interface SaleItem {
  seq: number;
  productId: string;
  code: string;
  gtin: string | null;
  description: string;
  unit: string;
  ncm: string;
  cfop: string;
  cest: string | null;
  origin: string;
  icms: string;
  icmsRateBp: number;
  approxTaxBp: number;
  /** IBS/CBS CST and cClassTrib as the product had them at the sale (null/absent: store default). */
  ibsCbsCst?: string | null;
  cClassTrib?: string | null;
  /** PIS/COFINS CST as the product had it at the sale (absent: a sale journaled before it was kept). */
  pisCofinsCst?: string | null;
  /** PIS and COFINS rates for CST 01 (the regime's, fixed at the sale), in basis points. */
  pisRateBp?: number;
  cofinsRateBp?: number;
  qtyE4: number;
  unitPriceCents: number;
  /** round(qty × unit price), before discounts. */
  grossCents: number;
  /** Item discount plus its share of the sale discount. */
  discountCents: number;
  /** gross − discount. */
  totalCents: number;
  approxTaxCents: number;
}

export interface Sale {
  id: number;
  terminalId: string;
  operatorId: string;
  /** Local date-time with offset, as it goes into data_emissao. */
  createdAt: string;
  items: SaleItem[];
  payments: Payment[];
  customer: Customer | null;
  grossCents: number;
  discountCents: number;
  totalCents: number;
  paidCents: number;
  changeCents: number;
  approxTaxCents: number;
}

export const Address = z.object({
  street: text(60),
  number: text(60),
  district: text(60),
  city: text(60),
  /** IBGE municipality code, 7 digits. */
  cityCode: z.string().regex(/^\d{7}$/),
  cep: z.string().regex(/^\d{8}$/),
  phone: z
    .string()
    .regex(/^\d{10,11}$/)
    .optional(),
});
export type Address = z.infer<typeof Address>;

export const Emitter = z.object({
  cnpj: z.string().regex(/^[0-9A-Z]{12}\d{2}$/),
  ie: z.string().regex(/^\d{2,14}$|^ISENTO$/),
  name: text(60, 2),
  tradeName: text(60, 2).optional(),
  crt: Crt,
  uf: Uf,
  address: Address,
});
export type Emitter = z.infer<typeof Emitter>;
