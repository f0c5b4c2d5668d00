// Search folds case and accents: cashiers type "pao" for "Pão" and "acucar" for "Açúcar".

export function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

export function tokens(s: string): string[] {
  return fold(s).split(/[^a-z0-9]+/).filter((t) => t.length > 0);
}
