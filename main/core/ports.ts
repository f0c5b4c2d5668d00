// The narrow seams between the core and the modules other parts own (journal + emission engine,
// receipts and printing, contingency, the sandbox). The core only talks to these interfaces;
// main/core/adapters/ binds them to the real modules.
import type { ContingencyItem, LinkState, PrintResult, ReceiptView, SaleDetail } from '../../shared/contract.ts';
import type { EmissionView } from '../../shared/emission.ts';
import type { Emitter, Environment, Product } from '../../shared/sale.ts';
import type { AuditInput, NewSale } from '../db/types.ts';
import type { FocusApi } from '../focus/types.ts';
import type { Settings } from '../settings/schema.ts';
import type { SecretVault } from '../secrets/vault.ts';
import type { PixService } from '../pix/service.ts';
import type { PixSource } from '../pix/source.ts';
import type { PixChargeView } from '../../shared/pix/charge.ts';

/** A sale already checked and priced by main (main/sales/prepare.ts), ready to commit. */
export interface FinalizeInput {
  sale: NewSale;
  audit: AuditInput[];
}

import type { JournalSaleSummary, SaleListQuery } from '../db/types.ts';

export type SalesSummaryRow = JournalSaleSummary;
export type SalesListQuery = SaleListQuery;

export interface NoteCounts {
  /** Sales whose note is not final (pending, sending, unknown, contingency, blocked…). */
  pending: number;
  contingency: number;
  /** Epoch ms of the oldest contingency note still to transmit, or null. */
  oldestContingencyMs: number | null;
}

/** The journal and the emission engine, as the checkout needs them. */
export interface SalesPort {
  /** Resolve every open emission before taking sales (restart recovery). */
  start(): Promise<void>;
  finalize(input: FinalizeInput): Promise<{ saleId: number; emission: EmissionView }>;
  list(q: SalesListQuery): SalesSummaryRow[];
  detail(saleId: number): SaleDetail;
  resend(saleId: number, actorId: string): Promise<EmissionView>;
  cancel(saleId: number, justificativa: string, actorId: string): Promise<EmissionView>;
  email(saleId: number, emails: string[], actorId: string): Promise<void>;
  counts(): NoteCounts;
  audit(actorId: string, action: string, details: Record<string, unknown>, saleId?: number | null): void;
  onEmission(listener: (view: EmissionView) => void): () => void;
  /** The offline flow of this profile (absent when it is not wired). */
  contingency?: ProfileContingency;
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
  log: (line: string) => void;
}
export type SalesPortFactory = (opts: SalesPortOptions) => Promise<SalesPort>;

export interface ReceiptPort {
  html(detail: SaleDetail, settings: Settings, emitter: Emitter): Promise<ReceiptView>;
  print(detail: SaleDetail, settings: Settings, emitter: Emitter): Promise<PrintResult>;
  printTestPage(settings: Settings, emitter: Emitter): Promise<PrintResult>;
  /** Later outcomes of queued prints (printed, retrying, failed), for 'print.changed'. */
  onPrint(listener: (e: { saleId: number | null; ok: boolean; message: string | null }) => void): () => void;
  close(): Promise<void>;
}

export type FocusFactory = (opts: { baseUrl: string; token: string; ca?: string; clock: () => number }) => FocusApi;
