// Secrets kept without an OS keyring (the manager accepted it): the warning stays in the status bar.
import { useSession } from '../state/session.ts';

export function WeakStorageBanner() {
  const weak = useSession((s) => s.status?.weakStorage === true);
  if (!weak) return null;
  return (
    <span
      className="chip chip-bad"
      role="status"
      data-testid="weak-storage-banner"
      title="O token e o certificado estão guardados sem o chaveiro do sistema (proteção mais fraca, aceita pelo gerente)."
    >
      Segredos sem chaveiro do sistema
    </span>
  );
}
