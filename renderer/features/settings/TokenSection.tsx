// The Focus token per environment: write-only. The core says whether one is stored; the value
// itself never comes back to the screen.
import { useState } from 'react';
import type { PublicSettings } from '../../../shared/contract.ts';
import type { Environment } from '../../../shared/sale.ts';
import { call, pos } from '../../pos.ts';
import { useSession } from '../../state/session.ts';
import { SectionMessage, useManagerAction } from './useManagerAction.tsx';

const ENV_LABEL: Record<Environment, string> = { producao: 'Produção', homologacao: 'Homologação' };

export function TokenSection({ settings }: { settings: PublicSettings }) {
  const action = useManagerAction();
  const demo = useSession((s) => s.demo);
  const [environment, setEnvironment] = useState<Environment>(settings.environment);
  if (demo) {
    return (
      <section className="settings-section" data-testid="settings-token">
        <h3>Ambiente e token da Focus NFe</h3>
        <p className="hint" data-testid="token-demo-notice">
          Esta é a loja de demonstração: ela não guarda tokens de verdade. A loja de verdade é configurada na Configuração inicial, com o próprio catálogo,
          emitente e operadores.
        </p>
      </section>
    );
  }
  return (
    <section className="settings-section" data-testid="settings-token">
      <h3>Ambiente e token da Focus NFe</h3>
      <label className="field">
        <span>Ambiente de emissão</span>
        <select data-testid="settings-environment" value={environment} onChange={(e) => setEnvironment(e.target.value as Environment)}>
          <option value="homologacao">Homologação (testes, sem valor fiscal)</option>
          <option value="producao">Produção (notas com valor fiscal)</option>
        </select>
      </label>
      <button
        type="button"
        data-testid="save-environment"
        disabled={environment === settings.environment}
        onClick={() =>
          action.request(
            `Mudar o ambiente para ${ENV_LABEL[environment]}.`,
            (managerPin) => call(pos().settings.update({ managerPin, patch: { environment } })),
            `Ambiente alterado para ${ENV_LABEL[environment]}.`,
          )
        }
      >
        Salvar ambiente
      </button>
      {(['homologacao', 'producao'] as const).map((env) => (
        <TokenField
          key={`${env}-${String(settings.hasToken[env])}`}
          env={env}
          configured={settings.hasToken[env]}
          onSave={(token) =>
            action.request(
              `Gravar o token de ${ENV_LABEL[env]}.`,
              (managerPin) => call(pos().settings.setToken({ managerPin, environment: env, token })),
              (r) => {
                const resent = (r as { resent?: { total: number; authorized: number; failed: number; pending: number } }).resent;
                return resent
                  ? `Token de ${ENV_LABEL[env]} gravado. ${resent.total} venda(s) bloqueada(s) reenviada(s): ${resent.authorized} autorizada(s), ${resent.failed} com problema, ${resent.pending} aguardando.`
                  : `Token de ${ENV_LABEL[env]} gravado.`;
              },
            )
          }
        />
      ))}
      <SectionMessage message={action.message} testId="token-message" />
      {action.dialog}
    </section>
  );
}

function TokenField({ env, configured, onSave }: { env: Environment; configured: boolean; onSave: (token: string) => void }) {
  const [editing, setEditing] = useState(!configured);
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!editing) {
    return (
      <p className="token-line" data-testid={`token-${env}`}>
        {ENV_LABEL[env]}: <strong>Token configurado ✓</strong>{' '}
        <button type="button" className="link-button" data-testid={`token-replace-${env}`} onClick={() => setEditing(true)}>
          substituir
        </button>
      </p>
    );
  }
  return (
    <div className="token-line" data-testid={`token-${env}`}>
      <label className="field">
        <span>
          Token de {ENV_LABEL[env]} {configured ? '(substituir o atual)' : '(nenhum configurado)'}
        </span>
        <input
          type="password"
          autoComplete="off"
          data-testid={`token-input-${env}`}
          value={token}
          onChange={(e) => {
            setToken(e.target.value);
            setError(null);
          }}
        />
      </label>
      <button
        type="button"
        data-testid={`token-save-${env}`}
        onClick={() => {
          const t = token.replace(/\s+/g, '');
          if (!/^[A-Za-z0-9_-]{8,128}$/.test(t)) {
            setError('O token tem de 8 a 128 letras, números, "-" ou "_". Copie-o do painel da Focus NFe.');
            return;
          }
          onSave(t);
          setToken('');
          if (configured) setEditing(false);
        }}
      >
        Gravar token
      </button>
      {error ? (
        <p className="error-line" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
