// The receipt logo: the manager's PNG or JPEG, checked and turned once into what a thermal printer
// prints (black and white, scaled to printer dots, sides multiples of 8), and kept as a file in the
// data dir — never in settings.json. Both renderers read that one print-ready PNG, so the preview
// shows the dots the roll gets.
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { RECEIPT_LOGO_MAX_BYTES } from '../../shared/contract.ts';
import { UserFacingError } from '../../shared/errors.ts';
import type { ReceiptLogo } from '../../shared/receipt/model.ts';

export type LogoErrorCode = 'logo_format' | 'logo_too_large' | 'logo_dimensions' | 'logo_unreadable';

/** The picked image cannot be the logo; the message says why, in Portuguese. */
export class LogoError extends UserFacingError<LogoErrorCode> {}

/** The file as picked (a logo, not a photo album). */
export const LOGO_MAX_BYTES = RECEIPT_LOGO_MAX_BYTES;
/** Largest source picture decoded (pixels per side). */
const MAX_SOURCE_SIDE = 4000;
/** Printed size in dots at 203 dpi: 384 fits the 48 mm printable width of a 58 mm roll; 160 ≈ 2 cm of paper. */
export const LOGO_MAX_WIDTH = 384;
export const LOGO_MAX_HEIGHT = 160;
/** Luminance below this prints black (after transparent pixels are laid on white paper). */
const THRESHOLD = 128;

interface Rgba {
  data: Uint8Array;
  width: number;
  height: number;
}

function decode(bytes: Uint8Array): Rgba {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const png = buf.length > 8 && buf.readUInt32BE(0) === 0x89504e47 && buf.readUInt32BE(4) === 0x0d0a1a0a;
  const jpg = buf.length > 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff;
  if (!png && !jpg) throw new LogoError('logo_format', 'O logotipo precisa ser uma imagem PNG ou JPEG.');
  try {
    if (png) {
      const img = PNG.sync.read(buf);
      return { data: img.data, width: img.width, height: img.height };
    }
    const img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 16, maxMemoryUsageInMB: 128 });
    return { data: img.data, width: img.width, height: img.height };
  } catch {
    throw new LogoError('logo_unreadable', 'Não foi possível ler a imagem do logotipo. Salve-a de novo como PNG ou JPEG e tente outra vez.');
  }
}

/**
 * Checks the picked file and returns the print-ready logo: scaled down to fit LOGO_MAX_WIDTH ×
 * LOGO_MAX_HEIGHT dots (never up), each dot black or white, padded with white to multiples of 8.
 */
export function prepareLogo(bytes: Uint8Array): ReceiptLogo {
  if (bytes.byteLength > LOGO_MAX_BYTES) {
    throw new LogoError(
      'logo_too_large',
      `O arquivo do logotipo passa de ${LOGO_MAX_BYTES / 1024} KB. Use uma imagem menor (ela é impressa com até ${LOGO_MAX_WIDTH} pontos de largura).`,
    );
  }
  const src = decode(bytes);
  if (src.width < 8 || src.height < 8 || src.width > MAX_SOURCE_SIDE || src.height > MAX_SOURCE_SIDE) {
    throw new LogoError('logo_dimensions', `A imagem do logotipo precisa ter entre 8 e ${MAX_SOURCE_SIDE} pixels de cada lado.`);
  }
  const scale = Math.min(1, LOGO_MAX_WIDTH / src.width, LOGO_MAX_HEIGHT / src.height);
  const w = Math.max(1, Math.round(src.width * scale));
  const h = Math.max(1, Math.round(src.height * scale));
  const width = Math.ceil(w / 8) * 8;
  const height = Math.ceil(h / 8) * 8;
  const left = Math.floor((width - w) / 2);
  const top = Math.floor((height - h) / 2);
  const out = new PNG({ width, height, colorType: 0, inputColorType: 6, bitDepth: 8 });
  out.data.fill(255);
  for (let y = 0; y < h; y++) {
    // Box filter: the average of the source pixels under this dot, alpha laid on white paper.
    const y0 = Math.floor((y * src.height) / h);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * src.height) / h));
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor((x * src.width) / w);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * src.width) / w));
      let sum = 0;
      let n = 0;
      for (let sy = y0; sy < y1; sy++) {
        for (let sx = x0; sx < x1; sx++) {
          const o = (sy * src.width + sx) * 4;
          const a = (src.data[o + 3] as number) / 255;
          const lum = 0.299 * (src.data[o] as number) + 0.587 * (src.data[o + 1] as number) + 0.114 * (src.data[o + 2] as number);
          sum += lum * a + 255 * (1 - a);
          n++;
        }
      }
      const v = sum / n < THRESHOLD ? 0 : 255;
      const o = ((top + y) * width + left + x) * 4;
      out.data[o] = v;
      out.data[o + 1] = v;
      out.data[o + 2] = v;
    }
  }
  const png = PNG.sync.write(out, { colorType: 0, inputColorType: 6, bitDepth: 8 });
  return { pngBase64: png.toString('base64'), width, height };
}

const cache = new Map<string, RgbaImage>();

export interface RgbaImage {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** The logo's pixels for the ESC/POS raster (decoded once per logo). */
export function logoPixels(logo: ReceiptLogo): RgbaImage {
  let img = cache.get(logo.pngBase64);
  if (!img) {
    const png = PNG.sync.read(Buffer.from(logo.pngBase64, 'base64'));
    img = { data: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength), width: png.width, height: png.height };
    cache.clear();
    cache.set(logo.pngBase64, img);
  }
  return img;
}

export const LOGO_FILE = 'receipt-logo.png';

/**
 * The logo file of a data dir: replaced atomically, removed when the manager clears it, read again
 * only when the file changed (the printing side and the settings side each hold a store).
 */
export class ReceiptLogoStore {
  readonly #path: string;
  #seen: { stamp: string; logo: ReceiptLogo | null } | null = null;

  constructor(dataDir: string) {
    this.#path = join(dataDir, LOGO_FILE);
  }

  get(): ReceiptLogo | null {
    let stamp: string;
    try {
      const st = statSync(this.#path);
      stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      stamp = 'none';
    }
    if (this.#seen?.stamp === stamp) return this.#seen.logo;
    let logo: ReceiptLogo | null = null;
    if (stamp !== 'none') {
      try {
        const bytes = readFileSync(this.#path);
        const png = PNG.sync.read(bytes);
        logo = { pngBase64: bytes.toString('base64'), width: png.width, height: png.height };
      } catch {
        // A damaged logo file prints no logo; the receipt itself never depends on it.
        logo = null;
      }
    }
    this.#seen = { stamp, logo };
    return logo;
  }

  /** Validates and stores the picked image; returns what will print. */
  set(bytes: Uint8Array): ReceiptLogo {
    const logo = prepareLogo(bytes);
    const tmp = `${this.#path}.tmp`;
    writeFileSync(tmp, Buffer.from(logo.pngBase64, 'base64'), { mode: 0o600 });
    renameSync(tmp, this.#path);
    this.#seen = null;
    return logo;
  }

  clear(): void {
    rmSync(this.#path, { force: true });
    this.#seen = null;
  }
}
