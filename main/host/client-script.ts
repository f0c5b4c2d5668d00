// The script the host serves at /pos-client.js, loaded before the app bundle: it defines
// window.pos with the contract's own buildPosApi over fetch (POST /api/<channel>) and one
// WebSocket (/api/events), so the renderer code is identical under Electron and the host.
import { buildPosApi, CHANNELS, EVENTS } from '../../shared/contract.ts';

export function clientScript(): string {
  const channels = JSON.stringify(Object.fromEntries(Object.keys(CHANNELS).map((c) => [c, true])));
  return `(() => {
'use strict';
const CHANNELS = ${channels};
const EVENTS = ${JSON.stringify(EVENTS)};
const buildPosApi = (${buildPosApi.toString()});
const TRANSPORT = { ok: false, error: { code: 'transport', message: 'Sem comunicação com o sistema do caixa. Aguarde alguns segundos e tente de novo: nada foi perdido.' } };

async function invoke(channel, input) {
  let res;
  try {
    res = await fetch('/api/' + encodeURIComponent(channel), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(input === undefined ? {} : input),
    });
  } catch (e) {
    return TRANSPORT;
  }
  try {
    const body = await res.json();
    if (body && typeof body === 'object' && typeof body.ok === 'boolean') return body;
  } catch (e) {}
  return TRANSPORT;
}

const listeners = new Map();
let socket = null;
let retryMs = 250;
function connect() {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(proto + '//' + location.host + '/api/events');
  socket = ws;
  ws.onopen = () => {
    const reconnected = retryMs > 250;
    retryMs = 250;
    // Events sent while we were away are lost: refresh the status the bar shows.
    if (reconnected) invoke('status.get', {}).then((r) => { if (r.ok) dispatch('status.changed', r.value); });
  };
  ws.onmessage = (m) => {
    let msg;
    try { msg = JSON.parse(m.data); } catch (e) { return; }
    if (msg && typeof msg.event === 'string') dispatch(msg.event, msg.payload);
  };
  ws.onclose = () => {
    socket = null;
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 5000);
  };
}
function dispatch(event, payload) {
  const set = listeners.get(event);
  if (!set) return;
  for (const l of [...set]) { try { l(payload); } catch (e) { console.error(e); } }
}
function subscribe(event, listener) {
  if (!EVENTS.includes(event)) return () => {};
  let set = listeners.get(event);
  if (!set) { set = new Set(); listeners.set(event, set); }
  set.add(listener);
  return () => { set.delete(listener); };
}
connect();
Object.defineProperty(window, 'pos', { value: Object.freeze(buildPosApi(invoke, subscribe)), writable: false, configurable: false });
})();
`;
}
