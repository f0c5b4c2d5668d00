// The one contract between the renderer and the trusted core. The preload (Electron) and the
// browser host's client both build `window.pos` from CHANNELS; main validates every input with
// the channel's schema before a handler sees it. Outputs are plain data, never secrets.
import { z } from 'zod';
import { Emitter, Environment, Product, SaleDraft, text } from './sale.ts';
import type { EmissionView } from './emission.ts';
import type { Sale } from './sale.ts';
import type { PixChargeView } from './pix/charge.ts';
import { PixCredentialsInput, PixSettings } from './pix/settings.ts';

export type Role = 'cashier' | 'manager';

export interface OperatorView {
  id: string;
  name: string;
  role: Role;
}

export type LinkState = 'online' | 'degraded' | 'offline';

export interface StatusView {
  environment: Environment;
  demo: boolean;
  link: LinkState;
  /** Sales whose note is not final yet (pending, unknown, contingency…). */
  pendingNotes: number;
  contingencyNotes: number;
  operator: OperatorView | null;
  printer: { name: string; ok: boolean; message: string | null };
  /** Hours until the oldest contingency note reaches the 24 h limit, or null. */
  oldestContingencyHoursLeft: number | null;
}

export interface PublicSettings {
  environment: Environment;
  emitter: Emitter;
  serie: string;
  contingencySerie: string;
  terminalId: string;
  /** Whether a token is stored per environment; the token itself never leaves main. */
  hasToken: Record<Environment, boolean>;
  certificate: { subject: string; expiresAt: string } | null;
  discountLimitBp: number;
  authorizationDeadlineMs: number;
  printer: PrinterSettings;
  qrVersion: 2 | 3;
  /** What the value digits of a scale label (EAN-13 starting with 2) mean: price or weight. */
  scaleLabel: 'price' | 'weight';
  /** PIX at the till; `hasCredentials` says whether the vault holds the PSP's secret and certificate. */
  pix: PixSettings & { hasCredentials: boolean; certificateExpiresAt: string | null };
}

export const PrinterSettings = z.object({
  kind: z.enum(['none', 'network', 'os']),
  host: z.string().max(255).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  deviceName: z.string().max(255).optional(),
  width: z.union([z.literal(48), z.literal(32)]),
  codePage: z.string().max(32),
  nativeQr: z.boolean(),
  summary: z.boolean().default(false),
});
export type PrinterSettings = z.infer<typeof PrinterSettings>;

export interface ProductHit {
  product: Product;
}

/** A scanned or typed code resolved to a line the cart can add. */
export interface CodeLookup {
  product: Product;
  /** From a weighed label or a qty*code prefix; null means "ask or use 1". */
  qtyE4: number | null;
  /** From a price-embedded label: the line total the label printed. */
  labelTotalCents: number | null;
}

export interface SaleSummary {
  id: number;
  createdAt: string;
  totalCents: number;
  numero: string | null;
  serie: string | null;
  state: EmissionView['state'];
  operatorName: string;
  customerDocument: string | null;
}

export interface SaleDetail {
  sale: Sale;
  emission: EmissionView;
  attempts: EmissionView[];
}

export interface ReceiptView {
  html: string;
  /** Copies the printer will produce (two for contingency). */
  copies: number;
}

export interface PrintResult {
  ok: boolean;
  message: string | null;
}

export interface ContingencyItem {
  saleId: number;
  numero: string;
  serie: string;
  chave: string;
  createdAt: string;
  totalCents: number;
  state: EmissionView['state'];
  hoursLeft: number;
  problem: { title: string; fix: string } | null;
  /** Hours since the sale (additive, optional: older builds leave it out). */
  ageHours?: number;
  /** 12 h: blocking alarm; 24 h: the transmission deadline passed (nfce-rules §3.2). */
  alert?: 'none' | '12h' | '24h';
}

const saleId = z.object({ saleId: z.number().int().positive() });
const pin = z.string().regex(/^\d{4,8}$/, { message: 'PIN deve ter de 4 a 8 dígitos' });
const justificativa = text(255, 15);

/** Channel name → input schema. Output types are in ChannelOutputs. */
export const CHANNELS = {
  'session.bootstrap': z.object({}),
  'auth.operators': z.object({}),
  'auth.login': z.object({ operatorId: text(40), pin }),
  'auth.logout': z.object({}),
  'auth.verifyManager': z.object({ pin }),
  'catalog.search': z.object({ query: z.string().max(120), limit: z.number().int().min(1).max(200).default(50) }),
  'catalog.lookup': z.object({ code: z.string().trim().min(1).max(64) }),
  'catalog.update': z.object({ product: Product, managerPin: pin }),
  'sales.finalize': SaleDraft,
  'sales.list': z.object({
    from: z.string().date().optional(),
    to: z.string().date().optional(),
    numero: z.string().regex(/^\d{1,9}$/).optional(),
    totalCents: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(500).default(100),
  }),
  'sales.get': saleId,
  'sales.resend': saleId,
  'sales.cancel': saleId.extend({ justificativa, managerPin: pin.optional() }),
  'sales.email': saleId.extend({ emails: z.array(z.string().email()).min(1).max(10) }),
  'receipt.get': saleId,
  'receipt.print': saleId,
  'settings.get': z.object({}),
  'settings.update': z.object({
    managerPin: pin,
    patch: z.object({
      environment: Environment.optional(),
      emitter: Emitter.optional(),
      serie: z.string().regex(/^\d{1,3}$/).optional(),
      contingencySerie: z.string().regex(/^\d{1,3}$/).optional(),
      discountLimitBp: z.number().int().min(0).max(10_000).optional(),
      authorizationDeadlineMs: z.number().int().min(3_000).max(120_000).optional(),
      printer: PrinterSettings.optional(),
      qrVersion: z.union([z.literal(2), z.literal(3)]).optional(),
      scaleLabel: z.enum(['price', 'weight']).optional(),
    }),
  }),
  'settings.setToken': z.object({ managerPin: pin, environment: Environment, token: z.string().trim().regex(/^[A-Za-z0-9_-]{8,128}$/, { message: 'token inválido' }) }),
  'settings.importCertificate': z.object({ managerPin: pin, pfxBase64: z.string().min(16).max(200_000), password: z.string().max(128) }),
  'settings.printTestPage': z.object({}),
  'status.get': z.object({}),
  'contingency.list': z.object({}),
  'contingency.sendNow': z.object({}),
  'pix.charge': z.object({ clientId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/), amountCents: z.number().int().min(1).max(20_000_000) }),
  'pix.staticCharge': z.object({ clientId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/), amountCents: z.number().int().min(1).max(20_000_000) }),
  'pix.cancel': z.object({ txid: z.string().regex(/^[A-Za-z0-9]{25,35}$/) }),
  'pix.forDraft': z.object({ clientId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) }),
  'pix.simulatePayment': z.object({ txid: z.string().regex(/^[A-Za-z0-9]{25,35}$/) }),
  'pix.attention': z.object({}),
  'pix.refund': z.object({ txid: z.string().regex(/^[A-Za-z0-9]{25,35}$/), managerPin: pin }),
  'pix.reconcile': z.object({ managerPin: pin, hours: z.number().int().min(1).max(24 * 31).default(24) }),
  'settings.setPix': z.object({ managerPin: pin, pix: PixSettings, credentials: PixCredentialsInput.optional() }),
  'settings.testPix': z.object({ managerPin: pin }),
} as const;

export type Channel = keyof typeof CHANNELS;
export type ChannelInput<C extends Channel> = z.input<(typeof CHANNELS)[C]>;
export type ChannelParsed<C extends Channel> = z.output<(typeof CHANNELS)[C]>;

export interface Bootstrap {
  status: StatusView;
  operators: OperatorView[];
  settings: PublicSettings;
  demo: boolean;
  /** Demo mode only: the sample operators and their PINs, shown on the login screen. */
  demoLogins?: { operatorId: string; name: string; pin: string }[];
}

export interface ChannelOutputs {
  'session.bootstrap': Bootstrap;
  'auth.operators': OperatorView[];
  'auth.login': OperatorView;
  'auth.logout': null;
  'auth.verifyManager': { ok: true };
  'catalog.search': ProductHit[];
  'catalog.lookup': CodeLookup | null;
  'catalog.update': Product;
  'sales.finalize': { saleId: number; emission: EmissionView };
  'sales.list': SaleSummary[];
  'sales.get': SaleDetail;
  'sales.resend': EmissionView;
  'sales.cancel': EmissionView;
  'sales.email': { ok: true };
  'receipt.get': ReceiptView;
  'receipt.print': PrintResult;
  'settings.get': PublicSettings;
  'settings.update': PublicSettings;
  'settings.setToken': PublicSettings;
  'settings.importCertificate': PublicSettings;
  'settings.printTestPage': PrintResult;
  'status.get': StatusView;
  'contingency.list': ContingencyItem[];
  'contingency.sendNow': { queued: number };
  'pix.charge': PixChargeView;
  'pix.staticCharge': PixChargeView;
  'pix.cancel': PixChargeView;
  'pix.forDraft': PixChargeView[];
  'pix.simulatePayment': { ok: boolean };
  'pix.attention': PixChargeView[];
  'pix.refund': PixChargeView;
  'pix.reconcile': { received: number; matched: number; confirmedStatic: number; unknown: number };
  'settings.setPix': PublicSettings;
  'settings.testPix': { ok: true; certificateDaysLeft: number | null };
}

/** Errors cross the boundary as data: a stable code and a sentence in Portuguese saying what to do. */
export interface PosError {
  code: string;
  message: string;
  /** Field-level details for forms, in Portuguese. */
  fields?: { path: string; message: string }[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: PosError };

/** Events main pushes to the renderer (subscription, never polling). */
export interface EventPayloads {
  'emission.changed': EmissionView;
  'status.changed': StatusView;
  'print.changed': { saleId: number; ok: boolean; message: string | null };
  'pix.changed': PixChargeView;
}
export type EventName = keyof EventPayloads;
export const EVENTS: readonly EventName[] = ['emission.changed', 'status.changed', 'print.changed', 'pix.changed'];

type Split<S extends string> = S extends `${infer A}.${infer B}` ? [A, B] : never;
type Namespaces = Split<Channel>[0];
type MethodsOf<N extends string> = {
  [C in Channel as Split<C>[0] extends N ? Split<C>[1] : never]: (input: ChannelInput<C>) => Promise<Result<ChannelOutputs[C]>>;
};

/** `window.pos`: one namespace per channel prefix, e.g. pos.sales.finalize(draft). */
export type PosApi = { [N in Namespaces]: MethodsOf<N> } & {
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
};

/** Build a PosApi from any transport (Electron ipcRenderer, or the host's HTTP/WebSocket). */
export function buildPosApi(
  invoke: (channel: Channel, input: unknown) => Promise<Result<unknown>>,
  subscribe: (event: EventName, listener: (payload: unknown) => void) => () => void,
): PosApi {
  const api: Record<string, unknown> = {
    on: (event: EventName, listener: (payload: unknown) => void) => subscribe(event, listener),
  };
  for (const channel of Object.keys(CHANNELS) as Channel[]) {
    const [ns, method] = channel.split('.') as [string, string];
    const target = (api[ns] ??= {}) as Record<string, unknown>;
    target[method] = (input: unknown) => invoke(channel, input ?? {});
  }
  return api as PosApi;
}
