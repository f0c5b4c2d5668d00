// The RPC frame protocol: every malformed frame gets a pt-BR error answer (with the call's id when
// it can be told), well-formed calls reach the handler and answer with their own id, and the
// retry policy never re-sends a channel whose effect happens outside the till.
import { describe, expect, it } from 'vitest';
import { CHANNELS, type Result } from '../../../../shared/contract.ts';
import { RETRY_SAFE_CHANNELS, TRANSPORT_LOST } from '../../../../shared/host-protocol.ts';
import { decodeRequest, HOST_ERRORS, leadingId, RPC_MAX_BYTES, RPC_MAX_IN_FLIGHT, rpcEndpoint, type WsMessage } from '../../../../main/host/rpc.ts';

const msg = (s: string | Buffer, extra: Partial<WsMessage> = {}): WsMessage => {
  const data = typeof s === 'string' ? Buffer.from(s, 'utf8') : s;
  return { binary: false, data, ...extra };
};

describe('decodeRequest', () => {
  it('accepts {id, channel, input} for a contract channel', () => {
    expect(decodeRequest(msg('{"id":3,"channel":"catalog.lookup","input":{"code":"1001"}}'))).toEqual({
      ok: true,
      request: { id: 3, channel: 'catalog.lookup', input: { code: '1001' } },
    });
    expect(decodeRequest(msg('{"id":4,"channel":"status.get"}'))).toMatchObject({ ok: true, request: { id: 4, channel: 'status.get' } });
  });

  it.each([
    ['{nope', null, 'invalid_json'],
    ['{"id":12,"channel":', 12, 'invalid_json'],
    ['[1,2]', null, 'invalid_frame'],
    ['null', null, 'invalid_frame'],
    ['{"id":"1","channel":"status.get"}', null, 'invalid_frame'],
    ['{"id":0,"channel":"status.get"}', null, 'invalid_frame'],
    ['{"id":1.5,"channel":"status.get"}', null, 'invalid_frame'],
    ['{"id":5}', 5, 'invalid_frame'],
    ['{"id":6,"channel":7}', 6, 'invalid_frame'],
    ['{"id":7,"channel":"fs.readFile","input":{}}', 7, 'unknown_channel'],
    ['{"id":8,"channel":"__proto__"}', 8, 'unknown_channel'],
    ['{"id":9,"channel":"constructor"}', 9, 'unknown_channel'],
    ['{"id":10,"channel":"hasOwnProperty"}', 10, 'unknown_channel'],
  ])('%s → id %s, %s', (text, id, code) => {
    const d = decodeRequest(msg(text));
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.reply.id).toBe(id);
    expect(d.reply.result).toMatchObject({ ok: false, error: { code } });
    if (!d.reply.result.ok) expect(d.reply.result.error.message).toMatch(/Pedido inválido|Operação desconhecida/);
  });

  it('refuses binary frames and invalid UTF-8 in Portuguese', () => {
    const bin = decodeRequest(msg('{"id":1,"channel":"status.get"}', { binary: true }));
    expect(bin).toMatchObject({ ok: false, reply: { id: null, result: { error: HOST_ERRORS.invalidFrame } } });
    const bad = decodeRequest(msg(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])));
    expect(bad).toMatchObject({ ok: false, reply: { result: { error: { code: 'invalid_json' } } } });
  });

  it('answers an oversize frame "too big" with the id from its head, without parsing it', () => {
    const pad = (head: string) => msg(head + 'A'.repeat(RPC_MAX_BYTES) + '"}}');
    const d = decodeRequest(pad('{"id":77,"channel":"settings.importCertificate","input":{"pfx":"'));
    expect(d).toMatchObject({
      ok: false,
      reply: { id: 77, result: { ok: false, error: { code: 'too_big', message: expect.stringMatching(/grande demais/) } } },
    });
    const noId = decodeRequest(pad('{"channel":"x","id":77,"input":{"pfx":"'));
    expect(noId).toMatchObject({ ok: false, reply: { id: null } });
  });

  it('reads a leading id only when it is a safe positive integer', () => {
    expect(leadingId(' { "id" : 15 , "channel"')).toBe(15);
    expect(leadingId('{"id":9007199254740993,')).toBeNull();
    expect(leadingId('{"id":0,')).toBeNull();
    expect(leadingId('{"id":-3,')).toBeNull();
    expect(leadingId('{"channel":"a","id":3,')).toBeNull();
  });
});

describe('rpcEndpoint', () => {
  function endpoint(handle: (channel: string, input: unknown) => Promise<Result<unknown>>) {
    const sent: { id: number | null; result: Result<unknown> }[] = [];
    const on = rpcEndpoint({ sendText: (t) => sent.push(JSON.parse(t)) }, handle);
    return { on, sent };
  }

  it('answers each call with its own id, in completion order, with the id first on the wire', async () => {
    const gates = new Map<number, () => void>();
    const raw: string[] = [];
    const on = rpcEndpoint({ sendText: (t) => raw.push(t) }, async (channel, input) => {
      const n = (input as { n: number }).n;
      await new Promise<void>((r) => gates.set(n, r));
      return { ok: true, value: `${channel}:${n}` };
    });
    on(msg('{"id":1,"channel":"status.get","input":{"n":1}}'));
    on(msg('{"id":2,"channel":"catalog.lookup","input":{"n":2}}'));
    gates.get(2)!();
    await new Promise((r) => setImmediate(r));
    gates.get(1)!();
    await new Promise((r) => setImmediate(r));
    expect(raw).toEqual(['{"id":2,"result":{"ok":true,"value":"catalog.lookup:2"}}', '{"id":1,"result":{"ok":true,"value":"status.get:1"}}']);
  });

  it('answers malformed frames at once without calling the core', () => {
    let calls = 0;
    const { on, sent } = endpoint(async () => {
      calls++;
      return { ok: true, value: null };
    });
    on(msg('{bad'));
    on(msg('{"id":3,"channel":"nope.nope"}'));
    expect(calls).toBe(0);
    expect(sent).toEqual([
      { id: null, result: { ok: false, error: HOST_ERRORS.invalidJson } },
      { id: 3, result: { ok: false, error: HOST_ERRORS.unknownChannel } },
    ]);
  });

  it('refuses calls beyond the in-flight limit until earlier ones finish', async () => {
    const release: (() => void)[] = [];
    const { on, sent } = endpoint(() => new Promise((r) => release.push(() => r({ ok: true, value: 1 }))));
    for (let id = 1; id <= RPC_MAX_IN_FLIGHT + 1; id++) on(msg(`{"id":${id},"channel":"status.get"}`));
    expect(sent).toEqual([{ id: RPC_MAX_IN_FLIGHT + 1, result: { ok: false, error: HOST_ERRORS.busy } }]);
    release.shift()!();
    await new Promise((r) => setImmediate(r));
    on(msg('{"id":500,"channel":"status.get"}'));
    expect(release).toHaveLength(RPC_MAX_IN_FLIGHT);
    for (const r of release.splice(0)) r();
    await new Promise((r) => setImmediate(r));
    expect(sent.filter((s) => s.result.ok)).toHaveLength(RPC_MAX_IN_FLIGHT + 1);
  });

  it('turns a throwing handler into a generic pt-BR error, never its message', async () => {
    const { on, sent } = endpoint(async () => {
      throw new Error('token=abc at /home/x');
    });
    on(msg('{"id":9,"channel":"status.get"}'));
    await new Promise((r) => setImmediate(r));
    expect(sent).toEqual([{ id: 9, result: { ok: false, error: HOST_ERRORS.internal } }]);
  });
});

describe('retry policy', () => {
  it('names only contract channels', () => {
    for (const c of RETRY_SAFE_CHANNELS) expect(Object.hasOwn(CHANNELS, c)).toBe(true);
  });
  it('never repeats a call whose effect reaches outside the till or counts PIN attempts', () => {
    const safe = new Set<string>(RETRY_SAFE_CHANNELS);
    for (const c of [
      'receipt.print',
      'settings.printTestPage',
      'sales.email',
      'sales.cancel',
      'sales.resend',
      'contingency.sendNow',
      'auth.login',
      'auth.verifyManager',
      'settings.update',
      'settings.setToken',
      'settings.importCertificate',
      'catalog.update',
    ]) {
      expect(safe.has(c), c).toBe(false);
    }
    expect(safe.has('sales.finalize')).toBe(true);
    expect(TRANSPORT_LOST.message).toMatch(/Confira se a operação foi concluída/);
  });
});
