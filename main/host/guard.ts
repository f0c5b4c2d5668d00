// Who may talk to the host: only our page, loaded from our loopback origin, holding the
// per-launch secret. Pure functions, so each refusal is table-tested.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { rendererCsp } from '../csp.ts';

export const SECRET_HEADER = 'x-balcao-secret';

export function cookieName(port: number): string {
  // Cookies ignore ports: two hosts on one machine must not read each other's session.
  return `balcao_${port}`;
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function allowedOrigins(port: number): string[] {
  return allowedHosts(port).map((h) => `http://${h}`);
}

export type Verdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/** Host and Origin checks (DNS rebinding, other sites). Runs before anything else. */
export function checkOrigin(headers: IncomingHttpHeaders, port: number): Verdict {
  const host = headers.host;
  if (!host || !allowedHosts(port).includes(host.toLowerCase())) return { ok: false, status: 403, reason: 'host' };
  const origin = headers.origin;
  if (origin !== undefined && !allowedOrigins(port).includes(origin.toLowerCase())) return { ok: false, status: 403, reason: 'origin' };
  // Browsers tell us when a request comes from another site even without Origin (GET navigations).
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return { ok: false, status: 403, reason: 'cross-site' };
  return { ok: true };
}

export function readCookie(headers: IncomingHttpHeaders, name: string): string | null {
  const raw = headers.cookie;
  if (!raw) return null;
  for (const part of raw.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export function secretMatches(given: string | null | undefined, secret: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function hasSecret(headers: IncomingHttpHeaders, port: number, secret: string): boolean {
  const header = headers[SECRET_HEADER];
  if (typeof header === 'string' && secretMatches(header, secret)) return true;
  return secretMatches(readCookie(headers, cookieName(port)), secret);
}

export function hostCsp(port: number): string {
  return rendererCsp(allowedHosts(port).map((h) => `ws://${h}`));
}
