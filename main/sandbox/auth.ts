// Focus authentication (§1.2): HTTP Basic with the token as user name (any password), or the
// documented ?token= fallback. The token alone decides the environment.
import type { IncomingHttpHeaders } from 'node:http';

export function extractToken(headers: IncomingHttpHeaders, query: URLSearchParams): string | null {
  const h = headers.authorization;
  if (typeof h === 'string') {
    const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(h);
    if (m) {
      const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
      const user = decoded.includes(':') ? decoded.slice(0, decoded.indexOf(':')) : decoded;
      if (user !== '') return user;
    }
  }
  const q = query.get('token');
  return q && q !== '' ? q : null;
}
