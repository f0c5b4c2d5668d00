// qrcode's own SVG renderer, synchronous (its public toString is callback/promise-based, and the
// receipt HTML is built synchronously). @types/qrcode does not describe this entry point.
declare module 'qrcode/lib/renderer/svg-tag.js' {
  import type { QRCode, QRCodeRenderersOptions } from 'qrcode';
  export function render(qr: QRCode, options?: QRCodeRenderersOptions): string;
}
