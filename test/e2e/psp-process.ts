// The PSP simulator as a shop's homologation setup would run it: a separate process
// (`npm run psp-sandbox -- --out DIR`), reached only through its URL, with the client's
// certificate, key, secret and CA handed over as files — and a control port that plays the payer's
// bank (it pays a charge the way a customer's app would).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PspProcess {
  url: string;
  cnpj: string;
  clientId: string;
  clientSecret: string;
  certPem: string;
  keyPem: string;
  caPem: string;
  /** The payer's bank pays this charge (control port). */
  pay(txid: string): Promise<{ ok: boolean }>;
  /** Faults of the simulator (e.g. { fail5xx: 100 }). */
  faults(f: Record<string, unknown>): Promise<void>;
  /** The Pix the PSP received, with their refunds. */
  received(): Promise<{ endToEndId: string; txid: string | null; valor: string; devolucoes: { id: string; status: string; valor: string }[] }[]>;
  stop(): Promise<void>;
}

export async function startPspProcess(extraArgs: string[] = []): Promise<PspProcess> {
  const cli = join(import.meta.dirname, '..', '..', 'main', 'psp-sandbox', 'cli.ts');
  const out = mkdtempSync(join(tmpdir(), 'balcao-psp-'));
  const child: ChildProcess = spawn(process.execPath, [cli, '--port', '0', '--out', out, ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, string> = {};
  const keys = ['url', 'control', 'control_secret', 'cnpj', 'client_id'] as const;
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    let err = '';
    child.once('exit', (code) => reject(new Error(`psp-sandbox exited ${code}: ${err}`)));
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString('utf8');
      // The credential files are written after the addresses are printed; this line says they are there.
      if (err.includes('credenciais do cliente') && keys.every((k) => lines[k])) resolve();
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      for (const line of buf.split('\n')) {
        const m = /^([a-z_]+)=(.+)$/.exec(line.trim());
        if (m) lines[m[1]!] = m[2]!;
      }
    });
  });
  const file = (name: string) => {
    const p = join(out, name);
    if (!existsSync(p)) throw new Error(`psp-sandbox did not write ${name}`);
    return readFileSync(p, 'utf8');
  };
  const control = async (path: string, body: unknown = {}): Promise<Response> =>
    fetch(`${lines.control}${path}`, {
      method: path === '/__psp/state' ? 'GET' : 'POST',
      headers: { 'x-psp-control': lines.control_secret!, 'content-type': 'application/json' },
      ...(path === '/__psp/state' ? {} : { body: JSON.stringify(body) }),
    });
  return {
    url: lines.url!,
    cnpj: lines.cnpj!,
    clientId: lines.client_id!,
    clientSecret: file('client-secret.txt'),
    certPem: file('client-cert.pem'),
    keyPem: file('client-key.pem'),
    caPem: file('ca.pem'),
    async pay(txid) {
      const r = await control(`/__psp/pay/${encodeURIComponent(txid)}`);
      return { ok: r.ok };
    },
    async faults(f) {
      const r = await control('/__psp/faults', f);
      if (!r.ok) throw new Error(`faults: ${r.status}`);
    },
    async received() {
      const r = await control('/__psp/state');
      return ((await r.json()) as { pix: Awaited<ReturnType<PspProcess['received']>> }).pix;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(out, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}
