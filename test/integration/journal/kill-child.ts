// Child process for the kill tests: sells one sale, then starts the named side effect and waits
// (the parent SIGKILLs it while the request is out). argv: JSON {path, url, token, emitter, action}.
// inutilização runs on the register's own connection to the journal, over a gap the parent left.
import { openLane, sell, type SandboxProcess } from './rig.ts';
import { openRegisterDb } from '../../../main/register/db.ts';
import { Inutilizacoes } from '../../../main/register/inutilizacao.ts';
import { prepareSale } from '../../../main/sales/prepare.ts';
import { prepareContext } from '../emission/fixtures.ts';
import { FocusClient } from '../../../main/focus/client.ts';
import { createServer } from 'node:net';

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

type Action = 'cancel' | 'email' | 'inutilizacao' | 'inutilizacao-unsent' | 'econf' | 'econf-unsent';
const a = JSON.parse(process.argv[2]!) as {
  path: string;
  url: string;
  token: string;
  emitter: SandboxProcess['emitter'];
  action: Action;
  dir?: string;
  gap?: [number, number];
};
const sb = { url: a.url, token: a.token, emitter: a.emitter } as SandboxProcess;
const lane = openLane(a.path, sb, { engine: { emitDeadlineMs: 60_000, queryDeadlineMs: 60_000 } });
const card = {
  clientId: `kill_card_${Date.now()}`,
  items: [{ productId: 'P001', qtyE4: 10_000, unitPriceCents: 2399, discountCents: 0 }],
  discountCents: 0,
  payments: [{ method: '03', amountCents: 2399, card: { integration: '1' as const, brand: '01', acquirerCnpj: '01027058000191', authorization: 'R07242' } }],
};
const r = a.action.startsWith('econf') ? await lane.engine.finalize((await prepareSale(card, prepareContext())).sale) : await sell(lane, 7);
process.stdout.write(`sold ${r.saleId} ${r.emission.ref}\n`);
// The parent arms the sandbox's hang, then tells us to go.
process.stdin.once('data', () => {
  let p: Promise<unknown>;
  if (a.action === 'cancel') p = lane.engine.cancel(r.saleId, 'Cliente desistiu da compra no caixa', 'gerente');
  else if (a.action === 'email') p = lane.engine.email(r.saleId, ['cliente@example.com'], 'gerente');
  else if (a.action === 'econf') p = lane.engine.econf(r.saleId, 'gerente');
  else if (a.action === 'econf-unsent') {
    // Focus unreachable at that moment (a loopback port nobody listens on): the intent stays pending.
    p = closedPort().then((port) => {
      const dead = new FocusClient({ baseUrl: `http://127.0.0.1:${port}`, token: a.token, keepWarmMs: 0, defaultDeadlineMs: 2_000 });
      lane.client.econf = (ref, detalhes, opts) => dead.econf(ref, detalhes, opts);
      return lane.engine.econf(r.saleId, 'gerente').finally(() => process.stdout.write('answered\n'));
    });
  } else {
    const inut = new Inutilizacoes({
      db: openRegisterDb(a.path, Date.now()),
      api: lane.client,
      clock: Date.now,
      environment: 'homologacao',
      cnpj: () => a.emitter.cnpj,
      archiveDir: a.dir!,
    });
    if (a.action === 'inutilizacao-unsent') {
      // The crash point between the intent's commit and the request: die as the request would leave.
      lane.client.inutilize = () => {
        process.stdout.write('dying\n');
        process.kill(process.pid, 'SIGKILL');
        return new Promise(() => {});
      };
    }
    const [from, to] = a.gap ?? [900_002, 900_003];
    p = inut.request({ serie: '1', from, to, justificativa: 'Falha no sistema durante a emissão', actor: 'gerente' });
  }
  process.stdout.write('sent\n');
  void p.catch(() => undefined);
});
