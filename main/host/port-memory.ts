// The browser host's port, kept from one start to the next. The page's origin is
// http://127.0.0.1:<port>, and everything the page keeps between starts (the cart being rung up,
// the finalize queue of sales paid but not yet answered, the card brands in order of use) lives in that
// origin's localStorage: a new port every start would leave a paid sale behind in an origin the
// next start never opens.
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { LAYOUT } from '../core/layout.ts';

const Remembered = z.object({ port: z.number().int().min(1024).max(65_535) });

/** The port the last start listened on, or 0 (any free port) when there is none or it is unreadable. */
export function rememberedPort(dataDir: string): number {
  try {
    const parsed = Remembered.safeParse(JSON.parse(readFileSync(LAYOUT.hostPort(dataDir), 'utf8')));
    return parsed.success ? parsed.data.port : 0;
  } catch {
    return 0;
  }
}

export function rememberPort(dataDir: string, port: number): void {
  writeFileSync(LAYOUT.hostPort(dataDir), JSON.stringify({ port }), { mode: 0o600 });
}

/** Whether listening failed because the port is taken (another program got it since the last start). */
export function portTaken(err: unknown): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
}
