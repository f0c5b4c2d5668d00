// "Abertura": the checks a shop runs before the first sale of the day (and on demand). Each item is
// green, yellow or red with its fix in plain Portuguese. Only the token check goes on the wire (one
// GET of a ref that does not exist: no fiscal effect), and its Date header gives the clock drift.
import { statfs } from 'node:fs/promises';
import type { CheckLevel, PreflightCheck, PreflightReport } from '../../../shared/contract.ts';
import { tokenFor } from '../profile.ts';
import { SECRET_NAMES } from '../../secrets/vault.ts';
import { hasSecret, type Services } from '../services.ts';
import { liveCheck } from './setup.ts';
import { printerStatus } from './receipt.ts';
import type { Handlers } from './types.ts';

/** SEFAZ refuses a dhEmi too far from its clock (rejeição 703/228); 5 min is the usual tolerance. */
export const CLOCK_WARN_MS = 2 * 60_000;
export const CLOCK_BLOCK_MS = 5 * 60_000;
const DAY = 86_400_000;

/** How long the token probe may take before the check says "unreachable". */
export const PREFLIGHT_PROBE_MS = 3_000;

export interface PreflightDeps {
  /** Free bytes of the data dir's disk (tests inject it). */
  freeBytes?: (dir: string) => Promise<number>;
}

const worst = (levels: CheckLevel[]): CheckLevel => (levels.includes('red') ? 'red' : levels.includes('yellow') ? 'yellow' : 'green');

/** Abertura reads the profile, the settings and secrets, the last print's health and the data dir's disk. */
type AberturaDeps = Pick<Services, 'clock' | 'profile' | 'settings' | 'vault' | 'printer' | 'dataDir' | 'focusCa' | 'receipts'>;

export async function runPreflight(s: AberturaDeps, d: PreflightDeps = {}): Promise<PreflightReport> {
  const t0 = s.clock();
  const p = s.profile();
  const st = s.settings.get();
  const checks: PreflightCheck[] = [];

  const tokenAndClock = async (): Promise<PreflightCheck[]> => {
    if (p.demo) {
      return [
        { id: 'token', label: 'Token da Focus NFe', level: 'green', detail: 'Demonstração: emissor simulado, sem valor fiscal.', fix: null },
        { id: 'clock', label: 'Relógio', level: 'green', detail: 'Demonstração.', fix: null },
      ];
    }
    const token = await tokenFor(s.vault, p.environment).catch(() => null);
    if (!token) {
      return [
        { id: 'token', label: 'Token da Focus NFe', level: 'red', detail: 'Token não encontrado.', fix: 'O gerente deve informar o token em Configurações.' },
      ];
    }
    const r = await liveCheck(s, p.environment, token, undefined, PREFLIGHT_PROBE_MS);
    const out: PreflightCheck[] = [];
    if (r.check.status === 'valid') out.push({ id: 'token', label: 'Token da Focus NFe', level: 'green', detail: 'A Focus NFe aceitou o token.', fix: null });
    else if (r.check.status === 'invalid')
      out.push({ id: 'token', label: 'Token da Focus NFe', level: 'red', detail: 'A Focus NFe recusou o token.', fix: r.check.message });
    else out.push({ id: 'token', label: 'Token da Focus NFe', level: 'yellow', detail: 'Não foi possível confirmar o token agora.', fix: r.check.message });
    const drift = r.check.status === 'valid' ? r.check.clockDriftMs : null;
    if (drift === null) {
      out.push({
        id: 'clock',
        label: 'Relógio',
        level: 'yellow',
        detail: 'Não foi possível comparar o relógio com a Focus.',
        fix: 'Confira a data e a hora do computador.',
      });
    } else {
      const abs = Math.abs(drift);
      const sec = Math.round(abs / 1000);
      const detail = `Diferença de ${sec} s em relação à Focus (${drift > 0 ? 'adiantado' : 'atrasado'}).`;
      if (abs > CLOCK_BLOCK_MS)
        out.push({
          id: 'clock',
          label: 'Relógio',
          level: 'red',
          detail,
          fix: 'A SEFAZ recusa notas com horário errado. Acerte a data e a hora do computador (ative a sincronização automática de horário) antes de vender.',
        });
      else if (abs > CLOCK_WARN_MS)
        out.push({ id: 'clock', label: 'Relógio', level: 'yellow', detail, fix: 'Acerte a hora do computador (ative a sincronização automática de horário).' });
      else out.push({ id: 'clock', label: 'Relógio', level: 'green', detail, fix: null });
    }
    return out;
  };

  const certificate = (): PreflightCheck => {
    const c = st.certificate;
    if (!c)
      return {
        id: 'certificate',
        label: 'Certificado A1',
        level: 'yellow',
        detail: 'Nenhum certificado: sem contingência off-line.',
        fix: 'Importe o certificado A1 em Configurações para vender sem internet.',
      };
    const days = Math.floor((Date.parse(c.expiresAt) - s.clock()) / DAY);
    if (days <= 0)
      return {
        id: 'certificate',
        label: 'Certificado A1',
        level: 'red',
        detail: 'Certificado vencido: contingência off-line impossível.',
        fix: 'Renove o certificado A1 com a certificadora e importe o novo em Configurações.',
      };
    if (days <= 30)
      return {
        id: 'certificate',
        label: 'Certificado A1',
        level: 'yellow',
        detail: `Vence em ${days} dias.`,
        fix: 'Providencie a renovação do certificado A1.',
      };
    return { id: 'certificate', label: 'Certificado A1', level: 'green', detail: `Válido por mais ${days} dias.`, fix: null };
  };

  const csc = async (): Promise<PreflightCheck> => {
    if (p.demo || st.qrVersion === 3)
      return {
        id: 'csc',
        label: 'CSC (QR Code)',
        level: 'green',
        detail: st.qrVersion === 3 ? 'QR Code versão 3: não precisa de CSC.' : 'Demonstração.',
        fix: null,
      };
    const ok = Boolean(st.cscId[p.environment]) && (await hasSecret(s, SECRET_NAMES.csc(p.environment)));
    return ok
      ? { id: 'csc', label: 'CSC (QR Code)', level: 'green', detail: 'CSC e ID token cadastrados.', fix: null }
      : {
          id: 'csc',
          label: 'CSC (QR Code)',
          level: 'yellow',
          detail: 'QR Code versão 2 sem CSC: contingência off-line impossível.',
          fix: 'Cadastre o CSC e o ID token (portal da SEFAZ) em Configurações › Operação, ou use o QR Code versão 3 com o certificado A1.',
        };
  };

  const link = (): PreflightCheck => {
    const l = p.link();
    if (l === 'online') return { id: 'link', label: 'Conexão', level: 'green', detail: 'Conectado à Focus NFe.', fix: null };
    if (l === 'degraded')
      return { id: 'link', label: 'Conexão', level: 'yellow', detail: 'Conexão instável.', fix: 'Confira o cabo ou o Wi-Fi. As vendas continuam.' };
    return {
      id: 'link',
      label: 'Conexão',
      level: 'red',
      detail: 'Sem conexão com a Focus NFe.',
      fix: 'Confira a internet da loja. Com certificado A1, o caixa vende em contingência off-line.',
    };
  };

  // Asked of the printer itself (paper, cover, near-end) in parallel with the token probe.
  const printer = async (): Promise<PreflightCheck> => {
    const v = await printerStatus(s);
    return { id: 'printer', label: 'Impressora', level: v.level, detail: `${v.label}. ${v.detail}`, fix: v.fix, status: v.code };
  };

  const backlog = (): PreflightCheck => {
    const counts = p.sales.contingency ? p.sales.contingency.counts() : null;
    const left = counts?.oldestContingencyHoursLeft ?? null;
    const n = counts?.contingencyNotes ?? 0;
    if (left === null || n === 0) return { id: 'backlog', label: 'Notas em contingência', level: 'green', detail: 'Nenhuma nota esperando envio.', fix: null };
    const age = 24 - left;
    if (age >= 12)
      return {
        id: 'backlog',
        label: 'Notas em contingência',
        level: 'red',
        detail: `${n} nota(s); a mais antiga tem ${age} h.`,
        fix: 'Abra Contingência (F9) e use Enviar agora: o prazo de 24 h está perto.',
      };
    return {
      id: 'backlog',
      label: 'Notas em contingência',
      level: 'yellow',
      detail: `${n} nota(s) esperando envio.`,
      fix: 'Elas serão enviadas quando a conexão voltar.',
    };
  };

  const disk = async (): Promise<PreflightCheck> => {
    const free = await (d.freeBytes ?? defaultFree)(s.dataDir).catch(() => null);
    if (free === null) return { id: 'disk', label: 'Espaço em disco', level: 'yellow', detail: 'Não foi possível medir.', fix: null };
    const mb = Math.floor(free / 1_048_576);
    if (mb < 200)
      return {
        id: 'disk',
        label: 'Espaço em disco',
        level: 'red',
        detail: `${mb} MB livres.`,
        fix: 'Libere espaço no disco: sem espaço o caixa não consegue guardar vendas.',
      };
    if (mb < 1024) return { id: 'disk', label: 'Espaço em disco', level: 'yellow', detail: `${mb} MB livres.`, fix: 'Libere espaço no disco em breve.' };
    return { id: 'disk', label: 'Espaço em disco', level: 'green', detail: `${(mb / 1024).toFixed(1).replace('.', ',')} GB livres.`, fix: null };
  };

  const journal = (): PreflightCheck => {
    let ok: boolean;
    try {
      ok = p.sales.integrity();
    } catch {
      ok = false;
    }
    return ok
      ? { id: 'journal', label: 'Arquivo de vendas', level: 'green', detail: 'Íntegro.', fix: null }
      : {
          id: 'journal',
          label: 'Arquivo de vendas',
          level: 'red',
          detail: 'O arquivo de vendas tem problemas.',
          fix: 'Não desligue o computador e chame o suporte: as vendas precisam ser verificadas.',
        };
  };

  const [tc, cscCheck, diskCheck, printerCheck] = await Promise.all([tokenAndClock(), csc(), disk(), printer()]);
  checks.push(...tc, certificate(), cscCheck, link(), printerCheck, backlog(), diskCheck, journal());
  return { at: new Date(s.clock()).toISOString(), durationMs: s.clock() - t0, level: worst(checks.map((c) => c.level)), checks };
}

async function defaultFree(dir: string): Promise<number> {
  const f = await statfs(dir);
  return f.bavail * f.bsize;
}

export const preflightHandlers: Handlers<'preflight.run', AberturaDeps> = {
  'preflight.run'(_input, s) {
    return runPreflight(s);
  },
};
