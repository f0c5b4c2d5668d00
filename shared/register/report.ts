// The X (partial) and Z (closing) report and the blind-closing comparison: one shape for the core
// that computes them, the screen that shows them and the voucher that prints them.
import type { DeclaredGroup } from './methods.ts';

export interface MethodTotal {
  /** tPag code ('01' dinheiro, '03' crédito…). */
  method: string;
  count: number;
  /** For cash: received minus troco. */
  amountCents: number;
}

export interface OperatorTotal {
  operatorId: string;
  name: string;
  count: number;
  totalCents: number;
}

export interface CountAndCents {
  count: number;
  cents: number;
}

export interface SerieRange {
  serie: string;
  first: number;
  last: number;
  count: number;
}

export interface MovementView {
  id: number;
  kind: 'sangria' | 'suprimento';
  amountCents: number;
  reason: string;
  operatorId: string;
  managerId: string;
  atMs: number;
}

export interface RegisterReport {
  kind: 'X' | 'Z';
  /** Z only: the closing's sequential number on this terminal. */
  zNumber: number | null;
  terminalId: string;
  sessionId: number;
  openedMs: number;
  openedBy: string;
  closedMs: number | null;
  generatedMs: number;
  openingCents: number;
  suprimentos: CountAndCents;
  sangrias: CountAndCents;
  /** Sales whose note was not cancelled (pending and contingency notes included). */
  sales: CountAndCents & { grossCents: number; changeCents: number };
  byMethod: MethodTotal[];
  byOperator: OperatorTotal[];
  discounts: CountAndCents;
  /** Items removed from the cart before paying. */
  cancelledItems: CountAndCents;
  /** Carts abandoned (F7) before any note. */
  cancelledSales: CountAndCents;
  /** Notes cancelled at SEFAZ. */
  cancelledNotes: CountAndCents;
  contingencyPending: CountAndCents;
  /** Notes still moving (pending, sending, verifying, blocked). */
  notesInFlight: number;
  numbering: SerieRange[];
  /** What the drawer and the terminals should hold, per declared group. */
  expected: Record<DeclaredGroup, number>;
  movements: MovementView[];
}

export interface Declaration {
  /** Centavos per denomination as counted. */
  cashCounts: Partial<Record<string, number>>;
  cashCents: number;
  cardCents: number;
  pixCents: number;
  otherCents: number;
}

export interface ClosingLine {
  group: DeclaredGroup;
  expectedCents: number;
  declaredCents: number;
  /** declared − expected: negative is missing money (quebra), positive is surplus (sobra). */
  differenceCents: number;
}

export interface ClosingResult {
  report: RegisterReport;
  declaration: Declaration;
  lines: ClosingLine[];
  /** Whether the Z went to the printer (it is kept in the journal either way). */
  printed: { ok: boolean; message: string | null };
}

export function compareDeclaration(expected: Record<DeclaredGroup, number>, d: Declaration): ClosingLine[] {
  const declared: Record<DeclaredGroup, number> = { cash: d.cashCents, card: d.cardCents, pix: d.pixCents, other: d.otherCents };
  return (['cash', 'card', 'pix', 'other'] as const).map((group) => ({
    group,
    expectedCents: expected[group],
    declaredCents: declared[group],
    differenceCents: declared[group] - expected[group],
  }));
}
