// The contingency série: the PDV numbers its offline notes itself, in a série Focus never uses
// (focus-nfce-api §6.2 item 9), so its numbers can never collide with Focus's automatic sequence.

/** The fixed xJust (15–256 chars) recorded with every manual offline note. */
export const DEFAULT_X_JUST = 'Sem conexao com a internet no estabelecimento: NFC-e emitida em contingencia off-line';

/** pt-BR reason the pair of séries cannot be used, or null when it is fine. */
export function contingencySerieProblem(serie: string | number, contingencySerie: string | number): string | null {
  const normal = Number(serie);
  const cont = Number(contingencySerie);
  if (!Number.isInteger(cont) || cont < 0 || cont > 999) {
    return 'A série de contingência deve ser um número de 0 a 999. Ajuste em Configurações.';
  }
  if (cont === normal) {
    return (
      `A série de contingência (${cont}) é igual à série normal (${normal}). Use uma série só para a contingência ` +
      '(por exemplo 900), diferente em cada caixa, e nunca usada pela Focus. Ajuste em Configurações.'
    );
  }
  return null;
}

export function checkXJust(xJust: string): string {
  const t = xJust.trim();
  if (t.length < 15 || t.length > 256) throw new RangeError('a justificativa da contingência (xJust) deve ter de 15 a 256 caracteres');
  return t;
}
