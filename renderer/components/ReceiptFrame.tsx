// The DANFCe HTML from the core, shown in a sandboxed iframe: no scripts, no same-origin access.
export function ReceiptFrame({ html, testId = 'receipt-frame' }: { html: string; testId?: string }) {
  return <iframe className="receipt-frame" title="Cupom (DANFCe)" sandbox="" srcDoc={html} data-testid={testId} tabIndex={-1} />;
}
