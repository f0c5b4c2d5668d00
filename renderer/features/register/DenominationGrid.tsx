// Counting cash by note and coin: one field per denomination, the running total below.
import { DENOMINATIONS_CENTS, countTotalCents, denominationLabel } from '../../../shared/register/denominations.ts';
import { formatBRL } from '../../../shared/money.ts';

export type CountsText = Record<string, string>;

/** Field text → counts; a field that is not a whole number ≥ 0 is reported, never guessed. */
export function parseCounts(text: CountsText): { counts: Record<string, number>; error: string | null } {
  const counts: Record<string, number> = {};
  for (const d of DENOMINATIONS_CENTS) {
    const raw = (text[String(d)] ?? '').trim();
    if (raw === '') continue;
    if (/^-/.test(raw)) return { counts, error: `${denominationLabel(d)}: a quantidade não pode ser negativa.` };
    if (!/^\d{1,6}$/.test(raw)) return { counts, error: `${denominationLabel(d)}: informe a quantidade em números inteiros.` };
    const n = Number(raw);
    if (n > 0) counts[String(d)] = n;
  }
  return { counts, error: null };
}

export function DenominationGrid({ value, onChange, testId }: { value: CountsText; onChange: (v: CountsText) => void; testId: string }) {
  const { counts, error } = parseCounts(value);
  return (
    <div className="denominations" data-testid={testId}>
      {DENOMINATIONS_CENTS.map((d) => (
        <label key={d} className="denomination">
          <span>{denominationLabel(d)}</span>
          <input
            inputMode="numeric"
            data-testid={`count-${d}`}
            value={value[String(d)] ?? ''}
            onChange={(e) => onChange({ ...value, [String(d)]: e.target.value })}
          />
        </label>
      ))}
      <p className="denomination-total">
        Total contado:{' '}
        <strong data-testid={`${testId}-total`} data-cents={countTotalCents(counts)}>
          {formatBRL(countTotalCents(counts))}
        </strong>
      </p>
      {error ? (
        <p className="error-line" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
