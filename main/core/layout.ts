// Where a terminal keeps its files. One data directory holds everything:
//
//   <dataDir>/settings.json         settings and operators (PIN hashes), 0600
//   <dataDir>/vault.key             AES-256-GCM key of the file vault (browser host / tests), 0600
//   <dataDir>/secrets/              encrypted Focus tokens per environment and the A1 certificate
//   <dataDir>/catalog.sqlite        products
//   <dataDir>/journal/<profile>.sqlite   the sales journal: demo, homologacao or producao
//   <dataDir>/archive/<profile>/    authorized and cancel XML, by CNPJ and month
//   <dataDir>/parked/<profile>.json  sales put aside at the till (espera), per profile
//   <dataDir>/sandbox/              the built-in Focus sandbox's notes (demo mode)
//   <dataDir>/chromium/             Chromium profile when `npm start` opens the browser host
//
// The directory is the OS user-data directory unless --data-dir or BALCAO_DATA_DIR says otherwise.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const APP_DIR_NAME = 'Balcao';

export const LAYOUT = {
  settingsName: 'settings',
  vaultKey: (d: string) => join(d, 'vault.key'),
  secrets: (d: string) => join(d, 'secrets'),
  catalog: (d: string) => join(d, 'catalog.sqlite'),
  journal: (d: string, profile: string) => join(d, 'journal', `${profile}.sqlite`),
  archive: (d: string, profile: string) => join(d, 'archive', profile),
  parked: (d: string, profile: string) => join(d, 'parked', `${profile}.json`),
  sandbox: (d: string) => join(d, 'sandbox'),
  chromium: (d: string) => join(d, 'chromium'),
} as const;

/** ~/.config/Balcao, %APPDATA%\Balcao, ~/Library/Application Support/Balcao. */
export function osUserDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_DIR_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_DIR_NAME);
}

/** `--data-dir DIR` / `--data-dir=DIR`, else BALCAO_DATA_DIR, else the fallback. */
export function resolveDataDir(opts: { argv: readonly string[]; env: NodeJS.ProcessEnv; fallback: string }): string {
  const fromArgs = flagValue(opts.argv, '--data-dir');
  const chosen = fromArgs ?? opts.env.BALCAO_DATA_DIR ?? opts.fallback;
  return resolve(chosen);
}

export function flagValue(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === name) return argv[i + 1];
    if (a.startsWith(name + '=')) return a.slice(name.length + 1);
  }
  return undefined;
}
