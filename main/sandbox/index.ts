// Focus NFe API v2 (NFC-e) sandbox: a real HTTP(S) server on 127.0.0.1 that behaves like Focus
// and SEFAZ (shared/spec/focus-nfce-api.md §8). Demo mode and every test use it as their server.
// It is written independently of main/focus and main/emission on purpose.
import type { AddressInfo } from 'node:net';
import type { AdminDeps } from './admin.ts';
import { SandboxContext, resolveOptions } from './context.ts';
import { makeControls } from './controls.ts';
import { SANDBOX_EMITTER } from './demo.ts';
import { Webhooks } from './hooks.ts';
import { createSandboxServer } from './server.ts';
import { SandboxStore } from './store.ts';
import { generateSelfSigned, type TlsMaterial } from './tls.ts';
import type { Sandbox, SandboxOptions } from './types.ts';

export type * from './types.ts';
export { SANDBOX_EMITTER } from './demo.ts';

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const store = new SandboxStore(opts.dataDir);
  const emitter = opts.emitter ?? SANDBOX_EMITTER;
  const ctx = new SandboxContext(store, resolveOptions(opts), emitter, opts.tokens);
  const webhooks = new Webhooks(ctx);
  const controls = makeControls(ctx);

  let tls: TlsMaterial | undefined;
  if (opts.tls) {
    tls = store.getMeta<TlsMaterial>('tls');
    if (!tls) {
      tls = generateSelfSigned();
      store.setMeta('tls', tls);
    }
  }

  let url = '';
  const info = () => ({
    url,
    tokens: ctx.tokens,
    cnpj: emitter.cnpj,
    emitter,
    csc: ctx.csc,
    now: ctx.now(),
    rateLimited: ctx.limiter.refused,
    ...(tls ? { ca: tls.cert } : {}),
  });
  const admin: AdminDeps = { ctx, webhooks, controls, info };
  const { server, destroyAll } = createSandboxServer({ ctx, webhooks, admin, ...(tls ? { tls } : {}) });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;

  let closing: Promise<void> | null = null;
  const sandbox: Sandbox = {
    url,
    port,
    ...(tls ? { ca: tls.cert } : {}),
    tokens: { ...ctx.tokens },
    cnpj: emitter.cnpj,
    emitter,
    csc: { homologacao: { ...ctx.csc.homologacao }, producao: { ...ctx.csc.producao } },
    controls,
    notes: () => structuredClone(store.allNotes()),
    inutilizacoes: () => structuredClone(store.inutilizacoes()),
    emails: () => structuredClone(store.emails()),
    hooks: () => structuredClone(store.hooks()),
    webhookDeliveries: () => structuredClone(webhooks.deliveries),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        ctx.cancelTimers();
        server.close(() => {
          store.close();
          resolve();
        });
        server.closeAllConnections();
        destroyAll();
      });
      return closing;
    },
  };
  return sandbox;
}
