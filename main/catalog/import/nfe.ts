// The supplier's NF-e (modelo 55) XML, as the shop receives it with a purchase (nfeProc or bare
// NFe), read with a real XML parser. Only what the catalog needs: emitter, number, and per item
// cProd, cEAN, xProd, NCM, CEST, CFOP, uCom, qCom, vUnCom.
import type { XMLParser } from 'fast-xml-parser';
import { saleCfopFor } from '../../../shared/catalog/cfop-map.ts';
import { readDecimal } from '../../../shared/catalog/values.ts';
import { fold } from '../normalize.ts';
import { ImportError } from './errors.ts';

export interface NfeItem {
  n: number;
  supplierCode: string;
  gtin: string | null;
  description: string;
  ncm: string;
  cest: string | null;
  cfop: string;
  saleCfop: string;
  unit: string;
  qtyE4: number;
  unitCostCents: number;
}

export interface NfeDocument {
  supplier: { cnpj: string; name: string };
  numero: string;
  serie: string;
  chave: string | null;
  items: NfeItem[];
}

/** The NF-e layout allows 990 items. */
const MAX_ITEMS = 990;

let parser: XMLParser | null = null;
const PARSER_OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  // Codes like "0101" or "07133319" must stay text.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name: string) => name === 'det',
  // The callbacks only look at the tag name: no path string built for every tag (a third of the parse).
  jPath: false,
};

type Node = Record<string, unknown>;

export async function parseNfe(bytes: Uint8Array): Promise<NfeDocument> {
  const fxp = await import('fast-xml-parser');
  parser ??= new fxp.XMLParser(PARSER_OPTIONS);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw notXml();
  }
  if (!text.trimStart().startsWith('<')) throw notXml();
  const valid = fxp.XMLValidator.validate(text);
  if (valid !== true) throw notXml(valid.err.line);
  const doc = parser.parse(text) as Node;
  const nfe = (obj(doc.nfeProc)?.NFe ?? doc.NFe) as Node | undefined;
  const inf = obj(obj(nfe)?.infNFe);
  if (!inf) {
    throw new ImportError(
      'nfe_not_nfe',
      'Este XML não é uma NF-e (falta o grupo infNFe). Use o XML da nota de compra que o fornecedor enviou. Nada foi importado.',
    );
  }
  const ide = obj(inf.ide) ?? {};
  const mod = str(ide.mod);
  if (mod !== '55') {
    throw new ImportError(
      'nfe_model',
      mod === '65'
        ? 'Este XML é de uma NFC-e (modelo 65, nota ao consumidor), não de uma NF-e de compra (modelo 55). Nada foi importado.'
        : `Este XML é do modelo ${mod || 'desconhecido'}; só a NF-e de compra (modelo 55) é aceita. Nada foi importado.`,
    );
  }
  const emit = obj(inf.emit) ?? {};
  const dets = (inf.det as Node[] | undefined) ?? [];
  if (dets.length === 0) throw new ImportError('nfe_not_nfe', 'A NF-e não tem itens. Nada foi importado.');
  if (dets.length > MAX_ITEMS)
    throw new ImportError('nfe_too_many_items', `A NF-e tem ${dets.length} itens; o máximo do layout é ${MAX_ITEMS}. Nada foi importado.`);
  const items = dets.map((det, i) => item(det, i));
  const id = str(inf['@Id']);
  return {
    supplier: { cnpj: str(emit.CNPJ) || str(emit.CPF), name: str(emit.xNome) },
    numero: str(ide.nNF),
    serie: str(ide.serie),
    chave: /^NFe\d{44}$/.test(id) ? id.slice(3) : null,
    items,
  };
}

function item(det: Node, i: number): NfeItem {
  const n = Number(str(det['@nItem'])) || i + 1;
  const prod = obj(det.prod);
  if (!prod) throw lineError(n, 'sem o grupo prod');
  const ean = str(prod.cEAN) || str(prod.cEANTrib);
  const gtin = /^(\d{8}|\d{12,14})$/.test(ean) ? ean : null;
  const ncm = str(prod.NCM);
  if (!/^\d{8}$/.test(ncm)) throw lineError(n, `NCM "${ncm}" inválido`);
  const cfop = str(prod.CFOP);
  if (!/^\d{4}$/.test(cfop)) throw lineError(n, `CFOP "${cfop}" inválido`);
  const qty = readDecimal(str(prod.qCom), 4);
  const cost = readDecimal(str(prod.vUnCom), 2);
  if (!qty.ok || !cost.ok) {
    // vUnCom has up to 10 decimals: round to the centavo instead of refusing.
    const v = Number(str(prod.vUnCom));
    if (!qty.ok || !Number.isFinite(v)) throw lineError(n, 'quantidade ou valor unitário inválido');
    return build(Math.round(v * 100), qty.value);
  }
  return build(cost.value, qty.value);

  function build(unitCostCents: number, qtyE4: number): NfeItem {
    const cest = str(prod!.CEST);
    return {
      n,
      supplierCode: str(prod!.cProd),
      gtin,
      description: str(prod!.xProd).replace(/\s+/g, ' ').slice(0, 120),
      ncm,
      cest: /^\d{7}$/.test(cest) ? cest : null,
      cfop,
      saleCfop: saleCfopFor(cfop),
      unit:
        fold(str(prod!.uCom))
          .toUpperCase()
          .replace(/[^A-Z]/g, '')
          .slice(0, 6) || 'UN',
      qtyE4,
      unitCostCents,
    };
  }
}

function obj(v: unknown): Node | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : undefined;
}

function str(v: unknown): string {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return String(v);
  const o = obj(v);
  if (o && typeof o['#text'] === 'string') return o['#text'].trim();
  return '';
}

function notXml(line?: number): ImportError {
  return new ImportError(
    'nfe_not_xml',
    `O arquivo não é um XML válido${line ? ` (erro perto da linha ${line})` : ''}. Use o arquivo .xml da NF-e de compra. Nada foi importado.`,
  );
}

function lineError(n: number, what: string): ImportError {
  return new ImportError('nfe_line', `Item ${n} da NF-e ${what}. O arquivo pode estar danificado; nada foi importado.`);
}
