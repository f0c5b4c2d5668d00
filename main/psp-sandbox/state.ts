// What the simulated PSP remembers: immediate charges (cob), the Pix received, refunds, and the
// faults a test switched on. Time comes from an injectable clock so expiry can be tested.
import { randomBytes } from 'node:crypto';
import { dynamicBrCode } from '../../shared/pix/brcode.ts';

export type CobStatus = 'ATIVA' | 'CONCLUIDA' | 'REMOVIDA_PELO_USUARIO_RECEBEDOR' | 'REMOVIDA_PELO_PSP';

export interface PixRecord {
  endToEndId: string;
  txid: string | null;
  valor: string;
  horario: string;
  infoPagador?: string;
  devolucoes: Refund[];
}

export interface Refund {
  id: string;
  rtrId: string;
  valor: string;
  horario: { solicitacao: string; liquidacao?: string };
  status: 'EM_PROCESSAMENTO' | 'DEVOLVIDO' | 'NAO_REALIZADO';
}

export interface Cob {
  txid: string;
  revisao: number;
  criacao: number;
  expiracao: number;
  status: CobStatus;
  valor: string;
  chave: string;
  solicitacaoPagador?: string;
  location: string;
  pixCopiaECola: string;
  /** The client (OAuth client id) that created it: charges are private to their owner. */
  owner: string;
  pix: PixRecord[];
}

export interface Faults {
  /** Added to every API answer. */
  latencyMs: number;
  /** The next N API requests answer 503. */
  fail5xx: number;
  /** The next N API requests answer 200 with a body that is not JSON. */
  garbage: number;
  /** The next N API requests hang until the connection is closed by the client. */
  hang: number;
  /** The next N API requests are carried out, then the connection is dropped before the answer. */
  dropAfterCommit: number;
  /** Let a payment through even after the charge expired (a PSP bug seen in the wild). */
  payAfterExpiry: boolean;
  /** Deliver each webhook notification twice. */
  duplicateNotification: boolean;
}

export const NO_FAULTS: Faults = { latencyMs: 0, fail5xx: 0, garbage: 0, hang: 0, dropAfterCommit: 0, payAfterExpiry: false, duplicateNotification: false };

export interface Client {
  clientId: string;
  clientSecret: string;
}

export class PspState {
  readonly cobs = new Map<string, Cob>();
  readonly pix: PixRecord[] = [];
  readonly tokens = new Map<string, { clientId: string; expiresAt: number }>();
  readonly clients = new Map<string, Client>();
  faults: Faults = { ...NO_FAULTS };
  /** Requests counted per route kind, for benchmarks ("requests per confirmed payment"). */
  readonly counters = { token: 0, put: 0, get: 0, patch: 0, list: 0, refund: 0 };
  readonly webhooks = new Map<string, string>();
  #offsetMs = 0;

  /** host:port the payload locations point at (set once the API listens). */
  host: string;
  readonly #clock: () => number;

  constructor(host: string, clock: () => number = Date.now) {
    this.host = host;
    this.#clock = clock;
  }

  now(): number {
    return this.#clock() + this.#offsetMs;
  }

  /** Moves the simulator's clock forward (expiry tests). */
  advance(ms: number): void {
    this.#offsetMs += ms;
  }

  addClient(c: Client): void {
    this.clients.set(c.clientId, c);
  }

  issueToken(clientId: string, ttlSeconds: number): string {
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, { clientId, expiresAt: this.now() + ttlSeconds * 1000 });
    return token;
  }

  tokenOwner(token: string): string | null {
    const t = this.tokens.get(token);
    if (!t || t.expiresAt <= this.now()) return null;
    return t.clientId;
  }

  expired(cob: Cob): boolean {
    return this.now() >= cob.criacao + cob.expiracao * 1000;
  }

  createCob(
    owner: string,
    txid: string,
    body: { valor: string; chave: string; expiracao: number; solicitacaoPagador?: string },
    merchant: { name: string; city: string },
  ): Cob {
    const id = randomBytes(16).toString('hex');
    const location = `${this.host}/qr/v2/${id}`;
    const cob: Cob = {
      txid,
      revisao: 0,
      criacao: this.now(),
      expiracao: body.expiracao,
      status: 'ATIVA',
      valor: body.valor,
      chave: body.chave,
      ...(body.solicitacaoPagador !== undefined ? { solicitacaoPagador: body.solicitacaoPagador } : {}),
      location,
      pixCopiaECola: dynamicBrCode({ location, merchantName: merchant.name, merchantCity: merchant.city }),
      owner,
      pix: [],
    };
    this.cobs.set(txid, cob);
    return cob;
  }

  /** A payer pays the charge (the control the tests and demo mode use). */
  pay(txid: string, opts: { valor?: string; force?: boolean } = {}): { ok: true; pix: PixRecord } | { ok: false; reason: string } {
    const cob = this.cobs.get(txid);
    if (!cob) return { ok: false, reason: 'cobrança não encontrada' };
    if (cob.status !== 'ATIVA') return { ok: false, reason: `cobrança ${cob.status}` };
    if (this.expired(cob) && !this.faults.payAfterExpiry && !opts.force) return { ok: false, reason: 'cobrança expirada' };
    const pix: PixRecord = {
      endToEndId: endToEndId(this.now()),
      txid,
      valor: opts.valor ?? cob.valor,
      horario: new Date(this.now()).toISOString(),
      infoPagador: 'Pagamento simulado',
      devolucoes: [],
    };
    cob.status = 'CONCLUIDA';
    cob.pix.push(pix);
    this.pix.push(pix);
    return { ok: true, pix };
  }

  /** A transfer to the shop's key without a charge (static Pix), optionally with a reference label. */
  payStatic(valor: string, txid: string | null): PixRecord {
    const pix: PixRecord = { endToEndId: endToEndId(this.now()), txid, valor, horario: new Date(this.now()).toISOString(), devolucoes: [] };
    this.pix.push(pix);
    return pix;
  }
}

/** E + ISPB (8) + yyyyMMddHHmm + 11 random alphanumerics = 32 characters. */
function endToEndId(now: number): string {
  const d = new Date(now);
  const stamp = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}`;
  const rnd = randomBytes(16)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .padEnd(11, 'x')
    .slice(0, 11);
  return `E18236120${stamp}${rnd}`.slice(0, 32);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
