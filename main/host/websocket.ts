// A minimal RFC 6455 server side for the event stream: handshake, unmasked text frames out,
// masked control frames in (close, ping). The client never sends data, so data frames are ignored.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_INCOMING = 64 * 1024;

export function acceptKey(key: string): string {
  return createHash('sha1').update(key + GUID).digest('base64');
}

export function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  let header: Buffer;
  if (len < 126) {
    header = Buffer.from([0x80 | opcode, len]);
  } else if (len < 65_536) {
    header = Buffer.alloc(4);
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(len, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([header, payload]);
}

export class WsConnection {
  readonly #socket: Duplex;
  #buffer = Buffer.alloc(0);
  #open = true;
  readonly #onClose: () => void;

  constructor(socket: Duplex, onClose: () => void) {
    this.#socket = socket;
    this.#onClose = onClose;
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('close', () => this.#closed());
    socket.on('error', () => this.#closed());
  }

  get open(): boolean {
    return this.#open;
  }

  sendText(text: string): void {
    if (!this.#open) return;
    this.#socket.write(encodeFrame(0x1, Buffer.from(text, 'utf8')));
  }

  close(code = 1000): void {
    if (!this.#open) return;
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code, 0);
    this.#socket.write(encodeFrame(0x8, payload));
    this.#socket.end();
    this.#closed();
  }

  #closed(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#onClose();
  }

  #receive(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const b = this.#buffer;
      if (b.length < 2) return;
      const opcode = b[0]! & 0x0f;
      const masked = (b[1]! & 0x80) !== 0;
      let len = b[1]! & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (b.length < 4) return;
        len = b.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (b.length < 10) return;
        const big = b.readBigUInt64BE(2);
        if (big > BigInt(MAX_INCOMING)) return this.close(1009);
        len = Number(big);
        offset = 10;
      }
      if (len > MAX_INCOMING) return this.close(1009);
      // Clients must mask (RFC 6455 §5.1); an unmasked frame is a protocol error.
      if (!masked) return this.close(1002);
      if (b.length < offset + 4 + len) return;
      const mask = b.subarray(offset, offset + 4);
      const payload = Buffer.from(b.subarray(offset + 4, offset + 4 + len));
      for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
      this.#buffer = b.subarray(offset + 4 + len);
      if (opcode === 0x8) return this.close(1000);
      if (opcode === 0x9) this.#socket.write(encodeFrame(0xa, payload));
    }
  }
}

/** Completes the handshake; returns null (after answering 400) when the request is not a WebSocket. */
export function upgradeToWebSocket(req: IncomingMessage, socket: Duplex, onClose: () => void): WsConnection | null {
  const key = req.headers['sec-websocket-key'];
  const version = req.headers['sec-websocket-version'];
  if (typeof key !== 'string' || !/^[A-Za-z0-9+/]{22}==$/.test(key) || version !== '13' || String(req.headers.upgrade).toLowerCase() !== 'websocket') {
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    return null;
  }
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\n' +
      'Upgrade: websocket\r\n' +
      'Connection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`,
  );
  return new WsConnection(socket, onClose);
}
