// Packaging needs the Electron download (not possible here), so its configuration is checked
// statically: what would ship, and the security fuses.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromiumArgs } from '../../../../scripts/start.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
// The file is kept JSON-compatible (JSON is valid YAML) so no YAML parser is needed to check it.
const config = JSON.parse(readFileSync(root + 'electron-builder.yml', 'utf8'));
const pkg = JSON.parse(readFileSync(root + 'package.json', 'utf8'));

describe('electron-builder.yml', () => {
  it('identifies the app', () => {
    expect(config.appId).toBe('br.com.balcao.pdv');
    expect(config.productName).toBe('Balcão');
  });
  it('ships only the built output, starting at the bundled main', () => {
    expect(config.files).toContain('dist/**');
    expect(config.files.some((f: string) => /^(main|renderer|shared|test)\b/.test(f))).toBe(false);
    expect(pkg.main).toBe('dist/main/index.js');
    expect(config.extraMetadata.main).toBe(pkg.main);
    expect(config.npmRebuild).toBe(false);
  });
  it('targets Linux AppImage/deb and Windows NSIS', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
  });
  it('flips the fuses that close Node-level backdoors', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      enableCookieEncryption: true,
    });
  });
});

describe('npm start in browser-host mode', () => {
  it('opens Chromium in app mode with its own profile under the data directory', () => {
    const args = chromiumArgs('http://127.0.0.1:5000/?k=abc', '/data/chromium');
    expect(args).toContain('--app=http://127.0.0.1:5000/?k=abc');
    expect(args).toContain('--user-data-dir=/data/chromium');
    expect(args).toContain('--no-first-run');
    expect(args).not.toContain('--no-sandbox');
    expect(args.some((a) => a.includes('remote-debugging'))).toBe(false);
    expect(chromiumArgs('u', 'p', true)).toContain('--no-sandbox');
    // One --disable-features switch (Chromium keeps only the last), carrying the scan-latency one.
    const features = args.filter((a) => a.startsWith('--disable-features='));
    expect(features).toHaveLength(1);
    expect(features[0]!.split('=')[1]!.split(',')).toContain('DeferRendererTasksAfterInput');
  });
});
