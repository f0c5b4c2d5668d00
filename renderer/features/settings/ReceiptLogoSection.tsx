// The optional logo on top of the DANFCe. The manager picks a PNG or JPEG; the core checks it and
// keeps the print-ready version (black and white dots), which is what the preview shows.
import { useEffect, useRef, useState } from 'react';
import { RECEIPT_LOGO_MAX_BYTES, type ReceiptLogoView } from '../../../shared/contract.ts';
import { call, pos } from '../../pos.ts';
import { SectionMessage, useManagerAction } from './useManagerAction.tsx';
import { readFileBase64, UNREADABLE_FILE } from '../../components/read-file.ts';

/** Printers print 8 dots a millimetre: the preview shows the logo at its paper size. */
const DOTS_PER_MM = 8;

export function ReceiptLogoSection() {
  const action = useManagerAction();
  const fileRef = useRef<HTMLInputElement>(null);
  const [logo, setLogo] = useState<ReceiptLogoView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    call(pos().settings.receiptLogo({})).then(
      (l) => live && setLogo(l),
      () => live && setLogo(null),
    );
    return () => {
      live = false;
    };
  }, []);

  async function pick() {
    const file = fileRef.current?.files?.[0];
    if (!file) {
      setError('Escolha a imagem do logotipo (PNG ou JPEG).');
      return;
    }
    if (!/\.(png|jpe?g)$/i.test(file.name)) {
      setError('O logotipo precisa ser uma imagem PNG ou JPEG.');
      return;
    }
    if (file.size > RECEIPT_LOGO_MAX_BYTES) {
      setError(`A imagem passa de ${RECEIPT_LOGO_MAX_BYTES / 1024} KB. Use uma imagem menor.`);
      return;
    }
    let imageBase64: string;
    try {
      imageBase64 = await readFileBase64(file);
    } catch {
      setError(UNREADABLE_FILE);
      return;
    }
    setError(null);
    action.request(
      'Trocar o logotipo do cupom.',
      async (managerPin) => {
        const l = await call(pos().settings.setReceiptLogo({ managerPin, imageBase64 }));
        setLogo(l);
        return l;
      },
      'Logotipo salvo: ele sai no topo do cupom.',
    );
    if (fileRef.current) fileRef.current.value = '';
  }

  function clear() {
    action.request(
      'Remover o logotipo do cupom.',
      async (managerPin) => {
        await call(pos().settings.clearReceiptLogo({ managerPin }));
        setLogo(null);
        return { ok: true as const };
      },
      'Logotipo removido: o cupom sai sem logotipo.',
    );
  }

  return (
    <section className="settings-section" data-testid="settings-receipt-logo">
      <h3>Logotipo no cupom (opcional)</h3>
      <p className="muted">Sai no topo do DANFCe, em preto e branco, com até 48 mm de largura. A imagem fica guardada neste caixa, fora das configurações.</p>
      {logo ? (
        <div className="receipt-logo-preview" data-testid="receipt-logo-preview">
          <img
            src={`data:image/png;base64,${logo.pngBase64}`}
            alt="Logotipo do cupom como será impresso"
            style={{ width: `${logo.width / DOTS_PER_MM}mm`, height: `${logo.height / DOTS_PER_MM}mm`, imageRendering: 'pixelated', background: '#fff' }}
          />
          <p className="muted" data-testid="receipt-logo-size">
            {logo.width / DOTS_PER_MM} × {logo.height / DOTS_PER_MM} mm no papel
          </p>
        </div>
      ) : (
        <p className="muted" data-testid="receipt-logo-none">
          Nenhum logotipo: o cupom começa pelo nome da loja.
        </p>
      )}
      <label className="field">
        <span>Imagem (PNG ou JPEG, até {RECEIPT_LOGO_MAX_BYTES / 1024} KB)</span>
        <input ref={fileRef} type="file" accept="image/png,image/jpeg,.png,.jpg,.jpeg" data-testid="receipt-logo-file" />
      </label>
      {error ? (
        <p className="error-line" role="alert" data-testid="receipt-logo-error">
          {error}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" data-testid="receipt-logo-save" onClick={() => void pick()}>
          Usar esta imagem
        </button>
        {logo ? (
          <button type="button" data-testid="receipt-logo-clear" onClick={clear}>
            Remover logotipo
          </button>
        ) : null}
      </div>
      <SectionMessage message={action.message} testId="receipt-logo-message" />
      {action.dialog}
    </section>
  );
}
