// npm run store [-- serve|pairing-code|admin-token|migrate] [options]
// The database URL comes from BALCAO_STORE_DATABASE_URL (or --database-url for a password-less
// local URL: a password on the command line would show in the process list; use ~/.pgpass).
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { createAdminToken } from './auth.ts';
import { migrate } from './db/migrate.ts';
import { createPool } from './db/pool.ts';
import { createPairingCode } from './pairing.ts';
import { StoreServer } from './server.ts';
import { fingerprint256, isLoopback, loadOrCreateCert } from './tls.ts';
import { existsSync } from 'node:fs';

const USAGE = `Uso: npm run store -- [serve|pairing-code|admin-token|migrate] [opções]
  serve (padrão)      inicia o servidor da loja
  pairing-code        mostra um código de pareamento de uso único (vale 15 minutos)
  admin-token         cria um token de gerente para o servidor da loja
  migrate             só aplica as migrações do banco

  --database-url URL  banco PostgreSQL (ou BALCAO_STORE_DATABASE_URL)
  --host HOST         endereço de escuta (padrão 127.0.0.1; fora do loopback, sempre TLS)
  --port N            porta (padrão 7480)
  --tls-cert ARQ --tls-key ARQ   certificado próprio (senão um autoassinado em --data-dir)
  --data-dir DIR      onde fica o certificado autoassinado (padrão ~/.local/share/balcao-store)
  --ttl-minutes N     validade do código de pareamento`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'database-url': { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '7480' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'data-dir': { type: 'string', default: process.env['BALCAO_STORE_DIR'] ?? join(homedir(), '.local', 'share', 'balcao-store') },
    'ttl-minutes': { type: 'string', default: '15' },
    label: { type: 'string', default: 'gerente' },
    help: { type: 'boolean', default: false },
  },
});
const command = positionals[0] ?? 'serve';
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const databaseUrl = values['database-url'] ?? process.env['BALCAO_STORE_DATABASE_URL'];
if (databaseUrl === undefined || databaseUrl === '') fail(`Informe o banco: BALCAO_STORE_DATABASE_URL=postgres://… ou --database-url.\n\n${USAGE}`);
const dataDir = values['data-dir'];

async function withPool<T>(fn: (db: ReturnType<typeof createPool>) => Promise<T>): Promise<T> {
  const db = createPool(databaseUrl!, 2);
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.end();
  }
}

function keptFingerprint(): string | null {
  const path = values['tls-cert'] ?? join(dataDir, 'store-cert.pem');
  return existsSync(path) ? fingerprint256(readFileSync(path, 'utf8')) : null;
}

switch (command) {
  case 'migrate': {
    const applied = await withPool((db) => migrate(db));
    process.stdout.write(applied.length === 0 ? 'Banco já atualizado.\n' : `Migrações aplicadas: ${applied.join(', ')}\n`);
    break;
  }
  case 'pairing-code': {
    const ttl = Number(values['ttl-minutes']);
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > 1440) fail('--ttl-minutes: de 1 a 1440.');
    const code = await withPool((db) => createPairingCode(db, Date.now, ttl * 60_000));
    const fp = keptFingerprint();
    process.stdout.write(`Código de pareamento: ${code.code}\nVale até ${new Date(code.expiresAtMs).toLocaleString('pt-BR')} (uso único).\n`);
    if (fp !== null) process.stdout.write(`Impressão digital do certificado do servidor (confira no caixa): ${fp}\n`);
    break;
  }
  case 'admin-token': {
    const token = await withPool((db) => createAdminToken(db, Date.now, values.label));
    process.stdout.write(`Token de gerente (guarde em lugar seguro; não será mostrado de novo):\n${token}\n`);
    break;
  }
  case 'serve': {
    const host = values.host;
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) fail('--port: de 0 a 65535.');
    let tls = null;
    if (values['tls-cert'] !== undefined || values['tls-key'] !== undefined) {
      if (values['tls-cert'] === undefined || values['tls-key'] === undefined) fail('Informe --tls-cert e --tls-key juntos.');
      tls = { cert: readFileSync(values['tls-cert'], 'utf8'), key: readFileSync(values['tls-key'], 'utf8') };
    } else if (!isLoopback(host)) {
      tls = loadOrCreateCert(dataDir, [host, 'localhost']);
    }
    const server = await StoreServer.start({ databaseUrl, host, port, tls });
    process.stdout.write(`Servidor da loja em ${server.url}\n`);
    if (server.fingerprint !== null) process.stdout.write(`Impressão digital do certificado (SHA-256): ${server.fingerprint}\n`);
    const stop = () => void server.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    break;
  }
  default:
    fail(`Comando desconhecido: ${command}\n\n${USAGE}`);
}
