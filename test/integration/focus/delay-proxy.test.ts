// The delaying TCP proxy from bench/lib (shared with the offline benchmarks): timing, ordering,
// pause/blackhole/refuse/drop, over real loopback sockets.
import { once } from 'node:events';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startDelayProxy, type DelayProxy } from '../../../bench/lib/delay-proxy.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function echoServer() {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('data', (d) => s.write(d));
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  );
  return (server.address() as AddressInfo).port;
}

async function proxyTo(port: number, delayMs: number, handshakeRtt = false): Promise<DelayProxy> {
  const p = await startDelayProxy({ targetPort: port, delayMs, handshakeRtt });
  cleanups.push(() => p.close());
  return p;
}

async function connect(port: number) {
  const s = net.connect({ port, host: '127.0.0.1' });
  s.setNoDelay(true);
  s.on('error', () => {});
  await once(s, 'connect');
  cleanups.push(() => void s.destroy());
  let received = '';
  s.on('data', (d) => (received += d.toString()));
  return { socket: s, received: () => received };
}

const waitFor = async (cond: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  return cond();
};

describe('delay proxy', () => {
  it('adds the delay each way (one echo = one round trip) and keeps byte order', async () => {
    const proxy = await proxyTo(await echoServer(), 25);
    const c = await connect(proxy.port);
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) c.socket.write(`${i},`);
    const expected = Array.from({ length: 20 }, (_, i) => `${i},`).join('');
    expect(await waitFor(() => c.received() === expected, 20_000)).toBe(true);
    const rtt = performance.now() - t0;
    // A floor only: the delay was added both ways. How close to 2 × delay it stays is bench:client's business.
    expect(rtt).toBeGreaterThanOrEqual(48);
    expect(proxy.connections()).toBe(1);
  });

  it('charges a handshake round trip to new connections when asked', async () => {
    const proxy = await proxyTo(await echoServer(), 20, true);
    const c = await connect(proxy.port);
    const t0 = performance.now();
    c.socket.write('x');
    expect(await waitFor(() => c.received() === 'x', 20_000)).toBe(true);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(75);
  });

  it('pause holds traffic without loss; blackhole drops it silently', async () => {
    const proxy = await proxyTo(await echoServer(), 0);
    const c = await connect(proxy.port);
    c.socket.write('a');
    expect(await waitFor(() => c.received() === 'a', 1_000)).toBe(true);

    proxy.pause();
    c.socket.write('b');
    await new Promise((r) => setTimeout(r, 80));
    expect(c.received()).toBe('a');
    proxy.resume();
    expect(await waitFor(() => c.received() === 'ab', 1_000)).toBe(true);

    proxy.blackhole(true);
    c.socket.write('c');
    await new Promise((r) => setTimeout(r, 80));
    proxy.blackhole(false);
    c.socket.write('d');
    expect(await waitFor(() => c.received() === 'abd', 1_000)).toBe(true);
    expect(c.socket.destroyed).toBe(false);
  });

  it('refuse closes the port (ECONNREFUSED) and reopens it on the same number; drop resets sockets', async () => {
    const proxy = await proxyTo(await echoServer(), 0);
    const c = await connect(proxy.port);
    await proxy.refuse(true);
    const refused = net.connect({ port: proxy.port, host: '127.0.0.1' });
    const [err] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
    expect(err.code).toBe('ECONNREFUSED');
    await proxy.refuse(false);
    const again = await connect(proxy.port);
    again.socket.write('z');
    expect(await waitFor(() => again.received() === 'z', 1_000)).toBe(true);

    // events.once would reject on the ECONNRESET 'error' that precedes 'close'.
    const closed = new Promise<void>((r) => c.socket.once('close', () => r()));
    proxy.dropConnections();
    await closed;
    expect(proxy.openConnections()).toBe(0);
  });
});
