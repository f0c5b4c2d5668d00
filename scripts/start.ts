// `npm start`: the Electron app where its binary exists; otherwise the browser host, opened in
// Chromium's app mode when a Chromium is installed (or its URL printed).
// Data lives in the OS user-data directory unless --data-dir or BALCAO_DATA_DIR says otherwise.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LAYOUT, flagValue, osUserDataDir, resolveDataDir } from '../main/core/layout.ts';
import { DISABLED_CHROMIUM_FEATURES } from '../main/chromium-features.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const dataDir = resolveDataDir({ argv, env: process.env, fallback: osUserDataDir() });

function electronBinary(): string | null {
  try {
    // require('electron') from Node returns the binary's path, or throws/downloads when absent:
    // read the path file directly instead so nothing is downloaded here.
    const pkg = createRequire(import.meta.url).resolve('electron/package.json');
    const dir = join(pkg, '..');
    const pathFile = join(dir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const bin = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) {
    process.stderr.write(`Falha ao executar ${cmd} ${args.join(' ')}\n`);
    process.exit(r.status ?? 1);
  }
}

export function findChromium(): string | null {
  const candidates = process.platform === 'win32'
    ? [join(process.env['PROGRAMFILES'] ?? 'C:\\Program Files', 'Google', 'Chrome', 'Application', 'chrome.exe')]
    : process.platform === 'darwin'
      ? ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome']
      : ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
  return candidates.find((c) => existsSync(c)) ?? null;
}

/** Flags that keep the kiosk window quiet and private: no sync, no extensions, no first-run UI. */
export function chromiumArgs(url: string, profileDir: string, asRoot = false): string[] {
  return [
    // Chromium refuses to start as root with its sandbox (kiosk images often run as root).
    ...(asRoot ? ['--no-sandbox'] : []),
    `--app=${url}`,
    `--user-data-dir=${profileDir}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-sync',
    '--disable-extensions',
    '--disable-background-networking',
    '--disable-component-update',
    `--disable-features=${['Translate', 'MediaRouter', 'OptimizationHints', ...DISABLED_CHROMIUM_FEATURES].join(',')}`,
    '--password-store=basic',
    '--lang=pt-BR',
  ];
}

async function main(): Promise<void> {
  const electron = electronBinary();
  if (electron) {
    run(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts']);
    run(process.execPath, [join(root, 'scripts', 'build-main.ts')]);
    const child = spawn(electron, [root, '--data-dir', dataDir], { stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
    return;
  }
  if (!existsSync(join(root, 'dist', 'renderer', 'index.html'))) {
    run(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts']);
  }
  const { startHost } = await import('../main/host/launch.ts');
  const portFlag = flagValue(argv, '--port');
  const host = await startHost({ dataDir, port: portFlag ? Number(portFlag) : 0 });
  process.stdout.write(`Balcão rodando em ${host.url}\n`);
  process.stdout.write(`url=${host.url}\n`);
  const chromium = argv.includes('--no-browser') ? null : findChromium();
  let browser: ReturnType<typeof spawn> | null = null;
  if (chromium) {
    const profile = LAYOUT.chromium(dataDir);
    mkdirSync(profile, { recursive: true });
    browser = spawn(chromium, chromiumArgs(host.url, profile, process.getuid?.() === 0), { stdio: 'ignore' });
    browser.on('exit', () => void host.close().finally(() => process.exit(0)));
  } else {
    process.stdout.write('Abra o endereço acima no navegador (Chromium ou Chrome).\n');
  }
  const stop = () => {
    browser?.kill();
    void host.close().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (import.meta.main) await main();
