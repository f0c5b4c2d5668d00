// PIX at the till: charges for the draft being paid, the demo's "simular pagamento", the manager's
// refunds and reconciliation, and the PSP settings (secrets go to the vault, never back out).
import { PixError } from '../../pix/errors.ts';
import { PixClient } from '../../pix/client.ts';
import { readPixCredentials, storePixCredentials } from '../../pix/source.ts';
import { PosFailure } from '../errors.ts';
import { publicSettings, type PublicSettingsDeps, type Services } from '../services.ts';
import type { Handlers } from './types.ts';

/** What the PIX channels use: the profile's charges and audit, the vault and settings for the PSP, the clock. */
type PixDeps = PublicSettingsDeps & Pick<Services, 'clock' | 'reopenProfile'>;

function pixOf(s: Pick<Services, 'profile'>) {
  return s.profile().sales.pix;
}

export const pixHandlers: Handlers<
  | 'pix.charge'
  | 'pix.staticCharge'
  | 'pix.cancel'
  | 'pix.forDraft'
  | 'pix.simulatePayment'
  | 'pix.attention'
  | 'pix.refund'
  | 'pix.reconcile'
  | 'settings.setPix'
  | 'settings.testPix',
  PixDeps
> = {
  async 'pix.charge'(input, s) {
    await s.profile().pix.ready();
    return pixOf(s).create(input.clientId, input.amountCents);
  },
  'pix.staticCharge'(input, s) {
    return pixOf(s).createStatic(input.clientId, input.amountCents);
  },
  'pix.cancel'(input, s) {
    return pixOf(s).cancel(input.txid);
  },
  'pix.forDraft'(input, s) {
    return pixOf(s).forClient(input.clientId);
  },
  'pix.simulatePayment'(input, s) {
    const p = s.profile();
    // Only the demo's simulator can be told to pay: a real shop's money comes from its customers.
    if (!p.demo || !p.pix.simulatePayment) throw new PosFailure('demo_only', 'Simular pagamento só existe no modo demonstração.');
    return { ok: p.pix.simulatePayment(input.txid) };
  },
  'pix.attention'(_input, s) {
    return pixOf(s).attention();
  },
  async 'pix.refund'(input, s, ctx) {
    const manager = ctx.actor!;
    const view = await pixOf(s).refund(input.txid);
    s.profile().sales.audit(manager.id, 'pix_refund', { txid: input.txid, amountCents: view.paidCents ?? view.amountCents, state: view.state });
    return view;
  },
  async 'pix.reconcile'(input, s) {
    const to = new Date(s.clock());
    return pixOf(s).reconcile(new Date(to.getTime() - input.hours * 3_600_000), to);
  },
  async 'settings.setPix'(input, s, ctx) {
    const manager = ctx.actor!;
    if (input.credentials) {
      // Secret, certificate and key are validated together and stored as one vault entry.
      const { expiresAt } = await storePixCredentials(s.vault, {
        clientSecret: input.credentials.clientSecret,
        certPem: input.credentials.certPem,
        keyPem: input.credentials.keyPem,
        ...(input.credentials.caPem ? { caPem: input.credentials.caPem } : {}),
      });
      s.settings.update({ pixCertificateExpiresAt: expiresAt });
    }
    s.settings.update({ pix: input.pix });
    s.profile().sales.audit(manager.id, 'settings_change', { changed: ['pix'], credentialsReplaced: input.credentials !== undefined });
    if (input.credentials && !s.profile().demo) await s.reopenProfile();
    return publicSettings(s);
  },
  async 'settings.testPix'(_input, s) {
    const pix = s.settings.get().pix;
    const creds = await readPixCredentials(s.vault);
    if (!pix.baseUrl || !pix.clientId || !creds) throw new PixError('pix_not_configured');
    const client = new PixClient(
      {
        baseUrl: pix.baseUrl,
        ...(pix.tokenUrl ? { tokenUrl: pix.tokenUrl } : {}),
        clientId: pix.clientId,
        clientSecret: creds.clientSecret,
        cert: creds.certPem,
        key: creds.keyPem,
        ...(creds.caPem ? { ca: creds.caPem } : {}),
      },
      { now: s.clock },
    );
    try {
      const r = await client.testConnection();
      if (r.kind !== 'ok') throw new PixError(r.code);
      return { ok: true as const, certificateDaysLeft: r.value.certificateDaysLeft };
    } finally {
      await client.close();
    }
  },
};
