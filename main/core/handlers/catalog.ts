import { randomUUID } from 'node:crypto';
import type { Product } from '../../../shared/sale.ts';
import { TAX_PROFILE_FIELDS } from '../../../shared/sale.ts';
import { starterTaxProfiles } from '../../../shared/catalog/starters.ts';
import { looseItemProblem } from '../../../shared/catalog/loose.ts';
import { localDayOf } from '../../../shared/datetime.ts';
import { exportCsv, exportXlsx } from '../../catalog/import/export.ts';
import { parseNfe } from '../../catalog/import/nfe.ts';
import { ImportError } from '../../catalog/import/errors.ts';
import { PosFailure } from '../errors.ts';
import type { Services } from '../services.ts';
import type { Handlers } from './types.ts';

type CatalogChannels =
  | 'catalog.search'
  | 'catalog.lookup'
  | 'catalog.update'
  | 'catalog.list'
  | 'catalog.setActive'
  | 'catalog.profiles'
  | 'catalog.saveProfile'
  | 'catalog.setLooseItem'
  | 'catalog.addStarterProfiles'
  | 'catalog.upload'
  | 'catalog.importOpen'
  | 'catalog.importCheck'
  | 'catalog.importCommit'
  | 'catalog.export'
  | 'catalog.download'
  | 'catalog.nfeOpen'
  | 'catalog.nfeApply';

/** What the register, the imports and the supplier NF-e use: the catalog, its audit trail in the journal, the regime. */
type CatalogDeps = Pick<Services, 'catalog' | 'catalogWork' | 'settings' | 'session' | 'clock' | 'profile'>;

export const catalogHandlers: Handlers<CatalogChannels, CatalogDeps> = {
  'catalog.search'(input, s) {
    return s.catalog.search(input.query, input.limit).map((p) => ({
      product: { id: p.id, code: p.code, gtin: p.gtin, description: p.description, unit: p.unit, priceCents: p.priceCents, weighed: p.weighed },
    }));
  },
  'catalog.lookup'(input, s) {
    const st = s.settings.get();
    return s.catalog.lookup(input.code, st.scaleLabel, st.scaleFormat);
  },
  async 'catalog.update'(input, s, ctx) {
    const manager = ctx.actor!;
    checkProfile(s, input.product);
    const before = s.catalog.get(input.product.id);
    const saved = s.catalog.upsert(input.product, now(s));
    auditChange(s, manager.id, before, saved);
    return saved;
  },
  async 'catalog.list'(input, s) {
    requireManagerSession(s);
    const { offset, limit, ...filter } = input;
    const out = await s.catalog.list(dropUndefined(filter), crtOf(s), offset, limit);
    return { ...out, warmed: s.catalog.warmed };
  },
  async 'catalog.setActive'(input, s, ctx) {
    const manager = ctx.actor!;
    const before = s.catalog.get(input.productId);
    if (!before) throw new PosFailure('product_not_found', 'Produto não encontrado no cadastro.');
    const saved = s.catalog.upsert({ ...before, active: input.active }, now(s));
    audit(s, manager.id, input.active ? 'catalog_reactivate' : 'catalog_deactivate', { productId: saved.id, code: saved.code });
    return saved;
  },
  'catalog.profiles'(_input, s) {
    return s.catalog.profiles();
  },
  async 'catalog.saveProfile'(input, s, ctx) {
    const manager = ctx.actor!;
    const before = s.catalog.profile(input.profile.id);
    s.catalog.saveProfiles([input.profile], now(s));
    audit(s, manager.id, 'tax_profile_save', { profileId: input.profile.id, before, after: input.profile });
    return s.catalog.profiles();
  },
  async 'catalog.setLooseItem'(input, s, ctx) {
    const cfg = input.looseItem;
    const profile = cfg.taxProfileId ? s.catalog.profile(cfg.taxProfileId) : null;
    const problem = looseItemProblem(cfg, profile, crtOf(s));
    if (problem) throw new PosFailure('loose_item_invalid', problem, [{ path: 'looseItem', message: problem }]);
    const before = s.settings.get().looseItem;
    s.settings.update({ looseItem: cfg });
    audit(s, ctx.actor!.id, 'loose_item_settings', { before, after: cfg });
    return cfg;
  },
  async 'catalog.addStarterProfiles'(_input, s, ctx) {
    const manager = ctx.actor!;
    const starters = starterTaxProfiles(crtOf(s)).filter((p) => !s.catalog.profile(p.id));
    s.catalog.saveProfiles(starters, now(s));
    audit(s, manager.id, 'tax_profile_starters', { ids: starters.map((p) => p.id) });
    return s.catalog.profiles();
  },
  'catalog.upload'(input, s) {
    requireManagerSession(s);
    return { received: s.catalogWork.uploads.add(input.uploadId, input.seq, input.data) };
  },
  async 'catalog.importOpen'(input, s) {
    requireManagerSession(s);
    return s.catalogWork.imports.open(input.fileName, s.catalogWork.uploads.take(input.uploadId));
  },
  async 'catalog.importCheck'(input, s) {
    requireManagerSession(s);
    return s.catalogWork.imports.check(input.importId, input.mapping);
  },
  async 'catalog.importCommit'(input, s, ctx) {
    const manager = ctx.actor!;
    const { result, changes } = await s.catalogWork.imports.commit(input.importId, input.mapping, input.mode, now(s));
    const diffs = changes
      .map((c) => ({ productId: c.after.id, code: c.after.code, changes: diff(c.before, c.after) }))
      .filter((d) => Object.keys(d.changes).length > 0);
    audit(s, manager.id, 'catalog_import', {
      created: result.created,
      updated: result.updated,
      mode: input.mode,
      changed: diffs.length,
      changes: diffs.slice(0, 5_000),
    });
    return result;
  },
  async 'catalog.export'(input, s) {
    requireManagerSession(s);
    await s.catalog.warm();
    const { rows } = await s.catalog.list({ status: 'all' }, crtOf(s), 0, Number.MAX_SAFE_INTEGER);
    const products = rows.map((r) => r.product);
    const bytes = input.format === 'csv' ? await exportCsv(products, s.catalog.profiles()) : await exportXlsx(products, s.catalog.profiles());
    return { ...s.catalogWork.keepExport(bytes), fileName: `produtos-${localDayOf(s.clock())}.${input.format}` };
  },
  'catalog.download'(input, s) {
    requireManagerSession(s);
    return { data: s.catalogWork.exportChunk(input.exportId, input.seq) };
  },
  async 'catalog.nfeOpen'(input, s) {
    requireManagerSession(s);
    await s.catalog.warm();
    const doc = await parseNfe(s.catalogWork.uploads.take(input.uploadId));
    const nfeId = s.catalogWork.keepNfe(doc);
    return {
      nfeId,
      supplier: doc.supplier,
      numero: doc.numero,
      serie: doc.serie,
      chave: doc.chave,
      items: doc.items.map((it) => {
        const m = it.gtin ? s.catalog.ownerOfGtin(it.gtin) : null;
        return { ...it, match: m ? { id: m.id, code: m.code, description: m.description, priceCents: m.priceCents } : null };
      }),
    };
  },
  async 'catalog.nfeApply'(input, s, ctx) {
    const manager = ctx.actor!;
    const doc = s.catalogWork.nfe(input.nfeId);
    const writes: Product[] = [];
    const befores: (Product | null)[] = [];
    for (const line of input.lines) {
      if (line.action === 'skip') continue;
      const it = doc.items.find((i) => i.n === line.n);
      if (!it) throw new ImportError('nfe_line', `O item ${line.n} não está nesta NF-e.`);
      if (line.action === 'link') {
        const existing = line.productId ? s.catalog.get(line.productId) : null;
        if (!existing) throw new ImportError('nfe_line', `Item ${line.n}: escolha o produto do cadastro.`);
        befores.push(existing);
        writes.push({ ...existing, priceCents: line.priceCents, gtin: existing.gtin ?? it.gtin, cest: existing.cest ?? it.cest });
        continue;
      }
      const profile = line.taxProfileId ? s.catalog.profile(line.taxProfileId) : null;
      if (!profile) throw new ImportError('nfe_line', `Item ${line.n} (${it.description}): escolha o perfil fiscal do produto novo.`);
      const fromProfile = Object.fromEntries(TAX_PROFILE_FIELDS.map((f) => [f, profile[f]]));
      befores.push(null);
      writes.push({
        ...fromProfile,
        id: randomUUID(),
        code: line.code ?? it.gtin ?? it.supplierCode,
        gtin: it.gtin,
        description: it.description,
        unit: it.unit,
        priceCents: line.priceCents,
        ncm: it.ncm,
        cest: it.cest,
        weighed: it.unit === 'KG',
        taxProfileId: profile.id,
        // The purchase CFOP decides the sale CFOP when it differs from the profile's.
        cfop: it.saleCfop,
        overrides: it.saleCfop === profile.cfop ? [] : ['cfop'],
        active: true,
      } as Product);
    }
    s.catalog.upsertMany(writes, now(s));
    s.catalogWork.dropNfe(input.nfeId);
    writes.forEach((w, i) => auditChange(s, manager.id, befores[i] ?? null, w));
    return { created: befores.filter((b) => b === null).length, updated: befores.filter((b) => b !== null).length };
  },
};

function requireManagerSession(s: Pick<Services, 'session'>): void {
  if (s.session.operator?.role !== 'manager') {
    throw new PosFailure('manager_required', 'Só o gerente pode abrir o cadastro de produtos. Entre com o PIN do gerente.');
  }
}

function checkProfile(s: Pick<Services, 'catalog'>, p: Product): void {
  if (p.taxProfileId && !s.catalog.profile(p.taxProfileId)) {
    throw new PosFailure('tax_profile_not_found', 'O perfil fiscal escolhido não existe mais. Escolha outro.');
  }
}

function now(s: Pick<Services, 'clock'>): string {
  return new Date(s.clock()).toISOString();
}

/** Price and fiscal fields that changed, as [before, after]. */
const AUDITED: readonly (keyof Product)[] = [
  'priceCents',
  'ncm',
  'cest',
  'cfop',
  'origin',
  'icms',
  'icmsRateBp',
  'pisCofinsCst',
  'ibsCbsCst',
  'cClassTrib',
  'approxTaxBp',
  'taxProfileId',
  'overrides',
  'gtin',
  'active',
];

function diff(before: Product, after: Product): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const k of AUDITED) if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) out[k] = [before[k], after[k]];
  return out;
}

function auditChange(s: Pick<Services, 'profile'>, actor: string, before: Product | null, after: Product): void {
  if (!before) {
    audit(s, actor, 'catalog_create', { productId: after.id, code: after.code, priceCents: after.priceCents });
    return;
  }
  const changes = diff(before, after);
  if (Object.keys(changes).length > 0) audit(s, actor, 'catalog_update', { productId: after.id, code: after.code, changes });
}

function audit(s: Pick<Services, 'profile'>, actor: string, action: string, details: Record<string, unknown>): void {
  try {
    s.profile().sales.audit(actor, action, details);
  } catch {
    // The audit trail lives in the journal; a failure there must not undo the catalog change.
  }
}

function dropUndefined<T extends Record<string, unknown>>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never;
}

/** The shop's regime decides CSOSN vs CST; before the emitter is saved, Simples (the common case). */
function crtOf(s: Pick<Services, 'settings'>) {
  return s.settings.get().emitter?.crt ?? 1;
}
