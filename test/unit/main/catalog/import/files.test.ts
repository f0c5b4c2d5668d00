import { describe, expect, it } from 'vitest';
import { decodeText } from '../../../../../main/catalog/import/decode.ts';
import { readTable } from '../../../../../main/catalog/import/table.ts';
import { parseNfe } from '../../../../../main/catalog/import/nfe.ts';
import { nfeItems, nfeXml, xlsxBytes } from '../../../../integration/catalog/files.ts';

describe('text decoding', () => {
  it('detects UTF-8 (with or without BOM), Windows-1252 and UTF-16', () => {
    expect(decodeText(Buffer.from('Pão;Açúcar', 'utf8'))).toEqual({ text: 'Pão;Açúcar', encoding: 'utf-8' });
    expect(decodeText(Buffer.from('\uFEFFPão', 'utf8'))).toEqual({ text: 'Pão', encoding: 'utf-8' });
    expect(decodeText(Buffer.from('Pão;Açúcar', 'latin1'))).toEqual({ text: 'Pão;Açúcar', encoding: 'windows-1252' });
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Pão', 'utf16le')]))).toEqual({ text: 'Pão', encoding: 'utf-16le' });
  });

  it('refuses binary and empty files', () => {
    expect(() => decodeText(new Uint8Array([0x41, 0x00, 0x42]))).toThrow(expect.objectContaining({ code: 'import_encoding' }));
    expect(() => decodeText(new Uint8Array())).toThrow(expect.objectContaining({ code: 'import_empty' }));
  });
});

describe('tables', () => {
  it('reads quoted CSV fields with separators and line breaks inside', async () => {
    const t = await readTable('a.csv', Buffer.from('Código;Descrição\r\n1;"Pão; francês\nKG"\r\n2;"Bolo ""caseiro"""\r\n'));
    expect(t).toMatchObject({ kind: 'csv', separator: ';', header: ['Código', 'Descrição'] });
    expect(t.rows).toEqual([
      ['1', 'Pão; francês\nKG'],
      ['2', 'Bolo "caseiro"'],
    ]);
  });

  it('reads a comma-separated CSV too', async () => {
    const t = await readTable('a.csv', Buffer.from('code,description\n1,Pão\n'));
    expect(t.separator).toBe(',');
  });

  it('reads XLSX cells, keeps formulas as formulas, refuses .xls and truncated files', async () => {
    const x = await xlsxBytes([[1, '7891000315507', 'Café', 'UN', 23.99]]);
    const t = await readTable('p.xlsx', x);
    expect(t.rows[0]).toEqual([1, '7891000315507', 'Café', 'UN', 23.99]);
    await expect(readTable('p.xlsx', x.subarray(0, x.length - 200))).rejects.toMatchObject({ code: 'xlsx_damaged' });
    await expect(readTable('p.xlsx', Buffer.from('not a zip'))).rejects.toMatchObject({ code: 'xlsx_damaged' });
    await expect(readTable('p.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))).rejects.toMatchObject({ code: 'import_format' });
  });

  it('refuses more than 100,000 rows', async () => {
    await expect(readTable('big.csv', Buffer.from('Código\n' + '1\n'.repeat(100_001)))).rejects.toMatchObject({ code: 'import_too_many_rows' });
  });
});

describe('supplier NF-e', () => {
  it('reads items, keeping codes as text and rounding vUnCom to the centavo', async () => {
    const items = nfeItems(2);
    items[1]!.unitCost = '3.3333333333';
    items[1]!.ncm = '04012010';
    const doc = await parseNfe(Buffer.from(nfeXml(items)));
    expect(doc).toMatchObject({ numero: '1234', serie: '1', chave: '35251112345678000190550010000012341000012345' });
    expect(doc.items[1]).toMatchObject({ ncm: '04012010', unitCostCents: 333, qtyE4: 120_000, cfop: '5102', saleCfop: '5102' });
  });

  it('refuses NFC-e, non-NF-e XML and broken XML', async () => {
    await expect(parseNfe(Buffer.from(nfeXml(nfeItems(1), { mod: '65' })))).rejects.toMatchObject({ code: 'nfe_model' });
    await expect(parseNfe(Buffer.from('<?xml version="1.0"?><root/>'))).rejects.toMatchObject({ code: 'nfe_not_nfe' });
    await expect(parseNfe(Buffer.from('<NFe><infNFe>'))).rejects.toMatchObject({ code: 'nfe_not_xml' });
    await expect(parseNfe(Buffer.from('isto não é xml'))).rejects.toMatchObject({ code: 'nfe_not_xml' });
  });
});
