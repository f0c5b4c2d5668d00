// `npm run psp-sandbox -- [--port N] [--control-port N] [--out DIR]`
// Prints url=…, control=…, control_secret=…, cnpj=… and the first client's id on stdout; with --out,
// writes the client's certificate, key, secret and the CA as files there (0600) so a shop's settings
// can be pointed at it. Runs until SIGINT/SIGTERM.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startPspSandbox } from './index.ts';

function fail(msg: string): never {
  process.stderr.write(`psp-sandbox: ${msg}\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: { port: { type: 'string', default: '0' }, 'control-port': { type: 'string', default: '0' }, out: { type: 'string' } },
  strict: true,
});
const port = Number(values.port);
const controlPort = Number(values['control-port']);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port inválida: ${values.port}`);
if (!Number.isInteger(controlPort) || controlPort < 0 || controlPort > 65535) fail(`--control-port inválida: ${values['control-port']}`);

const psp = await startPspSandbox({ port, controlPort });
const client = psp.register();
process.stdout.write(`url=${psp.url}\ncontrol=${psp.controlUrl}\ncontrol_secret=${psp.controlSecret}\ncnpj=${psp.cnpj}\nclient_id=${client.clientId}\n`);
if (values.out) {
  mkdirSync(values.out, { recursive: true, mode: 0o700 });
  const files: [string, string][] = [
    ['client-cert.pem', client.cert],
    ['client-key.pem', client.key],
    ['client-secret.txt', client.clientSecret],
    ['ca.pem', psp.ca],
  ];
  for (const [name, content] of files) writeFileSync(join(values.out, name), content, { mode: 0o600 });
  process.stderr.write(`psp-sandbox: credenciais do cliente em ${values.out}\n`);
}
const stop = () => void psp.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
