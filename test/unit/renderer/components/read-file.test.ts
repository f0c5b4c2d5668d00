import { describe, expect, it } from 'vitest';
import { readCertificateFile, readFileBase64, UNREADABLE_FILE } from '../../../../renderer/components/read-file.ts';

describe('read-file: one reader for the files a manager picks', () => {
  it('reads every byte, also past the slice size and with every byte value', async () => {
    const bytes = new Uint8Array(100_003).map((_, i) => (i * 37) % 256);
    expect(await readFileBase64(new Blob([bytes]))).toBe(Buffer.from(bytes).toString('base64'));
    expect(await readFileBase64(new Blob([]))).toBe('');
  });

  it('a certificate: refused by name and size before reading, read as base64 otherwise', async () => {
    expect(await readCertificateFile(undefined)).toMatchObject({ ok: false, message: expect.stringContaining('Escolha') });
    expect(await readCertificateFile(new File([new Uint8Array(10)], 'loja.txt'))).toMatchObject({ ok: false, message: expect.stringContaining('.pfx') });
    expect(await readCertificateFile(new File([new Uint8Array(150_001)], 'loja.pfx'))).toMatchObject({ ok: false, message: expect.stringContaining('grande') });
    const pfx = new Uint8Array([48, 130, 1, 2, 255, 0]);
    expect(await readCertificateFile(new File([pfx], 'LOJA.P12'))).toEqual({ ok: true, pfxBase64: Buffer.from(pfx).toString('base64') });
  });

  it('a file the browser cannot read gets the plain-language message', async () => {
    const broken = Object.assign(new File([], 'loja.pfx'), { arrayBuffer: () => Promise.reject(new Error('NotReadableError')) });
    expect(await readCertificateFile(broken)).toEqual({ ok: false, message: UNREADABLE_FILE });
  });
});
