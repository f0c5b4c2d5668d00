// Search folds case and accents: cashiers type "pao" for "Pão" and "acucar" for "Açúcar".
import { fold } from '../../shared/text-fold.ts';

export { fold };

export function tokens(s: string): string[] {
  return fold(s)
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0);
}
