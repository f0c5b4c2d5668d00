// Where a profile's PSP comes from: the manager's settings and the vault for a real shop, or the
// built-in PSP simulator for the demo (never the other way round: a real profile whose credentials
// cannot be read has no PIX with confirmation, it does not fall back to the simulator).
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { PixCredentialsInput, type PixSettings } from '../../shared/pix/settings.ts';
import { utf8, type SecretVault } from '../secrets/vault.ts';
import { PixCredentialsError } from './errors.ts';
import { PixClient } from './client.ts';
import type { PixConfig } from './service.ts';
import { PSP_SANDBOX_CNPJ, startPspSandbox, type PspSandbox } from '../psp-sandbox/index.ts';

export const PIX_SECRET = 'pix-credentials';

export interface PixSource {
  /** Resolves once client() can answer (the demo starts its simulator lazily). */
  ready(): Promise<void>;
  client(): PixClient | null;
  config(): PixConfig | null;
  /** Demo only: the simulator pays a charge. */
  simulatePayment?(txid: string): boolean;
  close(): Promise<void>;
}

export interface StoredPixCredentials {
  clientSecret: string;
  certPem: string;
  keyPem: string;
  caPem?: string | undefined;
}

export async function readPixCredentials(vault: SecretVault): Promise<StoredPixCredentials | null> {
  const bytes = await vault.get(PIX_SECRET);
  if (!bytes) return null;
  try {
    const parsed = PixCredentialsInput.safeParse(JSON.parse(utf8.decode(bytes)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Validates and stores the credentials as one vault entry (secret, certificate and key together). */
export async function storePixCredentials(vault: SecretVault, input: StoredPixCredentials): Promise<{ expiresAt: string }> {
  let expiresAt: string;
  try {
    const x = new X509Certificate(input.certPem);
    if (!x.checkPrivateKey(createPrivateKey(input.keyPem))) throw new Error('mismatch');
    expiresAt = new Date(x.validTo).toISOString();
  } catch {
    throw new PixCredentialsError();
  }
  await vault.set(PIX_SECRET, utf8.encode(JSON.stringify(input)));
  return { expiresAt };
}

/** A real shop's PSP, rebuilt when the manager changes the settings or the credentials. */
export function configuredPixSource(opts: {
  settings: () => PixSettings;
  merchant: () => { name: string; city: string };
  credentials: () => StoredPixCredentials | null;
  now: () => number;
}): PixSource {
  let cached: { key: string; client: PixClient } | null = null;
  const retired: PixClient[] = [];
  return {
    client() {
      const s = opts.settings();
      const creds = opts.credentials();
      if (!s.enabled || !s.baseUrl || !s.clientId || !creds) return null;
      const key = JSON.stringify([s.baseUrl, s.tokenUrl, s.clientId, creds.clientSecret.length, creds.certPem.length, creds.keyPem.length]);
      if (cached?.key !== key) {
        if (cached) retired.push(cached.client);
        cached = {
          key,
          client: new PixClient(
            {
              baseUrl: s.baseUrl,
              ...(s.tokenUrl ? { tokenUrl: s.tokenUrl } : {}),
              clientId: s.clientId,
              clientSecret: creds.clientSecret,
              cert: creds.certPem,
              key: creds.keyPem,
              ...(creds.caPem ? { ca: creds.caPem } : {}),
            },
            { now: opts.now },
          ),
        };
      }
      return cached.client;
    },
    ready: () => Promise.resolve(),
    config() {
      const s = opts.settings();
      if (!s.key || !s.pspCnpj) return null;
      const m = opts.merchant();
      return { key: s.key, pspCnpj: s.pspCnpj, merchantName: m.name, merchantCity: m.city, expirySeconds: s.expirySeconds, staticFallback: s.staticFallback };
    },
    async close() {
      for (const c of [...retired.splice(0), ...(cached ? [cached.client] : [])]) await c.close().catch(() => {});
      cached = null;
    },
  };
}

/**
 * The demo's PSP: the built-in simulator, started on first use (its test CA costs a few RSA key
 * pairs, which a demo that never takes PIX should not pay at start).
 */
export function demoPixSource(opts: { merchant: () => { name: string; city: string }; now: () => number }): PixSource {
  let started: Promise<void> | null = null;
  let live: { psp: PspSandbox; client: PixClient } | null = null;
  return {
    ready() {
      started ??= (async () => {
        const m = opts.merchant();
        const psp = await startPspSandbox({ merchant: { name: m.name, city: m.city } });
        const creds = psp.register();
        const client = new PixClient(
          { baseUrl: psp.url, clientId: creds.clientId, clientSecret: creds.clientSecret, cert: creds.cert, key: creds.key, ca: psp.ca },
          { now: opts.now },
        );
        live = { psp, client };
      })();
      return started;
    },
    client: () => live?.client ?? null,
    config() {
      const m = opts.merchant();
      return {
        key: 'pix@demonstracao.balcao.local',
        pspCnpj: PSP_SANDBOX_CNPJ,
        merchantName: m.name,
        merchantCity: m.city,
        expirySeconds: 300,
        staticFallback: true,
      };
    },
    simulatePayment: (txid) => live?.psp.pay(txid).ok ?? false,
    async close() {
      await started?.catch(() => {});
      await live?.client.close().catch(() => {});
      await live?.psp.close().catch(() => {});
      live = null;
    },
  };
}
