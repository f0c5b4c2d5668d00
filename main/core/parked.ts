// Sales put aside at the till ("espera"), one durable JSON file per profile, so demo carts never
// reach a real profile and a restart or a crash keeps them. Written to a temporary file, flushed
// and renamed over the old one: a crash mid-write leaves the previous list intact.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ParkedCart, type ParkedSale } from '../../shared/contract.ts';
import { PosFailure } from './errors.ts';

const Entry = z.object({
  id: z.string(),
  parkedAt: z.string(),
  operatorName: z.string(),
  cart: ParkedCart,
});
type Entry = z.infer<typeof Entry>;
const FileShape = z.object({ version: z.literal(1), parked: z.array(Entry) });

/** A till rarely holds more than a handful; the limit keeps a forgotten pile from growing. */
export const MAX_PARKED = 20;

export class ParkedSales {
  readonly #path: string;
  readonly #now: () => number;

  constructor(path: string, now: () => number = Date.now) {
    this.#path = path;
    this.#now = now;
  }

  list(): ParkedSale[] {
    return this.#read().map((e) => ({
      id: e.id,
      parkedAt: e.parkedAt,
      operatorName: e.operatorName,
      itemCount: e.cart.lines.filter((l) => !l.cancelled).length,
      totalCents: e.cart.totalCents,
    }));
  }

  park(cart: ParkedCart, operatorName: string): ParkedSale {
    const all = this.#read();
    if (all.length >= MAX_PARKED) {
      throw new PosFailure('parked_full', `Já há ${MAX_PARKED} vendas em espera. Recupere ou conclua uma delas antes de pôr outra em espera.`);
    }
    const entry: Entry = {
      id: `e${this.#now().toString(36)}${randomBytes(3).toString('hex')}`,
      parkedAt: new Date(this.#now()).toISOString(),
      operatorName,
      cart,
    };
    this.#write([...all, entry]);
    return this.list().find((p) => p.id === entry.id)!;
  }

  /** Takes a parked sale out of the list and returns its cart. */
  recall(id: string): ParkedCart {
    const all = this.#read();
    const entry = all.find((e) => e.id === id);
    if (!entry) throw new PosFailure('parked_not_found', 'Esta venda em espera já foi recuperada ou não existe mais. Atualize a lista.');
    this.#write(all.filter((e) => e.id !== id));
    return entry.cart;
  }

  #read(): Entry[] {
    let raw: string;
    try {
      raw = readFileSync(this.#path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    let json: unknown = null;
    try {
      json = JSON.parse(raw);
    } catch {
      // Reported below as a damaged file.
    }
    const parsed = FileShape.safeParse(json);
    if (!parsed.success)
      throw new PosFailure('parked_damaged', 'O arquivo das vendas em espera está danificado. As vendas concluídas não foram afetadas; chame o suporte.');
    return parsed.data.parked;
  }

  #write(parked: Entry[]): void {
    mkdirSync(dirname(this.#path), { recursive: true, mode: 0o700 });
    const tmp = `${this.#path}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify({ version: 1, parked }));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.#path);
  }
}
