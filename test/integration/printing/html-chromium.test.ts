// The HTML DANFCe in a real Chromium: screenshot saved under test/artifacts/ (gitignored), the QR
// read back from the pixels, the layout checked for overflow, and
// the OS-print port driven through a Chromium page standing in for Electron's webContents (the
// Electron binary cannot run here).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { decodeQr } from '../../fixtures/receipt/qr-decode.ts';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReceipt } from '../../../shared/receipt/model.ts';
import { PAPER, receiptPageSize, renderReceiptHtml } from '../../../main/printing/html.ts';
import { createWebContentsPrintPort, type WebContentsLike } from '../../../main/printing/transports/os-print.ts';
import { OsReceiptPrinter } from '../../../main/printing/printer.ts';
import { scenario } from '../../fixtures/receipt/scenarios.ts';
import { TEST_CHROMIUM, TEST_CHROMIUM_ARGS } from '../../fixtures/chromium.ts';

const ARTIFACTS = resolve(import.meta.dirname, '../../artifacts');

let browser: Browser;
beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({ executablePath: TEST_CHROMIUM, args: TEST_CHROMIUM_ARGS });
}, 30_000);
afterAll(async () => {
  await browser?.close();
});

describe('HTML receipt in Chromium', () => {
  it.each(['authorized', '58mm', 'contingency'])('%s: screenshot QR decodes to exactly the NFC-e QR content', async (name) => {
    const model = buildReceipt(scenario(name));
    const paperPx = Math.ceil((PAPER[model.width].paperMm / 25.4) * 96);
    const page = await browser.newPage({ viewport: { width: paperPx, height: 600 }, deviceScaleFactor: 2 });
    try {
      await page.setContent(renderReceiptHtml(model), { waitUntil: 'load' });
      const png = await page.screenshot({ fullPage: true });
      writeFileSync(join(ARTIFACTS, `receipt-${name}.png`), png);

      // One screenshot per copy: two symbols in one image confuse the finder-pattern search.
      const sections = page.locator('section.copy');
      expect(await sections.count()).toBe(model.copies.length);
      for (let i = 0; i < model.copies.length; i++) {
        const shot = await sections.nth(i).screenshot();
        if (i > 0) writeFileSync(join(ARTIFACTS, `receipt-${name}-via${i + 1}.png`), shot);
        const img = PNG.sync.read(i === 0 && model.copies.length === 1 ? png : shot);
        expect(decodeQr(new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length), img.width, img.height)).toBe(model.qrContent);
      }

      const geometry = await page.evaluate(() => {
        const mm = (px: number) => (px * 25.4) / 96;
        const qrs = [...document.querySelectorAll('svg.qr')].map((e) => mm(e.getBoundingClientRect().width));
        const overflowing = [...document.querySelectorAll('.l')].filter((e) => e.scrollWidth > e.clientWidth + 0.5).map((e) => e.textContent);
        const copies = [...document.querySelectorAll('section.copy')].map((e) => mm(e.getBoundingClientRect().width));
        return { qrs, overflowing, copies };
      });
      expect(geometry.qrs).toHaveLength(model.copies.length);
      for (const side of geometry.qrs) expect(side).toBeGreaterThanOrEqual(25);
      expect(geometry.overflowing).toEqual([]);
      for (const w of geometry.copies) expect(w).toBeCloseTo(PAPER[model.width].paperMm, 0);
      expect(await page.locator('body').innerText()).toContain('Consulte pela Chave de Acesso em');
    } finally {
      await page.close();
    }
  });

  it('OS print port: loads the receipt from a data URL and asks for the roll size in microns', async () => {
    const page = await browser.newPage();
    const jobs: { deviceName: string; width: number; height: number; pdf: Buffer }[] = [];
    // A Chromium page playing Electron's webContents: print() is rendered with page.pdf at the
    // requested size, which is what the driver would receive.
    const contents: WebContentsLike = {
      loadURL: (url) => page.goto(url),
      print(options, callback) {
        page
          .pdf({ width: `${options.pageSize.width / 1000}mm`, height: `${options.pageSize.height / 1000}mm`, printBackground: true })
          .then((pdf) => {
            jobs.push({ deviceName: options.deviceName, width: options.pageSize.width, height: options.pageSize.height, pdf });
            callback?.(true, '');
          })
          .catch((e: unknown) => callback?.(false, String(e)));
      },
    };
    try {
      const model = buildReceipt(scenario('58mm'));
      await new OsReceiptPrinter(
        createWebContentsPrintPort(() => contents),
        'POS-58',
      ).print(model);
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({ deviceName: 'POS-58', width: 58_000, height: receiptPageSize(model).heightMm * 1000 });
      expect(await page.locator('svg.qr').count()).toBe(1);
      expect(await page.locator('body').innerText()).toContain('CONSUMIDOR - CPF 123.456.789-09');
      writeFileSync(join(ARTIFACTS, 'receipt-58mm-os-print.pdf'), jobs[0]?.pdf ?? Buffer.alloc(0));

      const failing: WebContentsLike = { loadURL: async () => undefined, print: (_o, cb) => cb?.(false, 'Printer is offline') };
      await expect(
        new OsReceiptPrinter(
          createWebContentsPrintPort(() => failing),
          'POS-58',
        ).print(model),
      ).rejects.toThrow('A impressora "POS-58" recusou o cupom (Printer is offline). Verifique a impressora e reimprima.');
    } finally {
      await page.close();
    }
  });
});
