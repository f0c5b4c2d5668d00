// "Configuração inicial": the store manager's first run, step by step. It resumes where it stopped
// (the core keeps which steps are saved). Demo opens the demo shop at once; a real shop goes
// through token (checked live with Focus), emitter, série/CSC, certificate, printer, terminal and
// the first manager, then "Concluir".
import { useEffect, useState } from 'react';
import type { SetupState, SetupStepName } from '../../../shared/contract.ts';
import { call, messageOf, pos } from '../../pos.ts';
import { useSession } from '../../state/session.ts';
import { ErrorLine } from '../../components/ErrorLine.tsx';
import { EmitterForm } from '../settings/EmitterSection.tsx';
import { useSetupStep } from './useSetupStep.ts';
import { TaxProfilesStep } from './TaxProfilesStep.tsx';
import { CertificateStep, FiscalStep, ManagerStep, PrinterStep, TerminalStep, TokenStep } from './steps.tsx';

const ORDER: readonly SetupStepName[] = ['token', 'emitter', 'taxProfiles', 'fiscal', 'certificate', 'printer', 'terminal', 'manager'];
const TITLES: Record<SetupStepName, string> = {
  token: 'Token da Focus NFe',
  emitter: 'Emitente',
  taxProfiles: 'Perfis fiscais',
  fiscal: 'Série e CSC',
  certificate: 'Certificado A1',
  printer: 'Impressora',
  terminal: 'Terminal',
  manager: 'Primeiro gerente',
};

export function SetupScreen() {
  const [state, setState] = useState<SetupState | null>(null);
  const [step, setStep] = useState<SetupStepName | 'finish' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    call(pos().setup.state({})).then(
      (s) => {
        setState(s);
        setStep(nextStep(s));
      },
      (err: unknown) => setError(messageOf(err)),
    );
  }, []);

  const saved = (s: SetupState) => {
    setState(s);
    setStep(nextStep(s));
  };

  if (!state)
    return (
      <section className="setup" data-testid="setup-screen">
        <p className="hint">Carregando…</p>
        <ErrorLine text={error} testId="setup-error" />
      </section>
    );

  if (state.mode !== 'real') {
    return (
      <section className="setup" data-testid="setup-screen" data-step="mode">
        <h1>Configuração inicial</h1>
        <p>Bem-vindo ao Balcão. Como este caixa vai funcionar?</p>
        <div className="setup-choices">
          <button
            type="button"
            className="primary big"
            data-testid="setup-real"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              call(pos().setup.chooseMode({ mode: 'real' }))
                .then(saved, (e: unknown) => setError(messageOf(e)))
                .finally(() => setBusy(false));
            }}
          >
            Loja de verdade
            <small>Emite NFC-e com o token da Focus NFe da sua empresa.</small>
          </button>
          <button
            type="button"
            className="big"
            data-testid="setup-demo"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              call(pos().setup.chooseMode({ mode: 'demo' }))
                .then(
                  () => useSession.getState().bootstrap(),
                  (e: unknown) => setError(messageOf(e)),
                )
                .finally(() => setBusy(false));
            }}
          >
            Demonstração
            <small>Loja de exemplo, notas sem valor fiscal. Nada dela vai para a loja de verdade.</small>
          </button>
        </div>
        <ErrorLine text={error} testId="setup-error" />
      </section>
    );
  }

  const current = step ?? 'token';
  return (
    <section className="setup" data-testid="setup-screen" data-step={current}>
      <h1>Configuração inicial</h1>
      <ol className="setup-steps" aria-label="Etapas">
        {ORDER.map((s) => (
          <li key={s} className={`${s === current ? 'current' : ''} ${state.done.includes(s) ? 'done' : ''}`}>
            <button type="button" className="link-button" data-testid={`setup-goto-${s}`} onClick={() => setStep(s)}>
              {state.done.includes(s) ? '✓ ' : ''}
              {TITLES[s]}
            </button>
          </li>
        ))}
      </ol>
      {state.weakStorage.needsConsent && !state.weakStorage.accepted ? <WeakStorageConsent onSaved={saved} /> : null}
      <div className="setup-body">
        {current === 'token' ? <TokenStep state={state} onSaved={saved} /> : null}
        {current === 'emitter' ? <EmitterStep state={state} onSaved={saved} /> : null}
        {current === 'taxProfiles' ? <TaxProfilesStep state={state} onSaved={saved} /> : null}
        {current === 'fiscal' ? <FiscalStep state={state} onSaved={saved} /> : null}
        {current === 'certificate' ? <CertificateStep state={state} onSaved={saved} /> : null}
        {current === 'printer' ? <PrinterStep state={state} onSaved={saved} /> : null}
        {current === 'terminal' ? <TerminalStep state={state} onSaved={saved} /> : null}
        {current === 'manager' ? <ManagerStep state={state} onSaved={saved} /> : null}
        {current === 'finish' ? <FinishStep /> : null}
      </div>
    </section>
  );
}

function nextStep(s: SetupState): SetupStepName | 'finish' {
  return ORDER.find((x) => !s.done.includes(x)) ?? 'finish';
}

function EmitterStep({ state, onSaved }: { state: SetupState; onSaved: (s: SetupState) => void }) {
  const step = useSetupStep(onSaved);
  return (
    <div data-testid="setup-emitter">
      <h2>Emitente</h2>
      <p className="hint">Os dados da empresa como estão no cadastro da SEFAZ e da Focus NFe.</p>
      <EmitterForm
        initial={state.emitter}
        submitLabel="Salvar e continuar"
        onSubmit={(emitter) => void step.run(() => call(pos().setup.saveEmitter({ emitter })))}
      />
      <ErrorLine text={step.error} testId="setup-error" />
    </div>
  );
}

function WeakStorageConsent({ onSaved }: { onSaved: (s: SetupState) => void }) {
  const step = useSetupStep(onSaved);
  return (
    <div className="warning-box" role="alert" data-testid="weak-storage-consent">
      <p>
        Este computador não tem um chaveiro do sistema para proteger o token e o certificado. Eles podem ser guardados num arquivo criptografado cuja chave fica
        neste mesmo computador: quem tiver acesso à conta do usuário consegue lê-los. Um aviso ficará visível enquanto for assim.
      </p>
      <button type="button" data-testid="accept-weak-storage" disabled={step.busy} onClick={() => void step.run(() => call(pos().setup.acceptWeakStorage({})))}>
        Entendo e aceito a proteção mais fraca
      </button>
      <ErrorLine text={step.error} testId="weak-storage-error" />
    </div>
  );
}

function FinishStep() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div data-testid="setup-finish">
      <h2>Tudo pronto</h2>
      <p>O caixa vai abrir com o catálogo vazio: cadastre os produtos em Produtos. Depois, entre com o PIN do gerente.</p>
      <button
        type="button"
        className="primary big"
        data-testid="setup-complete"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          call(pos().setup.finish({}))
            .then(
              () => useSession.getState().bootstrap(),
              (e: unknown) => setError(messageOf(e)),
            )
            .finally(() => setBusy(false));
        }}
      >
        Concluir e abrir o caixa
      </button>
      <ErrorLine text={error} testId="setup-error" />
    </div>
  );
}
