// Real files for the catalog tests and the bench: CSV in UTF-8 or Windows-1252, XLSX written by
// exceljs, and supplier NF-e XML (modelo 55).
import ExcelJS from 'exceljs';
import { withCheckDigit } from '../../../shared/catalog/gtin.ts';

export const HEADER = ['Código', 'GTIN/EAN', 'Descrição', 'Unidade', 'Preço de venda', 'NCM', 'CEST', 'CFOP', 'CST/CSOSN', 'Perfil fiscal'];

/** Rows as a Brazilian shop writes them: decimal comma, accents, "SEM GTIN". */
export function shopRows(n: number, start = 0): string[][] {
  const words = ['Pão de Queijo', 'Açúcar Cristal', 'Café Torrado', 'Feijão Carioca', 'Maçã Gala', 'Óleo de Soja', 'Farinha de Trigo', 'Biscoito Maisena'];
  const rows: string[][] = [];
  for (let i = start; i < start + n; i++) {
    rows.push([
      String(10_000 + i),
      i % 10 === 9 ? 'SEM GTIN' : withCheckDigit(`789${String(i).padStart(9, '0')}`),
      `${words[i % words.length]} ${i}`,
      'UN',
      `${1 + (i % 90)},${String(i % 100).padStart(2, '0')}`,
      '19059090',
      '',
      '5102',
      '102',
      '',
    ]);
  }
  return rows;
}

export function csvBytes(rows: string[][], encoding: 'utf-8' | 'windows-1252' = 'utf-8', header = HEADER): Buffer {
  const text = [header, ...rows].map((r) => r.map((c) => (/[;"\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(';')).join('\r\n') + '\r\n';
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
  // Windows-1252 covers every character these rows use (Latin-1 range).
  return Buffer.from(text, 'latin1');
}

export async function xlsxBytes(rows: (string | number)[][], header = HEADER): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Produtos');
  ws.addRow(header);
  ws.addRows(rows);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export interface NfeItemSpec {
  code: string;
  gtin: string | null;
  description: string;
  ncm: string;
  cest?: string;
  cfop: string;
  unit: string;
  qty: string;
  unitCost: string;
}

export function nfeXml(items: NfeItemSpec[], opts: { mod?: string } = {}): string {
  const det = items
    .map(
      (it, i) =>
        `<det nItem="${i + 1}"><prod><cProd>${it.code}</cProd><cEAN>${it.gtin ?? 'SEM GTIN'}</cEAN><xProd>${it.description.replace(/&/g, '&amp;')}</xProd><NCM>${it.ncm}</NCM>${it.cest ? `<CEST>${it.cest}</CEST>` : ''}<CFOP>${it.cfop}</CFOP><uCom>${it.unit}</uCom><qCom>${it.qty}</qCom><vUnCom>${it.unitCost}</vUnCom><vProd>0.00</vProd><cEANTrib>${it.gtin ?? 'SEM GTIN'}</cEANTrib><uTrib>${it.unit}</uTrib><qTrib>${it.qty}</qTrib><vUnTrib>${it.unitCost}</vUnTrib><indTot>1</indTot></prod><imposto><ICMS><ICMS00><orig>0</orig><CST>00</CST></ICMS00></ICMS></imposto></det>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><nfeProc xmlns="http://www.portalfiscal.inf.br/nfe" versao="4.00"><NFe xmlns="http://www.portalfiscal.inf.br/nfe"><infNFe Id="NFe35251112345678000190550010000012341000012345" versao="4.00"><ide><cUF>35</cUF><natOp>VENDA</natOp><mod>${opts.mod ?? '55'}</mod><serie>1</serie><nNF>1234</nNF></ide><emit><CNPJ>12345678000190</CNPJ><xNome>Distribuidora Exemplo Ltda</xNome></emit>${det}</infNFe></NFe></nfeProc>`;
}

export function nfeItems(n: number): NfeItemSpec[] {
  return Array.from({ length: n }, (_, i) => ({
    code: `F${i}`,
    gtin: withCheckDigit(`789555${String(i).padStart(6, '0')}`),
    description: `Refrigerante Guaraná 2L lote ${i}`,
    ncm: '22021000',
    cest: '0300700',
    cfop: i % 2 === 0 ? '5405' : '5102',
    unit: 'UN',
    qty: '12.0000',
    unitCost: '4.5500000000',
  }));
}
