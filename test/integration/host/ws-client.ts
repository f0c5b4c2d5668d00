// A WebSocket test client on the `ws` library: it sends exactly the headers a test needs (a
// foreign Origin, no cookie), reports the refusal status, and queues the JSON messages the host
// sends. `clientFrame` builds hand-made frames (unmasked, pipelined) for the protocol tests.
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';

export interface TestWs {
  status: number;
  messages: unknown[];
  next(timeoutMs?: number): Promise<unknown>;
  /** The next message that answers call `id` (events and other answers stay queued). */
  reply(
    id: number | null,
    timeoutMs?: number,
  ): Promise<{ id: number | null; result: { ok: boolean; value?: unknown; error?: { code: string; message: string; fields?: unknown[] } } }>;
  /** Sends a text message. */
  send(text: string): void;
  /** Sends a binary message. */
  sendBinary(bytes: Buffer): void;
  /** Resolves with the close code the host sent (null when it just hung up). */
  closed: Promise<number | null>;
  close(): void;
}

/** A client frame (masked unless told otherwise), as RFC 6455 §5.2 lays it out. */
export function clientFrame(opcode: number, payload: Buffer, opts: { masked?: boolean } = {}): Buffer {
  const masked = opts.masked ?? true;
  const len = payload.length;
  const m = masked ? 0x80 : 0;
  const head = len < 126 ? [0x80 | opcode, m | len] : [0x80 | opcode, m | 126, len >> 8, len & 0xff];
  if (len >= 65_536) throw new RangeError('test frames stay under 64 KiB');
  if (!masked) return Buffer.concat([Buffer.from(head), payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= mask[i % 4]!;
  return Buffer.concat([Buffer.from(head), mask, body]);
}

export function openWs(port: number, headers: Record<string, string>): Promise<TestWs> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/events`, { headers, perMessageDeflate: false });
    const nope = () => Promise.reject(new Error('not open'));
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, messages: [], next: nope, reply: nope, send() {}, sendBinary() {}, closed: Promise.resolve(null), close() {} });
      ws.terminate();
    });
    ws.on('error', (err) => {
      if (ws.readyState === WebSocket.CONNECTING) reject(err);
    });
    const messages: unknown[] = [];
    const wakers = new Set<() => void>();
    const closed = new Promise<number | null>((r) => ws.on('close', (code) => r(code === 1005 || code === 1006 ? null : code)));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      messages.push(JSON.parse((data as Buffer).toString('utf8')));
      for (const w of [...wakers]) w();
    });
    // Waits (bounded) for the first queued message that `pick` accepts and removes it.
    async function take<T>(pick: (m: unknown) => boolean, timeoutMs: number): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const at = messages.findIndex(pick);
        if (at >= 0) return messages.splice(at, 1)[0] as T;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error('no websocket message');
        await new Promise<void>((r) => {
          const done = () => {
            clearTimeout(t);
            wakers.delete(done);
            r();
          };
          const t = setTimeout(done, left);
          wakers.add(done);
        });
      }
    }
    ws.on('open', () =>
      resolve({
        status: 101,
        messages,
        next: (timeoutMs = 3_000) => take(() => true, timeoutMs),
        reply: (id, timeoutMs = 3_000) => take((m) => typeof m === 'object' && m !== null && 'result' in m && (m as { id?: unknown }).id === id, timeoutMs),
        send: (text) => ws.send(text),
        sendBinary: (bytes) => ws.send(bytes, { binary: true }),
        closed,
        close: () => ws.close(),
      }),
    );
  });
}
