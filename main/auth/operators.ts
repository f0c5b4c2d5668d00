// Operators and their PINs. Stored with the settings (small JSON, 0600), PINs only as scrypt hashes.
// A real profile keeps its operators under 'operators'; the demo profile under 'demoOperators',
// seeded with the published demo PINs, so nothing of the demo can log into a real profile.
import { randomBytes } from 'node:crypto';
import { UserFacingError } from '../../shared/errors.ts';
import { z } from 'zod';
import type { OperatorView, Role } from '../../shared/contract.ts';
import { pinProblem, pinProblemMessage } from '../../shared/pin.ts';
import type { KeyValueStore } from '../settings/store.ts';
import { AttemptLimiter, type AttemptLimits } from './attempts.ts';
import { hashPin, PIN_COST, verifyPin, type PinCost } from './pin-hash.ts';

const StoredOperator = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/),
  name: z.string().min(1).max(60),
  role: z.enum(['cashier', 'manager']),
  pinHash: z.string(),
  active: z.boolean().default(true),
});
type StoredOperator = z.infer<typeof StoredOperator>;

export type OperatorsKey = 'operators' | 'demoOperators';

/** The demo profile's operators; the login screen lists their PINs in demo mode only. */
export const DEMO_OPERATORS: readonly { id: string; name: string; role: Role; pin: string }[] = [
  { id: 'caixa-1', name: 'Caixa 1', role: 'cashier', pin: '1234' },
  { id: 'caixa-2', name: 'Caixa 2', role: 'cashier', pin: '2345' },
  { id: 'gerente', name: 'Gerente', role: 'manager', pin: '9999' },
];

export type AuthErrorCode =
  'pin_invalid' | 'pin_locked' | 'operator_unknown' | 'not_manager' | 'login_required' | 'pin_weak' | 'operator_name' | 'last_manager' | 'operator_exists';

export class AuthError extends UserFacingError<AuthErrorCode> {
  readonly waitMs: number;
  constructor(code: AuthErrorCode, message: string, waitMs = 0, fields?: { path: string; message: string }[]) {
    super(code, message, fields ? { fields } : {});
    this.waitMs = waitMs;
  }
}

/** Full view for the manager's operator screen (includes disabled ones). */
export interface OperatorRecord extends OperatorView {
  active: boolean;
}

export function assertGoodPin(pin: string, path = 'pin'): void {
  const problem = pinProblem(pin);
  if (problem) throw new AuthError('pin_weak', pinProblemMessage(problem), 0, [{ path, message: pinProblemMessage(problem) }]);
}

function cleanName(name: string): string {
  const n = name.replace(/\s+/g, ' ').trim();
  if (n.length < 2 || n.length > 40) {
    throw new AuthError('operator_name', 'O nome do operador deve ter de 2 a 40 letras.', 0, [{ path: 'name', message: 'de 2 a 40 letras' }]);
  }
  return n;
}

export class OperatorDirectory {
  readonly #store: KeyValueStore;
  readonly #limiter: AttemptLimiter;
  #key: OperatorsKey;
  #cache: StoredOperator[] | null = null;
  readonly #pinCost: PinCost;

  /** `pinCost`: the product always uses PIN_COST; unit tests pass a cheaper one to save CPU. */
  constructor(store: KeyValueStore, now: () => number, key: OperatorsKey = 'operators', limits: AttemptLimits = {}, pinCost: PinCost = PIN_COST) {
    this.#store = store;
    this.#pinCost = pinCost;
    this.#key = key;
    this.#limiter = new AttemptLimiter(now, limits, store);
  }

  /** Switches between the real and the demo list (the profile decides). */
  use(key: OperatorsKey): void {
    if (key === this.#key) return;
    this.#key = key;
    this.#cache = null;
  }

  /** The demo list is seeded once; the real one never is (the first manager comes from setup). */
  async ensureSeeded(): Promise<void> {
    if (this.#key !== 'demoOperators') return;
    // Only a store that never had operators is seeded: a damaged list must not bring back known PINs.
    if (this.#store.get(this.#key) !== undefined) return;
    const seeded: StoredOperator[] = [];
    for (const op of DEMO_OPERATORS) {
      seeded.push({ id: op.id, name: op.name, role: op.role, pinHash: await hashPin(op.pin, this.#pinCost), active: true });
    }
    this.#save(seeded);
  }

  list(): OperatorView[] {
    return this.#load()
      .filter((o) => o.active)
      .map(view);
  }

  all(): OperatorRecord[] {
    return this.#load().map((o) => ({ ...view(o), active: o.active }));
  }

  hasManager(): boolean {
    return this.#load().some((o) => o.active && o.role === 'manager');
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
        if (await verifyPin(pin, m.pinHash)) {
          found = m;
          return true;
        }
      }
      return false;
    });
    return view(found!);
  }

  async create(input: { name: string; role: Role; pin: string }): Promise<OperatorRecord> {
    const name = cleanName(input.name);
    assertGoodPin(input.pin);
    const all = this.#load();
    if (all.some((o) => o.active && o.name.toLowerCase() === name.toLowerCase())) {
      throw new AuthError('operator_exists', `Já existe um operador chamado ${name}. Use outro nome.`, 0, [{ path: 'name', message: 'nome já usado' }]);
    }
    const op: StoredOperator = { id: newId(name, all), name, role: input.role, pinHash: await hashPin(input.pin, this.#pinCost), active: true };
    this.#save([...all, op]);
    return { ...view(op), active: true };
  }

  update(id: string, patch: { name?: string | undefined; role?: Role | undefined; active?: boolean | undefined }): OperatorRecord {
    const all = this.#load().map((o) => ({ ...o }));
    const op = all.find((o) => o.id === id);
    if (!op) throw new AuthError('operator_unknown', 'Operador não encontrado.');
    if (patch.name !== undefined) op.name = cleanName(patch.name);
    if (patch.role !== undefined) op.role = patch.role;
    if (patch.active !== undefined) op.active = patch.active;
    if (!all.some((o) => o.active && o.role === 'manager')) {
      throw new AuthError('last_manager', 'O caixa precisa de pelo menos um gerente ativo. Cadastre outro gerente antes.');
    }
    this.#save(all);
    return { ...view(op), active: op.active };
  }

  /** Manager reset, or the operator's own change (the caller checked the current PIN). */
  async setPin(operatorId: string, pin: string): Promise<void> {
    assertGoodPin(pin, 'newPin');
    const all = this.#load().map((o) => ({ ...o }));
    const op = all.find((o) => o.id === operatorId);
    if (!op) throw new AuthError('operator_unknown', 'Operador não encontrado.');
    op.pinHash = await hashPin(pin, this.#pinCost);
    this.#save(all);
  }

  async #check(key: string, verify: () => Promise<boolean>): Promise<void> {
    // Recorded before verifying: parallel guesses each use up one try.
    const wait = this.#limiter.reserve(key);
    if (wait > 0) {
      throw new AuthError('pin_locked', `Muitas tentativas com PIN errado. Aguarde ${Math.ceil(wait / 1000)} segundos e tente de novo.`, wait);
    }
    if (await verify()) {
      this.#limiter.succeed(key);
      return;
    }
    const after = this.#limiter.waitMs(key);
    if (after > 0) {
      throw new AuthError('pin_locked', `PIN incorreto. Por segurança, aguarde ${Math.ceil(after / 1000)} segundos antes de tentar de novo.`, after);
    }
    throw new AuthError(
      key === 'manager' ? 'not_manager' : 'pin_invalid',
      key === 'manager' ? 'PIN de gerente incorreto. Peça ao gerente que digite o PIN dele.' : 'PIN incorreto. Digite de novo.',
    );
  }

  /**
   * Operators shared by the store (issue #16): each record replaces the local one with the same id
   * (name, role, PIN hash, active); operators the store does not send stay as they are.
   */
  adoptFromStore(ops: readonly StoredOperator[]): void {
    const byId = new Map(this.#load().map((o) => [o.id, o]));
    for (const o of ops) byId.set(o.id, StoredOperator.parse(o));
    this.#save([...byId.values()]);
  }

  #load(): StoredOperator[] {
    if (this.#cache) return this.#cache;
    const parsed = z.array(StoredOperator).safeParse(this.#store.get(this.#key) ?? []);
    this.#cache = parsed.success ? parsed.data : [];
    return this.#cache;
  }

  #save(ops: StoredOperator[]): void {
    this.#store.set(this.#key, ops);
    this.#cache = ops;
  }
}

function newId(name: string, existing: readonly StoredOperator[]): string {
  const base =
    name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 30) || 'op';
  let id = base;
  while (existing.some((o) => o.id === id)) id = `${base}-${randomBytes(2).toString('hex')}`;
  return id;
}

function view(o: StoredOperator): OperatorView {
  return { id: o.id, name: o.name, role: o.role };
}
