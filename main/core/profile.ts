// A profile is "which Focus, which journal": demo (the built-in sandbox, its own journal), or a
// real environment with the manager's token. Sales of one profile never mix with another's.
import { LAYOUT } from './layout.ts';
import type { Emitter, Environment, Product } from '../../shared/sale.ts';
import type { FocusApi } from '../focus/types.ts';
import type { LinkState } from '../../shared/contract.ts';
import { FOCUS_URLS, type Settings } from '../settings/schema.ts';
import { SECRET_NAMES, utf8, type SecretVault } from '../secrets/vault.ts';
import { VaultError } from '../secrets/errors.ts';
import { UserFacingError } from '../../shared/errors.ts';
import { PosFailure } from './errors.ts';
import type { Sandbox } from '../sandbox/types.ts';
import type { FocusFactory, SalesPort, SalesPortFactory } from './ports.ts';
import type { CreditGate } from '../store/credits.ts';
import { openRegisterDb } from '../register/db.ts';
import { Register } from '../register/register.ts';
import { Inutilizacoes } from '../register/inutilizacao.ts';
import { configuredPixSource, demoPixSource, readPixCredentials, type PixSource } from '../pix/source.ts';
import type { PixChargeView } from '../../shared/pix/charge.ts';

export type SandboxStarter = (opts: { port: number; latencyMs: number | [number, number]; dataDir: string; clock?: () => number }) => Promise<Sandbox>;

export interface Profile {
  key: 'demo' | Environment;
  demo: boolean;
  environment: Environment;
  emitter: () => Emitter;
  focus: FocusApi;
  sales: SalesPort;
  sandbox: Sandbox | null;
  /** The cash register of this profile's journal (sessions, movements, X/Z, inutilizações). */
  register: Register;
  /** Inutilizações of numbering gaps, journaled before sending. */
  inutilizacoes: Inutilizacoes;
  /** Where this profile's XMLs are archived (main/emission/archive.ts layout). */
  archiveDir: string;
  /** The PSP this profile charges PIX through. */
  pix: PixSource;
  link(): LinkState;
  onLink(listener: () => void): () => void;
  close(): Promise<void>;
}

export interface ProfileDeps {
  dataDir: string;
  vault: SecretVault;
  settings: () => Settings;
  clock: () => number;
  focusFactory: FocusFactory;
  salesFactory: SalesPortFactory;
  startSandbox: SandboxStarter | null;
  sandboxLatencyMs: number | [number, number];
  getProduct: (id: string) => Product | null;
  printSale?: (saleId: number) => void;
  onPix?: (view: PixChargeView) => void;
  /** This lane's share of a Focus token other lanes use too (main/store/credits.ts). */
  credits?: CreditGate;
  log?: (line: string) => void;
}

export async function tokenFor(vault: SecretVault, env: Environment): Promise<string | null> {
  const bytes = await vault.get(SECRET_NAMES.token(env));
  return bytes ? utf8.decode(bytes) : null;
}

/** A real profile whose token cannot be read: the core stops on the manager's secrets screen. */
export class SecretsUnreadable extends UserFacingError<'secrets_needed'> {
  readonly needs: ('token' | 'certificate')[];
  readonly reason: string;
  constructor(needs: ('token' | 'certificate')[], reason: string, message: string) {
    super('secrets_needed', message);
    this.needs = needs;
    this.reason = reason;
  }
}

async function readRealSecrets(deps: ProfileDeps, s: Settings): Promise<{ token: string; csc: { id: string; csc: string } | null }> {
  let token: string | null;
  try {
    token = await tokenFor(deps.vault, s.environment);
  } catch (e) {
    const v = e instanceof VaultError ? e : null;
    throw new SecretsUnreadable(
      ['token'],
      v?.code ?? 'secret_damaged',
      v?.message ?? 'O token da Focus NFe guardado neste caixa não pode ser lido. O gerente deve informá-lo de novo.',
    );
  }
  if (!token) {
    throw new SecretsUnreadable(
      ['token'],
      'token_missing',
      'Este caixa está configurado para emitir notas de verdade, mas o token da Focus NFe não foi encontrado. O gerente deve informá-lo de novo (o caixa não entra em demonstração sozinho).',
    );
  }
  if (s.certificate) {
    try {
      // The certificate and its password are one secret (the bundle); older installs kept two.
      const pfx = (await deps.vault.get(SECRET_NAMES.certificateBundle)) ?? (await deps.vault.get(SECRET_NAMES.certificate));
      if (!pfx) throw new VaultError('secret_damaged');
    } catch (e) {
      const v = e instanceof VaultError ? e : null;
      throw new SecretsUnreadable(
        ['certificate'],
        v?.code ?? 'secret_damaged',
        'O certificado A1 deste caixa não pode ser lido. O gerente deve importá-lo de novo, ou seguir sem ele (sem contingência off-line).',
      );
    }
  }
  const cscId = s.cscId[s.environment];
  let csc: { id: string; csc: string } | null = null;
  if (cscId) {
    const bytes = await deps.vault.get(SECRET_NAMES.csc(s.environment)).catch(() => null);
    if (bytes) csc = { id: cscId, csc: utf8.decode(bytes) };
  }
  return { token, csc };
}

export async function openProfile(deps: ProfileDeps): Promise<Profile> {
  const s = deps.settings();
  const real = s.mode === 'real' ? await readRealSecrets(deps, s) : null;
  const token = real?.token ?? null;
  let sandbox: Sandbox | null = null;
  let focus: FocusApi;
  let environment: Environment = s.environment;
  let emitter: () => Emitter;
  let key: Profile['key'];
  let baseUrl: string;
  if (token) {
    key = s.environment;
    baseUrl = s.focusUrls[s.environment] ?? FOCUS_URLS[s.environment];
    // A lane paired with a store shares its token with the other lanes: no idle keep-warm pings,
    // every request goes through the scheduler and its credits (main/store/credits.ts).
    focus = deps.focusFactory({ baseUrl, token, clock: deps.clock, ...(s.store ? { keepWarm: false } : {}) });
    emitter = () => {
      const e = deps.settings().emitter;
      if (!e)
        throw new PosFailure('emitter_missing', 'Os dados do emitente (CNPJ, endereço) não estão configurados. O gerente deve completá-los em Configurações.');
      return e;
    };
  } else {
    if (!deps.startSandbox) {
      throw new Error('demo mode needs the built-in sandbox');
    }
    sandbox = await deps.startSandbox({
      port: 0,
      latencyMs: deps.sandboxLatencyMs,
      dataDir: LAYOUT.sandbox(deps.dataDir),
      clock: deps.clock,
    });
    key = 'demo';
    environment = 'homologacao';
    baseUrl = sandbox.url;
    const sb = sandbox;
    focus = deps.focusFactory({ baseUrl, token: sb.tokens.homologacao, ...(sb.ca ? { ca: sb.ca } : {}), clock: deps.clock });
    emitter = () => sb.emitter;
  }
  const merchant = () => {
    const e = emitter();
    return { name: e.tradeName ?? e.name, city: e.address.city };
  };
  let pix: PixSource;
  if (key === 'demo') {
    pix = demoPixSource({ merchant, now: deps.clock });
  } else {
    // Read once per profile; the settings handler reopens the profile after new credentials.
    const creds = await readPixCredentials(deps.vault);
    pix = configuredPixSource({ settings: () => deps.settings().pix, merchant, credentials: () => creds, now: deps.clock });
  }
  let sales: SalesPort;
  try {
    sales = await deps.salesFactory({
      journalPath: LAYOUT.journal(deps.dataDir, key),
      archiveDir: LAYOUT.archive(deps.dataDir, key),
      focus,
      environment,
      settings: deps.settings,
      emitter,
      vault: deps.vault,
      clock: deps.clock,
      demo: key === 'demo',
      getProduct: deps.getProduct,
      focusBaseUrl: baseUrl,
      ...(sandbox?.ca ? { focusCa: sandbox.ca } : {}),
      csc: sandbox ? sandbox.csc.homologacao : (real?.csc ?? null),
      ...(deps.printSale ? { printSale: deps.printSale } : {}),
      pix,
      onPix: deps.onPix ?? (() => {}),
      ...(deps.credits ? { credits: deps.credits } : {}),
      log: deps.log ?? (() => {}),
    });
  } catch (e) {
    await pix.close().catch(() => {});
    await focus.close().catch(() => {});
    await sandbox?.close().catch(() => {});
    throw e;
  }
  let registerDb: ReturnType<typeof openRegisterDb>;
  try {
    registerDb = openRegisterDb(LAYOUT.journal(deps.dataDir, key), deps.clock());
  } catch (e) {
    await sales.close().catch(() => {});
    await focus.close().catch(() => {});
    await sandbox?.close().catch(() => {});
    throw e;
  }
  const register = new Register({ db: registerDb, clock: deps.clock });
  const inutilizacoes = new Inutilizacoes({
    db: registerDb,
    api: focus,
    clock: deps.clock,
    environment,
    cnpj: () => emitter().cnpj,
    archiveDir: LAYOUT.archive(deps.dataDir, key),
  });
  // Requests a crash or a lost answer left pending are settled in the background, like emissions.
  void inutilizacoes.resolvePending().catch(() => {});
  // Open the TCP/TLS connection now, so the first sale of the day never pays the handshake.
  if (!(key !== 'demo' && deps.settings().store)) void focus.warm().catch(() => {});
  // The offline flow owns the link monitor.
  const contingency = sales.contingency;
  return {
    key,
    demo: key === 'demo',
    environment,
    emitter,
    focus,
    sales,
    sandbox,
    register,
    inutilizacoes,
    archiveDir: LAYOUT.archive(deps.dataDir, key),
    link: () => contingency.link(),
    onLink: (l) => contingency.onLink(l),
    pix,
    async close() {
      if (registerDb.isOpen) registerDb.close();
      await sales.close().catch(() => {});
      await pix.close().catch(() => {});
      await focus.close().catch(() => {});
      await sandbox?.close().catch(() => {});
    },
  };
}
