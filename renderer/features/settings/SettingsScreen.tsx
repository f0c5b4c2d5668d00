// Manager settings. The core re-checks the manager PIN on every change.
import { useEffect } from 'react';
import { useKeys } from '../../app/useKeys.ts';
import { call, messageOf, pos } from '../../pos.ts';
import { isManager, useSession } from '../../state/session.ts';
import { useUi } from '../../state/ui.ts';
import { TokenSection } from './TokenSection.tsx';
import { EmitterSection } from './EmitterSection.tsx';
import { OperationSection } from './OperationSection.tsx';
import { BackupSection } from './BackupSection.tsx';
import { JournalToolsSection } from './JournalToolsSection.tsx';
import { PrinterSection } from './PrinterSection.tsx';
import { ReceiptLogoSection } from './ReceiptLogoSection.tsx';
import { CertificateSection } from './CertificateSection.tsx';
import { CounterSection } from './CounterSection.tsx';
import { PixSection } from './PixSection.tsx';

export function SettingsScreen() {
  const settings = useSession((s) => s.settings);
  const manager = useSession(isManager);
  useEffect(() => {
    call(pos().settings.get({})).then(
      (s) => useSession.getState().setSettings(s),
      (err: unknown) => useUi.getState().say({ tone: 'error', text: messageOf(err) }),
    );
  }, []);
  useKeys((e) => {
    if (e.key === 'Escape' && !document.querySelector('[role="dialog"]')) {
      e.preventDefault();
      useUi.getState().go('checkout');
    }
  });
  if (!manager) {
    return (
      <p className="error-line" role="alert">
        Só o gerente pode abrir as configurações.
      </p>
    );
  }
  if (!settings) return <p className="hint">Carregando…</p>;
  return (
    <div className="settings" data-testid="settings-screen">
      <header className="screen-head">
        <h2>Configurações</h2>
        <button type="button" data-testid="open-operators" onClick={() => useUi.getState().go('operators')}>
          Operadores
        </button>
        <button type="button" data-testid="open-audit" onClick={() => useUi.getState().go('audit')}>
          Auditoria
        </button>
        <button type="button" data-testid="open-opening" onClick={() => useUi.getState().go('opening')}>
          Abertura (verificação)
        </button>
        <button type="button" data-testid="open-catalog" onClick={() => useUi.getState().go('catalog')}>
          Cadastro de produtos
        </button>
        <button type="button" data-testid="open-store" onClick={() => useUi.getState().go('store')}>
          Loja (várias caixas)
        </button>
        <button type="button" data-testid="open-pix-attention" onClick={() => useUi.getState().go('pixAttention')}>
          Pix sem venda
        </button>
        <button type="button" onClick={() => useUi.getState().go('checkout')}>
          Voltar ao caixa (Esc)
        </button>
      </header>
      <TokenSection settings={settings} />
      <EmitterSection settings={settings} />
      <OperationSection settings={settings} />
      <BackupSection settings={settings} />
      <JournalToolsSection />
      <PrinterSection settings={settings} />
      <ReceiptLogoSection />
      <CounterSection settings={settings} />
      <CertificateSection settings={settings} />
      <PixSection settings={settings} />
      <p className="muted">Terminal {settings.terminalId}</p>
    </div>
  );
}
