// Maps a URL path to a file under the renderer directory, refusing anything that escapes it.
import { join, normalize, sep } from 'node:path';

/** The absolute file under root for a URL path, or null if it would escape root. */
export function resolveInside(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const rel = normalize(decoded === '/' || decoded === '' ? '/index.html' : decoded).replace(/^([/\\])+/, '');
  const base = normalize(root + sep);
  const full = normalize(join(base, rel));
  return full.startsWith(base) ? full : null;
}
