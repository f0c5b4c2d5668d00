import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProductHit } from '../../../../shared/contract.ts';
import { useSearch } from '../../../../renderer/state/search.ts';

type Answer = { ok: true; value: ProductHit[] };

/** A core whose search answers only when the test says so. */
function stubCore() {
  const waiting: ((a: Answer) => void)[] = [];
  const search = vi.fn(() => new Promise<Answer>((resolve) => waiting.push(resolve)));
  vi.stubGlobal('window', { pos: { catalog: { search } } });
  return { search, answer: (i: number, value: ProductHit[]) => waiting[i]!({ ok: true, value }) };
}

const hit = (id: string) =>
  ({ product: { id, code: id, gtin: null, description: `Produto ${id}`, unit: 'UN', priceCents: 100, weighed: false } }) as unknown as ProductHit;

afterEach(() => {
  useSearch.getState().clear();
  vi.unstubAllGlobals();
});

describe('the live search', () => {
  it('is pending while the query is on its way, so the list never says "nenhum produto" before the answer', async () => {
    const core = stubCore();
    useSearch.getState().run('ar');
    expect(useSearch.getState()).toMatchObject({ query: 'ar', pending: true, results: [] });
    core.answer(0, [hit('1')]);
    await vi.waitFor(() => expect(useSearch.getState().pending).toBe(false));
    expect(useSearch.getState().results).toHaveLength(1);
  });

  it('drops an answer that comes back after a newer one', async () => {
    const core = stubCore();
    useSearch.getState().run('ar');
    useSearch.getState().run('arr');
    expect(useSearch.getState()).toMatchObject({ query: 'arr', pending: true });
    core.answer(1, [hit('novo')]);
    await vi.waitFor(() => expect(useSearch.getState().pending).toBe(false));
    core.answer(0, [hit('velho')]);
    // Let the late answer's promise chain run to its end (a macrotask turn, not a wait on the clock).
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(useSearch.getState().results.map((h) => h.product.id)).toEqual(['novo']);
  });

  it('is not pending once cleared, nor for an empty query', () => {
    stubCore();
    useSearch.getState().run('ar');
    useSearch.getState().clear();
    expect(useSearch.getState().pending).toBe(false);
    useSearch.getState().run('');
    expect(useSearch.getState()).toMatchObject({ query: '', pending: false });
  });
});
