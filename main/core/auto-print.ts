// Receipts that print themselves: a sale finalized at this till is remembered until its note is
// authorized or issued in contingency, then its receipt goes to the print queue once. Offline
// contingency receipts are printed by the offline flow itself (two copies), so they are only
// forgotten here. A sale whose note ends in a problem prints nothing: no invalid document.
import type { EmissionState, EmissionView } from '../../shared/emission.ts';

/** States with a valid document to hand over. */
const PRINT_NOW: ReadonlySet<EmissionState> = new Set<EmissionState>(['authorized', 'contingency_focus']);
/** States that end the wait without printing here. */
const FORGET: ReadonlySet<EmissionState> = new Set<EmissionState>(['contingency', 'rejected', 'denied', 'cancelled', 'blocked', 'superseded']);
/** A shift's worth; an old sale that never settles is dropped rather than kept forever. */
const MAX_WAITING = 500;

export class AutoPrint {
  readonly #waiting = new Set<number>();
  readonly #print: (saleId: number) => void;

  constructor(print: (saleId: number) => void) {
    this.#print = print;
  }

  /** Call right after a sale is committed; `current` is its view at that moment. */
  expect(current: EmissionView): void {
    this.#waiting.add(current.saleId);
    while (this.#waiting.size > MAX_WAITING) {
      const oldest = this.#waiting.values().next().value;
      if (oldest === undefined) break;
      this.#waiting.delete(oldest);
    }
    this.changed(current);
  }

  changed(view: EmissionView): void {
    if (!this.#waiting.has(view.saleId)) return;
    if (PRINT_NOW.has(view.state)) {
      this.#waiting.delete(view.saleId);
      this.#print(view.saleId);
    } else if (FORGET.has(view.state)) {
      this.#waiting.delete(view.saleId);
    }
  }

  waiting(): number {
    return this.#waiting.size;
  }
}
