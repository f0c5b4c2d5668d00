// `npm run sandbox -- [--port N] [--data DIR] [--tls] [--latency MS|MIN-MAX] [--rate-limit N] [--bad-token-status 401|403]`
// Prints exactly three lines on stdout (url=…, token=… (homologation), cnpj=…) and runs until
// SIGINT/SIGTERM. Everything else (CA location, errors) goes to stderr.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox } from './index.ts';
import type { SandboxOptions } from './types.ts';

function fail(msg: string): never {
  process.stderr.write(`sandbox: ${msg}\n`);
  process.exit(2);
}

function parseLatency(s: string): number | [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(s);
  if (!m) fail(`--latency inválido: ${s} (use 300 ou 150-400)`);
  const a = Number(m[1]);
  return m[2] === undefined ? a : [a, Math.max(a, Number(m[2]))];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      data: { type: 'string' },
      tls: { type: 'boolean', default: false },
      latency: { type: 'string', default: '150-400' },
      'rate-limit': { type: 'string' },
      'bad-token-status': { type: 'string' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port inválida: ${values.port}`);
  const opts: SandboxOptions = { port, tls: values.tls, latencyMs: parseLatency(values.latency) };
  if (values.data) opts.dataDir = values.data;
  if (values['rate-limit'] !== undefined) {
    const n = Number(values['rate-limit']);
    if (!Number.isInteger(n) || n < 0) fail(`--rate-limit inválido: ${values['rate-limit']}`);
    opts.rateLimit = n;
  }
  if (values['bad-token-status'] !== undefined) {
    if (values['bad-token-status'] !== '401' && values['bad-token-status'] !== '403') fail('--bad-token-status deve ser 401 ou 403');
    opts.badTokenStatus = values['bad-token-status'] === '403' ? 403 : 401;
  }

  const sandbox = await startSandbox(opts);
  process.stdout.write(`url=${sandbox.url}\ntoken=${sandbox.tokens.homologacao}\ncnpj=${sandbox.cnpj}\n`);
  if (sandbox.ca) {
    if (values.data) {
      const caPath = join(values.data, 'sandbox-ca.pem');
      writeFileSync(caPath, sandbox.ca);
      process.stderr.write(`sandbox: certificado TLS em ${caPath} (também em GET /__sandbox/info)\n`);
    } else {
      process.stderr.write('sandbox: certificado TLS disponível em GET /__sandbox/info (campo ca)\n');
    }
  }

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
