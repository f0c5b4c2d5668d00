import type { KeyboardEvent } from 'react';

/**
 * Enter confirms and Esc goes back inside a sub-form. The keys stop here so the screen's own
 * shortcuts (Enter finalizes a payment, Esc leaves it) never fire underneath the form.
 */
export function formKeys(confirm: () => void, cancel: () => void) {
  return (e: KeyboardEvent) => {
    if (e.key !== 'Enter' && e.key !== 'Escape') return;
    e.preventDefault();
    e.stopPropagation();
    if (e.key === 'Enter') confirm();
    else cancel();
  };
}
