// PIX confirmed by the bank: the PSP's address, the client id, the shop's Pix key and the PSP's CNPJ.
// The client secret, certificate and key are pasted once and go to the vault in the core: the
// screen only learns whether they are stored and when the certificate expires.
import { useState } from 'react';
import type { PublicSettings } from '../../../shared/contract.ts';
import { PixCredentialsInput, PixSettings } from '../../../shared/pix/settings.ts';
import { formatDatePtBr } from '../pix/pix-format.ts';
import { call, pos } from '../../pos.ts';
import { useSession } from '../../state/session.ts';
import { SectionMessage, useManagerAction } from './useManagerAction.tsx';

type Form = {
  enabled: boolean;
  baseUrl: string;
  tokenUrl: string;
  clientId: string;
  key: string;
  pspCnpj: string;
  expiryMinutes: string;
  staticFallback: boolean;
};
type Creds = { clientSecret: string; certPem: string; keyPem: string; caPem: string };

function formOf(p: PublicSettings['pix']): Form {
  return {
    enabled: p.enabled,
    baseUrl: p.baseUrl ?? '',
    tokenUrl: p.tokenUrl ?? '',
    clientId: p.clientId,
    key: p.key,
    pspCnpj: p.pspCnpj,
    expiryMinutes: String(Math.round(p.expirySeconds / 60)),
    staticFallback: p.staticFallback,
  };
}

function readText(file: File): Promise<string> {
  return file.text();
}

export function PixSection({ settings }: { settings: PublicSettings }) {
  const action = useManagerAction();
  const test = useManagerAction();
  const demo = useSession((s) => s.demo);
  const [form, setForm] = useState<Form>(() => formOf(settings.pix));
  const [creds, setCreds] = useState<Creds>({ clientSecret: '', certPem: '', keyPem: '', caPem: '' });
  const [error, setError] = useState<string | null>(null);
  const set = (patch: Partial<Form>) => {
    setForm((f) => ({ ...f, ...patch }));
    setError(null);
  };
  const setC = (patch: Partial<Creds>) => {
    setCreds((c) => ({ ...c, ...patch }));
    setError(null);
  };

  if (demo) {
    return (
      <section className="settings-section" data-testid="settings-pix">
        <h3>Pix com confirmação do banco</h3>
        <p className="hint" data-testid="pix-demo-notice">
          Na demonstração o Pix usa o simulador de PSP embutido, com o botão “Simular pagamento”. A loja de verdade configura aqui o seu PSP.
        </p>
      </section>
    );
  }

  function save() {
    const minutes = Number(form.expiryMinutes);
    const pix = PixSettings.safeParse({
      enabled: form.enabled,
      baseUrl: form.baseUrl.trim() || null,
      tokenUrl: form.tokenUrl.trim() || null,
      clientId: form.clientId,
      key: form.key,
      pspCnpj: form.pspCnpj.replace(/[.\-/\s]/g, '').toUpperCase(),
      expirySeconds: Number.isInteger(minutes) ? minutes * 60 : NaN,
      staticFallback: form.staticFallback,
    });
    if (!pix.success) {
      const issue = pix.error.issues[0];
      setError(issue?.path[0] === 'expirySeconds' ? 'Validade da cobrança: de 1 a 60 minutos.' : `Pix: ${issue?.message ?? 'dados inválidos'}.`);
      return;
    }
    if (pix.data.enabled && (!pix.data.baseUrl || !pix.data.clientId || !pix.data.key || !pix.data.pspCnpj)) {
      setError('Para ativar o Pix com confirmação informe o endereço do PSP, o client id, a chave Pix e o CNPJ do PSP.');
      return;
    }
    const typed = [creds.clientSecret, creds.certPem, creds.keyPem].filter((v) => v.trim() !== '').length;
    let credentials: PixCredentialsInput | undefined;
    if (typed > 0 || creds.caPem.trim()) {
      const c = PixCredentialsInput.safeParse({
        clientSecret: creds.clientSecret,
        certPem: creds.certPem,
        keyPem: creds.keyPem,
        ...(creds.caPem.trim() ? { caPem: creds.caPem } : {}),
      });
      if (!c.success) {
        setError(`Credenciais do PSP: ${c.error.issues[0]?.message ?? 'incompletas'}. Informe o client secret, o certificado e a chave juntos.`);
        return;
      }
      credentials = c.data;
    }
    if (pix.data.enabled && !credentials && !settings.pix.hasCredentials) {
      setError('Cole o client secret, o certificado e a chave privada que o PSP forneceu.');
      return;
    }
    action.request(
      'Gravar as configurações do Pix.',
      (managerPin) => call(pos().settings.setPix({ managerPin, pix: pix.data, ...(credentials ? { credentials } : {}) })),
      credentials ? 'Pix gravado. Credenciais guardadas no cofre do caixa.' : 'Pix gravado.',
    );
    setCreds({ clientSecret: '', certPem: '', keyPem: '', caPem: '' });
  }

  const pem = (k: 'certPem' | 'keyPem' | 'caPem', label: string, accept: string) => (
    <label className="field">
      <span>{label}</span>
      <textarea rows={3} spellCheck={false} autoComplete="off" data-testid={`pix-${k}`} value={creds[k]} onChange={(e) => setC({ [k]: e.target.value })} />
      <input
        type="file"
        accept={accept}
        data-testid={`pix-${k}-file`}
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f)
            void readText(f).then(
              (t) => setC({ [k]: t }),
              () => setError('Não foi possível ler o arquivo.'),
            );
        }}
      />
    </label>
  );

  const h = settings.pix;
  return (
    <section className="settings-section" data-testid="settings-pix">
      <h3>Pix com confirmação do banco</h3>
      <label className="check">
        <input type="checkbox" data-testid="pix-enabled" checked={form.enabled} onChange={(e) => set({ enabled: e.target.checked })} /> Receber Pix com QR
        dinâmico confirmado pelo PSP
      </label>
      <div className="grid">
        <label className="field">
          <span>Endereço da API Pix do PSP (https://…)</span>
          <input data-testid="pix-base-url" value={form.baseUrl} onChange={(e) => set({ baseUrl: e.target.value })} />
        </label>
        <label className="field">
          <span>Endereço do token (se diferente)</span>
          <input data-testid="pix-token-url" value={form.tokenUrl} onChange={(e) => set({ tokenUrl: e.target.value })} />
        </label>
        <label className="field">
          <span>Client id</span>
          <input data-testid="pix-client-id" autoComplete="off" value={form.clientId} onChange={(e) => set({ clientId: e.target.value })} />
        </label>
        <label className="field">
          <span>Chave Pix da loja</span>
          <input data-testid="pix-key" value={form.key} onChange={(e) => set({ key: e.target.value })} />
        </label>
        <label className="field">
          <span>CNPJ do PSP (vai na nota)</span>
          <input data-testid="pix-psp-cnpj" value={form.pspCnpj} onChange={(e) => set({ pspCnpj: e.target.value })} />
        </label>
        <label className="field">
          <span>Validade da cobrança (minutos)</span>
          <input data-testid="pix-expiry" inputMode="numeric" value={form.expiryMinutes} onChange={(e) => set({ expiryMinutes: e.target.value })} />
        </label>
      </div>
      <label className="check">
        <input type="checkbox" data-testid="pix-static" checked={form.staticFallback} onChange={(e) => set({ staticFallback: e.target.checked })} /> Permitir
        Pix estático (sem confirmação do banco, marcado “não confirmado”) quando o PSP falhar
      </label>
      <p data-testid="pix-credentials-info">
        {h.hasCredentials ? (
          <>
            Credenciais do PSP gravadas ✓{h.certificateExpiresAt ? ` — certificado válido até ${formatDatePtBr(h.certificateExpiresAt)}` : ''}. Cole novas
            abaixo só para substituir.
          </>
        ) : (
          'Nenhuma credencial do PSP gravada.'
        )}
      </p>
      <div className="grid">
        <label className="field">
          <span>Client secret</span>
          <input
            type="password"
            autoComplete="off"
            data-testid="pix-client-secret"
            value={creds.clientSecret}
            onChange={(e) => setC({ clientSecret: e.target.value })}
          />
        </label>
        {pem('certPem', 'Certificado do cliente (PEM)', '.pem,.crt,.cer')}
        {pem('keyPem', 'Chave privada do certificado (PEM)', '.pem,.key')}
        {pem('caPem', 'Certificado da CA do PSP (só em homologação, opcional)', '.pem,.crt,.cer')}
      </div>
      {error ? (
        <p className="error-line" role="alert" data-testid="pix-settings-error">
          {error}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="primary" data-testid="pix-save" onClick={save}>
          Gravar Pix
        </button>
        <button
          type="button"
          data-testid="pix-test"
          onClick={() =>
            test.request(
              'Testar a conexão com o PSP.',
              (managerPin) => call(pos().settings.testPix({ managerPin })),
              (r) => {
                const days = (r as { certificateDaysLeft?: number | null }).certificateDaysLeft;
                return `Conexão com o PSP OK: credenciais aceitas.${typeof days === 'number' ? ` O certificado vence em ${days} dias.` : ''}`;
              },
            )
          }
        >
          Testar conexão
        </button>
      </div>
      <SectionMessage message={action.message} testId="pix-message" />
      <SectionMessage message={test.message} testId="pix-test-result" />
      {action.dialog}
      {test.dialog}
    </section>
  );
}
