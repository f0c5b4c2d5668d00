// The register writes with the manager's PIN (the core checks it on every write). It is asked once
// and kept only while the catalog screen is open.
import { useRef, useState } from 'react';
import { ManagerPinDialog } from '../../components/ManagerPinDialog.tsx';
import { PosCallError } from '../../pos.ts';

export interface PinGate {
  /** Runs `fn` with the PIN, asking for it first when needed. */
  withPin(reason: string, fn: (pin: string) => Promise<void>): void;
  dialog: React.ReactNode;
}

export function usePin(onError: (err: unknown) => void): PinGate {
  const pin = useRef<string | null>(null);
  const [asking, setAsking] = useState<{ reason: string; fn: (pin: string) => Promise<void> } | null>(null);
  const run = (p: string, fn: (pin: string) => Promise<void>) => {
    fn(p).catch((err: unknown) => {
      if (err instanceof PosCallError && /pin|manager/.test(err.code)) pin.current = null;
      onError(err);
    });
  };
  return {
    withPin(reason, fn) {
      if (pin.current) run(pin.current, fn);
      else setAsking({ reason, fn });
    },
    dialog: asking ? (
      <ManagerPinDialog
        reason={asking.reason}
        onClose={() => setAsking(null)}
        onApproved={(p) => {
          pin.current = p;
          const { fn } = asking;
          setAsking(null);
          run(p, fn);
        }}
      />
    ) : null,
  };
}
