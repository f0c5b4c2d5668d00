// What happens when the cashier presses Enter in the code field. Entries are processed one after
// another so a fast scanner burst lands in the cart in scan order, each after its own lookup.
import type { CodeLookup, ProductHit } from '../../../shared/contract.ts';
import { formatBRL } from '../../../shared/money.ts';
import { call, messageOf, pos } from '../../pos.ts';
import { cartIsEmpty, useCart } from '../../state/cart.ts';
import { lineGross } from '../../../shared/cart.ts';
import { lineFromLookup } from '../../state/cart-logic.ts';
import { parseCodeInput } from '../../state/code-input.ts';
import { useSearch } from '../../state/search.ts';
import { useUi } from '../../state/ui.ts';

let queue: Promise<void> = Promise.resolve();
/** Entries typed but not yet resolved: while 0, actions run at once, inside the key event. */
let pending = 0;

export interface Picks {
  /** The row the cashier chose with the arrows (or any row in F2 mode): added as is. */
  picked: ProductHit | null;
  /** The highlighted row of the live list: used when the text is not an exact code. */
  candidate: ProductHit | null;
}

/** Enqueue one entry. */
export function submitEntry(raw: string, picks: Picks, openPayment: () => void): Promise<void> {
  pending++;
  queue = queue
    .then(() => handle(raw, picks, openPayment))
    .catch((err: unknown) => {
      useUi.getState().say({ tone: 'error', text: messageOf(err) });
    })
    .finally(() => {
      pending--;
    });
  return queue;
}

/**
 * Run a checkout action after the entries already typed (F10 right after a scan must see the item).
 * It is dropped if the cashier has left the checkout meanwhile.
 */
export function afterPendingEntries(action: () => void): void {
  // Synchronously when nothing is in flight: the next screen is up before the next key arrives.
  if (pending === 0) {
    action();
    return;
  }
  queue = queue.then(() => {
    if (useUi.getState().screen === 'checkout') action();
  });
}

/** Enter on an empty field: pay (after any entries still resolving), or say what to do. */
export function submitEmpty(openPayment: () => void): void {
  afterPendingEntries(() => {
    if (cartIsEmpty(useCart.getState())) {
      // A second Enter right after the last payment key must not hide the sale's change.
      if (useUi.getState().notice?.tone === 'ok') return;
      useUi.getState().say({ tone: 'info', text: 'Passe o primeiro produto no leitor ou digite o código e pressione Enter.' });
    } else {
      openPayment();
    }
  });
}

async function handle(raw: string, { picked, candidate }: Picks, openPayment: () => void): Promise<void> {
  const ui = useUi.getState();
  const parsed = parseCodeInput(raw);
  if (picked) {
    addFound({ product: picked.product, qtyE4: null, labelTotalCents: null }, parsed.kind === 'code' || parsed.kind === 'search' ? parsed.qtyE4 : null);
    useSearch.getState().clear();
    return;
  }
  if (parsed.kind === 'empty') {
    if (cartIsEmpty(useCart.getState())) {
      ui.say({ tone: 'info', text: 'Passe o primeiro produto no leitor ou digite o código e pressione Enter.' });
    } else {
      openPayment();
    }
    return;
  }
  if (parsed.kind === 'invalid') {
    ui.say({ tone: 'error', text: parsed.message });
    return;
  }
  const code = parsed.kind === 'code' ? parsed.code : parsed.query;
  const found = await call(pos().catalog.lookup({ code }));
  if (found) {
    addFound(found, parsed.qtyE4);
    if (parsed.kind === 'search') useSearch.getState().clear();
    return;
  }
  if (parsed.kind === 'code') {
    ui.say({ tone: 'error', text: `Código ${code} não encontrado. Confira o número ou busque pelo nome com F2.` });
    return;
  }
  if (candidate) {
    addFound({ product: candidate.product, qtyE4: null, labelTotalCents: null }, parsed.qtyE4);
    useSearch.getState().clear();
    return;
  }
  const hits = await call(pos().catalog.search({ query: parsed.query, limit: 2 }));
  const only = hits.length === 1 ? hits[0] : undefined;
  if (only) {
    addFound({ product: only.product, qtyE4: null, labelTotalCents: null }, parsed.qtyE4);
    useSearch.getState().clear();
  } else if (hits.length === 0) {
    ui.say({ tone: 'error', text: `Nenhum produto encontrado para "${parsed.query}". Confira a grafia ou passe o código de barras.` });
  } else {
    ui.say({ tone: 'info', text: `Mais de um produto combina com "${parsed.query}": pressione F2, digite o nome e escolha na lista com ↑ ↓ e Enter.` });
  }
}

function addFound(found: CodeLookup, typedQtyE4: number | null): void {
  // A weighed product without a weight (picked by name or typed code, no label): ask, never 1 kg.
  if (found.product.weighed && found.qtyE4 === null && found.labelTotalCents === null && typedQtyE4 === null) {
    useUi.getState().open({ kind: 'weight', product: found.product, onWeight: (qtyE4) => addFound(found, qtyE4) });
    return;
  }
  const made = lineFromLookup(found, typedQtyE4);
  if (!made.ok) {
    useUi.getState().say({ tone: 'error', text: made.message });
    return;
  }
  useCart.getState().addLine(made.line);
  const total = lineGross(made.line.qtyE4, made.line.unitPriceCents);
  useUi.getState().say({ tone: 'ok', text: `${made.line.description} — ${formatBRL(total)}` });
}
