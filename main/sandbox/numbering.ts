// Focus's automatic numbering: one counter per (CNPJ, environment, série) starting at
// proximo_numero. Focus knows every number it has sent to SEFAZ or inutilized, so the counter
// steps over those (a client that numbers some notes itself in the same série does not collide).
import type { SandboxStore } from './store.ts';
import type { Environment } from './types.ts';

export const MAX_NUMERO = 999_999_999;

export function allocateNumber(store: SandboxStore, cnpj: string, env: Environment, serie: number, firstNumber: number): number {
  let n = store.getCounter(cnpj, env, serie) ?? firstNumber;
  // Bounded: a série has at most 999 999 999 numbers.
  while (n <= MAX_NUMERO && (store.numberUse(cnpj, env, serie, n) || store.isInutilized(cnpj, env, serie, n))) n++;
  if (n > MAX_NUMERO) throw new RangeError(`série ${serie} esgotada`);
  store.setCounter(cnpj, env, serie, n + 1);
  return n;
}
