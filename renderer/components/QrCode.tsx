// A QR code drawn by the qrcode package (its SVG output, as the DANFCe uses it), shown as an image:
// no markup from a string ever enters the page, and the strict CSP allows data: images.
import { useEffect, useState } from 'react';
import { toString as qrSvg } from 'qrcode/lib/browser.js';

export function QrCode({ text, label, testId, size = 240 }: { text: string; label: string; testId: string; size?: number }) {
  const [src, setSrc] = useState<{ text: string; url: string } | null>(null);
  useEffect(() => {
    let live = true;
    qrSvg(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 }).then(
      (svg) => {
        if (live) setSrc({ text, url: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` });
      },
      () => {
        if (live) setSrc(null);
      },
    );
    return () => {
      live = false;
    };
  }, [text]);
  const ready = src?.text === text;
  return (
    <div className="qr-box" style={{ width: size, height: size }}>
      {ready ? (
        <img src={src.url} alt={label} width={size} height={size} data-testid={testId} data-payload={text} />
      ) : (
        <span className="muted">Gerando QR…</span>
      )}
    </div>
  );
}
