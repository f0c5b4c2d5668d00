// `npm run host [-- --data-dir DIR] [--port N]`: runs the browser host and prints `url=…`.
import { flagValue, osUserDataDir, resolveDataDir } from '../core/layout.ts';
import { startHost } from './launch.ts';
import { UserFacingError } from '../../shared/errors.ts';

const argv = process.argv.slice(2);
const dataDir = resolveDataDir({ argv, env: process.env, fallback: osUserDataDir() });
const portFlag = flagValue(argv, '--port');
const port = portFlag === undefined ? undefined : Number(portFlag);
if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535)) {
  process.stderr.write('Porta inválida: use --port com um número de 0 a 65535.\n');
  process.exit(2);
}

const host = await startHost({ dataDir, stablePort: true, ...(port !== undefined ? { port } : {}) }).catch((err: unknown) => {
  // A refusal the user can act on (another Balcão on these data, a damaged journal): its sentence, no stack.
  if (err instanceof UserFacingError) {
    process.stderr.write(`${err.message} [${err.code}]\n`);
    process.exit(3);
  }
  throw err;
});
// A one-time launch code, valid 10 minutes: the host's secret never goes to a terminal or a URL.
process.stdout.write(`url=${host.launchUrl(10 * 60_000)}\n`);
process.stdout.write(`data=${dataDir}\n`);
const info = host.core.info();
process.stdout.write(`mode=${info.phase !== 'ready' ? info.phase : info.demo ? 'demo' : info.environment}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void host.close().finally(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
