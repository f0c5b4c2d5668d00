// Draws the application icon (a receipt on a teal tile) and writes what electron-builder needs:
// assets/icon.ico (Windows, 16–256 px), assets/icons/<n>x<n>.png (Linux) and assets/icon.png.
// `npm run assets`; the outputs are committed. Pure geometry, 4×4 supersampled: no image editor.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import pngToIco from 'png-to-ico';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'assets');

type Rgba = readonly [number, number, number, number];
const TILE: Rgba = [0x1f, 0x6f, 0x5c, 255];
const PAPER: Rgba = [0xff, 0xff, 0xff, 255];
const INK: Rgba = [0x1b, 0x2a, 0x33, 255];

/** Inside a rounded rectangle, in unit coordinates (0..1). */
function inRounded(x: number, y: number, x0: number, y0: number, x1: number, y1: number, r: number): boolean {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** The colour at a point of the design, or null for transparent. */
function sample(x: number, y: number): Rgba | null {
  if (!inRounded(x, y, 0.04, 0.04, 0.96, 0.96, 0.2)) return null;
  // The receipt: a paper strip with a zigzag (torn) bottom edge.
  const left = 0.27;
  const right = 0.73;
  const top = 0.16;
  const teeth = 6;
  const tooth = (right - left) / teeth;
  const phase = ((x - left) / tooth) % 1;
  const bottom = 0.8 + 0.05 * (1 - Math.abs(phase * 2 - 1));
  if (x >= left && x <= right && y >= top && y <= bottom) {
    // Printed lines, and a bold total line.
    const lines: [number, number, number][] = [
      [0.26, 0.33, 0.62],
      [0.36, 0.33, 0.55],
      [0.46, 0.33, 0.6],
    ];
    for (const [ly, lx0, lx1] of lines) if (y >= ly && y <= ly + 0.035 && x >= lx0 && x <= lx1) return INK;
    if (y >= 0.6 && y <= 0.67 && x >= 0.33 && x <= 0.67) return INK;
    return PAPER;
  }
  return TILE;
}

function draw(size: number): Buffer {
  const png = new PNG({ width: size, height: size });
  const ss = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const c = sample((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size);
          if (!c) continue;
          r += c[0] * c[3];
          g += c[1] * c[3];
          b += c[2] * c[3];
          a += c[3];
        }
      }
      const i = (py * size + px) * 4;
      png.data[i] = a ? Math.round(r / a) : 0;
      png.data[i + 1] = a ? Math.round(g / a) : 0;
      png.data[i + 2] = a ? Math.round(b / a) : 0;
      png.data[i + 3] = Math.round(a / (ss * ss));
    }
  }
  return PNG.sync.write(png);
}

mkdirSync(join(out, 'icons'), { recursive: true });
const pngs = new Map<number, Buffer>();
for (const size of [16, 24, 32, 48, 64, 128, 256, 512]) {
  const png = draw(size);
  pngs.set(size, png);
  writeFileSync(join(out, 'icons', `${size}x${size}.png`), png);
}
writeFileSync(join(out, 'icon.png'), pngs.get(512)!);
writeFileSync(join(out, 'icon.ico'), await pngToIco([16, 24, 32, 48, 64, 128, 256].map((s) => pngs.get(s)!)));
console.log(`assets: icons written to ${out}`);
