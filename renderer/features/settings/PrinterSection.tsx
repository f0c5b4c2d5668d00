// Which printer: none, a network printer (host:port, raw 9100) or an OS device; paper width,
// code page for the accents, native QR; and a test page with a scannable QR.
import { useState } from 'react';
import type { PublicSettings } from '../../../shared/contract.ts';
import { PrinterSettings } from '../../../shared/contract.ts';
import { call, messageOf, pos } from '../../pos.ts';
import { SectionMessage, useManagerAction } from './useManagerAction.tsx';

const CODE_PAGES = ['cp860', 'cp850', 'cp858', 'cp437', 'windows1252'];

export function PrinterSection({ settings }: { settings: PublicSettings }) {
  const action = useManagerAction();
  const p = settings.printer;
  const [kind, setKind] = useState(p.kind);
  const [host, setHost] = useState(p.host ?? '');
  const [port, setPort] = useState(String(p.port ?? 9100));
  const [device, setDevice] = useState(p.deviceName ?? '');
  const [width, setWidth] = useState(String(p.width));
  const [codePage, setCodePage] = useState(p.codePage);
  const [nativeQr, setNativeQr] = useState(p.nativeQr);
  const [summary, setSummary] = useState(p.summary);
  const [error, setError] = useState<string | null>(null);
  const [testMsg, setTestMsg] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);

  function save() {
    const candidate = {
      kind,
      width: width === '32' ? 32 : 48,
      codePage,
      nativeQr,
      summary,
      ...(kind === 'network' ? { host: host.trim(), port: Number(port) } : {}),
      ...(kind === 'os' ? { deviceName: device.trim() } : {}),
    };
    if (kind === 'network' && (!candidate.host || !/^[A-Za-z0-9.-]+$/.test(candidate.host))) {
      setError('Digite o endereço da impressora na rede, por exemplo 192.168.0.50.');
      return;
    }
    if (kind === 'network' && !(Number.isInteger(Number(port)) && Number(port) >= 1 && Number(port) <= 65535)) {
      setError('A porta é um número de 1 a 65535 (em geral 9100).');
      return;
    }
    if (kind === 'os' && !candidate.deviceName) {
      setError('Digite o nome da impressora como aparece no sistema.');
      return;
    }
    const parsed = PrinterSettings.safeParse(candidate);
    if (!parsed.success) {
      setError('Confira os dados da impressora.');
      return;
    }
    setError(null);
    action.request('Alterar a impressora.', (managerPin) => call(pos().settings.update({ managerPin, patch: { printer: parsed.data } })), 'Impressora salva.');
  }

  async function testPage() {
    setTestMsg(null);
    try {
      const r = await call(pos().settings.printTestPage({}));
      setTestMsg(
        r.ok
          ? { tone: 'ok', text: 'Página de teste enviada. Confira se o QR Code lê no celular.' }
          : { tone: 'error', text: r.message ?? 'A impressora não respondeu.' },
      );
    } catch (err) {
      setTestMsg({ tone: 'error', text: messageOf(err) });
    }
  }

  return (
    <section className="settings-section" data-testid="settings-printer">
      <h3>Impressora</h3>
      <div className="grid">
        <label className="field">
          <span>Tipo</span>
          <select data-testid="printer-kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
            <option value="none">Nenhuma (só tela)</option>
            <option value="network">Rede (IP e porta)</option>
            <option value="os">Impressora do sistema</option>
          </select>
        </label>
        {kind === 'network' ? (
          <>
            <label className="field">
              <span>Endereço (IP)</span>
              <input data-testid="printer-host" value={host} onChange={(e) => setHost(e.target.value)} />
            </label>
            <label className="field">
              <span>Porta</span>
              <input data-testid="printer-port" value={port} inputMode="numeric" onChange={(e) => setPort(e.target.value)} />
            </label>
          </>
        ) : null}
        {kind === 'os' ? (
          <label className="field">
            <span>Nome da impressora</span>
            <input data-testid="printer-device" value={device} onChange={(e) => setDevice(e.target.value)} />
          </label>
        ) : null}
        <label className="field">
          <span>Largura do papel</span>
          <select data-testid="printer-width" value={width} onChange={(e) => setWidth(e.target.value)}>
            <option value="48">80 mm (48 colunas)</option>
            <option value="32">58 mm (32 colunas)</option>
          </select>
        </label>
        <label className="field">
          <span>Página de código (acentos)</span>
          <select data-testid="printer-codepage" value={codePage} onChange={(e) => setCodePage(e.target.value)}>
            {(CODE_PAGES.includes(codePage) ? CODE_PAGES : [codePage, ...CODE_PAGES]).map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" data-testid="printer-native-qr" checked={nativeQr} onChange={(e) => setNativeQr(e.target.checked)} /> QR Code pela impressora
          (nativo)
        </label>
        <label className="check">
          <input type="checkbox" checked={summary} onChange={(e) => setSummary(e.target.checked)} /> Cupom resumido (sem itens)
        </label>
      </div>
      {error ? (
        <p className="error-line" role="alert" data-testid="printer-error">
          {error}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="primary" data-testid="save-printer" onClick={save}>
          Salvar impressora
        </button>
        <button type="button" data-testid="printer-test" onClick={() => void testPage()}>
          Imprimir página de teste
        </button>
      </div>
      <SectionMessage message={action.message} testId="printer-message" />
      <SectionMessage message={testMsg} testId="printer-test-message" />
      {action.dialog}
    </section>
  );
}
