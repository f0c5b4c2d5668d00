// Pairing this lane with the store server: address, one-time code (shown on the store's manager
// screen) and a name for this lane. The credential never comes back to the screen.
import { useState } from 'react';
import type { StoreSyncView } from '../../../shared/contract.ts';
import { ErrorLine } from '../../components/ErrorLine.tsx';
import { call, messageOf, pos } from '../../pos.ts';

export function PairSection({ onPaired }: { onPaired: (v: StoreSyncView) => void }) {
  const [url, setUrl] = useState('https://');
  const [code, setCode] = useState('');
  const [laneName, setLaneName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function pair(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onPaired(await call(pos().store.pair({ url, code, laneName })));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="chart-box" data-testid="store-pair">
      <h3>Parear com o servidor da loja</h3>
      <p className="hint">
        Uma loja com várias caixas usa um servidor da loja. Peça ao gerente o código de pareamento mostrado no servidor. Sem servidor, este caixa continua
        funcionando sozinho.
      </p>
      <form onSubmit={(e) => void pair(e)} className="row filters">
        <label className="field">
          <span>Endereço do servidor</span>
          <input data-testid="store-url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://servidor:8443" />
        </label>
        <label className="field">
          <span>Código</span>
          <input data-testid="store-code" value={code} inputMode="numeric" onChange={(e) => setCode(e.target.value)} placeholder="1234-5678" />
        </label>
        <label className="field">
          <span>Nome deste caixa</span>
          <input data-testid="store-lane-name" value={laneName} maxLength={60} onChange={(e) => setLaneName(e.target.value)} placeholder="Caixa 2" />
        </label>
        <button type="submit" className="primary" disabled={busy} data-testid="store-pair-submit">
          Parear
        </button>
      </form>
      <ErrorLine text={error} />
    </section>
  );
}
