import { describe, expect, it } from 'vitest';
import { checkOrigin, hasSecret, hostCsp, readCookie } from '../../../../main/host/guard.ts';

describe('checkOrigin', () => {
  const port = 4321;
  it.each([
    [{ host: '127.0.0.1:4321' }, true],
    [{ host: 'localhost:4321' }, true],
    [{ host: 'LOCALHOST:4321' }, true],
    [{ host: '127.0.0.1:4321', origin: 'http://127.0.0.1:4321' }, true],
    [{ host: '127.0.0.1:4321', 'sec-fetch-site': 'same-origin' }, true],
    [{ host: '127.0.0.1:4321', 'sec-fetch-site': 'none' }, true],
    [{}, false],
    [{ host: 'evil.example:4321' }, false],
    [{ host: '127.0.0.1:4322' }, false],
    [{ host: '127.0.0.1' }, false],
    [{ host: 'localhost.evil.example:4321' }, false],
    [{ host: '127.0.0.1:4321', origin: 'http://evil.example' }, false],
    [{ host: '127.0.0.1:4321', origin: 'http://127.0.0.1:9999' }, false],
    [{ host: '127.0.0.1:4321', origin: 'null' }, false],
    [{ host: '127.0.0.1:4321', origin: 'https://127.0.0.1:4321' }, false],
    [{ host: '127.0.0.1:4321', 'sec-fetch-site': 'cross-site' }, false],
    [{ host: '127.0.0.1:4321', 'sec-fetch-site': 'same-site' }, false],
  ])('%j → %s', (headers, ok) => {
    expect(checkOrigin(headers, port).ok).toBe(ok);
  });
});

describe('secret', () => {
  it('accepts the per-port cookie or the header, nothing else', () => {
    const s = 'a'.repeat(64);
    expect(hasSecret({ cookie: `x=1; balcao_80=${s}` }, 80, s)).toBe(true);
    expect(hasSecret({ 'x-balcao-secret': s }, 80, s)).toBe(true);
    expect(hasSecret({ cookie: `balcao_81=${s}` }, 80, s)).toBe(false);
    expect(hasSecret({ cookie: `balcao_80=${s.slice(1)}` }, 80, s)).toBe(false);
    expect(hasSecret({}, 80, s)).toBe(false);
    expect(readCookie({ cookie: 'a=1;b = 2' }, 'b')).toBe('2');
  });
});

describe('html and csp', () => {
  it('has no unsafe-eval and limits connections to our origin', () => {
    const csp = hostCsp(5000);
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:5000 ws://localhost:5000");
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
