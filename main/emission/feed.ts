// The one stream of committed emission changes. The engine, the after-sale actions and the
// offline flow all publish into the same feed, so the UI hears every change once and in commit
// order; the engine listens to it to release callers waiting for a sale to settle.
import type { EmissionRow } from '../db/types.ts';
import type { EmissionView } from '../../shared/emission.ts';
import { toEmissionView } from './views.ts';

export class EmissionFeed {
  readonly #rows = new Set<(row: EmissionRow) => void>();
  readonly #views = new Set<(view: EmissionView) => void>();

  /** Announces a committed change; returns the view it sent. */
  publish(row: EmissionRow): EmissionView {
    const view = toEmissionView(row);
    for (const l of this.#views) safely(() => l(view));
    for (const l of this.#rows) safely(() => l(row));
    return view;
  }

  /** What the UI hears. */
  onView(listener: (view: EmissionView) => void): () => void {
    this.#views.add(listener);
    return () => this.#views.delete(listener);
  }

  /** What the emission parts themselves react to (settled sales, XML to archive). */
  onRow(listener: (row: EmissionRow) => void): () => void {
    this.#rows.add(listener);
    return () => this.#rows.delete(listener);
  }
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // A listener's failure must not stop the emission path.
  }
}
