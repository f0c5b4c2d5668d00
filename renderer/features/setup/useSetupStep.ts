// One save per setup step: the core validates, answers the new SetupState, and refuses bad input
// with a pt-BR reason and its fields (nothing is saved then).
import { useState } from 'react';
import type { SetupState } from '../../../shared/contract.ts';
import { messageOf, PosCallError } from '../../pos.ts';

export interface StepApi {
  busy: boolean;
  error: string | null;
  fieldErrors: Record<string, string>;
  run(fn: () => Promise<SetupState>): Promise<void>;
  fail(text: string): void;
}

export function useSetupStep(onSaved: (s: SetupState) => void): StepApi {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  return {
    busy,
    error,
    fieldErrors,
    async run(fn) {
      if (busy) return;
      setBusy(true);
      setError(null);
      setFieldErrors({});
      try {
        onSaved(await fn());
      } catch (err) {
        setError(messageOf(err));
        if (err instanceof PosCallError) setFieldErrors(Object.fromEntries(err.fields.map((f) => [f.path.split('.').pop() ?? f.path, f.message])));
      } finally {
        setBusy(false);
      }
    },
    fail(text) {
      setError(text);
    },
  };
}
