// window.pos for the browser host: the contract's own buildPosApi over the host's WebSocket
// (/api/events, frames of main/host/rpc.ts) when it is open, POST /api/<channel> otherwise (first
// load, reconnecting). When the socket drops with calls in flight, retry-safe ones are re-sent over
// HTTP; the rest answer TRANSPORT_LOST. Events the core pushed while no socket was open are lost, so
// the page re-reads what they would have told it (status.changed + session.resumed) once the socket
// is open: after a reconnect, and after any answer that came around the socket (a POST, or the
// bootstrap the page was served with). Under Electron the preload defines window.pos first and this
// module is never started. Its globals come in as dependencies so tests can run it in Node.
import type { Channel, EventName, PosApi, Result } from '../../shared/contract.ts';
import { EVENTS } from '../../shared/events.ts';
import { backoffDelay } from '../../shared/backoff.ts';
// window.pos is declared with the renderer's door to it.
import type {} from '../pos.ts';
import { BOOTSTRAP_ELEMENT_ID, EVENTS_PATH, RECONNECT, RETRY_SAFE_CHANNELS, TRANSPORT_DOWN, TRANSPORT_LOST } from '../../shared/host-protocol.ts';

/** The part of the browser the client uses. */
export interface HostEnv {
  fetch: (path: string, init: RequestInit) => Promise<Response>;
  WebSocket: new (url: string) => WebSocket;
  location: { protocol: string; host: string };
  setTimeout: (f: () => void, ms: number) => unknown;
  random?: () => number;
  /** The answer to the first session.bootstrap, when the page arrived with it (see main/host/server.ts). */
  firstBootstrap?: Result<unknown>;
}

type Invoke = (channel: Channel, input: unknown) => Promise<Result<unknown>>;
type Subscribe = (event: EventName, listener: (payload: unknown) => void) => () => void;
type Listener = (payload: unknown) => void;

interface Call {
  channel: Channel;
  input: unknown;
  resolve: (r: Result<unknown> | Promise<Result<unknown>>) => void;
}
interface Link {
  ws: WebSocket;
  pending: Map<number, Call>;
}

const RETRY_SAFE = new Set<Channel>(RETRY_SAFE_CHANNELS);
const DOWN: Result<unknown> = { ok: false, error: TRANSPORT_DOWN };
const LOST: Result<unknown> = { ok: false, error: TRANSPORT_LOST };
const OPEN = 1;

const isResult = (r: unknown): r is Result<unknown> => r !== null && typeof r === 'object' && typeof (r as { ok?: unknown }).ok === 'boolean';

export function createHostPos(env: HostEnv): PosApi {
  const random = env.random ?? Math.random;
  const listeners = new Map<EventName, Set<Listener>>();
  // The open socket and the calls waiting on it; null while (re)connecting.
  let link: Link | null = null;
  let nextId = 1;
  let failures = 0;
  let opened = false;
  let firstBootstrap = env.firstBootstrap;
  // An answer came around the socket: what it caused may have been pushed to nobody.
  let resyncOwed = firstBootstrap !== undefined;
  let resyncScheduled = false;

  /**
   * An answer came over HTTP: the events of what the call did (a sale authorized, an operator
   * logged in) may have gone out while no socket was open. Re-read once the socket is open and the
   * caller has applied the answer (hence the timer: it runs after the caller's continuation). With
   * no socket open yet, the timer finds nothing to do and the socket's open pays the debt.
   */
  function owe(): void {
    resyncOwed = true;
    scheduleResync();
  }

  function scheduleResync(): void {
    if (resyncScheduled) return;
    resyncScheduled = true;
    env.setTimeout(() => {
      resyncScheduled = false;
      resync();
    }, 0);
  }

  function resync(): void {
    const current = link;
    if (!resyncOwed || !current || current.ws.readyState !== OPEN) return;
    resyncOwed = false;
    // Over the socket only: were it to drop meanwhile, its close owes the next open a resync.
    void onSocket(current, 'status.get', {}).then((r) => {
      if (!r.ok) return;
      dispatch('status.changed', r.value);
      dispatch('session.resumed', r.value);
    });
  }

  async function viaHttp(channel: Channel, input: unknown): Promise<Result<unknown>> {
    try {
      return await overHttp(channel, input);
    } finally {
      owe();
    }
  }

  async function overHttp(channel: Channel, input: unknown): Promise<Result<unknown>> {
    let res: Response;
    try {
      res = await env.fetch(`/api/${encodeURIComponent(channel)}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
      });
    } catch {
      return DOWN;
    }
    try {
      const body: unknown = await res.json();
      if (isResult(body)) return body;
    } catch {
      // Not JSON: a proxy page or a dropped body; the caller gets the transport error below.
    }
    return DOWN;
  }

  const invoke = ((channel, input) => {
    if (channel === 'session.bootstrap' && firstBootstrap) {
      // Once: a later bootstrap (the retry button, a reconnect) asks the core again.
      const answer = firstBootstrap;
      firstBootstrap = undefined;
      return Promise.resolve(answer);
    }
    const body = input === undefined ? {} : input;
    const current = link;
    // Every call rides the open socket, the sale's finalize too: the core answers it once the sale is
    // in the journal, and a fetch through Chromium's network process cost the cashier far more than
    // that (bench:ui, last payment key → next scan).
    if (!current || current.ws.readyState !== OPEN) return viaHttp(channel, body);
    return onSocket(current, channel, body);
  }) satisfies Invoke;

  function onSocket(current: Link, channel: Channel, body: unknown): Promise<Result<unknown>> {
    let frame: string;
    try {
      frame = JSON.stringify({ id: nextId, channel, input: body });
    } catch {
      return Promise.resolve(DOWN);
    }
    const id = nextId++;
    return new Promise<Result<unknown>>((resolve) => {
      current.pending.set(id, { channel, input: body, resolve });
      current.ws.send(frame);
    });
  }

  function dispatch(event: EventName, payload: unknown): void {
    for (const l of [...(listeners.get(event) ?? [])]) {
      try {
        l(payload);
      } catch (e) {
        console.error(e);
      }
    }
  }

  const subscribe = ((event, listener) => {
    if (!EVENTS.includes(event)) return () => {};
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }) satisfies Subscribe;

  function onMessage(here: Link, data: unknown): void {
    let msg: unknown;
    try {
      msg = JSON.parse(String(data));
    } catch {
      return;
    }
    if (!msg || typeof msg !== 'object') return;
    const m = msg as { id?: unknown; result?: unknown; event?: unknown; payload?: unknown };
    if (typeof m.id === 'number') {
      const call = here.pending.get(m.id);
      if (!call) return;
      here.pending.delete(m.id);
      call.resolve(isResult(m.result) ? m.result : DOWN);
    } else if (typeof m.event === 'string' && (EVENTS as readonly string[]).includes(m.event)) {
      dispatch(m.event as EventName, m.payload);
    }
  }

  function retryLater(): void {
    failures++;
    env.setTimeout(connect, backoffDelay(failures, { baseMs: RECONNECT.minMs, maxMs: RECONNECT.maxMs, jitter: 0.2 }, random));
  }

  function connect(): void {
    const proto = env.location.protocol === 'https:' ? 'wss:' : 'ws:';
    let ws: WebSocket;
    try {
      ws = new env.WebSocket(`${proto}//${env.location.host}${EVENTS_PATH}`);
    } catch {
      env.setTimeout(connect, RECONNECT.maxMs);
      return;
    }
    const here: Link = { ws, pending: new Map() };
    ws.onopen = () => {
      // Events sent while we were away are lost: refresh the status the bar shows, and say so.
      if (opened) resyncOwed = true;
      opened = true;
      failures = 0;
      link = here;
      resync();
    };
    ws.onmessage = (m: MessageEvent) => onMessage(here, m.data);
    ws.onclose = () => {
      if (link === here) link = null;
      // The core may or may not have run these: repeat only what is safe to run twice.
      const lost = [...here.pending.values()];
      here.pending.clear();
      for (const call of lost) call.resolve(RETRY_SAFE.has(call.channel) ? viaHttp(call.channel, call.input) : LOST);
      retryLater();
    };
  }

  connect();
  return namedCalls(invoke, subscribe);
}

/**
 * `pos.sales.finalize(x)` → invoke('sales.finalize', x), by name. The contract's own buildPosApi
 * walks CHANNELS, whose zod schemas would then be evaluated at every start of the page; the names
 * are checked by TypeScript (PosApi) here and by the core's schemas there, so the page needs none.
 */
function namedCalls(invoke: Invoke, subscribe: Subscribe): PosApi {
  const namespaces = new Map<string, Record<string, (input?: unknown) => Promise<Result<unknown>>>>();
  const namespace = (ns: string) => {
    let calls = namespaces.get(ns);
    if (!calls) {
      const made: Record<string, (input?: unknown) => Promise<Result<unknown>>> = {};
      calls = new Proxy(made, {
        get: (target, method) => {
          if (typeof method !== 'string' || method === 'then') return undefined;
          return (target[method] ??= (input?: unknown) => invoke(`${ns}.${method}` as Channel, input ?? {}));
        },
      });
      namespaces.set(ns, calls);
    }
    return calls;
  };
  const on = (event: EventName, listener: (payload: unknown) => void) => subscribe(event, listener);
  // 'then' stays undefined so the api is never mistaken for a promise.
  return new Proxy({} as PosApi, {
    get: (_target, prop) => (prop === 'on' ? on : typeof prop !== 'string' || prop === 'then' ? undefined : namespace(prop)),
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
}

/** Defines window.pos for the browser host, unless a shell (the Electron preload) already did. */
export function installHostPos(): void {
  if (window.pos !== undefined) return;
  const firstBootstrap = takeServedBootstrap();
  const pos = createHostPos({
    ...(firstBootstrap ? { firstBootstrap } : {}),
    fetch: (path, init) => window.fetch(path, init),
    WebSocket: window.WebSocket,
    location: window.location,
    setTimeout: (f, ms) => window.setTimeout(f, ms),
  });
  Object.defineProperty(window, 'pos', { value: pos, writable: false, configurable: false });
}

/** The bootstrap answer the host put in the page, read once and removed from the document. */
function takeServedBootstrap(): Result<unknown> | undefined {
  const block = document.getElementById(BOOTSTRAP_ELEMENT_ID);
  if (!block) return undefined;
  block.remove();
  try {
    const answer: unknown = JSON.parse(block.textContent ?? '');
    return isResult(answer) ? answer : undefined;
  } catch {
    // Damaged: the page asks the core as it would without it.
    return undefined;
  }
}
