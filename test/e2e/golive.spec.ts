// A new shop goes live the way it would in real life: an empty data dir, the first-run setup
// through the screens, a token checked live against a Focus sandbox running as its own process,
// the first manager with their own PIN — then the first authorized sale. Checked at 1366×768 and
// 1024×768. Nothing of the demo may show up.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHost, type RunningHost } from '../../main/host/launch.ts';
import { demoCatalog } from '../../main/demo/catalog.ts';
import { MANAGER, expect, gtinOf, lastSaleState, login, payCashExact, scan, shot, test } from './fixtures.ts';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process.ts';
import { goLive, SHOP_MANAGER } from './golive-flow.ts';

let sb: SandboxProcess;
test.beforeAll(async () => {
  sb = await startSandboxProcess();
});
test.afterAll(async () => {
  await sb?.stop();
});

for (const viewport of [
  { width: 1366, height: 768 },
  { width: 1024, height: 768 },
]) {
  const size = `${viewport.width}x${viewport.height}`;
  test(`empty data dir → setup → demo: its own profile, clearly marked, and it fits (${size})`, async ({ page }) => {
    const demoDir = mkdtempSync(join(tmpdir(), 'balcao-golive-demo-e2e-'));
    const demoHost = await startHost({ dataDir: demoDir, sandboxLatencyMs: 0, log: () => {} });
    try {
      await page.setViewportSize(viewport);
      await page.goto(demoHost.url);
      await expect(page.getByTestId('setup-screen')).toHaveAttribute('data-step', 'mode');
      const choice = page.getByTestId('setup-demo');
      await expect(choice).toBeInViewport({ ratio: 1 });
      await expect(page.getByTestId('setup-real')).toBeInViewport({ ratio: 1 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      await choice.click();
      await expect(page.getByTestId('demo-banner')).toBeVisible();
      await login(page, MANAGER.name, MANAGER.pin);
      await expect(page.getByTestId('demo-banner')).toBeInViewport();
      await expect(page.getByTestId('sale-total')).toBeInViewport({ ratio: 1 });
      await expect(page.getByTestId('key-legend')).toBeInViewport({ ratio: 1 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      expect(demoHost.core.info().phase).toBe('ready');
    } finally {
      await demoHost.close();
      rmSync(demoDir, { recursive: true, force: true });
    }
  });

  test.describe(`go live at ${size}`, () => {
    let host: RunningHost | null = null;
    let dir = '';
    test.use({ viewport });
    test.beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'balcao-golive-e2e-'));
      host = await startHost({ dataDir: dir, sandbox: 'none', log: () => {} });
    });
    test.afterAll(async () => {
      await host?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test(`empty data dir → setup → first authorized sale (${size})`, async ({ page }) => {
      await goLive(page, host!, sb, size, shot);
      // Abertura: the manager (logged in by the setup) opens the register before the first sale.
      expect((await host!.core.handle('register.open', { amountText: '100,00' })).ok).toBe(true);
      // The real catalog starts empty: the demo bakery's products are not there.
      await scan(page, gtinOf(demoCatalog().find((p) => p.gtin !== null && !p.weighed)!));
      // The notice line is always on screen: wait for the refusal itself, or a lookup still on its
      // way would find the product registered below and add a second line.
      await expect(page.getByTestId('notice')).toHaveAttribute('data-tone', 'error');
      await expect(page.getByTestId('item-count')).toHaveText('0');
      // The shop registers its first product (the catalog screen is another issue's), then sells it.
      const product = { ...demoCatalog().find((p) => p.gtin !== null && !p.weighed)!, id: 'meu-1', description: 'Café Torrado 500 g' };
      const saved = await host!.core.handle('catalog.update', { product });
      expect(saved.ok).toBe(true);
      await scan(page, gtinOf(product));
      await expect(page.getByTestId('item-count')).toHaveText('1');
      // The real shop's checkout (no demo banner row) at this size: line, total and keys on screen.
      await expect(page.getByTestId('demo-banner')).toHaveCount(0);
      for (const id of ['item-row', 'sale-total', 'key-legend']) await expect(page.getByTestId(id)).toBeInViewport({ ratio: 1 });
      await payCashExact(page);
      await lastSaleState(page, 'authorized');
      await shot(page, `golive-${size}-05-first-sale`);

      // The manager's screens: the pre-flight detail and the operators.
      await page.keyboard.press('F1');
      await page.getByTestId('open-opening').click();
      await page.getByTestId('preflight-run').click();
      await expect(page.getByTestId('check-token')).toHaveAttribute('data-level', 'green');
      await expect(page.getByTestId('check-clock')).toHaveAttribute('data-level', 'green');
      await shot(page, `golive-${size}-06-opening`);
    });

    test(`the manager adds a cashier, who changes their own PIN; cancelling the sale asks the manager; the audit shows it (${size})`, async ({ page }) => {
      await page.goto(host!.url);
      // The terminal keeps one session: whoever the last test left logged in is logged out first.
      await login(page, SHOP_MANAGER.name, SHOP_MANAGER.pin);
      await page.keyboard.press('F1');
      await page.getByTestId('open-operators').click();
      await expect(page.getByTestId('operators-screen')).toBeVisible();
      // A trivial PIN is refused with the reason; nothing is created.
      await page.getByTestId('operator-new-name').fill('Bia Lima');
      await page.getByTestId('operator-new-pin').fill('0000');
      await page.getByTestId('operator-create').click();
      await expect(page.getByTestId('operator-form-error')).toContainText('repetido');
      await expect(page.getByTestId('operator-row')).toHaveCount(1);
      await page.getByTestId('operator-new-pin').fill('5071');
      await page.getByTestId('operator-create').click();
      // Within the grace window the manager is not asked their PIN again.
      await expect(page.getByTestId('operators-message')).toContainText('Bia Lima cadastrado');
      await expect(page.getByTestId('operator-row')).toHaveCount(2);
      await shot(page, `golive-${size}-07-operators`);

      // The cashier logs in and changes their own PIN.
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
      await login(page, 'Bia Lima', '5071');
      await page.getByTestId('change-pin').click();
      await page.getByTestId('change-pin-current').fill('5071');
      await page.getByTestId('change-pin-new').fill('6789');
      await page.getByTestId('change-pin-again').fill('6789');
      await page.getByTestId('change-pin-save').click();
      await expect(page.getByTestId('change-pin-error')).toContainText('sequência');
      await page.getByTestId('change-pin-new').fill('6093');
      await page.getByTestId('change-pin-again').fill('6093');
      await page.getByTestId('change-pin-save').click();
      await expect(page.getByTestId('change-pin-dialog')).toHaveCount(0);

      // Cancelling the sale in progress asks the manager; a wrong PIN changes nothing.
      await scan(page, gtinOf(demoCatalog().find((p) => p.gtin !== null && !p.weighed)!));
      await expect(page.getByTestId('item-count')).toHaveText('1');
      await page.keyboard.press('F7');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('manager-pin-dialog')).toBeVisible();
      await page.getByTestId('manager-pin-input').fill('6093');
      await page.getByTestId('manager-pin-input').press('Enter');
      await expect(page.getByTestId('manager-pin-dialog')).toContainText('PIN de gerente incorreto');
      await page.getByTestId('manager-pin-input').fill(SHOP_MANAGER.pin);
      await page.getByTestId('manager-pin-input').press('Enter');
      await expect(page.getByTestId('item-list')).toHaveAttribute('data-count', '0');

      // The manager reads the audit trail, filtered.
      await login(page, SHOP_MANAGER.name, SHOP_MANAGER.pin);
      await page.keyboard.press('F1');
      await page.getByTestId('open-audit').click();
      await expect(page.getByTestId('audit-row').first()).toBeVisible();
      await page.getByTestId('audit-action').selectOption('pin_changed');
      await expect(page.getByTestId('audit-row')).toHaveCount(1);
      await expect(page.getByTestId('audit-row')).toContainText('Bia Lima');
      await shot(page, `golive-${size}-08-audit`);
    });
  });
}
