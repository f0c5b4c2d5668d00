import { SECRET_NAMES, utf8 } from '../../secrets/vault.ts';
import { currentEmitter, publicSettings, requireManager, type Services } from '../services.ts';
import { receipts } from './receipt.ts';
import type { Handlers } from './types.ts';

type SettingsDeps = Pick<Services, 'operators' | 'settings' | 'vault' | 'profile' | 'reopenProfile' | 'publishStatus' | 'receipts'>;

export const settingsHandlers: Handlers<'settings.get' | 'settings.update' | 'settings.setToken' | 'settings.importCertificate' | 'settings.printTestPage', SettingsDeps> = {
  'settings.get'(_input, s) {
    return publicSettings(s);
  },
  async 'settings.update'(input, s) {
    const manager = await requireManager(s, input.managerPin);
    const before = s.settings.get();
    const after = s.settings.update(input.patch);
    audit(s, manager.id, { changed: Object.keys(input.patch) });
    if (before.environment !== after.environment) await s.reopenProfile();
    s.publishStatus();
    return publicSettings(s);
  },
  async 'settings.setToken'(input, s) {
    const manager = await requireManager(s, input.managerPin);
    await s.vault.set(SECRET_NAMES.token(input.environment), utf8.encode(input.token));
    // Never the token itself in the audit trail: only that it was replaced.
    audit(s, manager.id, { tokenReplaced: input.environment });
    if (input.environment === s.settings.get().environment) await s.reopenProfile();
    s.publishStatus();
    return publicSettings(s);
  },
  async 'settings.importCertificate'(input, s) {
    const manager = await requireManager(s, input.managerPin);
    const pfx = new Uint8Array(Buffer.from(input.pfxBase64, 'base64'));
    // Validates file, password and key, then stores both in the vault (never in settings).
    const meta = await s.profile().sales.contingency.importCertificate(pfx, input.password);
    s.settings.update({ certificate: meta });
    audit(s, manager.id, { certificate: meta.subject, expiresAt: meta.expiresAt });
    return publicSettings(s);
  },
  async 'settings.printTestPage'(_input, s) {
    return receipts(s).printTestPage(s.settings.get(), currentEmitter(s));
  },
};

function audit(s: Pick<Services, 'profile'>, actor: string, details: Record<string, unknown>): void {
  try {
    s.profile().sales.audit(actor, 'settings_change', details);
  } catch {
    // Auditing lives in the journal; it must not undo a change already saved.
  }
}
