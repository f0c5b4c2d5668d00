// Secrets kept without an OS keyring (the manager accepted it): the warning never goes away.
import { useSession } from '../state/session.ts';

export function WeakStorageBanner() {
  const weak = useSession((s) => s.status?.weakStorage === true);
  if (!weak) return null;
  return (
    <div className="weak-banner" role="status" data-testid="weak-storage-banner">
      Atenção: o token e o certificado estão guardados sem o chaveiro do sistema (proteção mais fraca, aceita pelo gerente).
    </div>
  );
}
