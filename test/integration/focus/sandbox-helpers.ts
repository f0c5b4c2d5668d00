// Shared set-up for the client tests that run against the Focus sandbox (main/sandbox).
import { afterEach } from 'vitest';
import { FocusClient, type FocusClientOptions } from '../../../main/focus/client.ts';
import { startSandbox } from '../../../main/sandbox/index.ts';
import type { Sandbox, SandboxOptions } from '../../../main/sandbox/types.ts';

const cleanups: (() => Promise<void> | void)[] = [];

/** Registers the after-each cleanup; call once at the top of a test file. */
export function useCleanup(): (fn: () => Promise<void> | void) => void {
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  return (fn) => void cleanups.push(fn);
}

export async function sandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const sb = await startSandbox({ port: 0, latencyMs: 0, ...opts });
  cleanups.push(() => sb.close());
  return sb;
}

export function clientFor(sb: Sandbox, extra: Partial<FocusClientOptions> = {}): FocusClient {
  const c = new FocusClient({
    baseUrl: sb.url,
    token: sb.tokens.homologacao,
    ...(sb.ca ? { ca: sb.ca } : {}),
    keepWarmMs: 0,
    ...extra,
  });
  cleanups.push(() => c.close());
  return c;
}

/** Every secret form of a token that must never show in text we hand out. */
export function secretForms(token: string): string[] {
  return [token, Buffer.from(`${token}:`).toString('base64'), encodeURIComponent(token)];
}
