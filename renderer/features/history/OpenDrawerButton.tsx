// The manager's "abrir gaveta": the drawer pulse alone, never tied to a reprint. A cashier asks the
// manager for the PIN; the core checks it and keeps the opening in the audit log.
import { useState } from 'react';
import { ManagerPinDialog } from '../../components/ManagerPinDialog.tsx';
import { call, messageOf, pos } from '../../pos.ts';
import { isManager, useSession } from '../../state/session.ts';
import { useUi } from '../../state/ui.ts';

export function OpenDrawerButton() {
  const manager = useSession(isManager);
  const [asking, setAsking] = useState(false);

  async function open(managerPin?: string) {
    try {
      const r = await call(pos().printer.openDrawer(managerPin ? { managerPin } : {}));
      useUi.getState().say({ tone: r.ok ? 'ok' : 'error', text: r.message ?? (r.ok ? 'Gaveta aberta.' : 'A gaveta não abriu.') });
    } catch (err) {
      useUi.getState().say({ tone: 'error', text: messageOf(err) });
    }
  }

  return (
    <>
      <button type="button" data-testid="open-drawer" onClick={() => (manager ? void open() : setAsking(true))}>
        Abrir gaveta
      </button>
      {asking ? (
        <ManagerPinDialog
          reason="Abrir a gaveta de dinheiro sem venda."
          onClose={() => setAsking(false)}
          onApproved={(pin) => {
            setAsking(false);
            void open(pin);
          }}
        />
      ) : null}
    </>
  );
}
