// A real shop for the journeys: its own Focus account (the sandbox as a separate process, reached
// only through its URL, token and admin API), its own emitter, catalog, operators and network
// printer. The setup goes through the screens (golive-flow.ts, once per worker in fixtures.ts); the
// manager's first day and each spec's addresses go through the channels the manager's screens
// call. Nothing here comes from the demo profile.
import { withCheckDigit } from '../../shared/catalog/gtin.ts';
import { PRODUCT_DEFAULTS, type Product } from '../../shared/sale.ts';
import type { Core } from '../../main/core/core.ts';
import type { SandboxEmail, SandboxFaults, SandboxNote } from '../../main/sandbox/types.ts';
import { demoCatalog } from '../../main/demo/catalog.ts';
import { DEMO_OPERATORS } from '../../main/auth/operators.ts';
import { SANDBOX_EMITTER } from '../../main/sandbox/demo.ts';
import type { FakePrinter } from '../fixtures/fake-printer.ts';
import { openFileStore } from '../../main/settings/file-store.ts';
import { SettingsService } from '../../main/settings/settings.ts';
import { LAYOUT } from '../../main/core/layout.ts';
import type { SandboxProcess } from './sandbox-process.ts';

export interface Person {
  name: string;
  pin: string;
}

/** The shop's people: a manager created in the setup and a cashier the manager registers. */
export const SHOP = {
  manager: { name: 'Ana Souza', pin: '4826' },
  cashier: { name: 'Bruno Reis', pin: '5071' },
  name: 'Mercado São João Ltda',
  tradeName: 'Mercado São João',
} as const;

/** What the tests drive on "Focus": faults, heal, and what it holds (notes, e-mails). */
export interface FocusControl {
  readonly cnpj: string;
  set(faults: SandboxFaults): Promise<void>;
  reset(): Promise<void>;
  heal(): Promise<string[]>;
  notes(): Promise<SandboxNote[]>;
  emails(): Promise<SandboxEmail[]>;
}

/** The sandbox process's admin API (/__sandbox/), as a test in another process reaches it. */
export function focusOverHttp(sb: Pick<SandboxProcess, 'url' | 'cnpj'>): FocusControl {
  const call = async <T>(method: 'GET' | 'POST', name: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${sb.url}/__sandbox/${name}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    if (!r.ok) throw new Error(`sandbox admin ${method} ${name}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };
  return {
    cnpj: sb.cnpj,
    set: async (faults) => void (await call('POST', 'faults', faults)),
    reset: async () => void (await call('POST', 'reset')),
    heal: async () => (await call<{ healed: string[] }>('POST', 'heal')).healed,
    notes: () => call<SandboxNote[]>('GET', 'notes'),
    emails: () => call<SandboxEmail[]>('GET', 'emails'),
  };
}

const FAMILIES: readonly [string, string, number][] = [
  ['Biscoito Amanteigado Vó Lurdes', '19053100', 389],
  ['Doce de Leite Cremoso Serra Azul', '04029900', 1190],
  ['Geleia de Goiaba Colônia Verde', '20079990', 875],
  ['Queijo Minas Padrão Fazenda Boa Vista', '04069010', 2490],
  ['Farinha de Mandioca Torrada Dona Zica', '11062000', 699],
  ['Mel Silvestre Apiário São João', '04090000', 2150],
  ['Erva-Mate Chimarrão Tradição Gaúcha', '09030090', 1399],
  ['Rapadura de Cana Engenho Velho', '17011400', 450],
];
const SIZES: readonly [string, number][] = [
  ['200 g', 0],
  ['500 g', 310],
  ['1 kg', 690],
  ['pacote família', 1050],
  ['caixa 12 un', 4100],
  ['embalagem econômica', 820],
];
const WEIGHED: readonly [string, number][] = [
  ['Linguiça Colonial Artesanal', 3290],
  ['Queijo Colonial Curado', 5890],
  ['Salame Italiano Fatiado', 7490],
];

/** The shop's own catalog: none of its codes, GTINs or names is the demo's. */
export function shopCatalog(): { unit: Product[]; weighed: Product[] } {
  const demo = demoCatalog();
  const taken = new Set(demo.flatMap((p) => [p.code, p.gtin ?? '', p.description]));
  const base = {
    ...PRODUCT_DEFAULTS,
    cfop: '5102',
    cest: null,
    origin: '0',
    icms: '102',
    icmsRateBp: 0,
    approxTaxBp: 1800,
    ibsCbsCst: null,
    cClassTrib: null,
  } as const;
  const unit: Product[] = [];
  let n = 0;
  for (const [fi, [name, ncm, price]] of FAMILIES.entries()) {
    for (const [si, [size, extra]] of SIZES.entries()) {
      n++;
      const gtin = withCheckDigit(`7896${String(4200 + fi).padStart(4, '0')}${String(si).padStart(4, '0')}`);
      unit.push({
        ...base,
        id: `sj-${n}`,
        code: `SJ${String(n).padStart(3, '0')}`,
        gtin,
        description: `${name} ${size}`,
        unit: 'UN',
        priceCents: price + extra,
        ncm,
        weighed: false,
      });
    }
  }
  const weighed: Product[] = WEIGHED.map(([description, priceCents], i) => ({
    ...base,
    id: `sj-kg-${i + 1}`,
    code: String(7001 + i),
    gtin: null,
    description,
    unit: 'KG',
    priceCents,
    ncm: '16010000',
    weighed: true,
  }));
  for (const p of [...unit, ...weighed]) {
    if (taken.has(p.code) || (p.gtin && taken.has(p.gtin)) || taken.has(p.description)) throw new Error(`shop product ${p.id} collides with the demo`);
  }
  return { unit, weighed };
}

async function must<T>(r: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>, what: string): Promise<T> {
  const x = await r;
  if (!x.ok) throw new Error(`${what}: ${x.error.code} ${x.error.message}`);
  return x.value;
}

type Handle = Core['handle'];

async function managerIdOf(h: Handle): Promise<string> {
  const managerId = (await must(h('auth.operators', {}), 'operators')).find((o) => o.name === SHOP.manager.name)?.id;
  if (!managerId) throw new Error('the first manager is not listed');
  return managerId;
}

/**
 * The manager's first day after the setup screens (fixtures.ts drives those): the cashier and the
 * catalog, through the channels the operators and catalog screens call.
 */
export async function firstDay(core: Core): Promise<void> {
  const h: Handle = core.handle.bind(core);
  const managerId = await managerIdOf(h);
  await must(h('auth.login', { operatorId: managerId, pin: SHOP.manager.pin }), 'login');
  await must(h('operators.create', { managerPin: SHOP.manager.pin, name: SHOP.cashier.name, role: 'cashier', pin: SHOP.cashier.pin }), 'cashier');
  const { unit, weighed } = shopCatalog();
  for (const product of [...unit, ...weighed]) await must(h('catalog.update', { product, managerPin: SHOP.manager.pin }), `product ${product.id}`);
  await must(h('auth.logout', {}), 'logout');
}

/**
 * The shop's data dir copied for one spec file: Focus (the same account) and the network printer
 * now answer at this spec's ports. Written into the copy's settings file through the settings
 * service (the same validation the manager's Configurações goes through) before the host opens it,
 * so the host starts once at the right addresses instead of starting, saving and reopening the
 * profile (`settings.update`, whose reopening the settings tests cover).
 */
export function pointShopAt(dataDir: string, focusUrl: string, printer: Pick<FakePrinter, 'host' | 'port'>): void {
  const settings = new SettingsService(openFileStore(dataDir, LAYOUT.settingsName));
  const current = settings.get();
  settings.update({
    focusUrls: { ...current.focusUrls, [current.environment]: focusUrl },
    printer: { ...current.printer, kind: 'network', host: printer.host, port: printer.port },
  });
}

/** The manager opens the register (through the channels its screen calls) and leaves; returns the manager's id. */
export async function openShop(core: Core, { openRegister = true }: { openRegister?: boolean } = {}): Promise<string> {
  const h: Handle = core.handle.bind(core);
  const managerId = await managerIdOf(h);
  if (!openRegister) return managerId;
  await must(h('auth.login', { operatorId: managerId, pin: SHOP.manager.pin }), 'login');
  await must(h('register.open', { amountText: '100,00' }), 'register');
  await must(h('auth.logout', {}), 'logout');
  return managerId;
}

/**
 * Texts of the demo that must never show in a real profile: its mark, its operators (the manager's
 * name, "Gerente", is also a role label, so only the cashiers count), its shop.
 */
export const DEMO_MARKS: readonly string[] = [
  'DEMONSTRAÇÃO',
  ...DEMO_OPERATORS.filter((o) => o.role === 'cashier').map((o) => o.name),
  SANDBOX_EMITTER.name,
  ...(SANDBOX_EMITTER.tradeName ? [SANDBOX_EMITTER.tradeName] : []),
];
