// Manager overrides and screens: a discount above the cashier's limit needs the manager PIN;
// settings change (with PIN), the write-only token, the contingency panel.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LAYOUT } from '../../main/core/layout.ts';
import { SECRET_NAMES } from '../../main/secrets/vault.ts';
import { makeTestCertificate } from '../unit/main/contingency/test-certificate.ts';
import { SHOP, expect, expectNoDemo, gtinOf, lastSaleState, login, open, payCashExact, scan, shot, test, totalCents, useProfile } from './fixtures.ts';

// A real shop's profile (its token against the Focus sandbox process, its own operators and catalog);
// the demo's own rule (it never stores a real token) is checked in a demo profile at the end.
const env = useProfile();
const { cashier: CASHIER, manager: MANAGER } = env;
const p = env.unitProducts[20] ?? env.unitProducts[0]!;

test('a discount within the limit goes through; above it the manager PIN is asked', async ({ page }) => {
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  await scan(page, `10*${gtinOf(p)}`);
  const gross = p.priceCents * 10;
  // F4 discounts the last line: pressed before the scan has landed, it has none.
  await expect(page.getByTestId('item-count')).toHaveText('1');

  await page.keyboard.press('F4');
  await expect(page.getByTestId('discount-dialog')).toBeVisible();
  await page.getByTestId('discount-input').fill('5%');
  await page.getByTestId('discount-input').press('Enter');
  await expect(page.getByTestId('discount-dialog')).toHaveCount(0);
  const afterItem = await totalCents(page);
  expect(afterItem).toBe(gross - Math.round((gross * 500) / 10_000));

  await page.keyboard.press('F5');
  await page.getByTestId('discount-input').fill('30%');
  await page.getByTestId('discount-input').press('Enter');
  await expect(page.getByTestId('manager-pin-dialog')).toBeVisible();
  await shot(page, '13-manager-override');
  await page.getByTestId('manager-pin-input').fill('0000');
  await page.getByTestId('manager-pin-input').press('Enter');
  await expect(page.getByTestId('dialog-error')).toBeVisible();
  await page.getByTestId('manager-pin-input').fill(MANAGER.pin);
  await page.getByTestId('manager-pin-input').press('Enter');
  await expect(page.getByTestId('manager-pin-dialog')).toHaveCount(0);
  await expect(page.getByTestId('discount-total')).toBeVisible();
  const expected = afterItem - Math.round((afterItem * 3000) / 10_000);
  expect(await totalCents(page)).toBe(expected);
  await expect(page.getByTestId('code-input')).toBeFocused();

  await payCashExact(page);
  await lastSaleState(page, 'authorized');
  const saleId = Number(await page.getByTestId('sale-result').getAttribute('data-sale-id'));
  const d = await env.host.core.handle('sales.get', { saleId });
  if (!d.ok) throw new Error(d.error.message);
  expect(d.value.sale.totalCents).toBe(expected);
});

test('the manager opens the contingency panel and sends the queue now', async ({ page }) => {
  await open(page, env.host);
  await login(page, MANAGER.name, MANAGER.pin);
  await page.keyboard.press('F9');
  await expect(page.getByTestId('contingency-panel')).toBeVisible();
  await expect(page.getByTestId('contingency-empty').or(page.getByTestId('contingency-row').first())).toBeVisible();
  await page.getByTestId('contingency-send').click();
  await expect(page.getByTestId('contingency-message').or(page.getByTestId('contingency-error'))).toBeVisible();
  await shot(page, '15-contingency-panel');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('code-input')).toBeFocused();
});

test('a cashier cannot open settings; the manager changes the discount limit; the token is write-only', async ({ page }) => {
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  await page.keyboard.press('F1');
  await expect(page.getByTestId('notice')).toContainText('gerente');
  await expect(page.getByTestId('checkout-screen')).toBeVisible();
  await page.getByTestId('logout').click();
  // The logout is answered asynchronously: until the login screen shows, login() would see the old
  // "Trocar operador" button and click it as it goes away.
  await expect(page.getByTestId('login-screen')).toBeVisible();
  await login(page, MANAGER.name, MANAGER.pin);

  await page.keyboard.press('F1');
  await expect(page.getByTestId('settings-screen')).toBeVisible();
  await page.getByTestId('settings-discount-limit').fill('20');
  await page.getByTestId('save-operation').click();
  // Logged in a moment ago with the PIN: the manager is not asked it again within the grace window.
  await expect(page.getByTestId('manager-pin-dialog')).toHaveCount(0);
  await expect(page.getByTestId('operation-message')).toHaveText('Configurações de operação salvas.');
  const s = await env.host.core.handle('settings.get', {});
  expect(s.ok && s.value.discountLimitBp).toBe(2000);

  // Emitter validation speaks Portuguese before anything is sent.
  await page.getByTestId('emitter-cep').fill('123');
  await page.getByTestId('save-emitter').click();
  await expect(page.getByTestId('emitter-errors')).toContainText('CEP');

  // The shop's token is write-only: the field is empty, the stored value never reaches the page.
  await expect(page.getByTestId('token-demo-notice')).toHaveCount(0);
  await expect(page.getByTestId('token-homologacao')).toContainText('Token configurado');
  await page.getByTestId('token-replace-homologacao').click();
  await expect(page.getByTestId('token-input-homologacao')).toHaveValue('');
  await expectNoDemo(page);
  await shot(page, '14-settings');
});

test('the manager imports the A1 certificate: a wrong password is explained, then subject and expiry show', async ({ page }) => {
  const cert = makeTestCertificate({ cnpj: env.focus.cnpj, name: SHOP.name.toUpperCase(), bits: 1024 });
  await open(page, env.host);
  await login(page, MANAGER.name, MANAGER.pin);
  await page.keyboard.press('F1');
  await expect(page.getByTestId('certificate-info')).toContainText('Nenhum certificado');
  const file = { name: 'loja.pfx', mimeType: 'application/x-pkcs12', buffer: Buffer.from(cert.pfx) };

  await page.getByTestId('certificate-file').setInputFiles(file);
  await page.getByTestId('certificate-password').fill('senha-errada');
  await page.getByTestId('certificate-import').click();
  // The PIN is asked only outside the manager's grace window.
  const pin = page.getByTestId('manager-pin-input');
  await expect(page.getByTestId('certificate-message').or(pin)).toBeVisible();
  if (await pin.isVisible()) {
    await pin.fill(MANAGER.pin);
    await pin.press('Enter');
  }
  await expect(page.getByTestId('certificate-message')).toContainText('Senha do certificado');

  await page.getByTestId('certificate-file').setInputFiles(file);
  await page.getByTestId('certificate-password').fill(cert.password);
  await page.getByTestId('certificate-import').click();
  // Within the grace window the PIN is not asked again.
  await expect(page.getByTestId('certificate-message')).toHaveText('Certificado importado.');
  await expect(page.getByTestId('certificate-info')).toContainText(SHOP.name.toUpperCase());
  await expect(page.getByTestId('certificate-info')).toContainText(
    `válido até ${cert.notAfter.toLocaleDateString('pt-BR', { timeZone: 'America/Sao_Paulo' })}`,
  );
  await page.getByTestId('settings-certificate').scrollIntoViewIfNeeded();
  await shot(page, '17-settings-certificate');
});

test('a certificate the till cannot read: the manager imports a new one on the secrets screen; a wrong one is explained and changes nothing', async ({
  page,
}) => {
  // The vault entry of the certificate imported above is lost (a bad copy, a damaged disk).
  const host = await env.restart(() => rmSync(join(LAYOUT.secrets(env.dataDir), `${SECRET_NAMES.certificateBundle}.sec`)));
  expect(host.core.info().phase).toBe('secrets');
  await page.goto(host.url);
  await expect(page.getByTestId('secrets-screen')).toBeVisible();
  await expect(page.getByTestId('secrets-reason')).toContainText('certificado A1');
  await expect(page.getByTestId('secrets-token')).toHaveCount(0);
  await expectNoDemo(page);

  const foreign = makeTestCertificate({ cnpj: '11222333000181', name: 'OUTRA EMPRESA LTDA', bits: 1024 });
  const renewed = makeTestCertificate({ cnpj: env.focus.cnpj, name: `${SHOP.name.toUpperCase()} RENOVADO`, bits: 1024 });
  const choose = async (c: typeof renewed, password: string) => {
    await page.getByTestId('secrets-pin').fill(MANAGER.pin);
    await page.getByTestId('secrets-cert-file').setInputFiles({ name: 'loja.pfx', mimeType: 'application/x-pkcs12', buffer: Buffer.from(c.pfx) });
    await page.getByTestId('secrets-cert-password').fill(password);
    await page.getByTestId('secrets-cert-import').click();
  };
  await choose(renewed, 'senha-errada');
  await expect(page.getByTestId('secrets-error')).toContainText('Senha do certificado');
  await choose(foreign, foreign.password);
  await expect(page.getByTestId('secrets-error')).toContainText('diferente do CNPJ da loja');
  await expect(page.getByTestId('secrets-screen')).toBeVisible();
  await shot(page, '18-secrets-certificate');

  await choose(renewed, renewed.password);
  await expect(page.getByTestId('login-screen')).toBeVisible();
  await login(page, MANAGER.name, MANAGER.pin);
  await page.keyboard.press('F1');
  await expect(page.getByTestId('certificate-info')).toContainText('RENOVADO');
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  await page.getByTestId('open-audit').click();
  await page.getByTestId('audit-action').selectOption('secrets_provided');
  await expect(page.getByTestId('audit-row')).toHaveCount(1);
  await expect(page.getByTestId('audit-row')).toContainText(MANAGER.name);
});

test('the manager sets the receipt logo with a preview, a wrong file is explained, and removes it', async ({ page }) => {
  const logoPng = readFileSync(join(import.meta.dirname, '../fixtures/receipt/logo-source.png'));
  await open(page, env.host);
  await login(page, MANAGER.name, MANAGER.pin);
  await page.keyboard.press('F1');
  const section = page.getByTestId('settings-receipt-logo');
  await section.scrollIntoViewIfNeeded();
  await expect(page.getByTestId('receipt-logo-none')).toBeVisible();

  await page.getByTestId('receipt-logo-file').setInputFiles({ name: 'logo.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a') });
  await page.getByTestId('receipt-logo-save').click();
  await expect(page.getByTestId('receipt-logo-error')).toHaveText('O logotipo precisa ser uma imagem PNG ou JPEG.');
  // A file named .png that is not an image: the core refuses it and nothing changes.
  await page.getByTestId('receipt-logo-file').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from('não sou uma imagem de verdade') });
  await page.getByTestId('receipt-logo-save').click();
  const pin = page.getByTestId('manager-pin-input');
  await expect(page.getByTestId('receipt-logo-message').or(pin)).toBeVisible();
  if (await pin.isVisible()) {
    await pin.fill(MANAGER.pin);
    await pin.press('Enter');
  }
  await expect(page.getByTestId('receipt-logo-message')).toContainText('PNG ou JPEG');
  await expect(page.getByTestId('receipt-logo-none')).toBeVisible();

  await page.getByTestId('receipt-logo-file').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: logoPng });
  await page.getByTestId('receipt-logo-save').click();
  await expect(page.getByTestId('receipt-logo-message')).toHaveText('Logotipo salvo: ele sai no topo do cupom.');
  await expect(page.getByTestId('receipt-logo-preview').locator('img')).toBeVisible();
  await expect(page.getByTestId('receipt-logo-size')).toHaveText('20 × 20 mm no papel');
  const saved = await env.host.core.handle('settings.receiptLogo', {});
  expect(saved).toMatchObject({ ok: true, value: { width: 160, height: 160 } });
  await shot(page, '18-settings-receipt-logo');

  await page.getByTestId('receipt-logo-clear').click();
  await expect(page.getByTestId('receipt-logo-message')).toHaveText('Logotipo removido: o cupom sai sem logotipo.');
  await expect(page.getByTestId('receipt-logo-none')).toBeVisible();
  expect(await env.host.core.handle('settings.receiptLogo', {})).toMatchObject({ ok: true, value: null });
});

test.describe('demo profile', () => {
  const demo = useProfile('demo');
  test('demo is its own profile: it never stores a real shop token', async ({ page }) => {
    await open(page, demo.host);
    await login(page, demo.manager.name, demo.manager.pin);
    await page.keyboard.press('F1');
    await expect(page.getByTestId('settings-screen')).toBeVisible();
    await expect(page.getByTestId('token-demo-notice')).toContainText('demonstração');
    await expect(page.getByTestId('token-input-producao')).toHaveCount(0);
  });
});
