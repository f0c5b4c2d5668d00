// Applies what the store sends down (catalog, tax profiles, operators, settings) to this lane.
// Every record is whole (the store's latest), so applying a change twice is harmless: the pull loop
// may repeat a page after a crash. Products of one page are written in one catalog transaction.
// A product whose price changes while a cart holds it keeps its old price for that cart: the old
// price is remembered for a grace period (PriceGrace), which finalize accepts.
import { z } from 'zod';
import type { Change } from '../../shared/store/protocol.ts';
import { StoreOperator } from '../../shared/store/protocol.ts';
import { Product, TaxProfile } from '../../shared/sale.ts';
import type { Settings } from '../settings/schema.ts';
import type { SettingsPatch } from '../settings/settings.ts';

/** Settings the store may set on its lanes (shop-wide policy; never the lane's own identity or secrets). */
export const STORE_SETTINGS = [
  'discountLimitBp',
  'idleLockMinutes',
  'cancelItemApprovalAboveCents',
  'cancelSaleApprovalAboveCents',
  'managerGraceSeconds',
  'autoPrint',
  'registerRequired',
  'scaleLabel',
  'scaleFormat',
] as const satisfies readonly (keyof Settings)[];

export interface ApplyTargets {
  catalog: {
    get(id: string): Product | null;
    upsertMany(products: readonly Product[], now?: string, validated?: boolean): Product[];
    saveProfiles(profiles: readonly TaxProfile[], now?: string): void;
  };
  operators: { adoptFromStore(ops: readonly z.infer<typeof StoreOperator>[]): void };
  settings: { get(): Settings; update(patch: SettingsPatch): Settings };
  priceGrace: PriceGrace;
  now: () => number;
}

export interface ApplyReport {
  products: number;
  profiles: number;
  operators: number;
  settings: number;
  /** Changes this lane could not read (kept out; the store shows them as pending on this lane). */
  skipped: { entity: string; key: string; reason: string }[];
}

export function applyChanges(t: ApplyTargets, changes: readonly Change[]): ApplyReport {
  const report: ApplyReport = { products: 0, profiles: 0, operators: 0, settings: 0, skipped: [] };
  const products: Product[] = [];
  const profiles: TaxProfile[] = [];
  const ops: z.infer<typeof StoreOperator>[] = [];
  const settings: Record<string, unknown> = {};
  // A page may hold several versions of one record: the last one wins.
  for (const c of changes) {
    if (c.entity === 'product') {
      const parsed = c.data === null ? deactivate(t.catalog.get(c.key)) : Product.safeParse({ ...c.data, id: c.data.id ?? c.key });
      if (parsed === null) continue;
      if (!parsed.success) report.skipped.push({ entity: c.entity, key: c.key, reason: parsed.error.issues[0]?.message ?? 'inválido' });
      else products.push(parsed.data);
    } else if (c.entity === 'tax_profile') {
      const parsed = TaxProfile.safeParse({ ...c.data, id: c.data?.id ?? c.key });
      if (c.data === null) continue; // a profile in use is never deleted on a lane; products keep their own data
      if (!parsed.success) report.skipped.push({ entity: c.entity, key: c.key, reason: parsed.error.issues[0]?.message ?? 'inválido' });
      else profiles.push(parsed.data);
    } else if (c.entity === 'operator') {
      const parsed = StoreOperator.safeParse(c.data === null ? null : { ...c.data, id: c.data.id ?? c.key });
      if (c.data === null) {
        const known = ops.find((o) => o.id === c.key);
        if (known) known.active = false;
        continue;
      }
      if (!parsed.success) report.skipped.push({ entity: c.entity, key: c.key, reason: parsed.error.issues[0]?.message ?? 'inválido' });
      else ops.push(parsed.data);
    } else if (c.entity === 'setting') {
      if (!(STORE_SETTINGS as readonly string[]).includes(c.key) || c.data === null) {
        report.skipped.push({ entity: c.entity, key: c.key, reason: 'configuração não compartilhada pela loja' });
        continue;
      }
      settings[c.key] = c.data.value;
    }
  }
  const last = <T extends { id: string }>(list: T[]): T[] => [...new Map(list.map((x) => [x.id, x])).values()];
  const nowIso = new Date(t.now()).toISOString();
  if (products.length > 0) {
    const unique = last(products);
    for (const p of unique) {
      const before = t.catalog.get(p.id);
      if (before && before.priceCents !== p.priceCents) t.priceGrace.remember(p.id, before.priceCents);
    }
    t.priceGrace.save();
    t.catalog.upsertMany(unique, nowIso, true);
    report.products = unique.length;
  }
  if (profiles.length > 0) {
    t.catalog.saveProfiles(last(profiles), nowIso);
    report.profiles = last(profiles).length;
  }
  if (ops.length > 0) {
    t.operators.adoptFromStore(last(ops));
    report.operators = last(ops).length;
  }
  if (Object.keys(settings).length > 0) {
    // Validated as a whole by the settings schema: a bad value refuses the page's settings, nothing else.
    try {
      t.settings.update(settings);
      report.settings = Object.keys(settings).length;
    } catch {
      for (const key of Object.keys(settings)) report.skipped.push({ entity: 'setting', key, reason: 'valor inválido' });
    }
  }
  return report;
}

function deactivate(p: Product | null): { success: true; data: Product } | null {
  return p ? { success: true, data: { ...p, active: false } } : null;
}

/** Where the grace list is kept between runs (the profile's journal: store_state). */
export interface GraceStore {
  get(): string | null;
  set(value: string): void;
}

type GraceEntry = { cents: number; until: number };

/**
 * Prices a product had until a moment ago. A cart scanned before a price change still finalizes
 * at the price the cashier and the customer saw (the store's change takes effect at the next scan).
 * The list is written to the profile's journal before the new price reaches the catalog, so a lane
 * restarted with a cart open still honours the price that cart showed.
 */
export class PriceGrace {
  readonly #old = new Map<string, GraceEntry[]>();
  readonly #now: () => number;
  readonly #graceMs: number;
  #store: GraceStore | null = null;

  constructor(now: () => number, graceMs = 30 * 60_000) {
    this.#now = now;
    this.#graceMs = graceMs;
  }

  /** The profile opened (its journal keeps the list) or closed (null). */
  attach(store: GraceStore | null): void {
    this.#store = store;
    this.#old.clear();
    const raw = store?.get() ?? null;
    if (raw === null) return;
    try {
      const saved = JSON.parse(raw) as Record<string, GraceEntry[]>;
      for (const [id, list] of Object.entries(saved)) {
        const live = Array.isArray(list) ? list.filter((e) => Number.isInteger(e?.cents) && typeof e.until === 'number' && e.until > this.#now()) : [];
        if (live.length > 0) this.#old.set(id, live);
      }
    } catch {
      // A damaged list only means a cart rescans at the new price.
    }
  }

  remember(productId: string, cents: number): void {
    const list = (this.#old.get(productId) ?? []).filter((e) => e.until > this.#now());
    list.push({ cents, until: this.#now() + this.#graceMs });
    this.#old.set(productId, list);
  }

  /** Writes the list (expired entries dropped); call before the new prices are applied. */
  save(): void {
    if (!this.#store) return;
    const now = this.#now();
    const out: Record<string, GraceEntry[]> = {};
    for (const [id, list] of this.#old) {
      const live = list.filter((e) => e.until > now);
      if (live.length > 0) out[id] = live;
      else this.#old.delete(id);
    }
    this.#store.set(JSON.stringify(out));
  }

  /** True when `cents` was this product's price within the grace period. */
  accepts(productId: string, cents: number): boolean {
    return (this.#old.get(productId) ?? []).some((e) => e.cents === cents && e.until > this.#now());
  }
}
