// A real-profile lane for bench:pix: a configured shop (its own Focus token, emitter, manager and
// PSP credentials in the vault, a product, an open register), driven through the core's channels
// exactly as the payment screen drives them (renderer/features/pix/PixPanel.tsx).
import type { Core } from '../main/core/core.ts';
import { startHost, type RunningHost } from '../main/host/launch.ts';
import { SANDBOX_EMITTER } from '../main/sandbox/demo.ts';
import { demoCatalog } from '../main/demo/catalog.ts';
import type { PixChargeView } from '../shared/pix/charge.ts';
import type { Product } from '../shared/sale.ts';

export const MANAGER = { id: 'ana', name: 'Ana', pin: '4826' };
export const PRODUCT: Product = { ...demoCatalog().find((p) => p.gtin !== null && !p.weighed)!, id: 'bench-pix-1' };

export interface LaneSetup {
  dataDir: string;
  rendererDir: string;
  focusUrl: string;
  focusToken: string;
  psp: { url: string; cnpj: string; clientId: string; clientSecret: string; cert: string; key: string; ca: string };
  printer?: { host: string; port: number };
}

type R<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
export async function ok<T>(p: Promise<R<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** Configures the shop once (as the setup and Configurações › Pix would) and closes it. */
export async function prepareLane(s: LaneSetup): Promise<void> {
  const host = await startHost({
    dataDir: s.dataDir,
    rendererDir: s.rendererDir,
    sandbox: 'none',
    log: () => {},
    token: s.focusToken,
    focusUrl: s.focusUrl,
    emitter: SANDBOX_EMITTER,
    operators: [{ id: MANAGER.id, name: MANAGER.name, role: 'manager', pin: MANAGER.pin }],
  });
  try {
    const c = host.core;
    await ok(c.handle('auth.login', { operatorId: MANAGER.id, pin: MANAGER.pin }));
    await ok(c.handle('register.open', { amountText: '100,00' }));
    await ok(c.handle('catalog.update', { product: PRODUCT }));
    if (s.printer) {
      await ok(
        c.handle('settings.update', {
          managerPin: MANAGER.pin,
          patch: { printer: { kind: 'network', host: s.printer.host, port: s.printer.port, width: 48, codePage: 'cp860', nativeQr: true, summary: false } },
        }),
      );
    }
    await ok(
      c.handle('settings.setPix', {
        managerPin: MANAGER.pin,
        pix: {
          enabled: true,
          baseUrl: s.psp.url,
          tokenUrl: null,
          clientId: s.psp.clientId,
          key: 'financeiro@loja.com.br',
          pspCnpj: s.psp.cnpj,
          expirySeconds: 300,
          staticFallback: false,
        },
        credentials: { clientSecret: s.psp.clientSecret, certPem: s.psp.cert, keyPem: s.psp.key, caPem: s.psp.ca },
      }),
    );
  } finally {
    await host.close();
  }
}

/** Opens the configured lane and logs the manager in (a cashier at the till). */
export async function openLane(s: Pick<LaneSetup, 'dataDir' | 'rendererDir'>): Promise<RunningHost> {
  const host = await startHost({ dataDir: s.dataDir, rendererDir: s.rendererDir, sandbox: 'none', log: () => {} });
  await ok(host.core.handle('auth.login', { operatorId: MANAGER.id, pin: MANAGER.pin }));
  return host;
}

/** Resolves when `check` returns a value: re-checked on every core event and every `pollMs`. */
export function until<T>(core: Core, check: () => Promise<T | null>, pollMs = 20, timeoutMs = 60_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    let running = false;
    const finish = (v: T | null, err?: Error) => {
      if (done || (v === null && !err)) return;
      done = true;
      off();
      clearInterval(t);
      clearTimeout(deadline);
      if (err) reject(err);
      else resolve(v as T);
    };
    const tick = () => {
      if (running || done) return;
      running = true;
      check().then(
        (v) => {
          running = false;
          finish(v);
        },
        (e: unknown) => {
          running = false;
          finish(null, e as Error);
        },
      );
    };
    const off = core.events.subscribe(() => tick());
    const t = setInterval(tick, pollMs);
    const deadline = setTimeout(() => finish(null, new Error('timeout')), timeoutMs);
    tick();
  });
}

export async function paidCharge(core: Core, clientId: string): Promise<PixChargeView | null> {
  const all = await ok(core.handle('pix.forDraft', { clientId }));
  return all.find((v) => v.kind === 'dynamic' && (v.state === 'paid' || v.state === 'used')) ?? null;
}

export async function authorized(core: Core, saleId: number): Promise<boolean | null> {
  const d = await ok(core.handle('sales.get', { saleId }));
  return d.emission.state === 'authorized' ? true : null;
}

/** The draft the payment screen sends once the PIX is confirmed. */
export function pixDraft(clientId: string, txid: string) {
  return {
    clientId,
    items: [{ productId: PRODUCT.id, qtyE4: 10_000, unitPriceCents: PRODUCT.priceCents }],
    payments: [{ method: '17', amountCents: PRODUCT.priceCents, pixTxid: txid }],
    background: true,
  };
}

/** Where the crash campaign (bench/pix-crash-child.ts) kills the till, in the order a sale reaches them. */
export const CRASH_POINTS = [
  'charge-in-flight', // the charge is journaled, its PUT is on the wire
  'charge-created', // the PSP created it, the QR is on screen
  'paid-at-psp', // the customer paid, the lane has not seen it yet
  'paid-seen', // the lane saw the confirmation, the sale is not committed
  'sale-committed', // the sale is in the journal, its note not yet sent
  'note-in-flight', // the note's POST is on the wire to Focus
  'authorized', // the note is authorized (the cashier moved on)
] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

export interface ChildConfig {
  dataDir: string;
  rendererDir: string;
  controlUrl: string;
  controlSecret: string;
  drafts: string[];
  /** Drafts whose sale the cashier saw finished (one per line). */
  doneFile: string;
  crashAt: CrashPoint | null;
}
