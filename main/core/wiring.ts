// The real modules behind the core's ports, shared by the Electron shell and the browser host.
import { FocusClient } from '../focus/client.ts';
import { startSandbox } from '../sandbox/index.ts';
import type { KeyValueStore } from '../settings/store.ts';
import type { PinCost } from '../auth/pin-hash.ts';
import type { SecretVault } from '../secrets/vault.ts';
import { engineSalesFactory, type EngineSalesOptions } from './adapters/sales.ts';
import { printingReceipts } from './adapters/receipts.ts';
import type { PrinterDeps } from '../printing/printer.ts';
import { ReceiptLogoStore } from '../printing/logo.ts';
import type { CoreDeps } from './core.ts';
import type { SandboxStarter } from './profile.ts';

export interface WiringOptions {
  dataDir: string;
  kv: KeyValueStore;
  vault: SecretVault;
  clock?: () => number;
  /** 'builtin' (default): demo mode runs the in-process sandbox; 'none': a token is required. */
  sandbox?: 'builtin' | 'none';
  sandboxLatencyMs?: number | [number, number];
  engine?: EngineSalesOptions['engine'];
  contingency?: EngineSalesOptions['contingency'];
  /** Electron's silent OS print (the shell passes it; absent in the browser host). */
  printer?: PrinterDeps;
  log?: (line: string) => void;
  /** scrypt cost of the PINs hashed here (CoreDeps.pinCost): the product never sets it. */
  pinCost?: PinCost;
}

/** Demo mode's Focus: the in-process sandbox (it starts only when there is no token). */
export const builtinSandbox: SandboxStarter = (opts) => startSandbox(opts);

export async function realCoreDeps(o: WiringOptions): Promise<CoreDeps> {
  const logo = new ReceiptLogoStore(o.dataDir);
  return {
    dataDir: o.dataDir,
    kv: o.kv,
    vault: o.vault,
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.log ? { log: o.log } : {}),
    ...(o.pinCost ? { pinCost: o.pinCost } : {}),
    sandboxLatencyMs: o.sandboxLatencyMs ?? [150, 400],
    startSandbox: o.sandbox === 'none' ? null : builtinSandbox,
    focusFactory: ({ baseUrl, token, ca, clock, keepWarm }) =>
      new FocusClient({ baseUrl, token, ...(ca ? { ca } : {}), clock, ...(keepWarm === false ? { keepWarmMs: 0 } : {}) }),
    salesFactory: engineSalesFactory({ ...(o.engine ? { engine: o.engine } : {}), ...(o.contingency !== undefined ? { contingency: o.contingency } : {}) }),
    receipts: printingReceipts(o.printer ?? {}, () => logo.get()),
  };
}
