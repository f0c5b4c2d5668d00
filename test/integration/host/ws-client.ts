// A tiny WebSocket client over node:http for the tests: it lets us send exactly the headers a
// test needs (a foreign Origin, no cookie) and read the raw frames the host writes.
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';

export interface TestWs {
  status: number;
  messages: unknown[];
  next(timeoutMs?: number): Promise<unknown>;
  close(): void;
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
      resolve({ status: res.statusCode ?? 0, messages: [], next: () => Promise.reject(new Error('not open')), close() {} });
    });
    req.on('upgrade', (res, socket: Socket) => {
      const messages: unknown[] = [];
      const waiters: ((m: unknown) => void)[] = [];
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
            const msg = JSON.parse(payload.toString('utf8'));
            const w = waiters.shift();
            if (w) w(msg);
            else messages.push(msg);
          }
        }
      });
      resolve({
        status: res.statusCode ?? 101,
        messages,
        next(timeoutMs = 3_000) {
          const queued = messages.shift();
          if (queued !== undefined) return Promise.resolve(queued);
          return new Promise((res2, rej2) => {
            const t = setTimeout(() => rej2(new Error('no websocket message')), timeoutMs);
            waiters.push((m) => { clearTimeout(t); res2(m); });
          });
        },
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
