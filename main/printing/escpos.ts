// ReceiptModel → ESC/POS bytes with @point-of-sale/receipt-printer-encoder. One job holds every
// copy (two in contingency), each ending in a cut; the drawer pulse goes first so the drawer opens
// while the receipt prints. The QR is printed by the printer itself (GS ( k, model 2, level M), or
// rasterised here for printers without QR support.
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import QRCode from 'qrcode';
import type { ReceiptLogo, ReceiptModel, ReceiptWidth } from '../../shared/receipt/model.ts';
import { layoutReceipt, type ReceiptLayout } from '../../shared/receipt/layout.ts';
import { encodeText, parseCodePage } from './codepage.ts';
import { logoPixels } from './logo.ts';

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
  /** Cash-drawer kick: 'auto' (default) follows model.kickDrawer (first print of a cash sale only). */
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

/** Data codewords per QR version (1..40) at error correction level M (ISO/IEC 18004 table 7). */
const DATA_CODEWORDS_M = [
  16, 28, 44, 64, 86, 108, 124, 154, 182, 216, 254, 290, 334, 365, 415, 453, 507, 563, 627, 669, 714, 782, 860, 914, 1000, 1062, 1128, 1193, 1267, 1373, 1455,
  1541, 1631, 1725, 1812, 1914, 1992, 2102, 2216, 2334,
] as const;

/** Character-count bits of numeric, alphanumeric and byte segments for versions 1–9, 10–26, 27–40. */
const CCI: readonly (readonly [number, number, number])[] = [
  [10, 9, 8],
  [12, 11, 16],
  [14, 13, 16],
];

const ALNUM_SYMBOLS = new Set([...' $%*+-./:'].map((c) => c.charCodeAt(0)));

/**
 * Lower bounds (one per CCI class) of the bits any segmentation needs: a DP over numeric,
 * alphanumeric and byte segments with every segment header charged and data at its fractional rate
 * (10/3, 5.5, 8 bits a character), which never exceeds the real cost. In practice it equals the
 * optimum `qrcode` finds (checked in the tests), at a fraction of the cost.
 */
function minDataBits(content: string): number[] {
  const out: number[] = [];
  for (const cci of CCI) {
    let dn = Infinity;
    let da = Infinity;
    let db = Infinity;
    let best = 0;
    const hn = 4 + cci[0];
    const ha = 4 + cci[1];
    const hb = 4 + cci[2];
    for (const ch of content) {
      const c = ch.codePointAt(0) as number;
      const digit = c >= 0x30 && c <= 0x39;
      const alnum = digit || (c >= 0x41 && c <= 0x5a) || ALNUM_SYMBOLS.has(c);
      const utf8 = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
      const n = digit ? Math.min(dn, best + hn) + 10 / 3 : Infinity;
      const a = alnum ? Math.min(da, best + ha) + 5.5 : Infinity;
      const b = Math.min(db, best + hb) + 8 * utf8;
      dn = n;
      da = a;
      db = b;
      best = Math.min(n, a, b);
    }
    out.push(Math.ceil(best - 1e-9));
  }
  return out;
}

function versionFor(bits: (version: number) => number): number {
  for (let v = 1; v <= 40; v++) if (bits(v) <= (DATA_CODEWORDS_M[v - 1] as number) * 8) return v;
  throw new RangeError('QR Code grande demais para imprimir');
}

/**
 * Smallest and largest symbol (modules per side) a printer may choose for `content` at level M:
 * the largest is plain byte mode; the smallest comes from a lower bound of the optimal
 * segmentation. Both use the capacity table, without building the symbol (the segment optimiser
 * of `qrcode` costs ~0.5 ms a receipt).
 */
export function qrModuleRange(content: string): { minModules: number; maxModules: number } {
  const bytes = new TextEncoder().encode(content).length;
  const lower = minDataBits(content);
  const minV = versionFor((v) => lower[v < 10 ? 0 : v < 27 ? 1 : 2] as number);
  const maxV = versionFor((v) => 4 + (v < 10 ? 8 : 16) + 8 * bytes);
  return { minModules: 17 + 4 * minV, maxModules: 17 + 4 * maxV };
}

/**
 * Picks the module size so the code is at least `minMm` wide even if the printer chose the most
 * compact encoding, without overflowing the paper if it chose plain byte mode.
 */
export function planQr(content: string, opts: { dpi?: number; printableDots: number; minMm?: number }): QrPlan {
  const dpi = opts.dpi ?? DEFAULT_DPI;
  const minDots = Math.ceil(((opts.minMm ?? 25) / 25.4) * dpi);
  const { minModules, maxModules } = qrModuleRange(content);
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
export function encodeLayout(layout: ReceiptLayout, options: EscPosOptions & { openDrawer?: boolean; logo?: ReceiptLogo | null } = {}): Uint8Array {
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
      } else if (line.kind === 'logo') {
        if (!options.logo) continue;
        flush();
        // Already black and white at printer dots: the threshold keeps every dot as it is.
        const img = logoPixels(options.logo);
        encoder.align('center');
        encoder.image(img, { width: img.width, height: img.height, mode: 'raster', algorithm: 'threshold' });
        encoder.align('left');
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
  const openDrawer = drawer === 'auto' ? model.kickDrawer : drawer;
  return encodeLayout(layoutReceipt(model), { ...options, openDrawer, logo: model.logo });
}

/** The drawer pulse alone: when cash is taken (before the note is authorized), or the manager's "abrir gaveta". */
export function encodeDrawerKick(): Uint8Array {
  return new ReceiptPrinterEncoder({ language: 'esc-pos' }).initialize().pulse(0, 100, 500).encode();
}
