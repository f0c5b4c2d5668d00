// "Configuração inicial": the first-run setup, step by step and resumable (settings.setupDone
// records what is saved). These channels are public, but the access table only lets them through
// while the terminal is in the setup phase (a configured terminal changes things in Configurações,
// with a manager). A real profile gets nothing of the demo: empty catalog, its own emitter, its
// own operators. `secrets.provide` is the manager's way out of the secrets screen.
import type { SetupState, SetupStepName } from '../../../shared/contract.ts';
import type { Environment } from '../../../shared/sale.ts';
import { CertificateStore } from '../../contingency/certificate.ts';
import { checkFocusToken } from '../../setup/token-check.ts';
import { SECRET_NAMES, utf8 } from '../../secrets/vault.ts';
import { SETUP_STEPS, type Settings } from '../../settings/schema.ts';
import { PosFailure } from '../errors.ts';
import { focusBaseUrl, hasSecret, statusView, type Services, type StatusDeps } from '../services.ts';
import { receipts } from './receipt.ts';
import { resendBlockedByToken } from './resend-blocked.ts';
import type { Handlers } from './types.ts';

/** Steps a real profile must have saved before it can sell (certificate and printer may be skipped). */
const REQUIRED: readonly SetupStepName[] = ['token', 'emitter', 'fiscal', 'terminal', 'manager'];

const STEP_LABEL: Record<SetupStepName, string> = {
  token: 'token da Focus NFe',
  emitter: 'dados do emitente',
  taxProfiles: 'perfis fiscais iniciais',
  fiscal: 'série e CSC',
  certificate: 'certificado A1',
  printer: 'impressora',
  terminal: 'identificação do terminal',
  manager: 'primeiro gerente',
};

/** What the setup wizard reads and writes: settings, secrets, operators, and the phase it enters. */
type SetupDeps = StatusDeps & Pick<Services, 'operators' | 'clock' | 'events' | 'focusCa' | 'enter' | 'secretsProblem' | 'receipts'>;

export async function setupState(s: Pick<Services, 'settings' | 'vault' | 'operators'>): Promise<SetupState> {
  const st = s.settings.get();
  const env = st.environment;
  const [prod, hom, csc] = await Promise.all([
    hasSecret(s, SECRET_NAMES.token('producao')),
    hasSecret(s, SECRET_NAMES.token('homologacao')),
    hasSecret(s, SECRET_NAMES.csc(env)),
  ]);
  const manager = s.operators.all().find((o) => o.role === 'manager' && o.active) ?? null;
  return {
    mode: st.mode,
    done: [...st.setupDone],
    environment: env,
    hasToken: { producao: prod, homologacao: hom },
    focusUrl: st.focusUrls[env] ?? null,
    emitter: st.emitter,
    serie: st.serie,
    contingencySerie: st.contingencySerie,
    cscId: st.cscId[env] ?? null,
    hasCsc: csc,
    qrVersion: st.qrVersion,
    certificate: st.certificate,
    printer: st.printer,
    terminalId: st.terminalId,
    managerName: manager?.name ?? null,
    weakStorage: { needsConsent: s.vault.protection === 'weak', accepted: st.weakStorageAccepted },
  };
}

export function markDone(s: Pick<Services, 'settings'>, step: SetupStepName, patch: Partial<Settings> = {}): void {
  const st = s.settings.get();
  const done = SETUP_STEPS.filter((x) => x === step || st.setupDone.includes(x));
  s.settings.update({ ...patch, setupDone: done });
}

export function requireRealSetup(s: Pick<Services, 'settings'>): void {
  if (s.settings.get().mode !== 'real') {
    throw new PosFailure('setup_mode', 'Escolha primeiro "Loja de verdade" na Configuração inicial.');
  }
}

export async function liveCheck(
  s: Pick<Services, 'settings' | 'focusCa' | 'clock'>,
  env: Environment,
  token: string,
  focusUrl: string | undefined,
  timeoutMs?: number,
) {
  const baseUrl = focusUrl ?? focusBaseUrl(s, env);
  return checkFocusToken({ baseUrl, token, ...(s.focusCa ? { ca: s.focusCa } : {}), ...(timeoutMs ? { timeoutMs } : {}), now: s.clock });
}

export const setupHandlers: Handlers<
  | 'setup.state'
  | 'setup.chooseMode'
  | 'setup.checkToken'
  | 'setup.saveToken'
  | 'setup.saveEmitter'
  | 'setup.saveFiscal'
  | 'setup.importCertificate'
  | 'setup.skipCertificate'
  | 'setup.savePrinter'
  | 'setup.testPrint'
  | 'setup.saveTerminal'
  | 'setup.createManager'
  | 'setup.acceptWeakStorage'
  | 'setup.finish'
  | 'setup.recover'
  | 'secrets.provide',
  SetupDeps
> = {
  'setup.state'(_input, s) {
    return setupState(s);
  },
  async 'setup.chooseMode'(input, s) {
    if (input.mode === 'demo') {
      // Demo is its own profile (its journal, catalog and operators): it opens at once.
      s.settings.update({ mode: 'demo', setupComplete: true });
      await s.enter();
      return setupState(s);
    }
    s.settings.update({ mode: 'real', setupComplete: false });
    return setupState(s);
  },
  async 'setup.checkToken'(input, s) {
    return (await liveCheck(s, input.environment, input.token, input.focusUrl)).check;
  },
  async 'setup.saveToken'(input, s) {
    requireRealSetup(s);
    const r = await liveCheck(s, input.environment, input.token, input.focusUrl);
    if (r.check.status !== 'valid') throw new PosFailure(`token_${r.check.status}`, r.check.message, [{ path: 'token', message: r.check.message }]);
    await s.vault.set(SECRET_NAMES.token(input.environment), utf8.encode(input.token));
    const st = s.settings.get();
    const focusUrls = { ...st.focusUrls };
    if (input.focusUrl) focusUrls[input.environment] = input.focusUrl;
    else delete focusUrls[input.environment];
    markDone(s, 'token', { environment: input.environment, focusUrls });
    return setupState(s);
  },
  async 'setup.saveEmitter'(input, s) {
    requireRealSetup(s);
    markDone(s, 'emitter', { emitter: input.emitter });
    return setupState(s);
  },
  async 'setup.saveFiscal'(input, s) {
    requireRealSetup(s);
    if (Number(input.serie) === Number(input.contingencySerie)) {
      throw new PosFailure('invalid_input', 'A série de contingência deve ser diferente da série normal (use, por exemplo, 900).', [
        { path: 'contingencySerie', message: 'igual à série normal' },
      ]);
    }
    if ((input.csc === undefined) !== (input.cscId === undefined)) {
      throw new PosFailure('invalid_input', 'Informe o CSC e o seu identificador (ID token) juntos, como aparecem no portal da SEFAZ.', [
        { path: input.csc ? 'cscId' : 'csc', message: 'falta o par' },
      ]);
    }
    const st = s.settings.get();
    const env = st.environment;
    if (input.qrVersion === 2 && !input.csc && !(await hasSecret(s, SECRET_NAMES.csc(env)))) {
      throw new PosFailure('invalid_input', 'O QR Code versão 2 precisa do CSC e do ID token. Informe-os ou escolha a versão 3 (com certificado A1).', [
        { path: 'csc', message: 'obrigatório para QR v2' },
      ]);
    }
    if (input.csc) await s.vault.set(SECRET_NAMES.csc(env), utf8.encode(input.csc));
    markDone(s, 'fiscal', {
      serie: input.serie,
      contingencySerie: input.contingencySerie,
      qrVersion: input.qrVersion,
      ...(input.cscId ? { cscId: { ...st.cscId, [env]: input.cscId } } : {}),
    });
    return setupState(s);
  },
  async 'setup.importCertificate'(input, s) {
    requireRealSetup(s);
    const emitter = s.settings.get().emitter;
    const store = new CertificateStore({ vault: s.vault, now: s.clock });
    const info = await store.import(new Uint8Array(Buffer.from(input.pfxBase64, 'base64')), input.password, emitter ? { emitterCnpj: emitter.cnpj } : {});
    // With a certificate, QR v3 (signed by it) becomes the default: no CSC needed offline.
    markDone(s, 'certificate', { certificate: { subject: info.subject, expiresAt: info.notAfter }, qrVersion: 3 });
    return setupState(s);
  },
  async 'setup.skipCertificate'(_input, s) {
    requireRealSetup(s);
    markDone(s, 'certificate');
    return setupState(s);
  },
  async 'setup.savePrinter'(input, s) {
    requireRealSetup(s);
    markDone(s, 'printer', { printer: input.printer });
    return setupState(s);
  },
  async 'setup.testPrint'(_input, s) {
    const st = s.settings.get();
    return receipts(s).printTestPage(st, st.emitter);
  },
  async 'setup.saveTerminal'(input, s) {
    requireRealSetup(s);
    markDone(s, 'terminal', { terminalId: input.terminalId.toUpperCase() });
    return setupState(s);
  },
  async 'setup.createManager'(input, s) {
    requireRealSetup(s);
    s.operators.use('operators');
    if (s.operators.hasManager()) {
      throw new PosFailure('manager_exists', 'O primeiro gerente já foi cadastrado. Os demais operadores são cadastrados por ele, em Operadores.');
    }
    await s.operators.create({ name: input.name, role: 'manager', pin: input.pin });
    markDone(s, 'manager');
    return setupState(s);
  },
  async 'setup.acceptWeakStorage'(input, s) {
    // During setup nobody exists yet to authorise it; later only a manager may.
    if (s.phase() !== 'setup') {
      if (!input.managerPin) throw new PosFailure('manager_required', 'Esta operação precisa da autorização do gerente. Peça ao gerente que digite o PIN.');
      await s.operators.verifyManager(input.managerPin);
    }
    s.settings.update({ weakStorageAccepted: true });
    return setupState(s);
  },
  async 'setup.finish'(_input, s) {
    requireRealSetup(s);
    const done = s.settings.get().setupDone;
    const missing = REQUIRED.filter((x) => !done.includes(x));
    if (missing.length > 0) {
      throw new PosFailure('setup_incomplete', `Falta concluir: ${missing.map((m) => STEP_LABEL[m]).join(', ')}.`);
    }
    s.settings.update({ setupComplete: true });
    const phase = await s.enter();
    return { phase };
  },
  async 'setup.recover'(_input, s) {
    // The damaged file is moved aside on this first write; journals and secrets stay untouched.
    s.settings.update({ mode: 'unset', setupComplete: false, setupDone: [] });
    const phase = await s.enter();
    s.events.emit('status.changed', statusView(s));
    return { phase };
  },
  async 'secrets.provide'(input, s) {
    const manager = await s.operators.verifyManager(input.managerPin);
    const problem = s.secretsProblem();
    const env = problem?.environment ?? s.settings.get().environment;
    if (input.certificate && input.dropCertificate) {
      throw new PosFailure('invalid_input', 'Escolha entre importar o novo certificado e seguir sem ele.');
    }
    // Every check before any write: a refused token or certificate changes nothing.
    if (input.token) {
      const r = await liveCheck(s, env, input.token, undefined);
      if (r.check.status === 'invalid') throw new PosFailure('token_invalid', r.check.message, [{ path: 'token', message: r.check.message }]);
    }
    let certificate: { subject: string; expiresAt: string } | null = null;
    if (input.certificate) {
      const emitter = s.settings.get().emitter;
      const store = new CertificateStore({ vault: s.vault, now: s.clock });
      // Checks structure, password, key, expiry and the shop's CNPJ, then stores file and password
      // as one vault entry; nothing is stored when it is refused.
      const info = await store.import(new Uint8Array(Buffer.from(input.certificate.pfxBase64, 'base64')), input.certificate.password, {
        ...(emitter ? { emitterCnpj: emitter.cnpj } : {}),
      });
      certificate = { subject: info.subject, expiresAt: info.notAfter };
      s.settings.update({ certificate });
    }
    if (input.token) await s.vault.set(SECRET_NAMES.token(env), utf8.encode(input.token));
    if (input.dropCertificate) {
      await s.vault.delete(SECRET_NAMES.certificateBundle);
      await s.vault.delete(SECRET_NAMES.certificate);
      await s.vault.delete(SECRET_NAMES.certificatePassword);
      s.settings.update({ certificate: null });
    }
    const phase = await s.enter();
    if (phase !== 'ready') {
      const again = s.secretsProblem();
      throw new PosFailure(again?.code ?? 'secrets_needed', again?.message ?? 'Ainda falta informar um segredo do caixa.');
    }
    s.profile().sales.audit(manager.id, 'secrets_provided', {
      token: input.token ? env : null,
      certificateDropped: input.dropCertificate === true,
      ...(certificate ? { certificateReplaced: certificate.subject, expiresAt: certificate.expiresAt } : {}),
    });
    const resent = input.token ? await resendBlockedByToken(s, manager.id) : null;
    return { phase, resent };
  },
};
