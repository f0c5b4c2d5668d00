// The Focus sandbox as a shop's test setup would run it: a separate process (`npm run sandbox`),
// reached only through its URL and token, like the real Focus.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface SandboxProcess {
  url: string;
  token: string;
  cnpj: string;
  stop(): Promise<void>;
}

/**
 * `dataDir`: the account's persistent state (tokens, notes); a copy of another run's dir is the same
 * Focus account (same token and CNPJ) at a new address.
 */
export async function startSandboxProcess({ dataDir }: { dataDir?: string } = {}): Promise<SandboxProcess> {
  const cli = join(import.meta.dirname, '..', '..', 'main', 'sandbox', 'cli.ts');
  const args = [cli, '--port', '0', '--latency', '0', ...(dataDir ? ['--data', dataDir] : [])];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: Record<string, string> = {};
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    child.once('exit', (code) => reject(new Error(`sandbox exited ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      for (const line of buf.split('\n')) {
        const m = /^(url|token|cnpj)=(.+)$/.exec(line.trim());
        if (m) lines[m[1]!] = m[2]!;
      }
      if (lines.url && lines.token && lines.cnpj) resolve();
    });
  });
  return {
    url: lines.url!,
    token: lines.token!,
    cnpj: lines.cnpj!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
