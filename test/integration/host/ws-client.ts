// A tiny WebSocket client over node:http for the tests: it lets us send exactly the headers a
// test needs (a foreign Origin, no cookie), write any frame (broken ones included) and read the raw
// frames the host writes.
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';

export interface TestWs {
  status: number;
  messages: unknown[];
  next(timeoutMs?: number): Promise<unknown>;
  /** The next message that answers call `id` (events and other answers stay queued). */
  reply(id: number | null, timeoutMs?: number): Promise<{ id: number | null; result: { ok: boolean; value?: unknown; error?: { code: string; message: string; fields?: unknown[] } } }>;
  /** Sends a masked text frame. */
  send(text: string): void;
  /** Writes raw bytes (hand-made frames). */
  raw(bytes: Buffer): void;
  /** Resolves with the close code the host sent (null when it just hung up). */
  closed: Promise<number | null>;
  close(): void;
}

/** A client frame (masked unless told otherwise), as RFC 6455 §5.2 lays it out. */
export function clientFrame(opcode: number, payload: Buffer, opts: { fin?: boolean; masked?: boolean; rsv?: number } = {}): Buffer {
  const { fin = true, masked = true, rsv = 0 } = opts;
  const len = payload.length;
  const head: number[] = [(fin ? 0x80 : 0) | rsv | opcode];
  const m = masked ? 0x80 : 0;
  if (len < 126) head.push(m | len);
  else if (len < 65_536) head.push(m | 126, len >> 8, len & 0xff);
  else {
    head.push(m | 127);
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(len));
    head.push(...b);
  }
  if (!masked) return Buffer.concat([Buffer.from(head), payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= mask[i % 4]!;
  return Buffer.concat([Buffer.from(head), mask, body]);
}

export function openWs(port: number, headers: Record<string, string>): Promise<TestWs> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path: '/api/events',
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        ...headers,
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      res.resume();
      const nope = () => Promise.reject(new Error('not open'));
      resolve({ status: res.statusCode ?? 0, messages: [], next: nope, reply: nope, send() {}, raw() {}, closed: Promise.resolve(null), close() {} });
    });
    req.on('upgrade', (res, socket: Socket) => {
      const messages: unknown[] = [];
      const wakers = new Set<() => void>();
      let closeCode: number | null = null;
      let resolveClosed!: (code: number | null) => void;
      const closed = new Promise<number | null>((r) => (resolveClosed = r));
      socket.on('close', () => resolveClosed(closeCode));
      socket.on('error', () => {});
      let buf = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk]);
        for (;;) {
          if (buf.length < 2) return;
          let len = buf[1]! & 0x7f;
          let off = 2;
          if (len === 126) { if (buf.length < 4) return; len = buf.readUInt16BE(2); off = 4; }
          else if (len === 127) { if (buf.length < 10) return; len = Number(buf.readBigUInt64BE(2)); off = 10; }
          if (buf.length < off + len) return;
          const opcode = buf[0]! & 0x0f;
          const payload = buf.subarray(off, off + len);
          buf = buf.subarray(off + len);
          if (opcode === 1) {
            messages.push(JSON.parse(payload.toString('utf8')));
            for (const w of [...wakers]) w();
          } else if (opcode === 8) {
            closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : null;
          }
        }
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
            const done = () => { clearTimeout(t); wakers.delete(done); r(); };
            const t = setTimeout(done, left);
            wakers.add(done);
          });
        }
      }
      resolve({
        status: res.statusCode ?? 101,
        messages,
        next: (timeoutMs = 3_000) => take(() => true, timeoutMs),
        reply: (id, timeoutMs = 3_000) => take((m) => typeof m === 'object' && m !== null && 'result' in m && (m as { id?: unknown }).id === id, timeoutMs),
        send: (text) => socket.write(clientFrame(0x1, Buffer.from(text, 'utf8'))),
        raw: (bytes) => socket.write(bytes),
        closed,
        close() {
          // Masked close frame, as a client must send.
          socket.write(Buffer.from([0x88, 0x80, 1, 2, 3, 4]));
          socket.end();
        },
      });
    });
    req.end();
  });
}
