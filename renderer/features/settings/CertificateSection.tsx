// The A1 certificate (.pfx + password) for offline contingency. The file goes to the core once and
// is kept encrypted there; the screen only ever shows its subject and expiry date.
import { useRef, useState } from 'react';
import type { PublicSettings } from '../../../shared/contract.ts';
import { call, pos } from '../../pos.ts';
import { SectionMessage, useManagerAction } from './useManagerAction.tsx';
import { readCertificateFile } from '../../components/read-file.ts';

function expiryText(iso: string): { text: string; tone: 'ok' | 'warn' | 'bad' } {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return { text: iso, tone: 'warn' };
  const days = Math.floor((ms - Date.now()) / 86_400_000);
  const date = new Date(ms).toLocaleDateString('pt-BR');
  if (days < 0) return { text: `venceu em ${date}`, tone: 'bad' };
  return { text: `válido até ${date} (${days} dias)`, tone: days <= 30 ? 'warn' : 'ok' };
}

export function CertificateSection({ settings }: { settings: PublicSettings }) {
  const action = useManagerAction();
  const fileRef = useRef<HTMLInputElement>(null);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const cert = settings.certificate;
  const exp = cert ? expiryText(cert.expiresAt) : null;

  async function importIt() {
    const read = await readCertificateFile(fileRef.current?.files?.[0]);
    if (!read.ok) {
      setError(read.message);
      return;
    }
    const { pfxBase64 } = read;
    setError(null);
    const pass = password;
    action.request(
      'Importar o certificado A1.',
      (managerPin) => call(pos().settings.importCertificate({ managerPin, pfxBase64, password: pass })),
      'Certificado importado.',
    );
    setPassword('');
  }

  return (
    <section className="settings-section" data-testid="settings-certificate">
      <h3>Certificado digital A1 (contingência offline)</h3>
      {cert && exp ? (
        <p data-testid="certificate-info">
          {cert.subject} — <span className={`chip chip-${exp.tone}`}>{exp.text}</span>
        </p>
      ) : (
        <p className="muted" data-testid="certificate-info">
          Nenhum certificado importado: sem ele, sem internet as vendas ficam pendentes em vez de sair em contingência.
        </p>
      )}
      <div className="grid">
        <label className="field">
          <span>Arquivo (.pfx)</span>
          <input ref={fileRef} type="file" accept=".pfx,.p12" data-testid="certificate-file" />
        </label>
        <label className="field">
          <span>Senha do certificado</span>
          <input type="password" autoComplete="off" data-testid="certificate-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
      </div>
      {error ? (
        <p className="error-line" role="alert" data-testid="certificate-error">
          {error}
        </p>
      ) : null}
      <button type="button" data-testid="certificate-import" onClick={() => void importIt()}>
        Importar certificado
      </button>
      <SectionMessage message={action.message} testId="certificate-message" />
      {action.dialog}
    </section>
  );
}
