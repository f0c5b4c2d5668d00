// Operators and their PINs. Stored with the settings (small JSON, 0600), PINs only as scrypt hashes.
import { UserFacingError } from '../../shared/errors.ts';
import { z } from 'zod';
import type { OperatorView, Role } from '../../shared/contract.ts';
import type { KeyValueStore } from '../settings/store.ts';
import { AttemptLimiter } from './attempts.ts';
import { hashPin, verifyPin } from './pin-hash.ts';

const StoredOperator = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/),
  name: z.string().min(1).max(60),
  role: z.enum(['cashier', 'manager']),
  pinHash: z.string(),
  active: z.boolean().default(true),
});
type StoredOperator = z.infer<typeof StoredOperator>;

const KEY = 'operators';

/** The operators a fresh install starts with; the login screen lists their PINs in demo mode. */
export const DEMO_OPERATORS: readonly { id: string; name: string; role: Role; pin: string }[] = [
  { id: 'caixa-1', name: 'Caixa 1', role: 'cashier', pin: '1234' },
  { id: 'caixa-2', name: 'Caixa 2', role: 'cashier', pin: '2345' },
  { id: 'gerente', name: 'Gerente', role: 'manager', pin: '9999' },
];

export type AuthErrorCode = 'pin_invalid' | 'pin_locked' | 'operator_unknown' | 'not_manager' | 'login_required';

export class AuthError extends UserFacingError<AuthErrorCode> {
  readonly waitMs: number;
  constructor(code: AuthErrorCode, message: string, waitMs = 0) {
    super(code, message);
    this.waitMs = waitMs;
  }
}

export class OperatorDirectory {
  readonly #store: KeyValueStore;
  readonly #limiter: AttemptLimiter;
  #cache: StoredOperator[] | null = null;

  constructor(store: KeyValueStore, now: () => number) {
    this.#store = store;
    this.#limiter = new AttemptLimiter(now);
  }

  /** Seeds the default operators once, on a fresh install. */
  async ensureSeeded(): Promise<void> {
    // Only a store that never had operators is seeded: a damaged list must not bring back known PINs.
    if (this.#store.get(KEY) !== undefined) return;
    const seeded: StoredOperator[] = [];
    for (const op of DEMO_OPERATORS) {
      seeded.push({ id: op.id, name: op.name, role: op.role, pinHash: await hashPin(op.pin), active: true });
    }
    this.#save(seeded);
  }

  list(): OperatorView[] {
    return this.#load().filter((o) => o.active).map(view);
  }

  get(id: string): OperatorView | null {
    const op = this.#load().find((o) => o.id === id && o.active);
    return op ? view(op) : null;
  }

  async login(operatorId: string, pin: string): Promise<OperatorView> {
    const op = this.#load().find((o) => o.id === operatorId && o.active);
    if (!op) throw new AuthError('operator_unknown', 'Operador não encontrado. Escolha um operador da lista.');
    await this.#check(`op:${op.id}`, () => verifyPin(pin, op.pinHash));
    return view(op);
  }

  /** Any active manager's PIN authorises an override. */
  async verifyManager(pin: string): Promise<OperatorView> {
    const managers = this.#load().filter((o) => o.active && o.role === 'manager');
    let found: StoredOperator | null = null;
    await this.#check('manager', async () => {
      for (const m of managers) {
        if (await verifyPin(pin, m.pinHash)) { found = m; return true; }
      }
      return false;
    });
    return view(found!);
  }

  async setPin(operatorId: string, pin: string): Promise<void> {
    const all = this.#load();
    const op = all.find((o) => o.id === operatorId);
    if (!op) throw new AuthError('operator_unknown', 'Operador não encontrado.');
    op.pinHash = await hashPin(pin);
    this.#save(all);
  }

  async #check(key: string, verify: () => Promise<boolean>): Promise<void> {
    const wait = this.#limiter.waitMs(key);
    if (wait > 0) {
      throw new AuthError('pin_locked', `Muitas tentativas com PIN errado. Aguarde ${Math.ceil(wait / 1000)} segundos e tente de novo.`, wait);
    }
    if (await verify()) {
      this.#limiter.succeed(key);
      return;
    }
    this.#limiter.fail(key);
    const after = this.#limiter.waitMs(key);
    if (after > 0) {
      throw new AuthError('pin_locked', `PIN incorreto. Por segurança, aguarde ${Math.ceil(after / 1000)} segundos antes de tentar de novo.`, after);
    }
    throw new AuthError(key === 'manager' ? 'not_manager' : 'pin_invalid',
      key === 'manager' ? 'PIN de gerente incorreto. Peça ao gerente que digite o PIN dele.' : 'PIN incorreto. Digite de novo.');
  }

  #load(): StoredOperator[] {
    if (this.#cache) return this.#cache;
    const parsed = z.array(StoredOperator).safeParse(this.#store.get(KEY) ?? []);
    this.#cache = parsed.success ? parsed.data : [];
    return this.#cache;
  }

  #save(ops: StoredOperator[]): void {
    this.#store.set(KEY, ops);
    this.#cache = ops;
  }
}

function view(o: StoredOperator): OperatorView {
  return { id: o.id, name: o.name, role: o.role };
}
