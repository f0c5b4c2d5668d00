// The bridge: exposes `window.pos`, built from the contract, and nothing else. Bundled to CJS
// (a sandboxed preload cannot be ESM). The renderer never sees ipcRenderer or event objects.
import { contextBridge, ipcRenderer } from 'electron';
import { buildPosApi, type Channel, type EventName, type Result } from '../shared/contract.ts';
import { EVENTS } from '../shared/events.ts';
import { EVENT_CHANNEL, invokeChannel } from './shell/constants.ts';

const listeners = new Map<EventName, Set<(payload: unknown) => void>>();

ipcRenderer.on(EVENT_CHANNEL, (_event, name: EventName, payload: unknown) => {
  for (const l of listeners.get(name) ?? []) l(payload);
});

const api = buildPosApi(
  (channel: Channel, input: unknown) => ipcRenderer.invoke(invokeChannel(channel), input) as Promise<Result<unknown>>,
  (event: EventName, listener: (payload: unknown) => void) => {
    if (!EVENTS.includes(event)) return () => {};
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  },
);

contextBridge.exposeInMainWorld('pos', api);
