// The live result list under the code field. Only visible rows are mounted. The list itself is
// mounted (and has measured its box) as soon as the first query leaves, so the answer only fills
// rows: the mount overlaps the round trip instead of following it.
import { formatBRL } from '../../../shared/money.ts';
import { VirtualList } from '../../components/VirtualList.tsx';
import { useSearch } from '../../state/search.ts';

const ROW = 34;

export function SearchResults() {
  const results = useSearch((s) => s.results);
  const active = useSearch((s) => s.active);
  const query = useSearch((s) => s.query);
  const forced = useSearch((s) => s.forced);
  const error = useSearch((s) => s.error);
  const answered = useSearch((s) => s.answered);
  const pending = useSearch((s) => s.pending);
  if (!forced && query === '') return null;
  return (
    <div className="search-results" data-testid="search-results" data-answered={answered} data-query={query}>
      {error ? <p className="error-line">{error}</p> : null}
      {results.length === 0 && !pending ? (
        <p className="hint" data-testid="search-empty">
          {query === '' ? 'Digite o nome ou parte do código.' : `Nenhum produto para "${query}".`}
        </p>
      ) : null}
      {results.length > 0 || pending ? (
        <VirtualList
          count={results.length}
          rowHeight={ROW}
          activeIndex={active}
          testId="search-list"
          renderRow={(i) => {
            const hit = results[i];
            if (!hit) return null;
            const p = hit.product;
            return (
              <div className={`search-row ${i === active ? 'active' : ''}`} data-testid="search-row" data-product={p.id}>
                <span className="code">{p.gtin ?? p.code}</span>
                <span className="desc">{p.description}</span>
                <span className="unit">{p.unit}</span>
                <span className="money">{formatBRL(p.priceCents)}</span>
              </div>
            );
          }}
        />
      ) : null}
      <p className="hint">↑ ↓ escolhe · Enter adiciona · Esc fecha</p>
    </div>
  );
}
