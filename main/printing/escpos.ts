// ReceiptModel → ESC/POS bytes with @point-of-sale/receipt-printer-encoder. One job holds every
// copy (two in contingency), each ending in a cut; the drawer pulse goes first so the drawer opens
// while the receipt prints. The QR is printed by the printer itself (GS ( k, model 2, level M), or
// rasterised here for printers without QR support.
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import QRCode from 'qrcode';
import type { ReceiptModel, ReceiptWidth } from '../../shared/receipt/model.ts';
import { layoutReceipt, type ReceiptLayout } from '../../shared/receipt/layout.ts';
import { encodeText, parseCodePage } from './codepage.ts';

export interface EscPosOptions {
  /** Printer setting, e.g. 'cp860' (default), 'cp850', 'windows1252:16'. */
  codePage?: string;
  /** false → QR sent as a raster image (printers without GS ( k). Default true. */
  nativeQr?: boolean;
  /** Printer resolution; almost every 58/80 mm thermal printer is 203 dpi (8 dots/mm). */
  dpi?: number;
  /** Printable width in dots; default 576 (72 mm) for 48 columns, 384 (48 mm) for 32. */
  printableDots?: number;
  /** Minimum QR side (Manual DANFE NFC-e v6.0: 25 mm). */
  qrMinMm?: number;
  cut?: 'partial' | 'full';
  /** Cash-drawer kick: 'auto' (default) kicks when the sale had cash (tPag 01). */
  drawer?: boolean | 'auto';
  /** Lines fed before each cut so the last line clears the cutter. */
  feedBeforeCut?: number;
}

export interface QrPlan {
  /** Module size in dots (GS ( k function 167, 1..8) or raster scale. */
  moduleDots: number;
  /** Modules per side, smallest and largest version a printer may pick for this text. */
  minModules: number;
  maxModules: number;
  /** Printed side in mm for the smallest version (what the 25 mm minimum is checked against). */
  sideMm: number;
}

const DEFAULT_DPI = 203;

export function defaultPrintableDots(width: ReceiptWidth): number {
  return width === 48 ? 576 : 384;
}

function modulesOf(content: string, byteOnly: boolean): number {
  // Only the version matters here: a fixed mask skips the costly evaluation of all eight.
  const opts = { errorCorrectionLevel: 'M', maskPattern: 0 } as const;
  const qr = byteOnly ? QRCode.create([{ data: new TextEncoder().encode(content), mode: 'byte' }], opts) : QRCode.create(content, opts);
  return qr.modules.size;
}

/**
 * Picks the module size so the code is at least `minMm` wide even if the printer chose the most
 * compact encoding, without overflowing the paper if it chose plain byte mode.
 */
export function planQr(content: string, opts: { dpi?: number; printableDots: number; minMm?: number }): QrPlan {
  const dpi = opts.dpi ?? DEFAULT_DPI;
  const minDots = Math.ceil(((opts.minMm ?? 25) / 25.4) * dpi);
  const minModules = modulesOf(content, false);
  const maxModules = modulesOf(content, true);
  let moduleDots = Math.min(8, Math.max(1, Math.ceil(minDots / minModules)));
  while (moduleDots > 1 && maxModules * moduleDots > opts.printableDots) moduleDots--;
  return { moduleDots, minModules, maxModules, sideMm: (minModules * moduleDots * 25.4) / dpi };
}

interface RgbaImage {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** The QR matrix from `qrcode` drawn at `moduleDots` per module, width a multiple of 8. */
export function rasterQr(content: string, moduleDots: number, printableDots: number): RgbaImage {
  const qr = QRCode.create(content, { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  const side = size * moduleDots;
  // Quiet zone: 4 modules when it fits, the printer's margin covers the rest.
  let quiet = 4 * moduleDots;
  while (quiet > 0 && side + 2 * quiet > printableDots) quiet -= moduleDots;
  let width = side + 2 * quiet;
  width = Math.ceil(width / 8) * 8;
  const left = Math.floor((width - side) / 2);
  const height = Math.ceil((side + 2 * quiet) / 8) * 8;
  const top = Math.floor((height - side) / 2);
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      if (!qr.modules.get(r, c)) continue;
      for (let dy = 0; dy < moduleDots; dy++) {
        const y = top + r * moduleDots + dy;
        for (let dx = 0; dx < moduleDots; dx++) {
          const o = (y * width + left + c * moduleDots + dx) * 4;
          data[o] = 0;
          data[o + 1] = 0;
          data[o + 2] = 0;
        }
      }
    }
  }
  return { data, width, height };
}

/** Encodes an already laid-out receipt (the test page and reprints reuse a layout). */
export function encodeLayout(layout: ReceiptLayout, options: EscPosOptions & { openDrawer?: boolean } = {}): Uint8Array {
  const cp = parseCodePage(options.codePage);
  const printableDots = options.printableDots ?? defaultPrintableDots(layout.width);
  const encoder = new ReceiptPrinterEncoder({
    language: 'esc-pos',
    columns: layout.width,
    codepageMapping: { [cp.name]: cp.table },
    // LF only: some Brazilian clones print an extra blank line on CR.
    newline: '\n',
    imageMode: 'raster',
    feedBeforeCut: options.feedBeforeCut ?? 4,
    errors: 'strict',
  });
  // Text lines are already laid out to the column count, so they go out as raw bytes in the
  // chosen table: the encoder's line composer and code page lookup cost ~40 µs a line, too slow for 150 items.
  const ESC = 0x1b;
  let run: number[] = [ESC, 0x74, cp.table];
  const flush = () => {
    if (run.length) encoder.raw(run);
    run = [];
  };
  const pushText = (text: string, bold: boolean) => {
    if (bold) run.push(ESC, 0x45, 1);
    const bytes = encodeText(text, cp.name);
    for (let i = 0; i < bytes.length; i++) run.push(bytes[i] as number);
    if (bold) run.push(ESC, 0x45, 0);
    run.push(0x0a);
  };

  encoder.initialize();
  if (options.openDrawer) encoder.pulse(0, 100, 500);

  const qrPlans = new Map<string, QrPlan>();
  const planFor = (content: string) => {
    let plan = qrPlans.get(content);
    if (!plan) {
      plan = planQr(content, { dpi: options.dpi ?? DEFAULT_DPI, printableDots, minMm: options.qrMinMm ?? 25 });
      qrPlans.set(content, plan);
    }
    return plan;
  };

  const rule = '-'.repeat(layout.width);
  for (const copy of layout.copies) {
    for (const line of copy.lines) {
      if (line.kind === 'rule') {
        pushText(rule, false);
      } else if (line.kind === 'text') {
        pushText(line.text, line.bold === true);
      } else {
        flush();
        const plan = planFor(line.content);
        encoder.align('center');
        if (options.nativeQr === false) {
          const img = rasterQr(line.content, plan.moduleDots, printableDots);
          encoder.image(img, { width: img.width, height: img.height, mode: 'raster', algorithm: 'threshold' });
        } else {
          encoder.qrcode(line.content, { model: 2, size: plan.moduleDots, errorlevel: 'm' });
        }
        encoder.align('left');
      }
    }
    flush();
    encoder.cut(options.cut ?? 'partial');
  }
  return encoder.encode();
}

/** The whole DANFCe as one ESC/POS job. */
export function encodeReceipt(model: ReceiptModel, options: EscPosOptions = {}): Uint8Array {
  const drawer = options.drawer ?? 'auto';
  const openDrawer = drawer === 'auto' ? model.hasCash : drawer;
  return encodeLayout(layoutReceipt(model), { ...options, openDrawer });
}
