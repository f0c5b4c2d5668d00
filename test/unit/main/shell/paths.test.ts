import { describe, expect, it } from 'vitest';
import { resolveInside } from '../../../../main/shell/paths.ts';
import { isTrustedSender } from '../../../../main/shell/trusted-sender.ts';

describe('resolveInside', () => {
  it('maps URL paths under the root and refuses escapes', () => {
    expect(resolveInside('/srv/ui', '/')).toBe('/srv/ui/index.html');
    expect(resolveInside('/srv/ui', '/assets/app.js')).toBe('/srv/ui/assets/app.js');
    expect(resolveInside('/srv/ui', '/a/../index.html')).toBe('/srv/ui/index.html');
    for (const p of ['/../etc/passwd', '/%2e%2e/x', '/..%2f..%2fetc', '/%00', '/%E0%A4%A']) {
      const r = resolveInside('/srv/ui', p);
      expect(r === null || r.startsWith('/srv/ui/')).toBe(true);
    }
    // '..' at the root is clamped to the root, never above it.
    expect(resolveInside('/srv/ui', '/%2e%2e/x')).toBe('/srv/ui/x');
    expect(resolveInside('/srv/ui', '/a\u0000b')).toBeNull();
  });
});

describe('isTrustedSender', () => {
  const ours = { id: 1 };
  const opts = { isOurContents: (wc: unknown) => wc === ours };
  const top = (url: string) => ({ url, parent: null });
  it('accepts only our window’s main frame on the app origin', () => {
    expect(isTrustedSender({ sender: ours, senderFrame: top('app://balcao/index.html') }, opts)).toBe(true);
    expect(isTrustedSender({ sender: ours, senderFrame: top('https://balcao/') }, opts)).toBe(false);
    expect(isTrustedSender({ sender: { id: 2 }, senderFrame: top('app://balcao/') }, opts)).toBe(false);
    expect(isTrustedSender({ sender: ours, senderFrame: { url: 'app://balcao/', parent: top('app://balcao/') } }, opts)).toBe(false);
    expect(isTrustedSender({ sender: ours, senderFrame: null }, opts)).toBe(false);
  });
});
