// The spreadsheet columns of the catalog: one list for the import's mapping screen, the core's row
// reader and the export, so an exported file maps itself when it is imported again.
import { fold } from '../text-fold.ts';

export const COLUMN_KEYS = [
  'code',
  'gtin',
  'description',
  'unit',
  'price',
  'weighed',
  'ncm',
  'cest',
  'cfop',
  'origin',
  'icms',
  'icmsRate',
  'pisCofinsCst',
  'ibsCbsCst',
  'cClassTrib',
  'approxTax',
  'taxProfile',
  'active',
] as const;
export type ColumnKey = (typeof COLUMN_KEYS)[number];

export interface ColumnDef {
  key: ColumnKey;
  /** The header the export writes (pt-BR). */
  label: string;
  /** Other headers shops use for it (folded: no accents, lower case). */
  aliases: string[];
  required?: 'always' | 'new';
}

export const COLUMNS: readonly ColumnDef[] = [
  { key: 'code', label: 'Código', aliases: ['codigo', 'cod', 'codigo interno', 'cod interno', 'sku', 'referencia', 'ref'], required: 'always' },
  { key: 'gtin', label: 'GTIN/EAN', aliases: ['gtin', 'ean', 'ean13', 'gtin/ean', 'codigo de barras', 'cod barras', 'barras'] },
  { key: 'description', label: 'Descrição', aliases: ['descricao', 'produto', 'nome', 'descricao do produto'], required: 'new' },
  { key: 'unit', label: 'Unidade', aliases: ['unidade', 'un', 'und', 'unid', 'unidade comercial'] },
  { key: 'price', label: 'Preço de venda', aliases: ['preco', 'preco de venda', 'preco venda', 'valor', 'valor de venda', 'pv'], required: 'new' },
  { key: 'weighed', label: 'Pesável', aliases: ['pesavel', 'balanca', 'vendido por peso', 'peso'] },
  { key: 'ncm', label: 'NCM', aliases: ['ncm', 'ncm/sh'], required: 'new' },
  { key: 'cest', label: 'CEST', aliases: ['cest'] },
  { key: 'cfop', label: 'CFOP', aliases: ['cfop'] },
  { key: 'origin', label: 'Origem', aliases: ['origem', 'origem da mercadoria'] },
  { key: 'icms', label: 'CST/CSOSN', aliases: ['cst/csosn', 'csosn', 'cst icms', 'cst', 'icms', 'situacao tributaria'] },
  { key: 'icmsRate', label: 'Alíquota ICMS (%)', aliases: ['aliquota icms (%)', 'aliquota icms', 'aliquota', '% icms', 'icms %'] },
  { key: 'pisCofinsCst', label: 'CST PIS/COFINS', aliases: ['cst pis/cofins', 'pis/cofins', 'cst pis', 'cst cofins'] },
  { key: 'ibsCbsCst', label: 'CST IBS/CBS', aliases: ['cst ibs/cbs', 'cst ibs', 'cst cbs', 'ibs/cbs'] },
  { key: 'cClassTrib', label: 'cClassTrib', aliases: ['cclasstrib', 'classificacao tributaria', 'class trib'] },
  {
    key: 'approxTax',
    label: 'Tributos aproximados (%)',
    aliases: ['tributos aproximados (%)', 'tributos aproximados', '% tributos', 'ibpt', 'carga tributaria'],
  },
  { key: 'taxProfile', label: 'Perfil fiscal', aliases: ['perfil fiscal', 'perfil', 'perfil tributario'] },
  { key: 'active', label: 'Ativo', aliases: ['ativo', 'situacao', 'status'] },
];

/** Column index per key; null when the file has no such column. */
export type ColumnMapping = Partial<Record<ColumnKey, number | null>>;

/** Guesses the mapping from the header row (accents, case and spacing do not matter). */
export function suggestMapping(headers: readonly string[]): ColumnMapping {
  const folded = headers.map((h) => fold(h).replace(/\s+/g, ' ').trim());
  const out: ColumnMapping = {};
  const used = new Set<number>();
  for (const def of COLUMNS) {
    const names = [fold(def.label), ...def.aliases];
    const i = folded.findIndex((h, idx) => !used.has(idx) && names.includes(h));
    if (i >= 0) {
      out[def.key] = i;
      used.add(i);
    }
  }
  return out;
}

export function columnLabel(key: ColumnKey): string {
  return COLUMNS.find((c) => c.key === key)?.label ?? key;
}
