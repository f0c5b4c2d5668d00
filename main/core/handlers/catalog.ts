import type { Services } from '../services.ts';
import type { Handlers } from './types.ts';

export const catalogHandlers: Handlers<'catalog.search' | 'catalog.lookup' | 'catalog.update'> = {
  'catalog.search'(input, s) {
    return s.catalog.search(input.query, input.limit).map((product) => ({ product }));
  },
  'catalog.lookup'(input, s) {
    return s.catalog.lookup(input.code, s.settings.get().scaleLabel);
  },
  async 'catalog.update'(input, s, ctx) {
    const manager = ctx.actor!;
    const before = s.catalog.get(input.product.id);
    const saved = s.catalog.upsert(input.product, new Date(s.clock()).toISOString());
    audit(s, manager.id, 'catalog_update', { productId: saved.id, before, after: saved });
    return saved;
  },
};

function audit(s: Services, actor: string, action: string, details: Record<string, unknown>): void {
  try {
    s.profile().sales.audit(actor, action, details);
  } catch {
    // The audit trail lives in the journal; a failure there must not undo the catalog change.
  }
}
