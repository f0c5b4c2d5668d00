import { SECRET_NAMES, utf8 } from '../../secrets/vault.ts';
import { contingencyOf } from './contingency.ts';
import { publicSettings, statusView, type PublicSettingsDeps, type Services, type StatusDeps } from '../services.ts';
import { resendBlockedByToken } from './resend-blocked.ts';
import { liveCheck } from './setup.ts';
import { PosFailure } from '../errors.ts';
import { receipts } from './receipt.ts';
import type { Handlers } from './types.ts';
import { ACTION_INFO, keyMapConflicts, resolveKeyMap, type KeyMapOverrides } from '../../../shared/keymap.ts';

/** Settings and secrets, the profile they reopen, and a live token check against Focus. */
type SettingsDeps = StatusDeps & PublicSettingsDeps & Pick<Services, 'events' | 'reopenProfile' | 'receipts' | 'focusCa' | 'clock'>;

export const settingsHandlers: Handlers<
  'settings.get' | 'settings.update' | 'settings.setToken' | 'settings.setCsc' | 'settings.importCertificate' | 'settings.printTestPage',
  SettingsDeps
> = {
  'settings.get'(_input, s) {
    return publicSettings(s);
  },
  async 'settings.update'(input, s, ctx) {
    const manager = ctx.actor!;
    if (input.patch.keyMap) refuseKeyConflicts(input.patch.keyMap);
    const before = s.settings.get();
    const { cscId, focusUrl, ...rest } = input.patch;
    const env = rest.environment ?? before.environment;
    const focusUrls = { ...before.focusUrls };
    if (focusUrl !== undefined) {
      if (focusUrl === '') delete focusUrls[env];
      else focusUrls[env] = focusUrl;
    }
    const after = s.settings.update({
      ...rest,
      ...(cscId !== undefined ? { cscId: { ...before.cscId, [env]: cscId } } : {}),
      ...(focusUrl !== undefined ? { focusUrls } : {}),
    });
    audit(s, manager.id, { changed: Object.keys(input.patch) });
    if (before.environment !== after.environment || focusUrl !== undefined || cscId !== undefined) await s.reopenProfile();
    s.events.emit('status.changed', statusView(s));
    return publicSettings(s);
  },
  async 'settings.setToken'(input, s, ctx) {
    const manager = ctx.actor!;
    if (s.profile().demo) {
      throw new PosFailure(
        'demo_profile',
        'A demonstração não guarda tokens de verdade. Para emitir notas da sua loja, use "Configurar a loja de verdade" em Configurações.',
      );
    }
    // A token Focus refuses is not stored (the old one keeps working); unreachable is allowed.
    const r = await liveCheck(s, input.environment, input.token, undefined);
    if (r.check.status === 'invalid') throw new PosFailure('token_invalid', r.check.message, [{ path: 'token', message: r.check.message }]);
    await s.vault.set(SECRET_NAMES.token(input.environment), utf8.encode(input.token));
    // Never the token itself in the audit trail: only that it was replaced.
    audit(s, manager.id, { tokenReplaced: input.environment });
    const current = input.environment === s.settings.get().environment;
    if (current) await s.reopenProfile();
    s.events.emit('status.changed', statusView(s));
    const resent = current && r.check.status === 'valid' && !s.profile().demo ? await resendBlockedByToken(s, manager.id) : null;
    if (resent) s.events.emit('status.changed', statusView(s));
    return { ...(await publicSettings(s)), ...(resent ? { resent } : {}) };
  },
  async 'settings.setCsc'(input, s, ctx) {
    const env = s.settings.get().environment;
    await s.vault.set(SECRET_NAMES.csc(env), utf8.encode(input.csc));
    audit(s, ctx.actor!.id, { cscReplaced: env });
    await s.reopenProfile();
    return publicSettings(s);
  },
  async 'settings.importCertificate'(input, s, ctx) {
    const manager = ctx.actor!;
    const pfx = new Uint8Array(Buffer.from(input.pfxBase64, 'base64'));
    // Validates file, password and key, then stores both in the vault (never in settings).
    const meta = await contingencyOf(s).importCertificate(pfx, input.password);
    // With a certificate, QR v3 (signed by it) becomes the default: no CSC needed offline.
    s.settings.update({ certificate: meta, qrVersion: 3 });
    audit(s, manager.id, { certificate: meta.subject, expiresAt: meta.expiresAt });
    return publicSettings(s);
  },
  async 'settings.printTestPage'(_input, s) {
    const st = s.settings.get();
    return receipts(s).printTestPage(st, st.emitter);
  },
};

function audit(s: Pick<Services, 'profile'>, actor: string, details: Record<string, unknown>): void {
  try {
    s.profile().sales.audit(actor, 'settings_change', details);
  } catch {
    // Auditing lives in the journal; it must not undo a change already saved.
  }
}

function refuseKeyConflicts(overrides: KeyMapOverrides): void {
  const conflict = keyMapConflicts(resolveKeyMap(overrides))[0];
  if (!conflict) return;
  const [a, b] = conflict.actions;
  throw new PosFailure(
    'key_conflict',
    `A tecla ${conflict.key} ficaria com duas funções (${ACTION_INFO[a].label} e ${ACTION_INFO[b].label}). Escolha outra tecla para uma delas.`,
  );
}
