// A minimal RFC 6455 server side: handshake, unmasked frames out, masked frames in. Incoming data
// is parsed incrementally, so a message larger than the limit is never held in memory: its bytes
// are dropped as they arrive and only a short head is kept (enough for the RPC layer to find the
// request id and answer "too big" instead of leaving the caller waiting).
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** Bytes of an oversize message kept for the receiver (the RPC id lives at the very start). */
export const OVERSIZE_HEAD = 64;

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

/** One complete (possibly fragmented) data message. */
export interface WsMessage {
  binary: boolean;
  /** The whole payload, or only its first OVERSIZE_HEAD bytes when `truncated`. */
  data: Buffer;
  /** The payload's real length. */
  size: number;
  truncated: boolean;
}

export interface WsOptions {
  /** Largest message delivered whole; larger ones arrive truncated. */
  maxMessage: number;
  onMessage?: (message: WsMessage) => void;
  onClose: () => void;
}

interface Frame {
  opcode: number;
  fin: boolean;
  mask: Buffer;
  remaining: number;
  seen: number;
  control: Buffer[];
}

interface Assembly {
  binary: boolean;
  parts: Buffer[];
  size: number;
  truncated: boolean;
}

function unmask(piece: Buffer, mask: Buffer, start: number): Buffer {
  const out = Buffer.from(piece);
  for (let i = 0; i < out.length; i++) out[i]! ^= mask[(start + i) % 4]!;
  return out;
}

export class WsConnection {
  readonly #socket: Duplex;
  readonly #options: WsOptions;
  #buffer: Buffer = Buffer.alloc(0);
  #frame: Frame | null = null;
  #message: Assembly | null = null;
  #open = true;

  constructor(socket: Duplex, options: WsOptions) {
    this.#socket = socket;
    this.#options = options;
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
    this.#buffer = Buffer.alloc(0);
    this.#message = null;
    this.#options.onClose();
  }

  #receive(chunk: Buffer): void {
    if (!this.#open) return;
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    // Bounded: every pass consumes a header or payload bytes, or returns for more data.
    while (this.#open) {
      if (!this.#frame && !this.#readHeader()) return;
      const frame = this.#frame!;
      const take = Math.min(frame.remaining, this.#buffer.length);
      if (take === 0 && frame.remaining > 0) return;
      const piece = this.#buffer.subarray(0, take);
      this.#buffer = this.#buffer.subarray(take);
      if (frame.opcode >= 0x8) frame.control.push(unmask(piece, frame.mask, frame.seen));
      else this.#collect(piece, frame);
      frame.seen += take;
      frame.remaining -= take;
      if (frame.remaining === 0) {
        this.#frame = null;
        this.#finish(frame);
      }
    }
  }

  /** Parses the next frame header; false when more bytes are needed (or the socket was closed). */
  #readHeader(): boolean {
    const b = this.#buffer;
    if (b.length < 2) return false;
    const fin = (b[0]! & 0x80) !== 0;
    const rsv = b[0]! & 0x70;
    const opcode = b[0]! & 0x0f;
    const masked = (b[1]! & 0x80) !== 0;
    let len = b[1]! & 0x7f;
    let offset = 2;
    if (len === 126) {
      if (b.length < 4) return false;
      len = b.readUInt16BE(2);
      offset = 4;
    } else if (len === 127) {
      if (b.length < 10) return false;
      const big = b.readBigUInt64BE(2);
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) return this.#fail(1009);
      len = Number(big);
      offset = 10;
    }
    // No extensions were negotiated, clients must mask (RFC 6455 §5.1–5.2).
    if (rsv !== 0 || !masked) return this.#fail(1002);
    const control = opcode >= 0x8;
    if (control ? opcode > 0xa || !fin || len > 125 : opcode > 0x2) return this.#fail(1002);
    // A continuation needs an open message; a new text/binary message must not interleave one.
    if (opcode === 0x0 && !this.#message) return this.#fail(1002);
    if ((opcode === 0x1 || opcode === 0x2) && this.#message) return this.#fail(1002);
    if (b.length < offset + 4) return false;
    const mask = Buffer.from(b.subarray(offset, offset + 4));
    this.#buffer = b.subarray(offset + 4);
    if (opcode === 0x1 || opcode === 0x2) this.#message = { binary: opcode === 0x2, parts: [], size: 0, truncated: false };
    this.#frame = { opcode, fin, mask, remaining: len, seen: 0, control: [] };
    return true;
  }

  #collect(piece: Buffer, frame: Frame): void {
    const m = this.#message!;
    m.size += piece.length;
    if (!m.truncated && m.size > this.#options.maxMessage) {
      // Keep the head only; the rest of this message is discarded as it streams in.
      m.truncated = true;
      m.parts = [Buffer.concat(m.parts).subarray(0, OVERSIZE_HEAD)];
    }
    const kept = m.parts.reduce((n, p) => n + p.length, 0);
    if (!m.truncated) m.parts.push(unmask(piece, frame.mask, frame.seen));
    else if (kept < OVERSIZE_HEAD) m.parts.push(unmask(piece.subarray(0, OVERSIZE_HEAD - kept), frame.mask, frame.seen));
  }

  #finish(frame: Frame): void {
    if (frame.opcode === 0x8) {
      this.close(1000);
      return;
    }
    if (frame.opcode === 0x9) {
      this.#socket.write(encodeFrame(0xa, Buffer.concat(frame.control)));
      return;
    }
    if (frame.opcode === 0xa || !frame.fin) return;
    const m = this.#message!;
    this.#message = null;
    this.#options.onMessage?.({ binary: m.binary, data: Buffer.concat(m.parts), size: m.size, truncated: m.truncated });
  }

  #fail(code: number): false {
    this.close(code);
    return false;
  }
}

/** Completes the handshake; returns null (after answering 400) when the request is not a WebSocket. */
export function upgradeToWebSocket(req: IncomingMessage, socket: Duplex, options: WsOptions): WsConnection | null {
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
  return new WsConnection(socket, options);
}
