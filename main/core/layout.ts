// Where a terminal keeps its files. One data directory holds everything:
//
//   <dataDir>/                      0700
//   <dataDir>/settings.json         settings, operators (PIN hashes), PIN attempts, 0600
//   <dataDir>/settings.last-good.json  copy of the last successful write (restored if the first is damaged)
//   <dataDir>/secrets/              encrypted Focus tokens, CSC and the A1 certificate, 0600 files
//   <dataDir>/catalog.sqlite        the shop's products (real profile; starts empty)
//   <dataDir>/catalog-demo.sqlite   the demo shop's products (demo profile)
//
// The file vault's key is NOT in the data dir: it is in the OS keyring (libsecret) or in a 0600 file
// under ~/.local/state/balcao-keys (BALCAO_KEY_DIR), see main/secrets/key-store.ts.
//   <dataDir>/journal/<profile>.sqlite   the sales journal: demo, homologacao or producao
//   <dataDir>/journal/<profile>.sqlite.mark  its high-water mark (rollback detection, main/db/mark.ts)
//   <dataDir>/balcao.lock           PID of the one process using this directory (main/core/data-dir-lock.ts)
//   <Settings.backupDir>/<profile>-<UTC stamp>.sqlite  verified hot backups of the journal (main/db/backup.ts)
//   <dataDir>/archive/<profile>/    authorized and cancel XML, by CNPJ and month
//   <dataDir>/parked/<profile>.json  sales put aside at the till (espera), per profile
//   <dataDir>/sandbox/              the built-in Focus sandbox's notes (demo mode)
//   <dataDir>/chromium/             Chromium profile when `npm start` opens the browser host
//   <dataDir>/host-port.json        the browser host's port, kept so the page's origin (and its storage) stays
//
// The directory is the OS user-data directory unless --data-dir or BALCAO_DATA_DIR says otherwise.
import { chmodSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const APP_DIR_NAME = 'Balcao';

export const LAYOUT = {
  settingsName: 'settings',
  /** Where older versions kept the vault key (moved out on first start). */
  legacyVaultKey: (d: string) => join(d, 'vault.key'),
  secrets: (d: string) => join(d, 'secrets'),
  catalog: (d: string) => join(d, 'catalog.sqlite'),
  demoCatalog: (d: string) => join(d, 'catalog-demo.sqlite'),
  journal: (d: string, profile: string) => join(d, 'journal', `${profile}.sqlite`),
  archive: (d: string, profile: string) => join(d, 'archive', profile),
  parked: (d: string, profile: string) => join(d, 'parked', `${profile}.json`),
  sandbox: (d: string) => join(d, 'sandbox'),
  chromium: (d: string) => join(d, 'chromium'),
  hostPort: (d: string) => join(d, 'host-port.json'),
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

/** Creates the data dir owner-only, and tightens one left 0755 by an older version. */
export function secureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(dataDir, 0o700);
}
