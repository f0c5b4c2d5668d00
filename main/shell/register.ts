// The only caller of ipcMain. Every channel of the contract becomes one ipcMain.handle; each call
// first proves it comes from the main frame of our own window showing our own UI, then hands the
// raw payload to the core (which validates it with zod).
import { ipcMain, type WebContents } from 'electron';
import { CHANNELS, type Result } from '../../shared/contract.ts';
import type { Core } from '../core/core.ts';
import { EVENT_CHANNEL, invokeChannel } from './constants.ts';
import { isTrustedSender, type IpcOptions } from './trusted-sender.ts';

const FORBIDDEN: Result<never> = {
  ok: false,
  error: { code: 'forbidden', message: 'Pedido recusado: não veio da janela do Balcão.' },
};

/** Registers every channel; returns a function that removes them. */
export function registerIpc(core: Pick<Core, 'handle'>, opts: IpcOptions<WebContents>): () => void {
  const names = Object.keys(CHANNELS);
  for (const channel of names) {
    ipcMain.handle(invokeChannel(channel), async (event, input: unknown) => {
      if (!isTrustedSender(event, opts)) return FORBIDDEN;
      return core.handle(channel, input, { via: 'ipc' });
    });
  }
  return () => {
    for (const channel of names) ipcMain.removeHandler(invokeChannel(channel));
  };
}

/** Pushes core events to our window only (never broadcast to every webContents). */
export function forwardEvents(core: Pick<Core, 'events'>, target: () => WebContents | null): () => void {
  return core.events.subscribe((event, payload) => {
    const wc = target();
    if (wc && !wc.isDestroyed()) wc.send(EVENT_CHANNEL, event, payload);
  });
}
