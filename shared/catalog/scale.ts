// Scale labels: EAN-13 codes starting with 2 that Brazilian scales (Toledo, Filizola, Urano…)
// print on weighed goods. The layout is the shop's scale configuration; these are the common ones.
//   2 | PLU (4, 5 or 6 digits) | [a 0 filler] | value | EAN check digit
// The value is the line's price (centavos) or the weight (grams), as the scale is set.
export type ScaleValueKind = 'price' | 'weight';

export interface ScaleFormat {
  id: 'p5v6' | 'p4v6' | 'p6v5';
  name: string;
  pluLength: 4 | 5 | 6;
  /** Index (0-based) of the value's first digit in the 13-digit code. */
  valueStart: number;
  valueLength: 5 | 6;
}

export const SCALE_FORMATS: readonly ScaleFormat[] = [
  { id: 'p5v6', name: '2 + código do produto (5) + valor (6) + dígito', pluLength: 5, valueStart: 6, valueLength: 6 },
  { id: 'p4v6', name: '2 + código do produto (4) + 0 + valor (6) + dígito', pluLength: 4, valueStart: 6, valueLength: 6 },
  { id: 'p6v5', name: '2 + código do produto (6) + valor (5) + dígito', pluLength: 6, valueStart: 7, valueLength: 5 },
];
export type ScaleFormatId = ScaleFormat['id'];
export const SCALE_FORMAT_IDS = SCALE_FORMATS.map((f) => f.id) as [ScaleFormatId, ...ScaleFormatId[]];

export function scaleFormat(id: string | undefined): ScaleFormat {
  return SCALE_FORMATS.find((f) => f.id === id) ?? SCALE_FORMATS[0]!;
}

/** PLU and value digits of a 13-digit label (check digit already verified). */
export function splitLabel(code: string, format: ScaleFormat): { plu: number; value: number } {
  return {
    plu: Number(code.slice(1, 1 + format.pluLength)),
    value: Number(code.slice(format.valueStart, format.valueStart + format.valueLength)),
  };
}

/** The rule the till applies, shown on the settings screen as written here. */
export function scaleRoundingRule(kind: ScaleValueKind): string {
  return kind === 'price'
    ? 'Etiqueta com preço: o total da linha é o valor impresso na etiqueta (2 casas decimais, em reais); a quantidade é o total dividido pelo preço do quilo, arredondada para 4 casas decimais, só para a nota.'
    : 'Etiqueta com peso: o valor é o peso em gramas (3 casas decimais, em quilos); o total é peso × preço do quilo, arredondado ao centavo (meio centavo para cima).';
}

/** Example label for the settings screen: PLU 123 at R$ 12,34 or 0,512 kg (without the check digit). */
export function exampleLabelBody(format: ScaleFormat, kind: ScaleValueKind): string {
  const plu = '123'.padStart(format.pluLength, '0');
  const value = (kind === 'price' ? '1234' : '512').padStart(format.valueLength, '0');
  return `2${plu}`.padEnd(format.valueStart, '0') + value;
}
