// Child process for the kill tests: sells one sale, then starts the named side effect and waits
// (the parent SIGKILLs it while the request is out). argv: JSON {path, url, token, emitter, action}.
import { openLane, sell, type SandboxProcess } from './rig.ts';

const a = JSON.parse(process.argv[2]!) as { path: string; url: string; token: string; emitter: SandboxProcess['emitter']; action: 'cancel' | 'email' };
const sb = { url: a.url, token: a.token, emitter: a.emitter } as SandboxProcess;
const lane = openLane(a.path, sb, { engine: { emitDeadlineMs: 60_000, queryDeadlineMs: 60_000 } });
const r = await sell(lane, 7);
process.stdout.write(`sold ${r.saleId} ${r.emission.ref}\n`);
// The parent arms the sandbox's hang, then tells us to go.
process.stdin.once('data', () => {
  const p =
    a.action === 'cancel'
      ? lane.engine.cancel(r.saleId, 'Cliente desistiu da compra no caixa', 'gerente')
      : lane.engine.email(r.saleId, ['cliente@example.com'], 'gerente');
  process.stdout.write('sent\n');
  void p.catch(() => undefined);
});
