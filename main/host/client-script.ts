// The script the host serves at /pos-client.js, loaded before the app bundle: it defines
// window.pos with the contract's own buildPosApi, so the renderer code is identical under
// Electron and the host. Calls ride the events WebSocket (/api/events, frames from rpc.ts) when it
// is open and POST /api/<channel> otherwise (first load, reconnecting). When the socket drops with
// calls in flight, retry-safe ones are re-sent over HTTP; the rest answer a clear error.
import { buildPosApi, CHANNELS, EVENTS } from '../../shared/contract.ts';
import { HTTP_ONLY_CHANNELS, RETRY_SAFE_CHANNELS, TRANSPORT_LOST } from './rpc.ts';

export const RECONNECT_MIN_MS = 250;
export const RECONNECT_MAX_MS = 5_000;

export function clientScript(): string {
  const channels = JSON.stringify(Object.fromEntries(Object.keys(CHANNELS).map((c) => [c, true])));
  return `(() => {
'use strict';
const CHANNELS = ${channels};
const EVENTS = ${JSON.stringify(EVENTS)};
const RETRY_SAFE = new Set(${JSON.stringify(RETRY_SAFE_CHANNELS)});
const HTTP_ONLY = new Set(${JSON.stringify(HTTP_ONLY_CHANNELS)});
const buildPosApi = (${buildPosApi.toString()});
const TRANSPORT = { ok: false, error: { code: 'transport', message: 'Sem comunicação com o sistema do caixa. Aguarde alguns segundos e tente de novo: nada foi perdido.' } };
const LOST = { ok: false, error: ${JSON.stringify(TRANSPORT_LOST)} };
const isResult = (r) => r !== null && typeof r === 'object' && typeof r.ok === 'boolean';

async function viaHttp(channel, input) {
  let res;
  try {
    res = await fetch('/api/' + encodeURIComponent(channel), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(input),
    });
  } catch (e) {
    return TRANSPORT;
  }
  try {
    const body = await res.json();
    if (isResult(body)) return body;
  } catch (e) {}
  return TRANSPORT;
}

// The open socket and the calls waiting on it; null while (re)connecting.
let link = null;
let nextId = 1;

function invoke(channel, input) {
  const body = input === undefined ? {} : input;
  const current = link;
  if (!current || HTTP_ONLY.has(channel) || current.ws.readyState !== 1) return viaHttp(channel, body);
  let frame;
  try {
    frame = JSON.stringify({ id: nextId, channel: channel, input: body });
  } catch (e) {
    return Promise.resolve(TRANSPORT);
  }
  const id = nextId++;
  return new Promise((resolve) => {
    current.pending.set(id, { channel: channel, input: body, resolve: resolve });
    current.ws.send(frame);
  });
}

const listeners = new Map();
let retryMs = ${RECONNECT_MIN_MS};
let opened = false;
function connect() {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  let ws;
  try {
    ws = new WebSocket(proto + '//' + location.host + '/api/events');
  } catch (e) {
    setTimeout(connect, ${RECONNECT_MAX_MS});
    return;
  }
  const here = { ws: ws, pending: new Map() };
  ws.onopen = () => {
    const reconnected = opened;
    opened = true;
    retryMs = ${RECONNECT_MIN_MS};
    link = here;
    // Events sent while we were away are lost: refresh the status the bar shows, and say so.
    if (reconnected) invoke('status.get', {}).then((r) => { if (r.ok) { dispatch('status.changed', r.value); dispatch('session.resumed', r.value); } });
  };
  ws.onmessage = (m) => {
    let msg;
    try { msg = JSON.parse(m.data); } catch (e) { return; }
    if (!msg || typeof msg !== 'object') return;
    if (typeof msg.id === 'number') {
      const call = here.pending.get(msg.id);
      if (!call) return;
      here.pending.delete(msg.id);
      call.resolve(isResult(msg.result) ? msg.result : TRANSPORT);
    } else if (typeof msg.event === 'string') {
      dispatch(msg.event, msg.payload);
    }
  };
  ws.onclose = () => {
    if (link === here) link = null;
    // The core may or may not have run these: repeat only what is safe to run twice.
    const lost = [...here.pending.values()];
    here.pending.clear();
    for (const call of lost) call.resolve(RETRY_SAFE.has(call.channel) ? viaHttp(call.channel, call.input) : LOST);
    const wait = retryMs + Math.floor(Math.random() * retryMs * 0.2);
    retryMs = Math.min(retryMs * 2, ${RECONNECT_MAX_MS});
    setTimeout(connect, wait);
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
