// Demo mode must be impossible to miss: nothing sold here has fiscal value.
import { useSession } from '../state/session.ts';

export function DemoBanner() {
  const demo = useSession((s) => s.demo);
  if (!demo) return null;
  return (
    <div className="demo-banner" data-testid="demo-banner" role="status">
      DEMONSTRAÇÃO — sem valor fiscal
    </div>
  );
}
