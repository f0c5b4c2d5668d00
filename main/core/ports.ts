// The narrow seams between the core and the modules other parts own (journal + emission engine,
// receipts and printing, contingency, the sandbox). The core only talks to these interfaces;
// main/core/adapters/ binds them to the real modules.
import type { JournalCheckResult } from '../db/journal-check.ts';
import type { ContingencyItem, CrossCheckView, EconfPaymentInput, EconfView, LinkState, PrintResult, ReceiptView, SaleDetail } from '../../shared/contract.ts';
import type { EmissionView } from '../../shared/emission.ts';
import type { Emitter, Environment, Product } from '../../shared/sale.ts';
import type { AuditEntry, AuditInput, NewSale } from '../db/types.ts';
import type { AuditFilter } from '../db/audit-repo.ts';
import type { FocusApi } from '../focus/types.ts';
import type { Settings } from '../settings/schema.ts';
import type { PrintJobKind, PrintJobState } from '../../shared/contract.ts';
import type { SecretVault } from '../secrets/vault.ts';
import type { VoucherLine } from '../printing/voucher.ts';
import type { PixService } from '../pix/service.ts';
import type { PixSource } from '../pix/source.ts';
import type { PixChargeView } from '../../shared/pix/charge.ts';
import type { CreditGate } from '../store/credits.ts';
import type { PrinterStatusView } from '../../shared/printing/status.ts';

/** A sale already checked and priced by main (main/sales/prepare.ts), ready to commit. */
export interface FinalizeInput {
  sale: NewSale;
  audit: AuditInput[];
  /** false: answer once the sale is committed; the note is sent in the background. */
  wait?: boolean;
}

import type { JournalSaleSummary, SaleListQuery } from '../db/types.ts';

export type SalesSummaryRow = JournalSaleSummary;
export type SalesListQuery = SaleListQuery;

/** The journal and the emission engine, as the checkout needs them. */
export interface SalesPort {
  /** Resolve every open emission before taking sales (restart recovery). */
  start(): Promise<void>;
  /** created is false when the clientId had already been committed (a resent finalize). */
  finalize(input: FinalizeInput): Promise<{ saleId: number; emission: EmissionView; created?: boolean }>;
  list(q: SalesListQuery): SalesSummaryRow[];
  detail(saleId: number): SaleDetail;
  resend(saleId: number, actorId: string): Promise<EmissionView>;
  cancel(saleId: number, justificativa: string, actorId: string): Promise<EmissionView>;
  email(saleId: number, emails: string[], actorId: string): Promise<void>;
  econf(saleId: number, payments: EconfPaymentInput[], actorId: string): Promise<EconfView>;
  /** An ECONF left unknown: confirmed at Focus by its protocol, or sent again (journaled). */
  econfResolve(econfId: number, how: { kind: 'check'; protocolo: string } | { kind: 'resend' }, actorId: string): Promise<EconfView>;
  /** True only the first time the drawer is claimed for a sale (journaled): one opening per cash sale, never on a reprint. */
  claimDrawer(saleId: number): boolean;
  /** Sales whose latest note was rejected (they stay in sight until someone resends them). */
  problems?(): number;
  /** Those sales with their latest note, newest first. */
  problemSales?(): { sale: SaleDetail['sale']; emission: EmissionView }[];
  audit(actorId: string, action: string, details: Record<string, unknown>, saleId?: number | null): void;
  /** The audit trail, newest first. */
  auditQuery(filter: AuditFilter): AuditEntry[];
  /** Sales parked as blocked because Focus refused the token (401/403), oldest first. */
  blockedByToken(): number[];
  /** SQLite's quick_check of the journal: true when intact. */
  integrity(): boolean;
  /** The full check on demand: PRAGMA integrity_check and the journal's invariants (off the main thread). */
  checkJournal?(): Promise<JournalCheckResult>;
  /** Compares one month ('YYYY-MM') of the journal with Focus's backup; journaled as a side effect. */
  crossCheck?(month: string, actorId: string): Promise<CrossCheckView>;
  /** The latest cross-checks, newest first. */
  crossChecks?(): CrossCheckView[];
  onEmission(listener: (view: EmissionView) => void): () => void;
  /** The journal's own trouble (disk full, rolled back, backups failing), or null. */
  problem?(): { code: string; message: string } | null;
  /** Called when problem() may have changed. */
  onProblem?(listener: () => void): () => void;
  /** Runs a Focus call on the background lane of the shared rate budget (XML downloads for exports). */
  background?<T>(fn: () => Promise<T>): Promise<T>;
  /** The offline flow of this profile (link state, panel, counts). */
  contingency: ProfileContingency;
  /** PIX charges of this profile (they live in its journal file). */
  pix: PixService;
  /** The sale a draft became, if it was committed. */
  saleIdForClient(clientId: string): number | null;
  close(): Promise<void>;
}

export interface ProfileContingency {
  list(): ContingencyItem[];
  sendNow(): Promise<{ queued: number }>;
  /** Validates the A1 (.pfx + password) and stores both in the vault; throws CertificateError (pt-BR). */
  importCertificate(pfx: Uint8Array, password: string): Promise<{ subject: string; expiresAt: string }>;
  counts(): { pendingNotes: number; contingencyNotes: number; oldestContingencyHoursLeft: number | null };
  link(): LinkState;
  onLink(listener: () => void): () => void;
}

/** What a sales port needs to exist: one per environment profile (demo, homologação, produção). */
export interface SalesPortOptions {
  journalPath: string;
  archiveDir: string;
  focus: FocusApi;
  environment: Environment;
  /** Live settings (emitter, série, deadline…) read at each sale. */
  settings: () => Settings;
  emitter: () => Emitter;
  vault: SecretVault;
  clock: () => number;
  demo: boolean;
  /** The current catalog entry (the engine rebuilds a rejected note from corrected data). */
  getProduct: (id: string) => Product | null;
  focusBaseUrl: string;
  focusCa?: string;
  /** CSC for the QR v2 fallback (the sandbox's in demo mode), or null. */
  csc: { id: string; csc: string } | null;
  /** Prints a contingency receipt (two copies) as soon as it is issued. */
  printSale?: (saleId: number) => void;
  /** The profile's PSP (settings + vault, or the demo's simulator). */
  pix: PixSource;
  /** PIX charge changes, for the screens. */
  onPix: (view: PixChargeView) => void;
  /** This lane's share of the Focus budget when several lanes use the token (main/store/credits.ts). */
  credits?: CreditGate;
  log: (line: string) => void;
}
export type SalesPortFactory = (opts: SalesPortOptions) => Promise<SalesPort>;

export interface ReceiptPort {
  html(detail: SaleDetail, settings: Settings, emitter: Emitter): Promise<ReceiptView>;
  /** firstPrint: the sale's first print (the cash drawer opens if it was paid in cash); reprints never open it. */
  print(detail: SaleDetail, settings: Settings, emitter: Emitter, opts?: { firstPrint?: boolean }): Promise<PrintResult>;
  printTestPage(settings: Settings, emitter: Emitter | null): Promise<PrintResult>;
  /** Queues a drawer kick on the receipt printer (a cash sale, or the manager's "abrir gaveta" with saleId null); the job id, or null when it has no drawer port. */
  openDrawer?(saleId: number | null, settings: Settings): string | null;
  /** Non-fiscal register paper (sangria, suprimento, X, Z): printed now, kept in the journal either way. */
  printVoucher?(lines: readonly VoucherLine[], settings: Settings): Promise<PrintResult>;
  /** Asks the printer itself (paper, cover, near-end) now; absent where the port cannot. */
  printerStatus?(settings: Settings): Promise<PrinterStatusView>;
  /** Every state of every queued job (queued, printing, retrying, done, failed), for 'print.changed'. */
  onPrint(listener: (e: PrintEvent) => void): () => void;
  close(): Promise<void>;
}

export interface PrintEvent {
  saleId: number | null;
  ok: boolean;
  message: string | null;
  jobId?: string;
  kind?: PrintJobKind;
  state?: PrintJobState;
  code?: string | null;
}

/** keepWarm false: no idle pings (a lane sharing its token with other lanes spends credits only through the scheduler). */
export type FocusFactory = (opts: { baseUrl: string; token: string; ca?: string; clock: () => number; keepWarm?: boolean }) => FocusApi;
