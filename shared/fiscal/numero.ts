// A note is identified by número AND série: séries 1 and 900 (contingency) both have a nº 12.
export function formatNumeroSerie(numero: string | null, serie: string | null): string {
  if (!numero) return '';
  return serie ? `nº ${numero} série ${serie}` : `nº ${numero}`;
}
