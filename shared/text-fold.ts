// Accent- and case-folding: cashiers type "pao" for "Pão", spreadsheets say "Descricao" or "DESCRIÇÃO".
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}
