// Installers must carry Balcão's icon, not Electron's default: every file or folder the
// electron-builder config names exists, and the icons have the sizes the installers need.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../../..');
const config = JSON.parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

/** Every string under a key that names a file or folder of the repo (icons, build resources). */
function namedPaths(node: unknown, key = ''): string[] {
  if (typeof node === 'string') return /icon|resources|license|background|sidebar|header/i.test(key) ? [node] : [];
  if (Array.isArray(node)) return node.flatMap((v) => namedPaths(v, key));
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => namedPaths(v, k));
  return [];
}

const pngSize = (file: string) => {
  const png = PNG.sync.read(readFileSync(file));
  return [png.width, png.height];
};

describe('electron-builder assets', () => {
  it('names icons for Windows and Linux, and every named path exists', () => {
    const paths = namedPaths(config);
    expect(paths).toEqual(expect.arrayContaining(['assets', 'assets/icon.ico', 'assets/icons']));
    expect(paths.filter((p) => !existsSync(join(root, p)))).toEqual([]);
  });

  it('has a 256×256 layer in the Windows .ico and the Linux PNG set up to 512 px', () => {
    const ico = readFileSync(join(root, 'assets/icon.ico'));
    // ICONDIR: reserved 0, type 1 (icon), then one 16-byte entry per image; width 0 means 256.
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const widths = Array.from({ length: count }, (_, i) => ico[6 + i * 16] || 256);
    expect(widths).toEqual(expect.arrayContaining([16, 32, 48, 256]));
    for (const n of [16, 32, 48, 64, 128, 256, 512]) {
      const file = join(root, `assets/icons/${n}x${n}.png`);
      expect(statSync(file).isFile()).toBe(true);
      expect(pngSize(file)).toEqual([n, n]);
    }
  });
});
