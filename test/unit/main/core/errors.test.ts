import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../../shared/contract.ts';
import { GENERIC_MESSAGE, PosFailure, toPosError } from '../../../../main/core/errors.ts';
import { EmissionError } from '../../../../main/emission/types.ts';
import { CertificateError } from '../../../../main/contingency/certificate.ts';
import { ReceiptError } from '../../../../shared/receipt/model.ts';
import { PrinterError } from '../../../../main/printing/transports/transport.ts';
import { CatalogConflict } from '../../../../main/catalog/catalog.ts';
import { SaleRefusedError } from '../../../../main/sales/errors.ts';
import { AuthError } from '../../../../main/auth/operators.ts';
import { JournalError } from '../../../../main/db/errors.ts';
import { LookupError } from '../../../../main/catalog/code-lookup.ts';
import { osUserDataDir, resolveDataDir } from '../../../../main/core/layout.ts';

describe('toPosError', () => {
  it('turns a schema failure into a pt-BR sentence with field details', () => {
    const r = CHANNELS['sales.email'].safeParse({ saleId: 1, emails: ['não é email'] });
    expect(r.success).toBe(false);
    const { error, expected } = toPosError(r.error);
    expect(expected).toBe(true);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/^Dados inválidos em e-mail: .+\. Corrija e tente de novo\.$/);
    expect(error.fields?.[0]?.path).toBe('emails.0');
  });

  it('replaces English zod defaults with Portuguese', () => {
    const r = CHANNELS['sales.get'].safeParse({ saleId: 'x' });
    const { error } = toPosError(!r.success ? r.error : null);
    expect(error.message).not.toMatch(/expected|Invalid/i);
    expect(error.message).toMatch(/valor ausente ou do tipo errado/);
  });

  it('passes through the user-facing errors of the domain modules', () => {
    for (const err of [
      new PosFailure('x', 'Faça isto.'),
      new AuthError('pin_invalid', 'PIN incorreto. Digite de novo.'),
      new JournalError('journal_newer', 'Atualize o Balcão.'),
      new LookupError('gtin_check_digit', 'Código inválido.'),
      new EmissionError('cancel_window_closed', 'O prazo de 30 minutos terminou.'),
      new CertificateError('wrong_password', 'Senha do certificado incorreta.'),
      new ReceiptError('cancelled', 'Nota cancelada não é impressa.'),
      new PrinterError('paper_out', 'Impressora sem papel: troque a bobina.'),
      new CatalogConflict('O código 123 já pertence a "Pão".'),
    ]) {
      const { error, expected } = toPosError(err);
      expect(expected).toBe(true);
      expect(error.message).toBe(err.message);
      expect(error.code).toBe(err.code);
    }
  });

  it('keeps the field details of a refused sale', () => {
    const fields = [{ path: 'payments', message: 'Faltam R$ 2,00.' }];
    const { error } = toPosError(new SaleRefusedError('payment', 'Pagamento incompleto.', fields));
    expect(error).toEqual({ code: 'payment', message: 'Pagamento incompleto.', fields });
  });

  it('does not trust an ordinary error that only borrows a domain name', () => {
    const impostor = Object.assign(new Error('ECONNRESET at https://TOKEN@host'), { name: 'JournalError', code: 'x' });
    expect(toPosError(impostor)).toEqual({ error: { code: 'internal', message: GENERIC_MESSAGE }, expected: false });
  });

  it('never leaks an unexpected error message, stack or token', () => {
    const err = new Error('connect ECONNREFUSED https://TOKEN123SECRET:@api.focusnfe.com.br');
    const { error, expected } = toPosError(err);
    expect(expected).toBe(false);
    expect(error).toEqual({ code: 'internal', message: GENERIC_MESSAGE });
    expect(JSON.stringify(error)).not.toContain('TOKEN123SECRET');
    expect(toPosError('a string').error.code).toBe('internal');
  });
});

describe('data directory', () => {
  it('flag beats variable beats the OS directory', () => {
    expect(resolveDataDir({ argv: ['node', 'x', '--data-dir', '/tmp/a'], env: { BALCAO_DATA_DIR: '/tmp/b' }, fallback: '/tmp/c' })).toBe('/tmp/a');
    expect(resolveDataDir({ argv: ['--data-dir=/tmp/a2'], env: {}, fallback: '/tmp/c' })).toBe('/tmp/a2');
    expect(resolveDataDir({ argv: [], env: { BALCAO_DATA_DIR: '/tmp/b' }, fallback: '/tmp/c' })).toBe('/tmp/b');
    expect(resolveDataDir({ argv: [], env: {}, fallback: '/tmp/c' })).toBe('/tmp/c');
  });
  it('uses each OS convention', () => {
    expect(osUserDataDir('linux', {}, '/home/ana')).toBe('/home/ana/.config/Balcao');
    expect(osUserDataDir('linux', { XDG_CONFIG_HOME: '/x' }, '/home/ana')).toBe('/x/Balcao');
    expect(osUserDataDir('darwin', {}, '/Users/ana')).toBe('/Users/ana/Library/Application Support/Balcao');
    expect(osUserDataDir('win32', { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'C:\\Users\\ana')).toContain('Balcao');
  });
});
