// Serves the built renderer from app://balcao/ with the CSP header: GET only, our host only,
// no path traversal, unknown paths answered with index.html (single-page app).
import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { resolveInside } from './paths.ts';
import { APP_CSP, APP_HOST, APP_SCHEME } from './constants.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

/** Must run before app 'ready': the scheme gets standard/secure semantics (origin, fetch, storage). */
export function registerSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

export function securityHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': APP_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}

export async function serveAppRequest(request: Request, rendererDir: string): Promise<Response> {
  if (request.method !== 'GET') return new Response('method not allowed', { status: 405, headers: securityHeaders('text/plain') });
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return new Response('bad request', { status: 400, headers: securityHeaders('text/plain') });
  }
  if (url.hostname !== APP_HOST || url.username || url.password || url.port) {
    return new Response('not found', { status: 404, headers: securityHeaders('text/plain') });
  }
  const file = resolveInside(rendererDir, url.pathname);
  if (!file) return new Response('not found', { status: 404, headers: securityHeaders('text/plain') });
  try {
    const body = await readFile(file);
    return new Response(body, { status: 200, headers: securityHeaders(TYPES[extname(file)] ?? 'application/octet-stream') });
  } catch {
    if (extname(url.pathname) !== '') return new Response('not found', { status: 404, headers: securityHeaders('text/plain') });
    const index = await readFile(join(rendererDir, 'index.html'));
    return new Response(index, { status: 200, headers: securityHeaders(TYPES['.html']!) });
  }
}

export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, rendererDir));
}
