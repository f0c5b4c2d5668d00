// Pairing a lane with the store: the manager types the store's address and the one-time code the
// store shows; the store answers with this lane's credential, its terminal id and contingency série
// (allocated centrally: never two lanes on one série). The credential goes to the secret vault (like
// the Focus token: never settings, logs or the renderer); the store's certificate fingerprint is
// pinned, and must be the one this very connection saw.
import { STORE_ROUTES, HelloResponse, PairResponse, StoreError } from '../../shared/store/protocol.ts';
import type { SecretVault } from '../secrets/vault.ts';
import { SECRET_NAMES, utf8 } from '../secrets/vault.ts';
import type { Settings, StoreLink } from '../settings/schema.ts';
import type { SettingsPatch } from '../settings/settings.ts';
import { StoreHttp, type StoreHttpOptions } from './http.ts';

export interface PairingDeps {
  settings: { get(): Settings; update(patch: SettingsPatch): Settings };
  vault: Pick<SecretVault, 'get' | 'set' | 'delete'>;
  now: () => number;
  /** Builds the HTTP client (tests pass the store's CA-less loopback options). */
  http?: (opts: StoreHttpOptions) => StoreHttp;
}

const PAIRING_CONNECT_MS = 10_000;
const PAIRING_TIMEOUT_MS = 60_000;

export async function pairLane(deps: PairingDeps, input: { url: string; code: string; laneName: string; appVersion?: string }): Promise<StoreLink> {
  // Pairing happens once, often on a busy machine: generous deadlines. The code is spent by the
  // store's answer, so the pairing itself is never retried blindly (a lost answer means a new code).
  const http = (deps.http ?? ((o) => new StoreHttp(o)))({ baseUrl: input.url, fingerprint: null, connectTimeoutMs: PAIRING_CONNECT_MS });
  try {
    const hello = await http.get(STORE_ROUTES.hello, HelloResponse, { timeoutMs: PAIRING_TIMEOUT_MS });
    const paired = await http.post(
      STORE_ROUTES.pair,
      { code: input.code, laneName: input.laneName, ...(input.appVersion ? { appVersion: input.appVersion } : {}) },
      PairResponse,
      { timeoutMs: PAIRING_TIMEOUT_MS },
    );
    const https = http.origin.startsWith('https:');
    if (https && (paired.certFingerprint256 === null || paired.certFingerprint256 !== http.seenFingerprint)) {
      throw new StoreError('unauthorized', 'O certificado apresentado não é o do servidor da loja (impressão digital diferente). Nada foi salvo.');
    }
    const link: StoreLink = {
      url: http.origin,
      storeId: paired.storeId,
      storeName: hello.storeName,
      laneId: paired.laneId,
      laneName: input.laneName,
      certFingerprint256: https ? paired.certFingerprint256 : null,
      pairedAtMs: deps.now(),
    };
    // Credential first: a crash before the settings are saved leaves an unused secret, never settings
    // pointing at a credential that does not exist.
    await deps.vault.set(SECRET_NAMES.storeCredential, utf8.encode(paired.credential));
    deps.settings.update({ store: link, terminalId: paired.terminalId, contingencySerie: paired.contingencySerie });
    return link;
  } finally {
    await http.close();
  }
}

export async function unpairLane(deps: PairingDeps): Promise<void> {
  deps.settings.update({ store: null });
  await deps.vault.delete(SECRET_NAMES.storeCredential);
}

/** The lane's credential, or null when the lane is not paired (or the vault lost it). */
export async function storeCredential(vault: Pick<SecretVault, 'get'>): Promise<string | null> {
  const bytes = await vault.get(SECRET_NAMES.storeCredential).catch(() => null);
  return bytes ? new TextDecoder().decode(bytes) : null;
}
