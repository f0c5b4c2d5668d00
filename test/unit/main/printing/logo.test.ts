// The receipt logo: what the manager may pick, what it becomes, where it is kept, and that both
// renderers print exactly that picture on top of each copy (or nothing when there is none).
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { buildReceipt } from '../../../../shared/receipt/model.ts';
import { encodeReceipt } from '../../../../main/printing/escpos.ts';
import { renderReceiptHtml, receiptPageSize } from '../../../../main/printing/html.ts';
import { LOGO_FILE, LOGO_MAX_BYTES, LOGO_MAX_HEIGHT, LogoError, ReceiptLogoStore, logoPixels, prepareLogo } from '../../../../main/printing/logo.ts';
import { decodeEscPos } from '../../../fixtures/fake-printer.ts';
import { TEST_LOGO, scenario } from '../../../fixtures/receipt/scenarios.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function image(width: number, height: number, dark: (x: number, y: number) => boolean): { data: Buffer; width: number; height: number } {
  const data = Buffer.alloc(width * height * 4, 255);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (dark(x, y)) data.fill(0, (y * width + x) * 4, (y * width + x) * 4 + 3);
  return { data, width, height };
}

const pngOf = (img: ReturnType<typeof image>) => PNG.sync.write(Object.assign(new PNG({ width: img.width, height: img.height }), { data: img.data }));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(LogoError);
    return (e as LogoError).code;
  }
  return undefined;
}

describe('prepareLogo', () => {
  it('turns a PNG into black and white printer dots, scaled down to fit, sides multiples of 8', () => {
    // Left half black, right half white, 800 × 400: scaled to the 160-dot height limit.
    const logo = prepareLogo(pngOf(image(800, 400, (x) => x < 400)));
    expect(logo.height).toBe(LOGO_MAX_HEIGHT);
    expect(logo.width).toBe(320);
    const px = logoPixels(logo);
    const at = (x: number, y: number) => px.data[(y * px.width + x) * 4] as number;
    expect(at(10, 80)).toBe(0);
    expect(at(310, 80)).toBe(255);
    expect(new Set(px.data.filter((_, i) => i % 4 !== 3))).toEqual(new Set([0, 255]));
  });

  it('reads a JPEG the same way, and lays transparency on white paper', () => {
    const img = image(64, 32, (x, y) => x >= 16 && x < 48 && y >= 8 && y < 24);
    const jpg = jpeg.encode({ data: img.data, width: 64, height: 32 }, 95).data;
    const logo = prepareLogo(jpg);
    expect([logo.width, logo.height]).toEqual([64, 32]);
    const px = logoPixels(logo);
    expect(px.data[(16 * 64 + 32) * 4]).toBe(0);
    expect(px.data[(2 * 64 + 2) * 4]).toBe(255);
    // A fully transparent black picture prints nothing.
    const clear = Object.assign(new PNG({ width: 16, height: 16 }), { data: Buffer.alloc(16 * 16 * 4, 0) });
    const blank = logoPixels(prepareLogo(PNG.sync.write(clear)));
    expect(blank.data.every((v) => v === 255)).toBe(true);
  });

  it('refuses what is not a PNG or JPEG, an unreadable file, a file too large and a picture too small, in Portuguese', () => {
    expect(codeOf(() => prepareLogo(new TextEncoder().encode('GIF89a nada aqui')))).toBe('logo_format');
    expect(codeOf(() => prepareLogo(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3])))).toBe('logo_unreadable');
    expect(codeOf(() => prepareLogo(new Uint8Array(LOGO_MAX_BYTES + 1)))).toBe('logo_too_large');
    expect(codeOf(() => prepareLogo(pngOf(image(4, 4, () => true))))).toBe('logo_dimensions');
    expect(() => prepareLogo(new TextEncoder().encode('texto'))).toThrow(/PNG ou JPEG/);
  });
});

describe('ReceiptLogoStore', () => {
  it('keeps the print-ready PNG as a file of the data dir (owner-only), reads it back, and clears it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'balcao-logo-'));
    dirs.push(dir);
    const store = new ReceiptLogoStore(dir);
    expect(store.get()).toBeNull();
    const saved = store.set(readFileSync(join(import.meta.dirname, '../../../fixtures/receipt/logo-source.png')));
    expect(saved).toEqual(TEST_LOGO);
    expect(statSync(join(dir, LOGO_FILE)).mode & 0o777).toBe(0o600);
    expect(new ReceiptLogoStore(dir).get()).toEqual(TEST_LOGO);
    expect(() => store.set(new TextEncoder().encode('não é imagem'))).toThrow(LogoError);
    expect(store.get()).toEqual(TEST_LOGO); // a refused pick changes nothing
    store.clear();
    expect(store.get()).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('the logo on the receipt', () => {
  it('ESC/POS: one raster image per copy, before the header text, with exactly the logo dots; none without a logo', () => {
    const without = decodeEscPos(encodeReceipt(buildReceipt(scenario('contingency'))));
    expect(without.images).toHaveLength(0);
    const model = buildReceipt(scenario('contingency-logo'));
    const job = decodeEscPos(encodeReceipt(model));
    expect(job.images).toHaveLength(model.copies.length);
    const px = logoPixels(TEST_LOGO);
    for (const img of job.images) {
      expect([img.width, img.height]).toEqual([TEST_LOGO.width, TEST_LOGO.height]);
      const wrong = img.pixels.filter((dot, i) => dot !== (px.data[i * 4] === 0 ? 1 : 0)).length;
      expect(wrong).toBe(0);
      expect(img.pixels.some((dot) => dot === 1)).toBe(true);
    }
    // The image comes first in each copy: nothing printed between the start (or a cut) and the logo.
    const kinds = job.events.filter((e) => e.type === 'image' || e.type === 'cut' || (e.type === 'text' && e.line.trim() !== '')).map((e) => e.type);
    expect(kinds[0]).toBe('image');
    expect(kinds[kinds.indexOf('cut') + 1]).toBe('image');
    // The text is the same as without the logo.
    const text = (pieces: string[][]) => pieces.map((p) => p.filter((l) => l.trim() !== ''));
    expect(text(job.pieces)).toEqual(text(without.pieces));
  });

  it('HTML: the same PNG at its paper size on top of each copy, and a page tall enough for it', () => {
    const plain = buildReceipt(scenario('authorized'));
    const withLogo = buildReceipt(scenario('authorized-logo'));
    expect(renderReceiptHtml(plain)).not.toContain('<img');
    const html = renderReceiptHtml(withLogo);
    expect(html.match(/<img /g)).toHaveLength(1);
    expect(html).toContain(`src="data:image/png;base64,${TEST_LOGO.pngBase64}"`);
    expect(html).toContain(`width:${TEST_LOGO.width / 8}mm`);
    expect(html.indexOf('<img')).toBeLessThan(html.indexOf('MERCEARIA SÃO JOÃO LTDA'));
    expect(receiptPageSize(withLogo).heightMm).toBeGreaterThanOrEqual(receiptPageSize(plain).heightMm + TEST_LOGO.height / 8);
  });
});
