// Settings with defaults and validation on the way in and on the way out: a hand-edited or
// damaged file falls back field by field to defaults instead of stopping the checkout.
import { randomBytes } from 'node:crypto';
import { Settings } from './schema.ts';
import type { KeyValueStore } from './store.ts';

const KEY = 'settings';

export type SettingsPatch = Partial<Omit<Settings, 'focusUrls'>> & { focusUrls?: Settings['focusUrls'] };

export class SettingsService {
  readonly #store: KeyValueStore;
  #cache: Settings | null = null;
  readonly #listeners = new Set<(s: Settings) => void>();

  constructor(store: KeyValueStore) {
    this.#store = store;
  }

  get(): Settings {
    if (this.#cache) return this.#cache;
    const raw = this.#store.get(KEY);
    let settings = readLenient(raw);
    if (raw === undefined) {
      // First launch: a random terminal id keeps Focus refs unique across terminals of one shop.
      settings = { ...settings, terminalId: 'T' + randomBytes(4).toString('hex').toUpperCase() };
      // A store opened over a damaged file is only written once the manager chose to start over.
      const damaged = 'opened' in this.#store && (this.#store as { opened: string }).opened === 'damaged';
      if (!damaged) this.#store.set(KEY, settings);
    }
    this.#cache = settings;
    return settings;
  }

  /** Validates the merged result; throws a ZodError on bad input and leaves the file untouched. */
  update(patch: SettingsPatch): Settings {
    const next = Settings.parse({ ...this.get(), ...stripUndefined(patch) });
    this.#store.set(KEY, next);
    this.#cache = next;
    for (const l of this.#listeners) l(next);
    return next;
  }

  onChange(listener: (s: Settings) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

function readLenient(raw: unknown): Settings {
  const whole = Settings.safeParse(raw ?? {});
  if (whole.success) return whole.data;
  const base = Settings.parse({});
  if (!raw || typeof raw !== 'object') return base;
  const merged: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!(k in base)) continue;
    const probe = Settings.safeParse({ ...base, [k]: v });
    if (probe.success) merged[k] = (probe.data as Record<string, unknown>)[k];
  }
  return Settings.parse(merged);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
