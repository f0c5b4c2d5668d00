// A TCP proxy on loopback that makes a local server look far away or broken, for benchmarks and
// network-failure tests. It forwards raw bytes (TLS passes through untouched) and can:
// - delay every chunk by `delayMs` in each direction (so one round trip costs 2 × delayMs), in order;
// - charge the TCP handshake round trip to new connections (loopback connects are instant otherwise);
// - pause: hold all traffic (nothing lost) until resume();
// - blackhole: silently drop all traffic, sockets stay open (the peer only learns by timing out);
// - refuse: close the listening port so new connects get ECONNREFUSED, then reopen on the same port;
// - dropConnections: reset every open connection.
import { once } from 'node:events';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface DelayProxyOptions {
  targetHost?: string;
  targetPort: number;
  /** One-way delay added to every chunk, both directions. */
  delayMs?: number;
  /** Charge one round trip (2 × delayMs) before a new connection carries data, as a TCP handshake would. */
  handshakeRtt?: boolean;
  listenHost?: string;
  /** 0 = any free port. */
  port?: number;
}

export interface DelayProxy {
  readonly port: number;
  readonly host: string;
  /** Connections accepted since start. */
  connections(): number;
  /** Connections currently open. */
  openConnections(): number;
  setDelay(ms: number): void;
  pause(): void;
  resume(): void;
  blackhole(on: boolean): void;
  refuse(on: boolean): Promise<void>;
  dropConnections(): void;
  close(): Promise<void>;
}

type Mode = 'forward' | 'pause' | 'blackhole';

interface Pipe {
  client: net.Socket;
  upstream: net.Socket;
  held: { to: net.Socket; chunk: Buffer }[];
}

export async function startDelayProxy(opts: DelayProxyOptions): Promise<DelayProxy> {
  const targetHost = opts.targetHost ?? '127.0.0.1';
  const listenHost = opts.listenHost ?? '127.0.0.1';
  let delayMs = opts.delayMs ?? 0;
  let mode: Mode = 'forward';
  let accepted = 0;
  const pipes = new Set<Pipe>();
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const later = (ms: number, fn: () => void): void => {
    if (ms <= 0) {
      fn();
      return;
    }
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  /** Per-direction FIFO: a chunk never overtakes an earlier one even if the delay changes. */
  const makeLane = (pipe: Pipe, to: net.Socket) => {
    let lastDue = 0;
    return (chunk: Buffer): void => {
      if (mode === 'blackhole') return;
      if (mode === 'pause') {
        pipe.held.push({ to, chunk });
        return;
      }
      const due = Math.max(performance.now() + delayMs, lastDue);
      lastDue = due;
      later(due - performance.now(), () => {
        if (!to.destroyed) to.write(chunk);
      });
    };
  };

  const onConnection = (client: net.Socket): void => {
    accepted++;
    client.setNoDelay(true);
    client.pause();
    const upstream = net.connect({ host: targetHost, port: opts.targetPort });
    upstream.setNoDelay(true);
    const pipe: Pipe = { client, upstream, held: [] };
    pipes.add(pipe);
    const toUpstream = makeLane(pipe, upstream);
    const toClient = makeLane(pipe, client);
    const teardown = (): void => {
      pipes.delete(pipe);
      client.destroy();
      upstream.destroy();
    };
    // Half-closes travel with the same delay as data, so a FIN never overtakes the bytes before it.
    client.on('data', toUpstream);
    upstream.on('data', toClient);
    client.on('end', () => later(delayMs, () => upstream.end()));
    upstream.on('end', () => later(delayMs, () => client.end()));
    client.on('error', teardown);
    upstream.on('error', teardown);
    client.on('close', teardown);
    upstream.on('close', () => later(delayMs, teardown));
    upstream.once('connect', () => {
      later(opts.handshakeRtt ? 2 * delayMs : 0, () => client.resume());
    });
  };

  let server = net.createServer(onConnection);
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, listenHost, () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const port = await listen(opts.port ?? 0);
  let listening = true;

  // Stops accepting at once; the 'close' callback would also wait for every proxied connection to end.
  const closeServer = async (): Promise<void> => {
    if (!listening) return;
    listening = false;
    const closed = once(server, 'close');
    server.close();
    if (pipes.size === 0) await closed;
  };

  return {
    port,
    host: listenHost,
    connections: () => accepted,
    openConnections: () => pipes.size,
    setDelay(ms) {
      delayMs = Math.max(0, ms);
    },
    pause() {
      mode = 'pause';
    },
    resume() {
      mode = 'forward';
      for (const pipe of pipes) {
        for (const { to, chunk } of pipe.held.splice(0)) if (!to.destroyed) to.write(chunk);
      }
    },
    blackhole(on) {
      mode = on ? 'blackhole' : 'forward';
      if (on) for (const pipe of pipes) pipe.held.length = 0;
    },
    async refuse(on) {
      if (on) {
        await closeServer();
      } else if (!listening) {
        server = net.createServer(onConnection);
        await listen(port);
        listening = true;
      }
    },
    dropConnections() {
      for (const pipe of [...pipes]) {
        pipe.client.resetAndDestroy();
        pipe.upstream.destroy();
        pipes.delete(pipe);
      }
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const pipe of [...pipes]) {
        pipe.client.destroy();
        pipe.upstream.destroy();
      }
      pipes.clear();
      await closeServer();
    },
  };
}
