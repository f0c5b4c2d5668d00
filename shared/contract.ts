// The one contract between the renderer and the trusted core. The preload (Electron) and the
// browser host's client both build `window.pos` from CHANNELS; main validates every input with
// the channel's schema before a handler sees it. Outputs are plain data, never secrets.
import { z } from 'zod';
import { Emitter, Environment, Product, SaleDraft, TaxProfile, text } from './sale.ts';
import type { LanesResponse, StoreDayReport, StoreMonthReport } from './store/protocol.ts';
import { isValidCnpj } from './fiscal/cpf-cnpj.ts';
import { COLUMN_KEYS } from './catalog/columns.ts';
import { SCALE_FORMAT_IDS, type ScaleFormatId } from './catalog/scale.ts';
import type { ImportCheck, ImportPreview, ImportProgress, ImportResult, NfePreview } from './catalog/transfer.ts';
import type { EmissionView } from './emission.ts';
import type { Sale } from './sale.ts';
import { DenominationCounts } from './register/denominations.ts';
import type { ClosingLine, ClosingResult, Declaration, MovementView, RegisterReport } from './register/report.ts';
import type { PeriodReport, MonthExportResult, NumberingGap, InutilizacaoView } from './register/period.ts';
import { KeyMapOverrides } from './keymap-schema.ts';
import { PisCofinsRegime } from './fiscal/pis-cofins.ts';
import { LooseItemSettings } from './catalog/loose.ts';
import type { PixChargeView } from './pix/charge.ts';
import type { PrinterStatusCode, PrinterStatusView } from './printing/status.ts';
import type { ReceiptLogo } from './receipt/model.ts';
import { PixCredentialsInput, PixSettings } from './pix/settings.ts';

export type Role = 'cashier' | 'manager';

export interface OperatorView {
  id: string;
  name: string;
  role: Role;
}

/** The manager's view of an operator (disabled ones included). */
export interface OperatorRecord extends OperatorView {
  active: boolean;
}

/**
 * Where the terminal stands: first-run setup, a damaged settings file (recovery), a real profile
 * whose secrets cannot be read (secrets), or ready to sell.
 */
/** journal: the sales file is damaged; only the guided restore (journal.*) answers until it is sound. */
export type AppPhase = 'setup' | 'recovery' | 'secrets' | 'journal' | 'ready';

/** One item of the journal's full check (PRAGMA integrity_check and the journal's invariants). */
export interface JournalCheckItemView {
  code: string;
  ok: boolean;
  label: string;
  detail: string | null;
}

export interface JournalCheckView {
  ok: boolean;
  checkedAt: string;
  ms: number;
  sales: number;
  items: JournalCheckItemView[];
}

/** A hot backup of the journal as the restore screen lists it. */
export interface JournalBackupView {
  file: string;
  takenAt: string;
  bytes: number;
  /** Verified now by reopening it (quick_check); sales is its sale count when sound. */
  ok: boolean;
  sales: number | null;
  problem: string | null;
}

export interface JournalBackupsView {
  dir: string | null;
  backups: JournalBackupView[];
  /** What a restore does, in plain Portuguese (shown before the manager confirms). */
  explanation: string[];
}

export interface JournalRestoreView {
  restored: string;
  sales: number;
  /** Where the replaced file was kept (null: there was none). */
  kept: string | null;
  /** Selling stays suspended until the sales beyond the copy are re-learned from Focus. */
  relearning: boolean;
  message: string;
}

/** Monthly comparison of the journal with Focus's backup of the month (GET /v2/backups). */
export interface CrossCheckView {
  month: string;
  state: 'ok' | 'differences' | 'unavailable';
  message: string;
  focusNotes: number;
  journalNotes: number;
  /** Chaves Focus holds and the journal lacks (after the re-learning tried them). */
  onlyAtFocus: string[];
  /** Chaves the journal holds as issued and Focus's backup lacks. */
  onlyInJournal: string[];
  /** Notes the cross-check wrote back into the journal (a sale whose note the journal had lost). */
  relearned: number;
  checkedAt: string;
}

export type SetupStepName = 'token' | 'emitter' | 'taxProfiles' | 'fiscal' | 'certificate' | 'printer' | 'terminal' | 'manager';

export interface SetupState {
  mode: 'unset' | 'demo' | 'real';
  done: SetupStepName[];
  environment: Environment;
  hasToken: Record<Environment, boolean>;
  focusUrl: string | null;
  emitter: Emitter | null;
  serie: string;
  contingencySerie: string;
  cscId: string | null;
  hasCsc: boolean;
  qrVersion: 2 | 3;
  certificate: { subject: string; expiresAt: string } | null;
  printer: PrinterSettings;
  terminalId: string;
  managerName: string | null;
  /** Electron without a keyring: secrets need the manager's consent to weaker storage. */
  weakStorage: { needsConsent: boolean; accepted: boolean };
}

/** Why a configured real profile cannot open, and what the manager must enter again. */
export interface SecretsProblem {
  code: string;
  message: string;
  needs: ('token' | 'certificate')[];
  environment: Environment;
}

export type TokenCheck = { status: 'valid'; clockDriftMs: number | null } | { status: 'invalid'; message: string } | { status: 'unreachable'; message: string };

export type CheckLevel = 'green' | 'yellow' | 'red';

export interface PreflightCheck {
  id: 'token' | 'certificate' | 'csc' | 'clock' | 'link' | 'printer' | 'backlog' | 'disk' | 'journal';
  label: string;
  level: CheckLevel;
  detail: string;
  /** What to do, in plain Portuguese (null when green). */
  fix: string | null;
  /** The printer check: what the printer answered (decisions key on it, never on the words). */
  status?: PrinterStatusCode;
}

export interface PreflightReport {
  at: string;
  durationMs: number;
  level: CheckLevel;
  checks: PreflightCheck[];
}

export interface AuditEntryView {
  id: number;
  at: string;
  actor: string;
  actorName: string;
  action: string;
  saleId: number | null;
  details: Record<string, unknown>;
}

export interface ResendSummary {
  total: number;
  authorized: number;
  failed: number;
  pending: number;
}

export type LinkState = 'online' | 'degraded' | 'offline';

export interface StatusView {
  environment: Environment;
  demo: boolean;
  link: LinkState;
  /** Sales whose note is not final yet (pending, unknown, contingency…). */
  pendingNotes: number;
  contingencyNotes: number;
  /** Sales whose latest note was rejected: they need someone to fix and resend them. */
  problemNotes: number;
  operator: OperatorView | null;
  printer: { name: string; ok: boolean; message: string | null };
  /** Hours until the oldest contingency note reaches the 24 h limit, or null. */
  oldestContingencyHoursLeft: number | null;
  /** A problem of the sales journal itself (disk full, went back in time, backup failing), or null. */
  journal?: { code: string; message: string } | null;
  /** Secrets stored without an OS keyring (the manager accepted it): the warning stays visible. */
  weakStorage?: boolean;
}

export interface PublicSettings {
  environment: Environment;
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
  /** Layout of the scale labels (shared/catalog/scale.ts). */
  scaleFormat: ScaleFormatId;
  /** Folder of the journal's hot backups (USB disk, network share), or null. */
  backupDir?: string | null;
  /** Null until the shop's own emitter is saved (a real profile never shows the demo shop). */
  emitter: Emitter | null;
  cscId: Partial<Record<Environment, string | undefined>>;
  hasCsc: Record<Environment, boolean>;
  focusUrl: Partial<Record<Environment, string | undefined>>;
  idleLockMinutes: number;
  cancelItemApprovalAboveCents: number;
  cancelSaleApprovalAboveCents: number;
  managerGraceSeconds: number;
  /** How secrets are protected at rest; 'weak' keeps a warning on screen. */
  secretStorage: 'keyring' | 'separate-key' | 'weak';
  weakStorageAccepted: boolean;
  /** IBS/CBS sent before the regime's legal date (manager switch). */
  ibsCbsEarlyStart: boolean;
  /** ECONF registered automatically after authorization (electronic payments). */
  econfAfterAuthorization: boolean;
  /** The company's PIS/COFINS regime: the rates of CST 01 items. */
  pisCofinsRegime: PisCofinsRegime;
  /** Item avulso at the till: whether the manager enabled it, its tax profile, NCM and price ceiling. */
  looseItem: LooseItemSettings;
  /** Print the receipt by itself once the note is authorized or issued in contingency. */
  autoPrint: boolean;
  /** The manager's F-key changes over the default map (shared/keymap.ts). */
  keyMap: KeyMapOverrides;
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

/**
 * What the till needs of a product to list it and to put it in the cart: a live search answers 50
 * of these per keystroke, so it carries no fiscal data (the core resolves that when it sells).
 */
export type TillProduct = Pick<Product, 'id' | 'code' | 'gtin' | 'description' | 'unit' | 'priceCents' | 'weighed'>;

export interface ProductHit {
  product: TillProduct;
}

/** A scanned or typed code resolved to a line the cart can add. */
export interface CodeLookup {
  product: TillProduct;
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
  /** ECONF events of the note, oldest first. */
  econf?: EconfView[];
}

/** A financial reconciliation event (ECONF) as the sale's detail shows it. */
export interface EconfView {
  id: number;
  saleId: number;
  /**
   * pending/sending: journaled, not answered yet; unknown: the answer was lost (the manager resolves
   * it: sales.econfResolve); replaced: Focus did not have it and it was sent again as a new event.
   */
  state: 'pending' | 'sending' | 'authorized' | 'rejected' | 'unknown' | 'replaced';
  numero: number | null;
  protocolo: string | null;
  statusSefaz: string | null;
  message: string | null;
  createdMs: number;
  payments: { method: string; amount: string; authorization: string | null }[];
}

/** What the manager completes per electronic payment (seq = 1-based index in sale.payments). */
export const EconfPaymentInput = z.object({
  seq: z.number().int().min(1).max(100),
  institutionCnpj: z
    .string()
    .regex(/^[0-9A-Z]{12}\d{2}$/, { message: 'CNPJ inválido' })
    .optional(),
  authorization: z.string().trim().min(1).max(128).optional(),
});
export type EconfPaymentInput = z.infer<typeof EconfPaymentInput>;

export interface ReceiptView {
  html: string;
  /** Copies the printer will produce (two for contingency). */
  copies: number;
}

export type PrintJobState = 'queued' | 'printing' | 'retrying' | 'done' | 'failed';
export type PrintJobKind = 'receipt' | 'drawer';

/** The receipt logo as it prints (black and white PNG at printer dots), for the settings preview. */
export type ReceiptLogoView = ReceiptLogo;

/** The logo file as picked: PNG or JPEG up to 512 KB (main checks it again). */
export const RECEIPT_LOGO_MAX_BYTES = 512 * 1024;

export interface PrintResult {
  ok: boolean;
  message: string | null;
  /** The queued job: its later states arrive as 'print.changed' with the same jobId. */
  jobId?: string;
  state?: PrintJobState;
}

/** A print job's state as it changes; `code` says why it failed ('paper_out', 'cover_open', 'offline'…). */
export interface PrintChanged {
  saleId: number;
  ok: boolean;
  message: string | null;
  jobId?: string;
  kind?: PrintJobKind;
  state?: PrintJobState;
  code?: string | null;
}

/** A sale put aside at the till (the customer forgot something) to be recalled later. */
export const ParkedLine = z.object({
  seq: z.number().int().positive(),
  productId: text(64, 1),
  code: z.string().max(64),
  description: z.string().max(200),
  unit: z.string().max(8),
  weighed: z.boolean(),
  qtyE4: z.number().int().min(0).max(99_999_999),
  unitPriceCents: z.number().int().min(0).max(100_000_000),
  discountCents: z.number().int().min(0).max(100_000_000),
  cancelled: z.boolean(),
});
export const ParkedCart = z.object({
  lines: z.array(ParkedLine).min(1).max(990),
  nextSeq: z.number().int().positive(),
  saleDiscountCents: z.number().int().min(0).max(100_000_000),
  customerDocument: z.string().max(20).nullable(),
  totalCents: z.number().int().min(0).max(100_000_000),
});
export type ParkedCart = z.infer<typeof ParkedCart>;

export interface ParkedSale {
  id: string;
  parkedAt: string;
  operatorName: string;
  itemCount: number;
  totalCents: number;
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
  problem: EmissionView['problem'];
  /** Hours since the sale (additive, optional: older builds leave it out). */
  ageHours?: number;
  /** 12 h: blocking alarm; 24 h: the transmission deadline passed (nfce-rules §3.2). */
  alert?: 'none' | '12h' | '24h';
}

const saleId = z.object({ saleId: z.number().int().positive() });
const transferId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/);
/** A file chunk: TRANSFER_CHUNK_BYTES of raw bytes at most (base64 is 4/3 of it). */
const chunk = z
  .string()
  .max(720_000)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, { message: 'arquivo corrompido no envio' });
const mapping = z.partialRecord(z.enum(COLUMN_KEYS), z.number().int().min(0).max(500).nullable());
/** An amount as typed (pt-BR); the core parses it with shared/register/amount.ts. */
const amountText = z.string().max(40);
const day = z.string().date();
/** A terminal's id (PDV01): what setup accepts and what a report filters on. */
const terminalId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{1,12}$/, { message: 'de 1 a 12 letras ou números, sem espaços' });

/** The register as a cashier may see it: open or not, never the expected amounts (blind closing). */
export interface RegisterStateView {
  terminalId: string;
  required: boolean;
  session: { id: number; openedMs: number; openedBy: string; openedByName: string; openingCents: number } | null;
  lastClosing: { sessionId: number; zNumber: number; closedMs: number } | null;
}

export interface ZListItem {
  sessionId: number;
  zNumber: number;
  openedMs: number;
  closedMs: number;
  totalCents: number;
}
const pin = z.string().regex(/^\d{4,8}$/, { message: 'PIN deve ter de 4 a 8 dígitos' });
const justificativa = text(255, 15);
/** A token as pasted: spaces and line breaks around and inside are removed, not refused. */
export const tokenInput = z
  .string()
  .max(400)
  .transform((t) => t.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^[A-Za-z0-9_-]{8,128}$/, { message: 'token inválido: copie o token do painel da Focus NFe (8 a 128 letras, números, - ou _)' }));
const focusUrl = z
  .string()
  .trim()
  .max(200)
  .url({ message: 'endereço inválido: use https://… (ou http://127.0.0.1:… para um teste local)' })
  .refine((u) => /^https?:\/\//.test(u), { message: 'endereço deve começar com https://' });
const managerPin = pin.optional();
/** The emitter as a manager types it: the CNPJ (numeric or alphanumeric) must carry valid check digits. */
export const EmitterInput = Emitter.refine((e) => isValidCnpj(e.cnpj), { message: 'CNPJ inválido: confira os dígitos verificadores', path: ['cnpj'] });
const operatorName = z.string().max(60);
const cents = z.number().int().min(-1).max(100_000_000);

/** Channel name → input schema. Output types are in ChannelOutputs. */
export const CHANNELS = {
  'session.bootstrap': z.object({}),
  'auth.operators': z.object({}),
  'auth.login': z.object({ operatorId: text(40), pin }),
  'auth.logout': z.object({}),
  'auth.verifyManager': z.object({ pin }),
  'auth.changePin': z.object({ currentPin: pin, newPin: z.string().max(8) }),
  'operators.list': z.object({ managerPin }),
  'operators.create': z.object({ managerPin, name: operatorName, role: z.enum(['cashier', 'manager']), pin: z.string().max(8) }),
  'operators.update': z.object({
    managerPin,
    id: text(40),
    name: operatorName.optional(),
    role: z.enum(['cashier', 'manager']).optional(),
    active: z.boolean().optional(),
  }),
  'operators.resetPin': z.object({ managerPin, id: text(40), pin: z.string().max(8) }),
  'audit.list': z.object({
    managerPin,
    from: z.string().date().optional(),
    to: z.string().date().optional(),
    actor: z.string().max(40).optional(),
    action: z.string().max(40).optional(),
    limit: z.number().int().min(1).max(1000).default(200),
  }),
  'setup.state': z.object({}),
  'setup.chooseMode': z.object({ mode: z.enum(['demo', 'real']) }),
  'setup.checkToken': z.object({ environment: Environment, token: tokenInput, focusUrl: focusUrl.optional() }),
  'setup.saveToken': z.object({ environment: Environment, token: tokenInput, focusUrl: focusUrl.optional() }),
  'setup.saveEmitter': z.object({ emitter: EmitterInput }),
  /** The starting tax profiles the manager accepted for the shop's regime (none: skipped). */
  'setup.saveTaxProfiles': z.object({ profileIds: z.array(z.string().max(40)).max(10) }),
  'setup.saveFiscal': z.object({
    serie: z.string().regex(/^\d{1,3}$/, { message: 'série de 1 a 3 dígitos' }),
    contingencySerie: z.string().regex(/^\d{1,3}$/, { message: 'série de 1 a 3 dígitos' }),
    cscId: z
      .string()
      .trim()
      .regex(/^\d{1,6}$/, { message: 'o identificador do CSC tem de 1 a 6 dígitos' })
      .optional(),
    csc: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]{16,36}$/, { message: 'o CSC tem de 16 a 36 letras e números' })
      .optional(),
    qrVersion: z.union([z.literal(2), z.literal(3)]),
  }),
  'setup.importCertificate': z.object({ pfxBase64: z.string().min(16).max(200_000), password: z.string().max(128) }),
  'setup.skipCertificate': z.object({}),
  'setup.savePrinter': z.object({ printer: PrinterSettings }),
  'setup.testPrint': z.object({}),
  'setup.saveTerminal': z.object({ terminalId }),
  'setup.createManager': z.object({ name: operatorName, pin: z.string().max(8) }),
  'setup.acceptWeakStorage': z.object({ managerPin }),
  'setup.finish': z.object({}),
  'setup.recover': z.object({}),
  'secrets.provide': z.object({
    managerPin: pin,
    token: tokenInput.optional(),
    dropCertificate: z.boolean().optional(),
    /** A new A1 certificate (.pfx, base64) and its password, replacing the one that cannot be read. */
    certificate: z.object({ pfxBase64: z.string().min(16).max(200_000), password: z.string().max(128) }).optional(),
  }),
  'preflight.run': z.object({}),
  'catalog.search': z.object({ query: z.string().max(120), limit: z.number().int().min(1).max(200).default(50) }),
  'catalog.lookup': z.object({ code: z.string().trim().min(1).max(64) }),
  'catalog.update': z.object({ product: Product, managerPin }),
  'catalog.list': z.object({
    query: z.string().max(120).default(''),
    status: z.enum(['active', 'inactive', 'all']).default('active'),
    noGtin: z.boolean().optional(),
    fiscalIssues: z.boolean().optional(),
    weighed: z.boolean().optional(),
    taxProfileId: z.string().max(40).optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(500).default(100),
  }),
  'catalog.setActive': z.object({ productId: text(40), active: z.boolean(), managerPin }),
  'catalog.profiles': z.object({}),
  'catalog.saveProfile': z.object({ profile: TaxProfile, managerPin }),
  'catalog.setLooseItem': z.object({ looseItem: LooseItemSettings, managerPin }),
  'catalog.addStarterProfiles': z.object({ managerPin }),
  'catalog.upload': z.object({ uploadId: transferId, seq: z.number().int().min(0).max(200), data: chunk }),
  'catalog.importOpen': z.object({ uploadId: transferId, fileName: text(200) }),
  'catalog.importCheck': z.object({ importId: transferId, mapping }),
  'catalog.importCommit': z.object({ importId: transferId, mapping, mode: z.enum(['valid', 'all']), managerPin }),
  'catalog.export': z.object({ format: z.enum(['csv', 'xlsx']) }),
  'catalog.download': z.object({ exportId: transferId, seq: z.number().int().min(0).max(200) }),
  'catalog.nfeOpen': z.object({ uploadId: transferId }),
  'catalog.nfeApply': z.object({
    nfeId: transferId,
    managerPin,
    lines: z
      .array(
        z.object({
          n: z.number().int().min(1).max(990),
          action: z.enum(['new', 'link', 'skip']),
          productId: text(40).optional(),
          code: text(60).optional(),
          priceCents: z.number().int().min(0).max(20_000_000),
          taxProfileId: z.string().max(40).optional(),
        }),
      )
      .min(1)
      .max(990),
  }),
  /** background: answer once the sale is committed; the note authorizes while the next sale starts. */
  'sales.finalize': SaleDraft.extend({ background: z.boolean().default(false) }),
  'sales.list': z.object({
    from: z.string().date().optional(),
    to: z.string().date().optional(),
    numero: z
      .string()
      .regex(/^\d{1,9}$/)
      .optional(),
    totalCents: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(500).default(100),
  }),
  'sales.get': saleId,
  'sales.resend': saleId,
  'sales.cancel': saleId.extend({ justificativa, managerPin: pin.optional() }),
  'sales.email': saleId.extend({ emails: z.array(z.string().email()).min(1).max(10), managerPin }),
  'sales.econf': saleId.extend({ managerPin: pin.optional(), payments: z.array(EconfPaymentInput).max(100).default([]) }),
  // An ECONF whose answer was lost: the manager checks the protocol Focus's panel shows, or sends it again.
  'sales.econfResolve': z.object({
    econfId: z.number().int().positive(),
    managerPin,
    how: z.discriminatedUnion('kind', [
      z.object({
        kind: z.literal('check'),
        protocolo: z
          .string()
          .transform((v) => v.replace(/\D/g, ''))
          .pipe(z.string().regex(/^\d{6,20}$/, { message: 'Digite o número do protocolo da conciliação como aparece no painel da Focus.' })),
      }),
      z.object({ kind: z.literal('resend') }),
    ]),
  }),
  'receipt.get': saleId,
  'receipt.print': saleId,
  'printer.openDrawer': z.object({ managerPin: pin.optional() }),
  'printer.status': z.object({}),
  'settings.get': z.object({}),
  'settings.update': z.object({
    managerPin,
    patch: z.object({
      environment: Environment.optional(),
      emitter: EmitterInput.optional(),
      serie: z
        .string()
        .regex(/^\d{1,3}$/)
        .optional(),
      contingencySerie: z
        .string()
        .regex(/^\d{1,3}$/)
        .optional(),
      discountLimitBp: z.number().int().min(0).max(10_000).optional(),
      authorizationDeadlineMs: z.number().int().min(3_000).max(120_000).optional(),
      printer: PrinterSettings.optional(),
      qrVersion: z.union([z.literal(2), z.literal(3)]).optional(),
      scaleLabel: z.enum(['price', 'weight']).optional(),
      scaleFormat: z.enum(SCALE_FORMAT_IDS).optional(),
      backupDir: z
        .string()
        .trim()
        .min(1)
        .max(1000)
        .refine((v) => v.startsWith('/') || /^[A-Za-z]:[\\/]/.test(v) || v.startsWith('\\\\'), { message: 'informe o caminho completo da pasta' })
        .nullable()
        .optional(),
      cscId: z
        .string()
        .trim()
        .regex(/^\d{1,6}$/, { message: 'o identificador do CSC tem de 1 a 6 dígitos' })
        .optional(),
      focusUrl: z.union([focusUrl, z.literal('')]).optional(),
      idleLockMinutes: z.number().int().min(0).max(240).optional(),
      cancelItemApprovalAboveCents: cents.optional(),
      cancelSaleApprovalAboveCents: cents.optional(),
      managerGraceSeconds: z.number().int().min(0).max(900).optional(),
      ibsCbsEarlyStart: z.boolean().optional(),
      econfAfterAuthorization: z.boolean().optional(),
      pisCofinsRegime: PisCofinsRegime.optional(),
      autoPrint: z.boolean().optional(),
      keyMap: KeyMapOverrides.optional(),
    }),
  }),
  'settings.setCsc': z.object({
    managerPin,
    csc: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]{16,36}$/, { message: 'o CSC tem de 16 a 36 letras e números' }),
  }),
  'settings.setToken': z.object({ managerPin, environment: Environment, token: tokenInput }),
  'settings.importCertificate': z.object({ managerPin, pfxBase64: z.string().min(16).max(200_000), password: z.string().max(128) }),
  'settings.printTestPage': z.object({}),
  'settings.receiptLogo': z.object({}),
  'settings.setReceiptLogo': z.object({
    managerPin,
    imageBase64: z
      .string()
      .min(16)
      .max(Math.ceil(RECEIPT_LOGO_MAX_BYTES / 3) * 4),
  }),
  'settings.clearReceiptLogo': z.object({ managerPin }),
  'status.get': z.object({}),
  'contingency.list': z.object({}),
  'contingency.sendNow': z.object({}),
  'register.state': z.object({}),
  'register.open': z.object({ amountText, counts: DenominationCounts.optional() }),
  'register.movement': z.object({
    clientId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
    kind: z.enum(['sangria', 'suprimento']),
    amountText,
    reason: text(140, 3),
    managerPin: pin.optional(),
  }),
  'register.report': z.object({ managerPin: pin.optional() }),
  'register.print': z.object({ sessionId: z.number().int().positive().optional(), managerPin: pin.optional() }),
  'register.close': z.object({
    cashCounts: DenominationCounts,
    cardText: amountText,
    pixText: amountText,
    otherText: amountText,
    managerPin: pin.optional(),
  }),
  'register.closings': z.object({ managerPin: pin.optional() }),
  'register.zReport': z.object({ sessionId: z.number().int().positive(), managerPin: pin.optional() }),
  'register.cartCancelled': z.object({ lines: z.number().int().min(0).max(990), totalCents: z.number().int().min(0).max(1e12) }),
  'reports.period': z.object({ from: day, to: day, terminalId: terminalId.optional(), managerPin: pin.optional() }),
  'reports.csv': z.object({
    from: day,
    to: day,
    terminalId: terminalId.optional(),
    table: z.enum(['sales', 'methods', 'products', 'operators', 'hours', 'days']),
    managerPin: pin.optional(),
  }),
  'reports.monthExport': z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'mês no formato AAAA-MM' }), managerPin: pin.optional() }),
  'reports.gaps': z.object({ managerPin: pin.optional() }),
  'reports.inutilize': z.object({
    serie: z.string().regex(/^\d{1,3}$/),
    from: z.number().int().min(1).max(999_999_999),
    to: z.number().int().min(1).max(999_999_999),
    justificativa,
    managerPin: pin.optional(),
  }),
  'till.park': z.object({ cart: ParkedCart }),
  'till.parked': z.object({}),
  'till.recall': z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{4,64}$/) }),
  'pix.charge': z.object({ clientId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/), amountCents: z.number().int().min(1).max(20_000_000) }),
  'pix.staticCharge': z.object({ clientId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/), amountCents: z.number().int().min(1).max(20_000_000) }),
  'pix.cancel': z.object({ txid: z.string().regex(/^[A-Za-z0-9]{25,35}$/) }),
  'pix.forDraft': z.object({ clientId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) }),
  'pix.simulatePayment': z.object({ txid: z.string().regex(/^[A-Za-z0-9]{25,35}$/) }),
  'pix.attention': z.object({}),
  'pix.refund': z.object({ txid: z.string().regex(/^[A-Za-z0-9]{25,35}$/), managerPin }),
  'pix.reconcile': z.object({
    managerPin,
    hours: z
      .number()
      .int()
      .min(1)
      .max(24 * 31)
      .default(24),
  }),
  'settings.setPix': z.object({ managerPin, pix: PixSettings, credentials: PixCredentialsInput.optional() }),
  'settings.testPix': z.object({ managerPin }),
  'journal.check': z.object({ managerPin: pin.optional() }),
  'journal.backups': z.object({ managerPin: pin.optional() }),
  'journal.restore': z.object({
    file: z.string().regex(/^[a-z]{2,16}-\d{8}-\d{6}Z\.sqlite$/, { message: 'cópia de segurança desconhecida' }),
    managerPin: pin.optional(),
  }),
  'journal.crossCheck': z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'mês no formato AAAA-MM' }), managerPin: pin.optional() }),
  'journal.crossChecks': z.object({ managerPin: pin.optional() }),
  // The store server (issue #16): pairing, this lane's sync state, the store-wide views.
  'store.state': z.object({}),
  'store.pair': z.object({
    url: z
      .string()
      .trim()
      .min(1, { message: 'informe o endereço do servidor da loja' })
      .max(300)
      .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, { message: 'endereço no formato https://servidor:porta' }),
    code: z
      .string()
      .trim()
      .regex(/^\d{4}-?\d{4}$/, { message: 'código de pareamento no formato 1234-5678' })
      .transform((c) => (c.includes('-') ? c : `${c.slice(0, 4)}-${c.slice(4)}`)),
    laneName: z.string().trim().min(1, { message: 'dê um nome a este caixa' }).max(60),
    managerPin: pin.optional(),
  }),
  'store.unpair': z.object({ managerPin: pin.optional() }),
  'store.syncNow': z.object({}),
  'store.lanes': z.object({ managerPin: pin.optional() }),
  'store.reportDay': z.object({ day, managerPin: pin.optional() }),
  'store.reportMonth': z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'mês no formato AAAA-MM' }), managerPin: pin.optional() }),
} as const;

export type Channel = keyof typeof CHANNELS;
export type ChannelInput<C extends Channel> = z.input<(typeof CHANNELS)[C]>;
export type ChannelParsed<C extends Channel> = z.output<(typeof CHANNELS)[C]>;

export interface Bootstrap {
  phase: AppPhase;
  /** Phase 'secrets': what cannot be read and must be entered again. */
  secrets?: SecretsProblem;
  /** Phase 'journal': why the sales file cannot be used (code journal_damaged and the steps). */
  journal?: { code: string; message: string };
  status: StatusView;
  operators: OperatorView[];
  settings: PublicSettings;
  demo: boolean;
  /** Demo mode only: the sample operators and their PINs, shown on the login screen. */
  demoLogins?: { operatorId: string; name: string; pin: string }[];
}

/** This lane's sync with the store (main/store/sync.ts). */
export interface StoreSyncView {
  paired: boolean;
  storeName: string | null;
  storeUrl: string | null;
  laneName: string | null;
  laneId: string | null;
  pairedAtMs: number | null;
  lastPushMs: number | null;
  lastPullMs: number | null;
  /** Events not yet acknowledged by the store. */
  backlog: number;
  oldestUnsentAt: string | null;
  pullCursor: number | null;
  clockSkewMs: number | null;
  /** null: not paired; false: the last exchange failed. */
  reachable: boolean | null;
  error: { code: string; message: string } | null;
  /** How this lane shares the Focus budget: alone, leased from the store, or an even share (store down). */
  /** `reserve`: sends a minute this lane may make at once without the store; `waiting`: a sale waits for a credit now. */
  credits: { mode: 'alone' | 'lease' | 'reserve' | 'share'; share: number; reserve: number; waiting: boolean };
}

export interface ChannelOutputs {
  'session.bootstrap': Bootstrap;
  'auth.operators': OperatorView[];
  'auth.login': OperatorView;
  'auth.logout': null;
  'auth.verifyManager': { ok: true };
  'auth.changePin': { ok: true };
  'operators.list': OperatorRecord[];
  'operators.create': OperatorRecord;
  'operators.update': OperatorRecord;
  'operators.resetPin': { ok: true };
  'audit.list': AuditEntryView[];
  'setup.state': SetupState;
  'setup.chooseMode': SetupState;
  'setup.checkToken': TokenCheck;
  'setup.saveToken': SetupState;
  'setup.saveEmitter': SetupState;
  'setup.saveTaxProfiles': SetupState;
  'setup.saveFiscal': SetupState;
  'setup.importCertificate': SetupState;
  'setup.skipCertificate': SetupState;
  'setup.savePrinter': SetupState;
  'setup.testPrint': PrintResult;
  'setup.saveTerminal': SetupState;
  'setup.createManager': SetupState;
  'setup.acceptWeakStorage': SetupState;
  'setup.finish': { phase: AppPhase };
  'setup.recover': { phase: AppPhase };
  'secrets.provide': { phase: AppPhase; resent: ResendSummary | null };
  'preflight.run': PreflightReport;
  'catalog.search': ProductHit[];
  'catalog.lookup': CodeLookup | null;
  'catalog.update': Product;
  'catalog.list': { total: number; warmed: boolean; rows: { product: Product; issues: string[] }[] };
  'catalog.setActive': Product;
  'catalog.profiles': TaxProfile[];
  'catalog.saveProfile': TaxProfile[];
  'catalog.setLooseItem': LooseItemSettings;
  'catalog.addStarterProfiles': TaxProfile[];
  'catalog.upload': { received: number };
  'catalog.importOpen': ImportPreview;
  'catalog.importCheck': ImportCheck;
  'catalog.importCommit': ImportResult;
  'catalog.export': { exportId: string; fileName: string; size: number; chunks: number };
  'catalog.download': { data: string };
  'catalog.nfeOpen': NfePreview;
  'catalog.nfeApply': { created: number; updated: number };
  'sales.finalize': { saleId: number; emission: EmissionView };
  'sales.list': SaleSummary[];
  'sales.get': SaleDetail;
  'sales.resend': EmissionView;
  'sales.cancel': EmissionView;
  'sales.email': { ok: true };
  'sales.econf': EconfView;
  'sales.econfResolve': EconfView;
  'receipt.get': ReceiptView;
  'receipt.print': PrintResult;
  'printer.openDrawer': PrintResult;
  'printer.status': PrinterStatusView;
  'settings.get': PublicSettings;
  'settings.update': PublicSettings;
  'settings.setToken': PublicSettings & { resent?: ResendSummary };
  'settings.setCsc': PublicSettings;
  'settings.importCertificate': PublicSettings;
  'settings.printTestPage': PrintResult;
  'settings.receiptLogo': ReceiptLogoView | null;
  'settings.setReceiptLogo': ReceiptLogoView;
  'settings.clearReceiptLogo': null;
  'status.get': StatusView;
  'contingency.list': ContingencyItem[];
  'contingency.sendNow': { queued: number };
  'register.state': RegisterStateView;
  'register.open': RegisterStateView;
  'register.movement': { movement: MovementView; printed: PrintResult };
  'register.report': RegisterReport;
  'register.print': PrintResult;
  'register.close': ClosingResult;
  'register.closings': ZListItem[];
  /** A kept Z: the report, the cashier's declaration and the declared-vs-expected lines, and its paper text. */
  'register.zReport': { report: RegisterReport; declaration: Declaration; lines: ClosingLine[]; text: string };
  'register.cartCancelled': null;
  'reports.period': PeriodReport;
  'reports.csv': { filename: string; csv: string };
  'reports.monthExport': MonthExportResult;
  'reports.gaps': { gaps: NumberingGap[]; inutilizacoes: InutilizacaoView[] };
  'reports.inutilize': InutilizacaoView;
  'journal.check': JournalCheckView;
  'journal.backups': JournalBackupsView;
  'journal.restore': JournalRestoreView;
  'journal.crossCheck': CrossCheckView;
  'journal.crossChecks': CrossCheckView[];
  'till.park': ParkedSale;
  'till.parked': ParkedSale[];
  'till.recall': ParkedCart;
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
  'store.state': StoreSyncView;
  'store.pair': StoreSyncView;
  'store.unpair': StoreSyncView;
  'store.syncNow': StoreSyncView;
  'store.lanes': LanesResponse;
  'store.reportDay': StoreDayReport;
  'store.reportMonth': StoreMonthReport;
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
  /** Sent once per change of the status (never repeated with the same content). */
  'status.changed': StatusView;
  'export.progress': { month: string; done: number; total: number; phase: string };
  'print.changed': PrintChanged;
  'catalog.progress': ImportProgress;
  /**
   * Raised by a shell's own client (never by the core) when its link to the core came back: events
   * sent meanwhile were lost, so views that were still moving must be read again.
   */
  'session.resumed': StatusView;
  'pix.changed': PixChargeView;
}
export type EventName = keyof EventPayloads;

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
