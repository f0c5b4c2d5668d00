// Tells a good Focus token from a bad one with a call that costs nothing fiscal: GET of an NFC-e
// ref that was never used (spec §2.2). A known token gets 404 `nao_encontrado` (the note does not
// exist); an unknown one gets 401/403 (spec §1.2). The answer's Date header also gives the clock
// drift of this machine against Focus (pre-flight). It costs one of the 100 credits per minute.
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'undici';
import type { TokenCheck } from '../../shared/contract.ts';

export interface TokenCheckOptions {
  baseUrl: string;
  token: string;
  ca?: string;
  timeoutMs?: number;
  now?: () => number;
}

export interface TokenCheckResult {
  check: TokenCheck;
  /** Focus's Date header, epoch ms, when an answer arrived. */
  serverDateMs: number | null;
  elapsedMs: number;
}

export async function checkFocusToken(o: TokenCheckOptions): Promise<TokenCheckResult> {
  const now = o.now ?? Date.now;
  const timeoutMs = o.timeoutMs ?? 5_000;
  const ref = `balcaocheck${randomBytes(8).toString('hex')}`;
  const url = new URL(`/v2/nfce/${ref}`, o.baseUrl);
  const dispatcher = new Agent({ connect: { timeout: timeoutMs, ...(o.ca ? { ca: o.ca } : {}) }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const t0 = now();
  try {
    const res = await request(url, {
      method: 'GET',
      dispatcher,
      headers: { authorization: `Basic ${Buffer.from(`${o.token}:`).toString('base64')}`, accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.body.text().catch(() => '');
    const t1 = now();
    const dateHeader = res.headers.date;
    const serverDateMs = typeof dateHeader === 'string' && !Number.isNaN(Date.parse(dateHeader)) ? Date.parse(dateHeader) : null;
    // HTTP dates have 1 s resolution: compare with the middle of the exchange.
    const drift = serverDateMs === null ? null : Math.round((t0 + t1) / 2 - serverDateMs);
    const codigo = codigoOf(text);
    if (res.statusCode === 401 || res.statusCode === 403) {
      return {
        check: {
          status: 'invalid',
          message: 'A Focus NFe recusou este token. Copie de novo o token do ambiente certo no painel da Focus (homologação e produção têm tokens diferentes).',
        },
        serverDateMs,
        elapsedMs: t1 - t0,
      };
    }
    if (res.statusCode === 404 && (codigo === 'nao_encontrado' || codigo === 'nfce_nao_encontrada')) {
      return { check: { status: 'valid', clockDriftMs: drift }, serverDateMs, elapsedMs: t1 - t0 };
    }
    if (res.statusCode === 200) return { check: { status: 'valid', clockDriftMs: drift }, serverDateMs, elapsedMs: t1 - t0 };
    return {
      check: {
        status: 'unreachable',
        message: `O endereço respondeu, mas não como a Focus NFe (HTTP ${res.statusCode}). Confira o endereço da Focus ou o proxy da loja.`,
      },
      serverDateMs,
      elapsedMs: t1 - t0,
    };
  } catch {
    return {
      check: { status: 'unreachable', message: 'Não foi possível falar com a Focus NFe. Confira a internet do caixa e o endereço da Focus, e tente de novo.' },
      serverDateMs: null,
      elapsedMs: now() - t0,
    };
  } finally {
    void dispatcher.close().catch(() => {});
  }
}

function codigoOf(text: string): string | null {
  try {
    const v = JSON.parse(text) as { codigo?: unknown };
    return typeof v.codigo === 'string' ? v.codigo : null;
  } catch {
    return null;
  }
}
