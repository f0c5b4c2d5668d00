// Is this URL our own UI? Used for IPC senders and navigation. A pure function so the look-alike
// cases (other hosts, userinfo, ports, other schemes) are table-tested.
import { APP_HOST, APP_SCHEME } from './constants.ts';

export function isAppUrl(raw: string | null | undefined): boolean {
  if (!raw) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === `${APP_SCHEME}:` && url.hostname === APP_HOST && url.port === '' && url.username === '' && url.password === '';
}
