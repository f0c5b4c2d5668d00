// Table rows → products, with every problem reported as (row, column, reason) in pt-BR.
// A row updates the product with the same code (else the same GTIN): importing the same file twice
// changes nothing the second time. Columns the file does not have keep the stored values; a new
// product takes its fiscal fields from the row's tax profile, overridden by the row's own columns.
import { Product, TAX_PROFILE_FIELDS, type Crt, type TaxProfile, type TaxProfileField } from '../../../shared/sale.ts';
import { COLUMNS, columnLabel, type ColumnKey, type ColumnMapping } from '../../../shared/catalog/columns.ts';
import { productIssues, type IssueCode } from '../../../shared/catalog/rules.ts';
import { effectiveProduct } from '../../../shared/catalog/effective.ts';
import { looksLikeFormula, readBool, readCents, readDigits, readGtin, readPercentBp, type Read } from '../../../shared/catalog/values.ts';
import { gtinKey } from '../../../shared/catalog/gtin.ts';
import { fold } from '../normalize.ts';
import type { Cell } from './table.ts';

export interface RowError {
  /** Line number as the spreadsheet shows it (the header is line 1). */
  row: number;
  column: string;
  message: string;
}

export interface RowLookup {
  findForUpsert(code: string, gtin: string | null): Product | null;
  ownerOfGtin(gtin: string): Product | null;
}

export interface RowContext {
  catalog: RowLookup;
  profiles: readonly TaxProfile[];
  crt: Crt;
  newId: () => string;
}

export type RowOutcome = { kind: 'create' | 'update' | 'same'; product: Product } | { kind: 'error'; errors: RowError[] };

/** Problems that make a row unusable; the others are stored and shown in the "pendência fiscal" filter. */
const BLOCKING: ReadonlySet<IssueCode> = new Set(['gtin_invalid', 'ncm_invalid', 'cest_invalid']);

const UNREAD = Symbol('unread');
const ORDINAL = Object.fromEntries(COLUMNS.map((c, i) => [c.key, i])) as Record<ColumnKey, number>;

export function checkMapping(mapping: ColumnMapping): string | null {
  if (mapping.code === undefined || mapping.code === null) return 'Escolha a coluna do Código: é por ela que o produto é encontrado numa nova importação.';
  const seen = new Map<number, ColumnKey>();
  for (const def of COLUMNS) {
    const i = mapping[def.key];
    if (i === undefined || i === null) continue;
    const other = seen.get(i);
    if (other) return `A mesma coluna da planilha foi escolhida para "${columnLabel(other)}" e "${def.label}".`;
    seen.set(i, def.key);
  }
  return null;
}

/** Reads every row; `seen` catches the same code or GTIN twice in one file. */
export class RowReader {
  readonly #mapping: ColumnMapping;
  readonly #ctx: RowContext;
  readonly #profilesByKey = new Map<string, TaxProfile>();
  readonly #seen = new Map<string, number>();

  constructor(mapping: ColumnMapping, ctx: RowContext) {
    this.#mapping = mapping;
    this.#ctx = ctx;
    for (const p of ctx.profiles) {
      this.#profilesByKey.set(fold(p.name.trim()), p);
      this.#profilesByKey.set(fold(p.id), p);
    }
  }

  read(cells: readonly Cell[], row: number): RowOutcome {
    const errors: RowError[] = [];
    const err = (key: ColumnKey, message: string) => errors.push({ row, column: columnLabel(key), message });
    // Each cell is read (and its formula check reported) once; an array, as this runs 100,000 times.
    const memo: (string | number | boolean | undefined | typeof UNREAD)[] = new Array<typeof UNREAD>(COLUMNS.length).fill(UNREAD);
    const raw = (key: ColumnKey): string | number | boolean | undefined => {
      const at = ORDINAL[key];
      const m = memo[at];
      if (m !== UNREAD) return m;
      const v = rawOnce(key);
      memo[at] = v;
      return v;
    };
    const rawOnce = (key: ColumnKey): string | number | boolean | undefined => {
      const i = this.#mapping[key];
      if (i === undefined || i === null) return undefined;
      const c = cells[i] ?? '';
      if (typeof c === 'object') {
        err(key, 'célula com fórmula: copie a coluna e cole como valores');
        return undefined;
      }
      if (typeof c === 'string') {
        if (looksLikeFormula(c)) {
          err(key, `"${c.slice(0, 20)}" parece uma fórmula de planilha; não é aceito`);
          return undefined;
        }
        return c.trim() === '' ? undefined : c;
      }
      return c;
    };
    const text = (key: ColumnKey): string | undefined => {
      const v = raw(key);
      return v === undefined ? undefined : String(v).trim();
    };
    const take = <T>(key: ColumnKey, r: Read<T> | undefined): T | undefined => {
      if (!r) return undefined;
      if (!r.ok) {
        err(key, r.reason);
        return undefined;
      }
      return r.value;
    };
    const num = (v: string | number | boolean | undefined): string | number | undefined =>
      v === undefined ? undefined : typeof v === 'boolean' ? String(v) : v;

    const code = text('code');
    if (code === undefined) {
      if (errors.length === 0) err('code', 'código vazio');
      return { kind: 'error', errors };
    }
    const gtinCell = raw('gtin');
    const gtinMapped = this.#mapping.gtin !== undefined && this.#mapping.gtin !== null;
    const gtin = gtinMapped ? take('gtin', readGtin(num(gtinCell) ?? '')) : undefined;
    const existing = this.#ctx.catalog.findForUpsert(code, gtin ?? null);
    const owner = gtin ? this.#ctx.catalog.ownerOfGtin(gtin) : null;
    if (owner && existing && owner.id !== existing.id) err('gtin', `GTIN ${gtin} já pertence a outro produto (código ${owner.code})`);

    // The same code (or GTIN) twice in one file: the second row is refused.
    for (const [key, label, value] of [
      ['code', 'código', `c:${fold(code)}`],
      ['gtin', 'GTIN', gtin ? `g:${gtinKey(gtin)}` : null],
    ] as const) {
      if (!value) continue;
      const first = this.#seen.get(value);
      if (first !== undefined) err(key, `${label} repetido: já está na linha ${first}`);
      else this.#seen.set(value, row);
    }

    const profileName = text('taxProfile');
    let profile: TaxProfile | null = null;
    if (profileName !== undefined) {
      profile = this.#profilesByKey.get(fold(profileName)) ?? null;
      if (!profile) err('taxProfile', `perfil fiscal "${profileName}" não existe (cadastre-o antes ou corrija o nome)`);
    }

    const draft: Record<string, unknown> = existing
      ? { ...existing }
      : { id: this.#ctx.newId(), code, gtin: null, unit: 'UN', origin: '0', weighed: false, cest: null, overrides: [] };
    draft.code = code;
    if (gtin !== undefined) draft.gtin = gtin;
    const description = text('description');
    if (description !== undefined) draft.description = description.replace(/\s+/g, ' ');
    const unit = text('unit');
    if (unit !== undefined) {
      const u = fold(unit)
        .toUpperCase()
        .replace(/[^A-Z]/g, '');
      if (!/^[A-Z]{1,6}$/.test(u)) err('unit', `unidade "${unit}" inválida (use UN, KG, L, CX…)`);
      else draft.unit = u;
    }
    const price = take('price', raw('price') === undefined ? undefined : readCents(num(raw('price'))!));
    if (price !== undefined) draft.priceCents = price;
    const weighed = take('weighed', raw('weighed') === undefined ? undefined : readBool(raw('weighed')!));
    if (weighed !== undefined) draft.weighed = weighed;
    const active = take('active', raw('active') === undefined ? undefined : readBool(raw('active')!));
    if (active !== undefined) draft.active = active;
    const ncm = take('ncm', raw('ncm') === undefined ? undefined : readDigits(num(raw('ncm'))!, 8, 'NCM'));
    if (ncm !== undefined) draft.ncm = ncm;
    if (this.#mapping.cest !== undefined && this.#mapping.cest !== null) {
      const c = raw('cest');
      draft.cest = c === undefined ? null : (take('cest', readDigits(num(c)!, 7, 'CEST')) ?? null);
    }

    const own: Partial<Record<TaxProfileField, unknown>> = {};
    const digitsCol = (key: ColumnKey, len: number | [number, number], name: string) => {
      const v = raw(key);
      if (v === undefined) return undefined;
      const s = String(typeof v === 'number' ? Math.trunc(v) : v).trim();
      const [lo, hi] = Array.isArray(len) ? len : [len, len];
      if (!/^\d+$/.test(s) || s.length < lo || s.length > hi) {
        err(key, `${name} deve ter ${lo === hi ? lo : `${lo} ou ${hi}`} dígitos`);
        return undefined;
      }
      return s;
    };
    const setOwn = (key: ColumnKey, value: unknown) => {
      if (value !== undefined) own[FISCAL_COLUMN[key]!] = value;
    };
    setOwn('cfop', digitsCol('cfop', 4, 'CFOP'));
    setOwn('origin', digitsCol('origin', 1, 'Origem'));
    // CST "00" or "060" typed in a number cell arrives as 0 or 60: pad it back to 2 digits.
    const icmsRaw = raw('icms');
    if (typeof icmsRaw === 'number' && Number.isInteger(icmsRaw) && icmsRaw >= 0 && icmsRaw < 100) own.icms = String(icmsRaw).padStart(2, '0');
    else setOwn('icms', digitsCol('icms', [2, 3], 'CST/CSOSN'));
    setOwn('icmsRate', raw('icmsRate') === undefined ? undefined : take('icmsRate', readPercentBp(num(raw('icmsRate'))!)));
    setOwn('pisCofinsCst', digitsCol('pisCofinsCst', 2, 'CST PIS/COFINS'));
    setOwn('ibsCbsCst', digitsCol('ibsCbsCst', 3, 'CST IBS/CBS'));
    setOwn('cClassTrib', digitsCol('cClassTrib', 6, 'cClassTrib'));
    setOwn('approxTax', raw('approxTax') === undefined ? undefined : take('approxTax', readPercentBp(num(raw('approxTax'))!)));
    Object.assign(draft, own);

    if (profile) {
      draft.taxProfileId = profile.id;
      const keep = existing?.taxProfileId === profile.id ? existing.overrides : [];
      draft.overrides = [...new Set([...keep, ...(Object.keys(own) as TaxProfileField[])])];
      // Fill the stored snapshot from the profile, so the row is complete even before resolution.
      for (const f of TAX_PROFILE_FIELDS) if (!(draft.overrides as TaxProfileField[]).includes(f)) draft[f] = profile[f];
    } else if (existing?.taxProfileId) {
      // Columns given for a product that follows a profile become its own overrides.
      draft.overrides = [...new Set([...existing.overrides, ...(Object.keys(own) as TaxProfileField[])])];
    }

    if (!existing) {
      for (const def of COLUMNS) {
        if (def.required === 'new' && draft[fieldOf(def.key)] === undefined && !errors.some((e) => e.column === def.label)) {
          err(def.key, 'obrigatório para produto novo');
        }
      }
      if (draft.cfop === undefined || draft.icms === undefined) {
        err(draft.cfop === undefined ? 'cfop' : 'icms', 'produto novo sem perfil fiscal: informe a coluna Perfil fiscal, ou CFOP e CST/CSOSN');
      }
    }
    if (errors.length > 0) return { kind: 'error', errors };

    const parsed = Product.safeParse(draft);
    if (!parsed.success) {
      for (const issue of parsed.error.issues.slice(0, 3)) {
        const field = String(issue.path[0] ?? '');
        const key = (Object.keys(FIELD_OF) as ColumnKey[]).find((k) => FIELD_OF[k] === field) ?? 'code';
        err(key, issue.code === 'too_big' ? 'texto longo demais' : 'valor inválido');
      }
      return { kind: 'error', errors };
    }
    const product = parsed.data;
    const profileForIssues = product.taxProfileId ? (this.#ctx.profiles.find((p) => p.id === product.taxProfileId) ?? null) : null;
    for (const issue of productIssues(effectiveProduct(product, profileForIssues), this.#ctx.crt)) {
      if (BLOCKING.has(issue.code)) err(columnOfField(issue.field), issue.message);
    }
    if (errors.length > 0) return { kind: 'error', errors };
    if (!existing) return { kind: 'create', product };
    return { kind: sameProduct(existing, product) ? 'same' : 'update', product };
  }
}

const FIELD_OF: Record<ColumnKey, string> = {
  code: 'code',
  gtin: 'gtin',
  description: 'description',
  unit: 'unit',
  price: 'priceCents',
  weighed: 'weighed',
  ncm: 'ncm',
  cest: 'cest',
  cfop: 'cfop',
  origin: 'origin',
  icms: 'icms',
  icmsRate: 'icmsRateBp',
  pisCofinsCst: 'pisCofinsCst',
  ibsCbsCst: 'ibsCbsCst',
  cClassTrib: 'cClassTrib',
  approxTax: 'approxTaxBp',
  taxProfile: 'taxProfileId',
  active: 'active',
};

/** Fiscal columns → the profile field they override (the columns whose product field a profile carries). */
const FISCAL_COLUMN: Partial<Record<ColumnKey, TaxProfileField>> = Object.fromEntries(
  (Object.entries(FIELD_OF) as [ColumnKey, string][]).filter(([, field]) => (TAX_PROFILE_FIELDS as readonly string[]).includes(field)),
);

function fieldOf(key: ColumnKey): string {
  return FIELD_OF[key];
}

function columnOfField(field: string): ColumnKey {
  return (Object.keys(FIELD_OF) as ColumnKey[]).find((k) => FIELD_OF[k] === field) ?? 'code';
}

export function sameProduct(a: Product, b: Product): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof Product>;
  for (const k of keys) {
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) return false;
  }
  return true;
}
