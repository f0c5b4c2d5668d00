// The host's WebSocket frame reader over a real in-memory stream pair: messages split across
// chunks, fragmented messages with a ping in between, oversize messages (kept as a head only,
// the connection stays usable) and protocol violations (closed with the RFC 6455 code).
import { describe, expect, it } from 'vitest';
import { duplexPair, type Duplex } from 'node:stream';
import { OVERSIZE_HEAD, WsConnection, type WsMessage } from '../../../../main/host/websocket.ts';
import { clientFrame } from '../../../integration/host/ws-client.ts';

interface Rig {
  client: Duplex;
  conn: WsConnection;
  messages: WsMessage[];
  /** Frames the server wrote, as [opcode, payload]. */
  out: [number, Buffer][];
  closes: number;
}

function rig(maxMessage = 1024): Rig {
  const [server, client] = duplexPair();
  const r: Rig = { client, conn: null as unknown as WsConnection, messages: [], out: [], closes: 0 };
  r.conn = new WsConnection(server, { maxMessage, onMessage: (m) => r.messages.push(m), onClose: () => r.closes++ });
  let buf = Buffer.alloc(0);
  client.on('data', (c: Buffer) => {
    buf = Buffer.concat([buf, c]);
    while (buf.length >= 2) {
      let len = buf[1]! & 0x7f;
      let off = 2;
      if (len === 126) { len = buf.readUInt16BE(2); off = 4; }
      if (buf.length < off + len) return;
      r.out.push([buf[0]! & 0x0f, Buffer.from(buf.subarray(off, off + len))]);
      buf = buf.subarray(off + len);
    }
  });
  return r;
}

const tick = () => new Promise((r) => setImmediate(r));
const text = (m: WsMessage | undefined) => m?.data.toString('utf8');

describe('WsConnection', () => {
  it('assembles a message delivered one byte at a time', async () => {
    const r = rig();
    const frame = clientFrame(0x1, Buffer.from('{"id":1,"channel":"status.get"}'));
    for (const byte of frame) r.client.write(Buffer.from([byte]));
    await tick();
    expect(r.messages).toHaveLength(1);
    expect(text(r.messages[0])).toBe('{"id":1,"channel":"status.get"}');
    expect(r.messages[0]).toMatchObject({ binary: false, truncated: false, size: 31 });
  });

  it('joins fragments and answers a ping sent between them', async () => {
    const r = rig();
    r.client.write(Buffer.concat([
      clientFrame(0x1, Buffer.from('olá, '), { fin: false }),
      clientFrame(0x9, Buffer.from('p1')),
      clientFrame(0x0, Buffer.from('mundo'), { fin: false }),
      clientFrame(0x0, Buffer.alloc(0)),
      clientFrame(0x2, Buffer.from([1, 2, 3])),
    ]));
    await tick();
    expect(r.messages.map(text)).toEqual(['olá, mundo', '\u0001\u0002\u0003']);
    expect(r.messages[1]!.binary).toBe(true);
    expect(r.out).toEqual([[0xa, Buffer.from('p1')]]);
  });

  it('keeps only the head of an oversize message and stays open', async () => {
    const r = rig(1024);
    const big = Buffer.from(`{"id":42,"channel":"catalog.search","input":{"query":"${'x'.repeat(5000)}"}}`);
    // Two frames of one message, written in small chunks.
    const frames = Buffer.concat([clientFrame(0x1, big.subarray(0, 3000), { fin: false }), clientFrame(0x0, big.subarray(3000))]);
    for (let i = 0; i < frames.length; i += 700) r.client.write(frames.subarray(i, i + 700));
    r.client.write(clientFrame(0x1, Buffer.from('next')));
    await tick();
    expect(r.messages).toHaveLength(2);
    expect(r.messages[0]).toMatchObject({ truncated: true, size: big.length });
    expect(r.messages[0]!.data.length).toBe(OVERSIZE_HEAD);
    expect(text(r.messages[0])).toBe(big.subarray(0, OVERSIZE_HEAD).toString('utf8'));
    expect(text(r.messages[1])).toBe('next');
    expect(r.conn.open).toBe(true);
  });

  it.each([
    ['an unmasked frame', clientFrame(0x1, Buffer.from('x'), { masked: false })],
    ['a continuation with no message', clientFrame(0x0, Buffer.from('x'))],
    ['a reserved bit', clientFrame(0x1, Buffer.from('x'), { rsv: 0x40 })],
    ['an unknown opcode', clientFrame(0x3, Buffer.from('x'))],
    ['a fragmented ping', clientFrame(0x9, Buffer.from('x'), { fin: false })],
    ['a new message inside a fragmented one', Buffer.concat([clientFrame(0x1, Buffer.from('a'), { fin: false }), clientFrame(0x1, Buffer.from('b'))])],
  ])('closes with 1002 on %s', async (_name, bytes) => {
    const r = rig();
    r.client.write(bytes);
    await tick();
    expect(r.messages).toEqual([]);
    expect(r.out).toHaveLength(1);
    expect(r.out[0]![0]).toBe(0x8);
    expect(r.out[0]![1].readUInt16BE(0)).toBe(1002);
    expect(r.conn.open).toBe(false);
    expect(r.closes).toBe(1);
  });

  it('answers a close frame and reports the close once', async () => {
    const r = rig();
    r.client.write(clientFrame(0x8, Buffer.from([0x03, 0xe8])));
    await tick();
    expect(r.out).toEqual([[0x8, Buffer.from([0x03, 0xe8])]]);
    r.conn.sendText('ignored after close');
    r.conn.close();
    await tick();
    expect(r.out).toHaveLength(1);
    expect(r.closes).toBe(1);
  });
});
