// Where the file vault's AES key lives: never beside the ciphertext it protects. Preferred: the
// OS keyring through libsecret's `secret-tool` (the key goes through stdin/stdout, never on a
// command line). Otherwise a 0600 file in a per-user key directory outside the data dir: a copy
// of the data dir (backup, support zip, stolen disk image of that folder) then reveals nothing,
// but anyone who can read the user's whole home directory can still read both — that is the
// trade-off of a machine without a keyring (README, "Segredos").
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from './atomic-file.ts';

export type KeyRead = { ok: true; key: Buffer } | { ok: false; reason: 'missing' | 'damaged' };

export interface VaultKeyStore {
  readonly kind: 'keyring' | 'file';
  /** Human description for diagnostics (never the key). */
  readonly where: string;
  read(): KeyRead;
  write(key: Buffer): void;
}

const KEY_BYTES = 32;

export class FileKeyStore implements VaultKeyStore {
  readonly kind = 'file' as const;
  readonly where: string;
  readonly path: string;
  constructor(path: string) {
    this.path = path;
    this.where = path;
  }
  read(): KeyRead {
    if (!existsSync(this.path)) return { ok: false, reason: 'missing' };
    const key = readFileSync(this.path);
    return key.length === KEY_BYTES ? { ok: true, key } : { ok: false, reason: 'damaged' };
  }
  write(key: Buffer): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    writeFileAtomic(this.path, key, 0o600);
  }
}

/** How `secret-tool` is run: which binary, and the environment that names the D-Bus session. */
export interface SecretToolOptions {
  bin?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * The key in the Secret Service (GNOME Keyring, KWallet…) through libsecret's `secret-tool`. Only
 * the lookup attributes are arguments; the key travels on stdin (store) and stdout (lookup).
 */
export class SecretToolKeyStore implements VaultKeyStore {
  readonly kind = 'keyring' as const;
  readonly where: string;
  readonly #attrs: string[];
  readonly #bin: string;
  readonly #env: NodeJS.ProcessEnv;
  constructor(id: string, { bin = 'secret-tool', env = process.env }: SecretToolOptions = {}) {
    this.#bin = bin;
    this.#env = env;
    this.#attrs = ['application', 'balcao', 'vault', id];
    this.where = `chaveiro do sistema (balcao/${id})`;
  }
  read(): KeyRead {
    const r = spawnSync(this.#bin, ['lookup', ...this.#attrs], { encoding: 'utf8', timeout: 5_000, env: this.#env });
    if (r.status !== 0 || !r.stdout.trim()) return { ok: false, reason: 'missing' };
    const key = Buffer.from(r.stdout.trim(), 'base64');
    return key.length === KEY_BYTES ? { ok: true, key } : { ok: false, reason: 'damaged' };
  }
  write(key: Buffer): void {
    // ASCII label: under a C locale (a service, a bare session) secret-tool refuses non-ASCII arguments.
    const r = spawnSync(this.#bin, ['store', '--label=Balcao (chave do cofre)', ...this.#attrs], {
      input: key.toString('base64'),
      timeout: 5_000,
      env: this.#env,
    });
    if (r.status !== 0) throw new Error('secret-tool store failed');
  }
}

/** Per-user directory for file keys: BALCAO_KEY_DIR, else ~/.local/state/balcao-keys (or %LOCALAPPDATA%). */
export function keyDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (env.BALCAO_KEY_DIR) return env.BALCAO_KEY_DIR;
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'BalcaoKeys');
  return join(env.XDG_STATE_HOME ?? join(home, '.local', 'state'), 'balcao-keys');
}

/** One key per data dir, named after a hash of its path. */
export function vaultIdFor(dataDir: string): string {
  return createHash('sha256').update(dataDir).digest('hex').slice(0, 24);
}

/**
 * A Secret Service answers on this session bus. `secret-tool` exits 1 both for "not found" and for
 * "no bus / no service", so a clean answer is exit 0, or exit 1 with nothing on stderr.
 */
export function secretToolWorks({ bin = 'secret-tool', env = process.env }: SecretToolOptions = {}): boolean {
  if (process.platform !== 'linux' || !env.DBUS_SESSION_BUS_ADDRESS) return false;
  const r = spawnSync(bin, ['lookup', 'application', 'balcao-probe'], { timeout: 3_000, env, encoding: 'utf8' });
  if (r.error !== undefined || r.status === null) return false;
  return r.status === 0 || (r.status === 1 && r.stderr.trim() === '');
}

/**
 * The key store for a data dir. `legacyPath` (the old <dataDir>/vault.key) is moved out of the data
 * dir on first use, so an upgraded terminal keeps its secrets.
 */
export function defaultKeyStore(
  dataDir: string,
  opts: { legacyPath?: string; env?: NodeJS.ProcessEnv; preferKeyring?: boolean; secretTool?: string } = {},
): VaultKeyStore {
  const env = opts.env ?? process.env;
  const id = vaultIdFor(dataDir);
  const file = new FileKeyStore(join(keyDir(env), `${id}.key`));
  let store: VaultKeyStore = file;
  const tool: SecretToolOptions = { env, ...(opts.secretTool ? { bin: opts.secretTool } : {}) };
  if ((opts.preferKeyring ?? env.BALCAO_KEYRING !== 'off') && secretToolWorks(tool)) store = new SecretToolKeyStore(id, tool);
  if (opts.legacyPath && existsSync(opts.legacyPath) && !store.read().ok) {
    const legacy = new FileKeyStore(opts.legacyPath).read();
    if (legacy.ok) {
      store.write(legacy.key);
      rmSync(opts.legacyPath, { force: true });
    }
  }
  return store;
}
