// qrcode's browser build (the package's "browser" entry): its SVG output as a string. Imported by
// path because @types/qrcode describes the Node entry and pulls Node's types into the renderer.
declare module 'qrcode/lib/browser.js' {
  export function toString(text: string, options: { type: 'svg'; errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H'; margin?: number }): Promise<string>;
}
