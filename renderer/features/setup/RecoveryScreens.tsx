// The screens a terminal stops on instead of guessing: a settings file that cannot be read (never
// silently reset to defaults and demo PINs), and a real shop whose token or certificate cannot be
// read (never silently turned into demo).
import { useRef, useState } from 'react';
import { call, messageOf, pos } from '../../pos.ts';
import { useSession } from '../../state/session.ts';
import { ErrorLine } from '../../components/ErrorLine.tsx';
import { isPinShaped, MANAGER_PIN_NEEDED, PinField } from '../../components/PinField.tsx';
import { readCertificateFile } from '../../components/read-file.ts';

export function RecoveryScreen() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <section className="setup" data-testid="recovery-screen">
      <h1>Configurações danificadas</h1>
      <p role="alert">
        O arquivo de configurações deste caixa está danificado e não há uma cópia boa. As vendas e o arquivo de notas estão guardados. Para continuar, refaça a
        Configuração inicial: o gerente informa de novo o token, o emitente e cadastra os operadores. O arquivo danificado fica guardado para o suporte.
      </p>
      <button
        type="button"
        className="primary big"
        data-testid="recovery-start"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          call(pos().setup.recover({}))
            .then(
              () => useSession.getState().bootstrap(),
              (e: unknown) => setError(messageOf(e)),
            )
            .finally(() => setBusy(false));
        }}
      >
        Refazer a configuração
      </button>
      <ErrorLine text={error} testId="recovery-error" />
    </section>
  );
}

export function SecretsScreen() {
  const problem = useSession((s) => s.secrets);
  // Select the stored list and filter here: a selector returning a new array each time makes
  // zustand re-render forever (React error #185, a blank screen).
  const operators = useSession((s) => s.operators).filter((o) => o.role === 'manager');
  const [pin, setPin] = useState('');
  const [token, setToken] = useState('');
  const certFile = useRef<HTMLInputElement>(null);
  const [certPassword, setCertPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const needsToken = problem?.needs.includes('token') ?? true;
  const needsCert = problem?.needs.includes('certificate') ?? false;
  const submit = async (cert: 'drop' | 'import' | null) => {
    if (!isPinShaped(pin)) return setError(MANAGER_PIN_NEEDED);
    if (needsToken && !token.trim()) return setError('Cole o token da Focus NFe.');
    let certificate: { pfxBase64: string; password: string } | null = null;
    if (cert === 'import') {
      const read = await readCertificateFile(certFile.current?.files?.[0]);
      if (!read.ok) return setError(read.message);
      certificate = { pfxBase64: read.pfxBase64, password: certPassword };
    }
    setBusy(true);
    setError(null);
    call(
      pos().secrets.provide({
        managerPin: pin,
        ...(needsToken ? { token } : {}),
        ...(cert === 'drop' ? { dropCertificate: true } : {}),
        ...(certificate ? { certificate } : {}),
      }),
    )
      .then(
        () => useSession.getState().bootstrap(),
        (e: unknown) => {
          setError(messageOf(e));
          setPin('');
          setCertPassword('');
        },
      )
      .finally(() => setBusy(false));
  };
  return (
    <section className="setup" data-testid="secrets-screen" data-code={problem?.code ?? ''}>
      <h1>O caixa precisa do gerente</h1>
      <p role="alert" data-testid="secrets-reason">
        {problem?.message}
      </p>
      <p className="hint">
        O caixa não vende em demonstração no lugar da loja. Gerente{operators.length ? ` (${operators.map((o) => o.name).join(', ')})` : ''}: informe o seu PIN.
      </p>
      <PinField label="PIN do gerente" testId="secrets-pin" value={pin} onChange={setPin} />
      {needsToken ? (
        <label className="field">
          <span>Token da Focus NFe ({problem?.environment === 'producao' ? 'produção' : 'homologação'})</span>
          <input type="password" autoComplete="off" data-testid="secrets-token" value={token} onChange={(e) => setToken(e.target.value)} />
        </label>
      ) : null}
      {needsCert ? (
        <fieldset className="subform" data-testid="secrets-cert">
          <legend>Novo certificado A1</legend>
          <label className="field">
            <span>Arquivo (.pfx ou .p12)</span>
            <input ref={certFile} type="file" accept=".pfx,.p12" data-testid="secrets-cert-file" />
          </label>
          <label className="field">
            <span>Senha do certificado</span>
            <input
              type="password"
              autoComplete="off"
              data-testid="secrets-cert-password"
              value={certPassword}
              onChange={(e) => setCertPassword(e.target.value)}
            />
          </label>
        </fieldset>
      ) : null}
      <div className="row">
        {needsToken ? (
          <button type="button" className="primary" data-testid="secrets-save" disabled={busy} onClick={() => void submit(null)}>
            Gravar e abrir o caixa
          </button>
        ) : null}
        {needsCert ? (
          <>
            <button type="button" className="primary" data-testid="secrets-cert-import" disabled={busy} onClick={() => void submit('import')}>
              Importar o certificado e abrir o caixa
            </button>
            <button type="button" data-testid="secrets-drop-cert" disabled={busy} onClick={() => void submit('drop')}>
              Seguir sem certificado (importe-o de novo em Configurações)
            </button>
          </>
        ) : null}
      </div>
      <ErrorLine text={error} testId="secrets-error" />
    </section>
  );
}
