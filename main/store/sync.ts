// The lane's side of the store (issue #16), in one object the core holds for the app's life: the
// pairing, the push and pull loops over the profile's journal, the credit port the Focus scheduler
// asks, and the manager's views fetched from the store. A lane without a store runs none of it
// (the outbox still fills, cheaply, so a later pairing uploads the history).
import type { DatabaseSync } from 'node:sqlite';
import { LanesResponse, ManagerSessionResponse, STORE_ROUTES, StoreDayReport, StoreError, StoreMonthReport, type Change } from '../../shared/store/protocol.ts';
import type { StoreSyncView } from '../../shared/contract.ts';
import { Outbox } from '../db/outbox.ts';
import type { SecretVault } from '../secrets/vault.ts';
import type { Settings, StoreLink } from '../settings/schema.ts';
import type { SettingsPatch } from '../settings/settings.ts';
import { applyChanges, PriceGrace, type ApplyTargets } from './apply.ts';
import { CreditPort } from './credits.ts';
import { StoreHttp } from './http.ts';
import { pairLane, storeCredential, unpairLane } from './pairing.ts';
import { PullLoop } from './pull.ts';
import { PushLoop } from './push.ts';

/** How often the time of the store's last answer is written to the journal. */
const ANSWER_SAVE_EVERY_MS = 5_000;

export interface StoreSyncDeps {
  settings: { get(): Settings; update(patch: SettingsPatch): Settings };
  vault: Pick<SecretVault, 'get' | 'set' | 'delete'>;
  now: () => number;
  /** Where pulled changes go (the live catalog, operators, settings). */
  targets: () => Omit<ApplyTargets, 'priceGrace' | 'now' | 'settings'> | null;
  log: (line: string) => void;
  /** Long-poll wait (ms); tests shorten it. */
  pullWaitMs?: number;
  pushIdleMs?: number;
  /** How long the credits of one lease from the store last (default 10 s); tests shorten it. */
  creditLeaseMs?: number;
  /** Tests only: shortens FALLBACK_AFTER_MS (the store's silence must be shortened to match). */
  fallbackAfterMs?: number;
}

export class StoreSync {
  readonly priceGrace: PriceGrace;
  readonly credits: CreditPort;
  readonly #d: StoreSyncDeps;
  #http: StoreHttp | null = null;
  #outbox: Outbox | null = null;
  #push: PushLoop | null = null;
  #pull: PullLoop | null = null;
  #tokenKey: string | null = null;
  #manager: { token: string; expiresAtMs: number } | null = null;
  #lastAnswerMs: number | null = null;
  #savedAnswerMs = 0;

  constructor(d: StoreSyncDeps) {
    this.#d = d;
    this.priceGrace = new PriceGrace(d.now);
    this.credits = new CreditPort({
      now: d.now,
      laneCount: () => this.#laneCount(),
      store: () => this.#http,
      tokenKey: () => this.#tokenKey,
      lastContactMs: () => this.#lastAnswerMs,
      onLaneCount: (n) => this.#noteLaneCount(n),
      reserve: () => this.#reserve(),
      onReserve: (n) => this.#noteReserve(n),
      ...(d.fallbackAfterMs !== undefined ? { fallbackAfterMs: d.fallbackAfterMs } : {}),
      ...(d.creditLeaseMs !== undefined ? { leaseMs: d.creditLeaseMs } : {}),
    });
  }

  link(): StoreLink | null {
    return this.#d.settings.get().store;
  }

  /** The profile opened: its journal holds the outbox; start syncing when paired. */
  async attach(db: DatabaseSync, tokenKey: string | null): Promise<void> {
    await this.detach();
    const outbox = new Outbox(db);
    this.#outbox = outbox;
    this.priceGrace.attach({ get: () => outbox.getState('price_grace'), set: (v) => outbox.setState('price_grace', v) });
    this.#tokenKey = tokenKey;
    const saved = Number(outbox.getState('store_answer_ms') ?? 0);
    this.#lastAnswerMs = saved > 0 ? saved : null;
    this.#savedAnswerMs = saved;
    await this.#connect();
  }

  async detach(): Promise<void> {
    await this.#stopLoops();
    await this.credits.releaseAll().catch(() => undefined);
    await this.#http?.close();
    this.#http = null;
    this.#outbox = null;
    this.priceGrace.attach(null);
  }

  async pair(input: { url: string; code: string; laneName: string }): Promise<StoreLink> {
    const link = await pairLane({ settings: this.#d.settings, vault: this.#d.vault, now: this.#d.now }, input);
    this.#d.log(`balcao: caixa pareado com a loja ${link.storeName} (${link.url}) como ${link.laneId}`);
    if (this.#outbox) await this.#connect();
    return link;
  }

  async unpair(): Promise<void> {
    await this.#stopLoops();
    await this.credits.releaseAll().catch(() => undefined);
    await this.#http?.close();
    this.#http = null;
    this.#manager = null;
    await unpairLane({ settings: this.#d.settings, vault: this.#d.vault, now: this.#d.now });
  }

  /** Pushes everything now (the manager's "Enviar agora", tests). */
  async pushNow(): Promise<number> {
    if (!this.#push) return 0;
    return this.#push.drain();
  }

  async pullNow(): Promise<number> {
    if (!this.#pull) return 0;
    return this.#pull.catchUp();
  }

  status(): StoreSyncView {
    const link = this.link();
    const push = this.#push?.state() ?? null;
    const pull = this.#pull?.state() ?? null;
    const backlog = this.#outbox?.backlog() ?? { count: 0, oldestCreatedAt: null };
    const error = push?.error ?? pull?.error ?? null;
    return {
      paired: link !== null,
      storeName: link?.storeName ?? null,
      storeUrl: link?.url ?? null,
      laneName: link?.laneName ?? null,
      laneId: link?.laneId ?? null,
      pairedAtMs: link?.pairedAtMs ?? null,
      lastPushMs: push?.lastPushMs ?? null,
      lastPullMs: pull?.lastPullMs ?? null,
      backlog: backlog.count,
      oldestUnsentAt: backlog.oldestCreatedAt,
      pullCursor: pull?.cursor ?? null,
      clockSkewMs: push?.clockSkewMs ?? null,
      reachable: link === null ? null : error === null && (push?.lastPushMs != null || pull?.lastPullMs != null),
      error,
      credits: { mode: this.credits.mode(), share: this.credits.share(), reserve: this.credits.reserve(), waiting: this.credits.waiting() },
    };
  }

  /** Every lane's sync state, as the store sees it (a manager session opened with a PIN). */
  async lanes(manager: { operatorId: string; pin: string | undefined }): Promise<LanesResponse> {
    const r = await this.#asManager(manager, (h, token) => h.get(STORE_ROUTES.lanes, LanesResponse, { bearer: token }));
    if (this.#outbox) this.#outbox.setState('lane_count', String(r.lanes.filter((l) => !l.revoked).length));
    return r;
  }

  async reportDay(manager: { operatorId: string; pin: string | undefined }, day: string): Promise<StoreDayReport> {
    return this.#asManager(manager, (h, token) => h.get(`${STORE_ROUTES.reportDay}?day=${day}`, StoreDayReport, { bearer: token }));
  }

  async reportMonth(manager: { operatorId: string; pin: string | undefined }, month: string): Promise<StoreMonthReport> {
    return this.#asManager(manager, (h, token) => h.get(`${STORE_ROUTES.reportMonth}?month=${month}`, StoreMonthReport, { bearer: token }));
  }

  async #asManager<T>(m: { operatorId: string; pin: string | undefined }, fn: (h: StoreHttp, token: string) => Promise<T>): Promise<T> {
    const h = this.#http;
    if (!h) throw new StoreError('unauthorized', 'Este caixa não está pareado com um servidor da loja.');
    const now = this.#d.now();
    if (!this.#manager || this.#manager.expiresAtMs <= now + 5_000) {
      if (!m.pin) throw new StoreError('manager_pin_invalid', 'Digite o PIN do gerente para consultar o servidor da loja.');
      const s = await h.post(STORE_ROUTES.managerSession, { operatorId: m.operatorId, pin: m.pin }, ManagerSessionResponse);
      this.#manager = { token: s.token, expiresAtMs: s.expiresAtMs };
    }
    return fn(h, this.#manager.token);
  }

  /** The store said how many lanes share the token (each lease and each pull answer): kept for the even share. */
  #noteLaneCount(n: number): void {
    if (this.#outbox && this.#outbox.getState('lane_count') !== String(n)) this.#outbox.setState('lane_count', String(n));
  }

  /** Kept per lane id: a lane paired again is a new lane, with the reserve the store gives it then. */
  #reserveKey(): string | null {
    const laneId = this.link()?.laneId;
    return laneId ? `credit_reserve:${laneId}` : null;
  }

  #noteReserve(n: number): void {
    const key = this.#reserveKey();
    if (key && this.#outbox && this.#outbox.getState(key) !== String(n)) this.#outbox.setState(key, String(n));
  }

  #reserve(): number {
    const key = this.#reserveKey();
    return key ? Number(this.#outbox?.getState(key) ?? 0) || 0 : 0;
  }

  /**
   * The store answered: kept in the journal (at most every few seconds, so never later than the
   * truth), for the share lease survives a restart — a lane switched off does not get its even share
   * back by starting again while cut off.
   */
  #noteAnswer(): void {
    const now = this.#d.now();
    this.#lastAnswerMs = now;
    if (this.#outbox && now - this.#savedAnswerMs >= ANSWER_SAVE_EVERY_MS) {
      this.#savedAnswerMs = now;
      this.#outbox.setState('store_answer_ms', String(now));
    }
  }

  #laneCount(): number {
    const stored = Number(this.#outbox?.getState('lane_count') ?? 0);
    // The terminal id the store allocated (CX03) says at least that many lanes were paired.
    const byTerminal = this.link() ? Number(/(\d+)$/.exec(this.#d.settings.get().terminalId)?.[1] ?? 1) : 1;
    return Math.max(1, stored, byTerminal);
  }

  async #connect(): Promise<void> {
    const link = this.link();
    const outbox = this.#outbox;
    if (!link || !outbox) return;
    const credential = await storeCredential(this.#d.vault);
    if (!credential) {
      this.#d.log('balcao: caixa pareado, mas a credencial da loja não está no cofre; pareie de novo');
      return;
    }
    this.#http = new StoreHttp({
      baseUrl: link.url,
      credential,
      fingerprint: link.certFingerprint256,
      onAnswer: () => this.#noteAnswer(),
    });
    const http = () => this.#http;
    this.#push = new PushLoop({ outbox, http, now: this.#d.now, ...(this.#d.pushIdleMs ? { idleMs: this.#d.pushIdleMs } : {}) });
    this.#pull = new PullLoop({
      http,
      now: this.#d.now,
      cursor: {
        get: () => Number(outbox.getState('pull_cursor') ?? 0),
        set: (v) => outbox.setState('pull_cursor', String(v)),
      },
      apply: (changes) => this.#apply(changes),
      share: () => this.credits.share(),
      onLaneCount: (n) => this.#noteLaneCount(n),
      onReserve: (n) => this.#noteReserve(n),
      ...(this.#d.pullWaitMs !== undefined ? { waitMs: this.#d.pullWaitMs } : {}),
    });
    this.#push.start();
    this.#pull.start();
  }

  #apply(changes: readonly Change[]): void {
    const t = this.#d.targets();
    if (!t) throw new StoreError('internal', 'O caixa ainda não abriu o catálogo; as mudanças da loja ficam para o próximo pedido.');
    const r = applyChanges({ ...t, settings: this.#d.settings, priceGrace: this.priceGrace, now: this.#d.now }, changes);
    if (r.skipped.length > 0)
      this.#d.log(`balcao: ${r.skipped.length} mudança(s) da loja ignoradas (${r.skipped[0]!.entity} ${r.skipped[0]!.key}: ${r.skipped[0]!.reason})`);
  }

  async #stopLoops(): Promise<void> {
    await this.#push?.stop();
    await this.#pull?.stop();
    this.#push = null;
    this.#pull = null;
  }
}
