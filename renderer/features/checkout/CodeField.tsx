// The code field: always focused on the checkout. A scanner types digits + Enter; a person may
// type `qty*code`, or letters to search by name (the list opens under the field at once).
import { useLayoutEffect, useRef, useState } from 'react';
import { useSearch } from '../../state/search.ts';
import { useUi } from '../../state/ui.ts';
import { liveSearchQuery, withoutQtyPrefix } from '../../state/code-input.ts';
import { submitEmpty, submitEntry } from './add-item.ts';

export interface CodeFieldProps {
  onPay: () => void;
  onDeleteKey: (typed: string) => void;
}

export function CodeField({ onPay, onDeleteKey }: CodeFieldProps) {
  const [text, setText] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const focusTick = useUi((s) => s.focusTick);
  const forced = useSearch((s) => s.forced);

  useLayoutEffect(() => {
    input.current?.focus();
  }, [focusTick]);

  function onChange(value: string) {
    setText(value);
    const search = useSearch.getState();
    const q = search.forced ? withoutQtyPrefix(value) : liveSearchQuery(value);
    if (q !== null && q !== '') search.run(q);
    else if (search.query !== '') search.run('');
  }

  function onKeyDown(e: React.KeyboardEvent<HTMLInputElement>) {
    const search = useSearch.getState();
    const listOpen = search.results.length > 0;
    if (e.key === 'Enter') {
      e.preventDefault();
      const raw = text;
      const row = listOpen ? (search.results[search.active] ?? null) : null;
      const explicit = search.forced || movedSinceQuery;
      setText('');
      movedSinceQuery = false;
      search.clear();
      if (raw.trim() === '' && !(explicit && row)) submitEmpty(onPay);
      else void submitEntry(raw, { picked: explicit ? row : null, candidate: explicit ? null : row }, onPay);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (listOpen) {
        e.preventDefault();
        movedSinceQuery = true;
        search.move(e.key === 'ArrowDown' ? 1 : -1);
      }
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setText('');
      search.clear();
      useUi.getState().say(null);
    } else if (e.key === 'Delete' && !e.shiftKey) {
      e.preventDefault();
      const typed = text;
      setText('');
      onDeleteKey(typed);
    }
  }

  return (
    <div className="code-field">
      <label htmlFor="code-input">{forced ? 'Buscar produto (nome ou código)' : 'Código do produto, qtd*código ou nome'}</label>
      <input
        id="code-input"
        ref={input}
        data-testid="code-input"
        className={forced ? 'searching' : ''}
        autoComplete="off"
        spellCheck={false}
        value={text}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onKeyDown}
        onBlur={() => {
          // The code field keeps the keyboard unless a dialog or another screen takes it.
          requestAnimationFrame(() => {
            const ui = useUi.getState();
            if (ui.screen === 'checkout' && !ui.dialog && document.activeElement !== input.current) {
              const active = document.activeElement;
              if (!active || active === document.body || !active.closest('input, textarea, select, iframe')) input.current?.focus();
            }
          });
        }}
      />
    </div>
  );
}

// Set when the cashier moved through the list with the arrows: Enter then picks that row instead
// of treating the text as a code (module-level: one code field exists at a time).
let movedSinceQuery = false;
