// Everything a handler needs: resolved options, the store, fault state, rate windows, the clock
// (with the admin offset), in-flight refs and timers that close() must cancel.
import { randomInt } from 'node:crypto';
import { UF_IBGE } from '../../shared/fiscal/uf.ts';
import type { Emitter } from '../../shared/sale.ts';
import { SANDBOX_CSC, newToken } from './demo.ts';
import { FaultState } from './faults.ts';
import { RateLimiter } from './rate-limit.ts';
import type { SandboxStore } from './store.ts';
import type { CscInfo, Environment, SandboxOptions } from './types.ts';

export interface ResolvedOptions {
  latencyMs: number | [number, number];
  rateLimit: number;
  rateWindowMs: number;
  badTokenStatus: 401 | 403;
  nextNumber: number;
  series: Record<Environment, number>;
  retryKeepsNumber: boolean;
  offlineMaxAgeMs: number;
  webhookRetryDelaysMs: number[];
  maxRefLength: number;
  clock: () => number;
}

export function resolveOptions(o: SandboxOptions): ResolvedOptions {
  return {
    latencyMs: o.latencyMs ?? 0,
    rateLimit: o.rateLimit ?? 100,
    rateWindowMs: o.rateWindowMs ?? 60_000,
    badTokenStatus: o.badTokenStatus ?? 401,
    nextNumber: o.nextNumber ?? 1,
    series: o.series ?? { homologacao: 1, producao: 1 },
    retryKeepsNumber: o.retryKeepsNumber ?? true,
    offlineMaxAgeMs: o.offlineMaxAgeMs ?? 72 * 3_600_000,
    webhookRetryDelaysMs: o.webhookRetryDelaysMs ?? [200, 1_000, 5_000],
    maxRefLength: o.maxRefLength ?? 100,
    clock: o.clock ?? Date.now,
  };
}

export class SandboxContext {
  readonly store: SandboxStore;
  readonly opts: ResolvedOptions;
  readonly emitter: Emitter;
  readonly tokens: Record<Environment, string>;
  readonly csc: Readonly<Record<Environment, CscInfo>> = SANDBOX_CSC;
  readonly faults = new FaultState();
  readonly limiter: RateLimiter;
  /** `${env}:${ref}` of emissions between request and answer. */
  readonly inFlight = new Set<string>();
  /** Called after contingency effectivation / automatic inutilização (set by the hooks module). */
  onEvent: (env: Environment, event: 'nfce_contingencia' | 'inutilizacao', cnpj: string, body: unknown) => void = () => {};
  private clockOffset = 0;
  private closed = false;
  private readonly timers = new Map<NodeJS.Timeout, () => void>();

  constructor(store: SandboxStore, opts: ResolvedOptions, emitter: Emitter, tokens?: Record<Environment, string>) {
    this.store = store;
    this.opts = opts;
    this.limiter = new RateLimiter(opts.rateWindowMs);
    this.emitter = emitter;
    const saved = store.getMeta<Record<Environment, string>>('tokens');
    this.tokens = tokens ?? saved ?? { homologacao: newToken(), producao: newToken() };
    if (!saved || saved.homologacao !== this.tokens.homologacao || saved.producao !== this.tokens.producao) store.setMeta('tokens', this.tokens);
  }

  now(): number {
    return this.opts.clock() + this.clockOffset;
  }

  setClockOffset(ms: number): void {
    this.clockOffset = ms;
  }

  envOf(token: string | null): Environment | null {
    if (!token) return null;
    if (token === this.tokens.homologacao) return 'homologacao';
    if (token === this.tokens.producao) return 'producao';
    return null;
  }

  get rateLimit(): number {
    return this.faults.value.rateLimit ?? this.opts.rateLimit;
  }

  get badTokenStatus(): 401 | 403 {
    return this.faults.value.badTokenStatus ?? this.opts.badTokenStatus;
  }

  get contingencyEnabled(): boolean {
    return this.faults.value.contingencyEnabled ?? true;
  }

  /** A timer that close() resolves early, so no sleep outlives the server. */
  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.set(timer, resolve);
    });
  }

  /** Run `fn` after `ms` unless the sandbox closes first. */
  later(ms: number, fn: () => void): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.set(timer, () => {});
  }

  /** SEFAZ round-trip time (fault override first). */
  sefazLatency(): Promise<void> {
    const l = this.faults.value.latencyMs ?? this.opts.latencyMs;
    const ms = Array.isArray(l) ? l[0] + (l[1] > l[0] ? randomInt(l[1] - l[0] + 1) : 0) : l;
    return this.sleep(ms);
  }

  /** nProt: 1 + cUF + AA + 10-digit sequence (15 digits, like SEFAZ's). */
  newProtocol(): string {
    const seq = this.store.nextSeq('protocol');
    const yy = String(new Date(this.now()).getUTCFullYear() % 100).padStart(2, '0');
    return `1${UF_IBGE[this.emitter.uf]}${yy}${String(seq).padStart(10, '0')}`;
  }

  cancelTimers(): void {
    this.closed = true;
    for (const [timer, resolve] of this.timers) {
      clearTimeout(timer);
      resolve();
    }
    this.timers.clear();
  }
}
