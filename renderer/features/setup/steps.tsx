// The steps of the first-run setup. Each one saves through the core, which checks everything again.
import { useRef, useState } from 'react';
import type { PrinterSettings, SetupState, TokenCheck } from '../../../shared/contract.ts';
import type { Environment } from '../../../shared/sale.ts';
import { pinProblem, pinProblemMessage } from '../../../shared/pin.ts';
import { call, messageOf, pos } from '../../pos.ts';
import { ErrorLine } from '../../components/ErrorLine.tsx';
import { readCertificateFile } from '../../components/read-file.ts';
import { PinField } from '../../components/PinField.tsx';
import { useSetupStep } from './useSetupStep.ts';

interface StepProps {
  state: SetupState;
  onSaved: (s: SetupState) => void;
}

function FieldError({ text }: { text: string | undefined }) {
  return text ? <small className="field-error">{text}</small> : null;
}

export function TokenStep({ state, onSaved }: StepProps) {
  const step = useSetupStep(onSaved);
  const [environment, setEnvironment] = useState<Environment>(state.environment);
  const [token, setToken] = useState('');
  const [focusUrl, setFocusUrl] = useState(state.focusUrl ?? '');
  const [check, setCheck] = useState<TokenCheck | null>(null);
  const input = () => ({ environment, token, ...(focusUrl.trim() ? { focusUrl: focusUrl.trim() } : {}) });
  return (
    <div data-testid="setup-token">
      <h2>Token da Focus NFe</h2>
      <p className="hint">Copie o token no painel da Focus NFe (Minhas empresas › Tokens). Homologação e produção têm tokens diferentes.</p>
      <label className="field">
        <span>Ambiente</span>
        <select data-testid="setup-environment" value={environment} onChange={(e) => setEnvironment(e.target.value as Environment)}>
          <option value="homologacao">Homologação (testes, sem valor fiscal)</option>
          <option value="producao">Produção (notas com valor fiscal)</option>
        </select>
      </label>
      <label className="field">
        <span>Token {state.hasToken[environment] ? '(já gravado — cole para substituir)' : ''}</span>
        <input
          type="password"
          autoComplete="off"
          data-testid="setup-token-input"
          value={token}
          onChange={(e) => {
            setToken(e.target.value);
            setCheck(null);
          }}
        />
        <FieldError text={step.fieldErrors.token} />
      </label>
      <details open={Boolean(state.focusUrl)}>
        <summary>Endereço da Focus (opcional)</summary>
        <label className="field">
          <span>Para o servidor de homologação da Focus ou um proxy da loja. Em branco: o endereço oficial.</span>
          <input
            data-testid="setup-focus-url"
            value={focusUrl}
            placeholder="https://homologacao.focusnfe.com.br"
            onChange={(e) => setFocusUrl(e.target.value)}
          />
          <FieldError text={step.fieldErrors.focusUrl} />
        </label>
      </details>
      <div className="row">
        <button
          type="button"
          data-testid="setup-token-check"
          disabled={step.busy || !token.trim()}
          onClick={() => {
            setCheck(null);
            call(pos().setup.checkToken(input())).then(setCheck, (e: unknown) => step.fail(messageOf(e)));
          }}
        >
          Testar token
        </button>
        <button
          type="button"
          className="primary"
          data-testid="setup-token-save"
          disabled={step.busy || !token.trim()}
          onClick={() => void step.run(() => call(pos().setup.saveToken(input())))}
        >
          Salvar e continuar
        </button>
      </div>
      {check ? (
        <p className={check.status === 'valid' ? 'ok-line' : 'error-line'} data-testid="setup-token-result" data-status={check.status} role="status">
          {check.status === 'valid' ? 'Token aceito pela Focus NFe.' : check.message}
        </p>
      ) : null}
      <ErrorLine text={step.error} testId="setup-error" />
    </div>
  );
}

export function FiscalStep({ state, onSaved }: StepProps) {
  const step = useSetupStep(onSaved);
  const [serie, setSerie] = useState(state.serie);
  const [contingencySerie, setContingencySerie] = useState(state.contingencySerie);
  const [qrVersion, setQrVersion] = useState<2 | 3>(state.qrVersion);
  const [cscId, setCscId] = useState(state.cscId ?? '');
  const [csc, setCsc] = useState('');
  return (
    <div data-testid="setup-fiscal">
      <h2>Série e CSC</h2>
      <div className="grid">
        <label className="field">
          <span>Série da NFC-e</span>
          <input data-testid="setup-serie" inputMode="numeric" maxLength={3} value={serie} onChange={(e) => setSerie(e.target.value)} />
          <FieldError text={step.fieldErrors.serie} />
        </label>
        <label className="field">
          <span>Série de contingência (off-line)</span>
          <input
            data-testid="setup-contingency-serie"
            inputMode="numeric"
            maxLength={3}
            value={contingencySerie}
            onChange={(e) => setContingencySerie(e.target.value)}
          />
          <FieldError text={step.fieldErrors.contingencySerie} />
        </label>
        <label className="field">
          <span>QR Code</span>
          <select data-testid="setup-qr" value={qrVersion} onChange={(e) => setQrVersion(e.target.value === '3' ? 3 : 2)}>
            <option value="2">Versão 2 (usa o CSC)</option>
            <option value="3">Versão 3 (assinado com o certificado A1)</option>
          </select>
        </label>
        <label className="field">
          <span>ID do CSC (ID token)</span>
          <input data-testid="setup-csc-id" inputMode="numeric" maxLength={6} value={cscId} onChange={(e) => setCscId(e.target.value)} />
          <FieldError text={step.fieldErrors.cscId} />
        </label>
        <label className="field">
          <span>CSC {state.hasCsc ? '(já gravado)' : ''}</span>
          <input type="password" autoComplete="off" data-testid="setup-csc" value={csc} onChange={(e) => setCsc(e.target.value)} />
          <FieldError text={step.fieldErrors.csc} />
        </label>
      </div>
      <p className="hint">
        O CSC e o seu ID são gerados no portal da SEFAZ do seu estado. Sem eles, a contingência off-line só funciona com QR Code versão 3 e certificado A1.
      </p>
      <button
        type="button"
        className="primary"
        data-testid="setup-fiscal-save"
        disabled={step.busy}
        onClick={() =>
          void step.run(() =>
            call(
              pos().setup.saveFiscal({
                serie: serie.trim(),
                contingencySerie: contingencySerie.trim(),
                qrVersion,
                ...(cscId.trim() ? { cscId: cscId.trim() } : {}),
                ...(csc.trim() ? { csc: csc.trim() } : {}),
              }),
            ),
          )
        }
      >
        Salvar e continuar
      </button>
      <ErrorLine text={step.error} testId="setup-error" />
    </div>
  );
}

export function CertificateStep({ state, onSaved }: StepProps) {
  const step = useSetupStep(onSaved);
  const fileRef = useRef<HTMLInputElement>(null);
  const [password, setPassword] = useState('');
  async function importIt() {
    const read = await readCertificateFile(fileRef.current?.files?.[0]);
    if (!read.ok) return step.fail(read.message);
    const { pfxBase64 } = read;
    await step.run(() => call(pos().setup.importCertificate({ pfxBase64, password })));
  }
  return (
    <div data-testid="setup-certificate">
      <h2>Certificado A1</h2>
      <p className="hint">Com o certificado, o caixa vende sem internet (contingência off-line) e o QR Code versão 3 passa a ser o padrão.</p>
      {state.certificate ? <p className="ok-line">Certificado: {state.certificate.subject}</p> : null}
      <label className="field">
        <span>Arquivo (.pfx ou .p12)</span>
        <input ref={fileRef} type="file" accept=".pfx,.p12" data-testid="setup-cert-file" />
      </label>
      <label className="field">
        <span>Senha do certificado</span>
        <input type="password" autoComplete="off" data-testid="setup-cert-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      <div className="row">
        <button type="button" className="primary" data-testid="setup-cert-import" disabled={step.busy} onClick={() => void importIt()}>
          Importar e continuar
        </button>
        <button type="button" data-testid="setup-cert-skip" disabled={step.busy} onClick={() => void step.run(() => call(pos().setup.skipCertificate({})))}>
          Pular (sem contingência off-line)
        </button>
      </div>
      <ErrorLine text={step.error} testId="setup-error" />
    </div>
  );
}

export function PrinterStep({ state, onSaved }: StepProps) {
  const step = useSetupStep(onSaved);
  const p = state.printer;
  const [kind, setKind] = useState<PrinterSettings['kind']>(p.kind);
  const [host, setHost] = useState(p.host ?? '');
  const [port, setPort] = useState(String(p.port ?? 9100));
  const [device, setDevice] = useState(p.deviceName ?? '');
  const [width, setWidth] = useState<48 | 32>(p.width);
  const [test, setTest] = useState<{ ok: boolean; text: string } | null>(null);
  const printer = (): PrinterSettings => ({
    kind,
    width,
    codePage: p.codePage,
    nativeQr: p.nativeQr,
    summary: p.summary,
    ...(kind === 'network' ? { host: host.trim(), port: Number(port) } : {}),
    ...(kind === 'os' ? { deviceName: device.trim() } : {}),
  });
  function save() {
    if (kind === 'network' && !/^[A-Za-z0-9.-]+$/.test(host.trim())) return step.fail('Digite o endereço da impressora na rede, por exemplo 192.168.0.50.');
    if (kind === 'network' && !(Number.isInteger(Number(port)) && Number(port) >= 1 && Number(port) <= 65535))
      return step.fail('A porta é um número de 1 a 65535 (em geral 9100).');
    if (kind === 'os' && !device.trim()) return step.fail('Digite o nome da impressora como aparece no sistema.');
    void step.run(() => call(pos().setup.savePrinter({ printer: printer() })));
  }
  return (
    <div data-testid="setup-printer">
      <h2>Impressora</h2>
      <div className="grid">
        <label className="field">
          <span>Tipo</span>
          <select data-testid="setup-printer-kind" value={kind} onChange={(e) => setKind(e.target.value as PrinterSettings['kind'])}>
            <option value="none">Sem impressora</option>
            <option value="network">Impressora de rede (ESC/POS, porta 9100)</option>
            <option value="os">Impressora do sistema</option>
          </select>
        </label>
        {kind === 'network' ? (
          <>
            <label className="field">
              <span>Endereço</span>
              <input data-testid="setup-printer-host" value={host} onChange={(e) => setHost(e.target.value)} />
            </label>
            <label className="field">
              <span>Porta</span>
              <input data-testid="setup-printer-port" inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value)} />
            </label>
          </>
        ) : null}
        {kind === 'os' ? (
          <label className="field">
            <span>Nome da impressora</span>
            <input data-testid="setup-printer-device" value={device} onChange={(e) => setDevice(e.target.value)} />
          </label>
        ) : null}
        <label className="field">
          <span>Largura do papel</span>
          <select data-testid="setup-printer-width" value={width} onChange={(e) => setWidth(e.target.value === '32' ? 32 : 48)}>
            <option value="48">80 mm (48 colunas)</option>
            <option value="32">58 mm (32 colunas)</option>
          </select>
        </label>
      </div>
      <div className="row">
        <button type="button" className="primary" data-testid="setup-printer-save" disabled={step.busy} onClick={save}>
          Salvar e continuar
        </button>
        {p.kind !== 'none' ? (
          <button
            type="button"
            data-testid="setup-printer-test"
            onClick={() => {
              setTest(null);
              call(pos().setup.testPrint({})).then(
                (r) => setTest({ ok: r.ok, text: r.message ?? (r.ok ? 'Página de teste enviada.' : 'A impressora não respondeu.') }),
                (e: unknown) => setTest({ ok: false, text: messageOf(e) }),
              );
            }}
          >
            Imprimir página de teste
          </button>
        ) : null}
      </div>
      {test ? (
        <p className={test.ok ? 'ok-line' : 'error-line'} data-testid="setup-printer-test-result">
          {test.text}
        </p>
      ) : null}
      <ErrorLine text={step.error} testId="setup-error" />
    </div>
  );
}

export function TerminalStep({ state, onSaved }: StepProps) {
  const step = useSetupStep(onSaved);
  const [terminalId, setTerminalId] = useState(state.terminalId);
  return (
    <div data-testid="setup-terminal">
      <h2>Terminal</h2>
      <p className="hint">Um nome curto para este caixa (por exemplo CX01). Cada caixa da loja deve ter o seu.</p>
      <label className="field">
        <span>Identificação do terminal</span>
        <input data-testid="setup-terminal-id" maxLength={12} value={terminalId} onChange={(e) => setTerminalId(e.target.value)} />
        <FieldError text={step.fieldErrors.terminalId} />
      </label>
      <button
        type="button"
        className="primary"
        data-testid="setup-terminal-save"
        disabled={step.busy}
        onClick={() => void step.run(() => call(pos().setup.saveTerminal({ terminalId })))}
      >
        Salvar e continuar
      </button>
      <ErrorLine text={step.error} testId="setup-error" />
    </div>
  );
}

export function ManagerStep({ state, onSaved }: StepProps) {
  const step = useSetupStep(onSaved);
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  if (state.managerName) {
    return (
      <div data-testid="setup-manager">
        <h2>Primeiro gerente</h2>
        <p className="ok-line">Gerente cadastrado: {state.managerName}.</p>
      </div>
    );
  }
  function save() {
    const problem = pinProblem(pin);
    if (problem) return step.fail(pinProblemMessage(problem));
    if (pin !== again) return step.fail('Os dois PINs não são iguais. Digite o mesmo PIN nos dois campos.');
    void step.run(() => call(pos().setup.createManager({ name, pin })));
  }
  return (
    <div data-testid="setup-manager">
      <h2>Primeiro gerente</h2>
      <p className="hint">
        O gerente autoriza cancelamentos e descontos e cadastra os outros operadores. Escolha um PIN só seu (4 a 8 números, nada como 1234 ou 0000).
      </p>
      <label className="field">
        <span>Nome</span>
        <input data-testid="setup-manager-name" maxLength={40} value={name} onChange={(e) => setName(e.target.value)} />
        <FieldError text={step.fieldErrors.name} />
      </label>
      <PinField label="PIN" testId="setup-manager-pin" value={pin} onChange={setPin} />
      <PinField label="Repita o PIN" testId="setup-manager-pin2" value={again} onChange={setAgain} onEnter={save} />
      <button type="button" className="primary" data-testid="setup-manager-save" disabled={step.busy} onClick={save}>
        Cadastrar e continuar
      </button>
      <ErrorLine text={step.error} testId="setup-error" />
    </div>
  );
}
