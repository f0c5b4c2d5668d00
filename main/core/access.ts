// Who may call each channel, in one table the compiler keeps complete: a new channel without an
// entry does not build. 'public' needs nobody (login, bootstrap, first-run setup — each of those
// checks its own phase); 'operator' needs someone logged in; 'manager' needs a logged-in operator
// plus a manager's authority (the logged-in manager within the grace window, or a manager PIN).
import type { AppPhase, Channel } from '../../shared/contract.ts';

export type Access = 'public' | 'operator' | 'manager';

export const ACCESS: Record<Channel, Access> = {
  'session.bootstrap': 'public',
  'auth.operators': 'public',
  'auth.login': 'public',
  'auth.logout': 'public',
  'auth.verifyManager': 'operator',
  'auth.changePin': 'operator',
  'operators.list': 'manager',
  'operators.create': 'manager',
  'operators.update': 'manager',
  'operators.resetPin': 'manager',
  'audit.list': 'manager',
  'catalog.search': 'operator',
  'catalog.lookup': 'operator',
  'catalog.update': 'manager',
  // The register's screens page through data and move files in chunks: a logged-in manager
  // (checked by the handler); what changes the catalog needs a manager's authority.
  'catalog.list': 'operator',
  'catalog.profiles': 'operator',
  'catalog.upload': 'operator',
  'catalog.importOpen': 'operator',
  'catalog.importCheck': 'operator',
  'catalog.export': 'operator',
  'catalog.download': 'operator',
  'catalog.nfeOpen': 'operator',
  'catalog.setActive': 'manager',
  'catalog.saveProfile': 'manager',
  'catalog.setLooseItem': 'manager',
  'catalog.addStarterProfiles': 'manager',
  'catalog.importCommit': 'manager',
  'catalog.nfeApply': 'manager',
  'sales.finalize': 'operator',
  'sales.list': 'operator',
  'sales.get': 'operator',
  'sales.resend': 'operator',
  // A cashier may cancel with a manager's PIN; the handler asks for the manager.
  'sales.cancel': 'operator',
  'sales.email': 'operator',
  // The handler asks a cashier for the manager's PIN (the cancel rule).
  'sales.econf': 'operator',
  'sales.econfResolve': 'manager',
  'receipt.get': 'operator',
  'receipt.print': 'operator',
  // Manager's PIN checked by the handler when a cashier asks.
  'printer.openDrawer': 'operator',
  'printer.status': 'operator',
  'settings.get': 'operator',
  'settings.update': 'manager',
  'settings.setToken': 'manager',
  'settings.setCsc': 'manager',
  'settings.importCertificate': 'manager',
  'settings.printTestPage': 'operator',
  'settings.receiptLogo': 'operator',
  'settings.setReceiptLogo': 'manager',
  'settings.clearReceiptLogo': 'manager',
  'status.get': 'public',
  'contingency.list': 'operator',
  'contingency.sendNow': 'operator',
  'setup.state': 'public',
  'setup.chooseMode': 'public',
  'setup.checkToken': 'public',
  'setup.saveToken': 'public',
  'setup.saveEmitter': 'public',
  'setup.saveTaxProfiles': 'public',
  'setup.saveFiscal': 'public',
  'setup.importCertificate': 'public',
  'setup.skipCertificate': 'public',
  'setup.savePrinter': 'public',
  'setup.testPrint': 'public',
  'setup.saveTerminal': 'public',
  'setup.createManager': 'public',
  'setup.acceptWeakStorage': 'public',
  'setup.finish': 'public',
  'setup.recover': 'public',
  'secrets.provide': 'public',
  'preflight.run': 'operator',
  'pix.charge': 'operator',
  'pix.staticCharge': 'operator',
  'pix.cancel': 'operator',
  'pix.forDraft': 'operator',
  'pix.simulatePayment': 'operator',
  'pix.attention': 'operator',
  'pix.refund': 'manager',
  'pix.reconcile': 'manager',
  'settings.setPix': 'manager',
  'settings.testPix': 'manager',
  'till.park': 'operator',
  'till.parked': 'operator',
  'till.recall': 'operator',
  // The register: the cashier opens it and sees whether it is open; everything that moves money or
  // shows expected amounts needs the manager (the handlers ask again and keep who approved).
  'register.state': 'operator',
  'register.open': 'operator',
  'register.cartCancelled': 'operator',
  'register.movement': 'manager',
  'register.report': 'manager',
  'register.print': 'manager',
  'register.close': 'manager',
  'register.closings': 'manager',
  'register.zReport': 'manager',
  'reports.period': 'manager',
  'reports.csv': 'manager',
  'reports.monthExport': 'manager',
  'reports.gaps': 'manager',
  'reports.inutilize': 'manager',
  'journal.check': 'manager',
  'journal.crossCheck': 'manager',
  'journal.crossChecks': 'manager',
  // The guided restore also runs when the journal is damaged and nobody can log in (phase 'journal'):
  // the handler asks for the manager (the logged-in one in the grace window, or a manager PIN).
  'journal.backups': 'public',
  'journal.restore': 'public',
  // The store: pairing and unpairing, and everything the store tells about other lanes, are the manager's.
  'store.state': 'manager',
  'store.pair': 'manager',
  'store.unpair': 'manager',
  'store.syncNow': 'manager',
  'store.lanes': 'manager',
  'store.reportDay': 'manager',
  'store.reportMonth': 'manager',
};

/** Channels a terminal answers before it is ready to sell, per phase. */
export function allowedInPhase(channel: Channel, phase: AppPhase): boolean {
  if (phase === 'ready')
    return !channel.startsWith('setup.') || channel === 'setup.state' || channel === 'setup.acceptWeakStorage' || channel === 'setup.checkToken';
  if (channel === 'session.bootstrap' || channel === 'status.get') return true;
  if (phase === 'setup') return channel.startsWith('setup.') && channel !== 'setup.recover';
  if (phase === 'recovery') return channel === 'setup.recover';
  if (phase === 'journal') return channel === 'journal.backups' || channel === 'journal.restore' || channel === 'auth.operators';
  // secrets: the manager proves who they are with their PIN and enters the secrets again.
  return channel === 'secrets.provide' || channel === 'auth.operators' || channel === 'setup.checkToken' || channel === 'setup.acceptWeakStorage';
}
