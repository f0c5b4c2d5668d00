// Everything a handler may use, in one object: the long-lived services and the current profile.
import type { OperatorView, PublicSettings, StatusView } from '../../shared/contract.ts';
import type { Emitter } from '../../shared/sale.ts';
import type { OperatorDirectory } from '../auth/operators.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { SettingsService } from '../settings/settings.ts';
import { SECRET_NAMES, type SecretVault } from '../secrets/vault.ts';
import { PIX_SECRET } from '../pix/source.ts';
import { PosFailure } from './errors.ts';
import type { EventBus } from './events.ts';
import type { Profile } from './profile.ts';
import type { ReceiptPort } from './ports.ts';

export interface Services {
  settings: SettingsService;
  vault: SecretVault;
  operators: OperatorDirectory;
  catalog: Catalog;
  events: EventBus;
  receipts: ReceiptPort | null;
  clock: () => number;
  /** Health of the last print, for the status bar. */
  printer: { ok: boolean; message: string | null };
  session: { operator: OperatorView | null };
  /** The live profile; throws while it is being switched. */
  profile(): Profile;
  /** Reopen the profile after a token or environment change (demo ↔ real). */
  reopenProfile(): Promise<void>;
  log(line: string): void;
}

export function requireOperator(s: Services): OperatorView {
  if (!s.session.operator) throw new PosFailure('login_required', 'Nenhum operador no caixa. Entre com seu PIN para continuar.');
  return s.session.operator;
}

export async function requireManager(s: Services, pin: string | undefined): Promise<OperatorView> {
  if (!pin) throw new PosFailure('manager_required', 'Esta operação precisa da autorização do gerente. Peça ao gerente que digite o PIN.');
  return s.operators.verifyManager(pin);
}

export function currentEmitter(s: Services): Emitter {
  return s.profile().emitter();
}

export async function publicSettings(s: Services): Promise<PublicSettings> {
  const st = s.settings.get();
  const [prod, hom, pixCreds] = await Promise.all([s.vault.get(SECRET_NAMES.token('producao')), s.vault.get(SECRET_NAMES.token('homologacao')), s.vault.get(PIX_SECRET)]);
  return {
    environment: st.environment,
    emitter: st.emitter,
    serie: st.serie,
    contingencySerie: st.contingencySerie,
    terminalId: st.terminalId,
    hasToken: { producao: prod !== null, homologacao: hom !== null },
    certificate: st.certificate,
    discountLimitBp: st.discountLimitBp,
    authorizationDeadlineMs: st.authorizationDeadlineMs,
    printer: st.printer,
    qrVersion: st.qrVersion,
    scaleLabel: st.scaleLabel,
    pix: { ...st.pix, hasCredentials: pixCreds !== null, certificateExpiresAt: st.pixCertificateExpiresAt },
  };
}

export function statusView(s: Services): StatusView {
  const p = s.profile();
  const st = s.settings.get();
  return {
    environment: p.environment,
    demo: p.demo,
    link: p.link(),
    ...noteCounts(s),
    operator: s.session.operator,
    printer: { name: printerName(st.printer), ok: st.printer.kind === 'none' ? true : s.printer.ok, message: st.printer.kind === 'none' ? null : s.printer.message },
  };
}

function noteCounts(s: Services): Pick<StatusView, 'pendingNotes' | 'contingencyNotes' | 'oldestContingencyHoursLeft'> {
  const p = s.profile();
  if (p.sales.contingency) return p.sales.contingency.counts();
  const c = p.sales.counts();
  return {
    pendingNotes: c.pending,
    contingencyNotes: c.contingency,
    oldestContingencyHoursLeft: c.oldestContingencyMs === null
      ? null
      : Math.max(0, Math.floor((c.oldestContingencyMs + 24 * 3_600_000 - s.clock()) / 3_600_000)),
  };
}

function printerName(p: PublicSettings['printer']): string {
  switch (p.kind) {
    case 'none': return 'Sem impressora';
    case 'network': return `Rede ${p.host ?? '?'}:${p.port ?? 9100}`;
    case 'os': return p.deviceName ?? 'Impressora do sistema';
  }
}
