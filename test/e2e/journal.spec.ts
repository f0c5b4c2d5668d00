// The manager's sales-file tools in the real browser host: the full check from Configurações, the
// guided restore of a backup (a damaged copy refused, a sound one restored and the later sales
// re-learned from Focus), and the screen a damaged journal stops on, restored with the manager's PIN.
import { closeSync, copyFileSync, openSync, readdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { LAYOUT } from '../../main/core/layout.ts';
import { MANAGER, expect, login, open, test, useHost } from './fixtures.ts';

const env = useHost();

async function sellThroughCore(n: number): Promise<void> {
  const core = env.host.core;
  await core.handle('auth.login', { operatorId: 'gerente', pin: MANAGER.pin });
  const found = await core.handle('catalog.search', { query: 'arroz', limit: 1 });
  if (!found.ok) throw new Error(found.error.message);
  const p = found.value[0]!.product;
  for (let i = 0; i < n; i++) {
    const r = await core.handle('sales.finalize', {
      clientId: `e2e-journal-${Date.now()}-${i}`,
      items: [{ productId: p.id, qtyE4: 10_000, unitPriceCents: p.priceCents }],
      payments: [{ method: '01', amountCents: p.priceCents }],
    });
    if (!r.ok) throw new Error(r.error.message);
  }
}

/** Sales in the journal file, read beside the host (no session needed). */
const salesCount = async () => {
  const db = new DatabaseSync(LAYOUT.journal(env.dataDir, 'demo'), { readOnly: true });
  try {
    return Number(db.prepare('SELECT COUNT(*) AS n FROM sales').get()?.n);
  } finally {
    db.close();
  }
};

test('full check, a damaged copy refused, a sound copy restored; then a damaged journal restored from its own screen', async ({ page }) => {
  const backupDir = join(env.dataDir, 'pendrive');
  await env.host.core.handle('auth.login', { operatorId: 'gerente', pin: MANAGER.pin });
  await env.host.core.handle('settings.update', { patch: { backupDir } });
  await sellThroughCore(2);
  // A restart takes the closing backup (2 sales); two more sales come after it.
  let host = await env.restart();
  await sellThroughCore(2);
  await env.host.core.handle('auth.logout', {});
  expect(await salesCount()).toBe(4);

  await open(page, host);
  await login(page, MANAGER.name, MANAGER.pin);
  await page.keyboard.press('F1');
  await expect(page.getByTestId('settings-screen')).toBeVisible();
  const section = page.getByTestId('settings-journal');
  await section.scrollIntoViewIfNeeded();

  await section.getByTestId('journal-check').click();
  await expect(section.getByTestId('journal-check-result')).toHaveAttribute('data-ok', 'yes');
  await expect(section.getByTestId('journal-check-result')).toContainText('Arquivo de vendas íntegro: 4 vendas conferidas.');
  await expect(section.locator('[data-testid="journal-check-item"][data-code="integrity"]')).toHaveAttribute('data-ok', 'yes');

  // A newer copy on the USB disk is damaged.
  const sound = readdirSync(backupDir).find((f) => f.endsWith('.sqlite'))!;
  const damaged = 'demo-29991231-235959Z.sqlite';
  copyFileSync(join(backupDir, sound), join(backupDir, damaged));
  const fd = openSync(join(backupDir, damaged), 'r+');
  writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, 4096);
  closeSync(fd);

  await section.getByTestId('journal-backups').click();
  await expect(section.getByTestId('restore-explanation')).toContainText('é recusada e nada muda');
  const bad = section.locator(`[data-testid="backup-row"][data-file="${damaged}"]`);
  await expect(bad).toHaveAttribute('data-ok', 'no');
  await expect(bad).toContainText('não passou na verificação');
  await bad.getByTestId('backup-choose').click();
  await section.getByTestId('restore-confirm-yes').click();
  await expect(section.getByTestId('journal-message')).toContainText('não passou na verificação e não será usada');
  expect(await salesCount()).toBe(4);

  const good = section.locator(`[data-testid="backup-row"][data-file="${sound}"]`);
  await expect(good).toHaveAttribute('data-ok', 'yes');
  await expect(good).toContainText('íntegra');
  await good.getByTestId('backup-choose').click();
  await expect(section.getByTestId('restore-confirm')).toContainText('(2 vendas)');
  await section.getByTestId('restore-confirm-yes').click();
  await expect(section.getByTestId('journal-message')).toContainText('Cópia restaurada (2 vendas)');
  // The two sales after the copy come back from the sandbox.
  await expect.poll(salesCount, { timeout: 20_000 }).toBe(4);

  // Now the journal itself is damaged: the next start stops on the restore screen.
  const path = LAYOUT.journal(env.dataDir, 'demo');
  await page.goto('about:blank');
  host = await env.restart(() => {
    const pages = Math.floor(statSync(path).size / 4096);
    const jfd = openSync(path, 'r+');
    writeSync(jfd, Buffer.alloc(4096, 0x5a), 0, 4096, Math.max(1, Math.floor(pages / 2)) * 4096);
    closeSync(jfd);
  });
  await open(page, host);
  const screen = page.getByTestId('journal-screen');
  await expect(screen).toBeVisible();
  await expect(screen).toHaveAttribute('data-code', 'journal_damaged');
  await expect(page.getByTestId('journal-reason')).toContainText('arquivo de vendas deste caixa está danificado');
  await page.getByTestId('journal-pin').fill(MANAGER.pin);
  await page.getByTestId('journal-list').click();
  const row = page.locator(`[data-testid="backup-row"][data-ok="yes"]`).first();
  await row.getByTestId('backup-choose').click();
  await page.getByTestId('restore-confirm-yes').click();
  await expect(page.getByTestId('login-screen')).toBeVisible({ timeout: 20_000 });
  await expect.poll(salesCount, { timeout: 20_000 }).toBe(4);
});
