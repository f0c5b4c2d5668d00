// The one Content-Security-Policy of the renderer, whichever shell serves it. No 'unsafe-eval',
// no inline scripts, no remote origins: all network goes through the trusted core, so the page
// needs its own files plus, in the browser host, the WebSocket back to that same host.
export function rendererCsp(extraConnectSrc: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    ["connect-src 'self'", ...extraConnectSrc].join(' '),
    "frame-src 'self' blob: data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
