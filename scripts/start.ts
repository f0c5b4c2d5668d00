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
const LINK_TTL_MS = 10 * 60_000;
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
  const candidates =
    process.platform === 'win32'
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
  const host = await startHost({ dataDir, stablePort: true, ...(portFlag ? { port: Number(portFlag) } : {}) });
  process.stdout.write(`Balcão rodando em ${host.origin}/\n`);
  // No browser window can be opened (flag, no Chromium, no display, or it failed to start): the
  // host keeps running and says where to open it. The printed address carries a one-time code,
  // never the host's secret; Enter prints a new one.
  const printLink = () => {
    const url = host.launchUrl(LINK_TTL_MS);
    process.stdout.write(`url=${url}\n`);
    process.stdout.write(
      `Abra este endereço no Chromium ou Chrome deste computador (vale uma vez, por ${LINK_TTL_MS / 60_000} minutos). Enter mostra um novo endereço; Ctrl+C encerra.\n`,
    );
  };
  const headless = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
  const chromium = argv.includes('--no-browser') || headless ? null : findChromium();
  let browser: ReturnType<typeof spawn> | null = null;
  const keepServing = () => {
    printLink();
    process.stdin.on('data', printLink);
    process.stdin.resume();
  };
  if (chromium) {
    const profile = LAYOUT.chromium(dataDir);
    mkdirSync(profile, { recursive: true, mode: 0o700 });
    const openedAt = Date.now();
    // The command line (visible to `ps`) and Chromium's history only ever see a used-up code.
    browser = spawn(chromium, chromiumArgs(host.launchUrl(), profile, process.getuid?.() === 0), { stdio: 'ignore' });
    browser.on('error', () => keepServing());
    browser.on('exit', (code) => {
      // A window that could not open (no display, a crash at start) leaves the host running.
      if (code !== 0 && Date.now() - openedAt < 10_000) {
        process.stdout.write('Não foi possível abrir a janela do navegador.\n');
        keepServing();
        return;
      }
      void host.close().finally(() => process.exit(0));
    });
  } else {
    if (headless) process.stdout.write('Sem tela disponível: o Balcão continua rodando.\n');
    keepServing();
  }
  const stop = () => {
    browser?.kill();
    void host.close().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (import.meta.main) await main();
