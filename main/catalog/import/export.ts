// The catalog as a spreadsheet in the import's own format (same headers, pt-BR numbers), so an
// exported file re-imports unchanged. Text that a spreadsheet would run as a formula (=, +, -, @)
// is prefixed with an apostrophe.
import Papa from 'papaparse';
import ExcelJS from 'exceljs';
import type { Product, TaxProfile } from '../../../shared/sale.ts';
import { COLUMNS, type ColumnKey } from '../../../shared/catalog/columns.ts';
import { neutraliseFormula } from '../../../shared/catalog/values.ts';

type Value = string | number;

function decimal(units: number, scale: number): string {
  const neg = units < 0 ? '-' : '';
  const abs = Math.abs(units);
  const int = Math.floor(abs / 10 ** scale);
  const frac = String(abs % 10 ** scale).padStart(scale, '0');
  return `${neg}${int},${frac}`;
}

function valuesOf(p: Product, profiles: Map<string, TaxProfile>, numbers: boolean): Record<ColumnKey, Value> {
  const own = new Set(p.overrides);
  const profile = p.taxProfileId ? profiles.get(p.taxProfileId) : undefined;
  // A product that follows a profile exports only the fields it overrides: re-importing keeps it following.
  const fiscal = (f: (typeof p.overrides)[number], v: string | number | null): Value => (profile && !own.has(f) ? '' : (v ?? ''));
  return {
    code: p.code,
    gtin: p.gtin ?? 'SEM GTIN',
    description: p.description,
    unit: p.unit,
    price: numbers ? p.priceCents / 100 : decimal(p.priceCents, 2),
    weighed: p.weighed ? 'Sim' : 'Não',
    ncm: p.ncm,
    cest: p.cest ?? '',
    cfop: fiscal('cfop', p.cfop),
    origin: fiscal('origin', p.origin),
    icms: fiscal('icms', p.icms),
    icmsRate: fiscal('icmsRateBp', numbers ? p.icmsRateBp / 100 : decimal(p.icmsRateBp, 2)),
    pisCofinsCst: fiscal('pisCofinsCst', p.pisCofinsCst),
    ibsCbsCst: fiscal('ibsCbsCst', p.ibsCbsCst),
    cClassTrib: fiscal('cClassTrib', p.cClassTrib),
    approxTax: fiscal('approxTaxBp', numbers ? p.approxTaxBp / 100 : decimal(p.approxTaxBp, 2)),
    taxProfile: profile?.name ?? '',
    active: p.active ? 'Sim' : 'Não',
  };
}

const safe = (v: Value): Value => (typeof v === 'string' ? neutraliseFormula(v) : v);

/** CSV: `;` separator, decimal comma, UTF-8 with BOM (Excel in pt-BR opens it with the accents right). */
export function exportCsv(products: Iterable<Product>, profiles: readonly TaxProfile[]): Buffer {
  const byId = new Map(profiles.map((p) => [p.id, p]));
  const data: Value[][] = [];
  for (const p of products) {
    const v = valuesOf(p, byId, false);
    data.push(COLUMNS.map((c) => safe(v[c.key])));
  }
  const text = Papa.unparse({ fields: COLUMNS.map((c) => c.label), data }, { delimiter: ';', newline: '\r\n', quotes: false, escapeFormulae: false });
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

export async function exportXlsx(products: Iterable<Product>, profiles: readonly TaxProfile[]): Promise<Buffer> {
  const byId = new Map(profiles.map((p) => [p.id, p]));
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Produtos');
  ws.addRow(COLUMNS.map((c) => c.label));
  for (const p of products) {
    const v = valuesOf(p, byId, true);
    ws.addRow(COLUMNS.map((c) => safe(v[c.key])));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
