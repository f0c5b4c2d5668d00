// Everything a handler may use, in one object: the long-lived services and the current profile.
import type { AppPhase, OperatorView, PublicSettings, SecretsProblem, StatusView } from '../../shared/contract.ts';
import type { Emitter, Environment } from '../../shared/sale.ts';
import type { OperatorDirectory } from '../auth/operators.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { CatalogWorkspace } from '../catalog/import/workspace.ts';
import type { SettingsService } from '../settings/settings.ts';
import { SECRET_NAMES, type SecretVault } from '../secrets/vault.ts';
import { FOCUS_URLS } from '../settings/schema.ts';
import { PIX_SECRET } from '../pix/source.ts';
import { PosFailure } from './errors.ts';
import type { EventBus } from './events.ts';
import type { Profile } from './profile.ts';
import type { ReceiptPort } from './ports.ts';
import type { AutoPrint } from './auto-print.ts';
import type { ParkedSales } from './parked.ts';
import type { StoreSync } from '../store/sync.ts';
import type { ReceiptLogoStore } from '../printing/logo.ts';

export interface Session {
  operator: OperatorView | null;
  /** When the logged-in manager last typed their PIN (login or override): the grace window. */
  managerAuthAt: number | null;
  /** Last call from the till; the session locks after settings.idleLockMinutes without one. */
  lastActivityAt: number;
}

export interface Services {
  settings: SettingsService;
  vault: SecretVault;
  operators: OperatorDirectory;
  catalog: Catalog;
  /** The real profile's catalog, opened for the first-run setup (before the profile itself opens). */
  realCatalog(): Catalog;
  /** Imports, exports and supplier NF-e in progress. */
  catalogWork: CatalogWorkspace;
  events: EventBus;
  receipts: ReceiptPort | null;
  /** The optional logo on top of the DANFCe: a file of the data dir, never in settings.json. */
  receiptLogo: ReceiptLogoStore;
  clock: () => number;
  /** Health of the last print, for the status bar. */
  printer: { ok: boolean; message: string | null };
  session: Session;
  /** Emit status.changed once, on a later turn (coalesces bursts of changes). */
  statusSoon(): void;
  /** Receipts that print themselves once their note is authorized (settings.autoPrint). */
  autoPrint: AutoPrint;
  /** The store server link (pairing, push/pull, Focus credits); idle when not paired. */
  store: StoreSync;
  /** Sales put aside at the till, for the current profile. */
  parked(): ParkedSales;
  /** The live profile; throws while it is being switched or before setup finished. */
  profile(): Profile;
  /** Reopen the profile after a token or environment change (demo ↔ real). */
  reopenProfile(): Promise<void>;
  /**
   * Closes the profile, runs fn (a journal file swap), and decides the phase again; fn's error is
   * rethrown after the profile was reopened (or the 'journal' phase entered).
   */
  replaceJournal(fn: () => void | Promise<void>): Promise<AppPhase>;
  /** Phase 'journal': why the sales file cannot be opened. */
  journalProblem(): { code: string; message: string } | null;
  /** The profile whose journal is (or would be) open: 'demo', 'homologacao' or 'producao'. */
  profileKey(): 'demo' | Environment;
  /** Where the terminal stands (setup, recovery, secrets, journal, ready). */
  phase(): AppPhase;
  secretsProblem(): SecretsProblem | null;
  /** Re-evaluates the phase from settings and secrets and opens the profile when it can. */
  enter(): Promise<AppPhase>;
  dataDir: string;
  /** Options the core was built with that setup needs (CA of a test Focus). */
  focusCa: string | undefined;
  log(line: string): void;
}

export function requireOperator(s: Pick<Services, 'session'>): OperatorView {
  if (!s.session.operator) throw new PosFailure('login_required', 'Nenhum operador no caixa. Entre com seu PIN para continuar.');
  return s.session.operator;
}

/**
 * A manager's authority: the logged-in manager within the grace window (they typed their PIN a
 * moment ago), else a manager PIN typed now. The PIN path refreshes the window of that manager.
 */
/** What checking a manager's authority reads. */
export type ManagerDeps = Pick<Services, 'session' | 'settings' | 'clock' | 'operators'>;

export async function requireManager(s: ManagerDeps, pin: string | undefined): Promise<OperatorView> {
  const me = s.session.operator;
  const graceMs = s.settings.get().managerGraceSeconds * 1000;
  if (me?.role === 'manager' && s.session.managerAuthAt !== null && s.clock() - s.session.managerAuthAt <= graceMs) {
    return me;
  }
  if (!pin) {
    throw new PosFailure('manager_required', 'Esta operação precisa da autorização do gerente. Peça ao gerente que digite o PIN.');
  }
  const manager = await s.operators.verifyManager(pin);
  if (me && manager.id === me.id) s.session.managerAuthAt = s.clock();
  return manager;
}

/** The shop's regime (CRT): the live profile's emitter, else the saved one, else Simples Nacional. */
export function shopCrt(s: Pick<Services, 'profile' | 'settings'>): Emitter['crt'] {
  try {
    return s.profile().emitter().crt;
  } catch {
    return s.settings.get().emitter?.crt ?? 1;
  }
}

export function currentEmitter(s: Pick<Services, 'profile'>): Emitter {
  return s.profile().emitter();
}

export async function hasSecret(s: Pick<Services, 'vault'>, name: string): Promise<boolean> {
  try {
    return (await s.vault.get(name)) !== null;
  } catch {
    return false;
  }
}

/** What the manager's settings view reads (secrets only as "is there one"). */
export type PublicSettingsDeps = Pick<Services, 'settings' | 'vault' | 'phase' | 'profile'>;

export async function publicSettings(s: PublicSettingsDeps): Promise<PublicSettings> {
  const st = s.settings.get();
  const has = (env: Environment) => hasSecret(s, SECRET_NAMES.token(env));
  const csc = (env: Environment) => hasSecret(s, SECRET_NAMES.csc(env));
  const [prod, hom, cscProd, cscHom] = await Promise.all([has('producao'), has('homologacao'), csc('producao'), csc('homologacao')]);
  const demo = s.phase() === 'ready' && s.profile().demo;
  const pixCreds = await s.vault.get(PIX_SECRET).catch(() => null);
  return {
    environment: st.environment,
    // The demo shop's emitter belongs to the demo profile only; a real one shows its own (or none).
    emitter: demo ? s.profile().emitter() : st.emitter,
    serie: st.serie,
    contingencySerie: st.contingencySerie,
    terminalId: st.terminalId,
    hasToken: { producao: prod, homologacao: hom },
    certificate: st.certificate,
    discountLimitBp: st.discountLimitBp,
    authorizationDeadlineMs: st.authorizationDeadlineMs,
    printer: st.printer,
    qrVersion: st.qrVersion,
    scaleLabel: st.scaleLabel,
    ibsCbsEarlyStart: st.ibsCbsEarlyStart,
    econfAfterAuthorization: st.econfAfterAuthorization,
    pisCofinsRegime: st.pisCofinsRegime,
    looseItem: st.looseItem,
    scaleFormat: st.scaleFormat,
    backupDir: st.backupDir,
    cscId: { ...st.cscId },
    hasCsc: { producao: cscProd, homologacao: cscHom },
    focusUrl: { ...st.focusUrls },
    idleLockMinutes: st.idleLockMinutes,
    cancelItemApprovalAboveCents: st.cancelItemApprovalAboveCents,
    cancelSaleApprovalAboveCents: st.cancelSaleApprovalAboveCents,
    managerGraceSeconds: st.managerGraceSeconds,
    secretStorage: s.vault.protection,
    weakStorageAccepted: st.weakStorageAccepted,
    autoPrint: st.autoPrint,
    keyMap: st.keyMap,
    pix: { ...st.pix, hasCredentials: pixCreds !== null, certificateExpiresAt: st.pixCertificateExpiresAt },
  };
}

export function focusBaseUrl(s: Pick<Services, 'settings'>, env: Environment): string {
  return s.settings.get().focusUrls[env] ?? FOCUS_URLS[env];
}

/** The status bar's view; before the profile opens (setup, recovery) an idle one. */
/** What the status bar's view reads. */
export type StatusDeps = Pick<Services, 'settings' | 'printer' | 'vault' | 'phase' | 'profile' | 'session'>;

export function statusView(s: StatusDeps): StatusView {
  const st = s.settings.get();
  const printer = {
    name: printerName(st.printer),
    ok: st.printer.kind === 'none' ? true : s.printer.ok,
    message: st.printer.kind === 'none' ? null : s.printer.message,
  };
  const weakStorage = s.vault.protection === 'weak';
  if (s.phase() !== 'ready') {
    return {
      environment: st.environment,
      demo: false,
      link: 'offline',
      pendingNotes: 0,
      contingencyNotes: 0,
      problemNotes: 0,
      oldestContingencyHoursLeft: null,
      operator: s.session.operator,
      printer,
      weakStorage,
    };
  }
  const p = s.profile();
  return {
    environment: p.environment,
    demo: p.demo,
    link: p.link(),
    ...noteCounts(s),
    problemNotes: p.sales.problems?.() ?? 0,
    operator: s.session.operator,
    printer,
    weakStorage,
    journal: p.sales.problem?.() ?? null,
  };
}

function noteCounts(s: Pick<Services, 'profile'>): Pick<StatusView, 'pendingNotes' | 'contingencyNotes' | 'oldestContingencyHoursLeft'> {
  return s.profile().sales.contingency.counts();
}

function printerName(p: PublicSettings['printer']): string {
  switch (p.kind) {
    case 'none':
      return 'Sem impressora';
    case 'network':
      return `Rede ${p.host ?? '?'}:${p.port ?? 9100}`;
    case 'os':
      return p.deviceName ?? 'Impressora do sistema';
  }
}
