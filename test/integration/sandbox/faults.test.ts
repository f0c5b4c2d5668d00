// Fault controls (in-process and over the admin HTTP API) and the rate limit (§5, §8 items 5, 23).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSandbox, type Sandbox } from '../../../main/sandbox/index.ts';
import { admin, call, emit, note, sleep } from './helpers.ts';

let sb: Sandbox;
beforeEach(async () => {
  sb = await startSandbox({ nextNumber: 1 });
});
afterEach(async () => {
  await sb.close();
});

const stored = (ref: string) => sb.notes().find((n) => n.ref === ref);

/** A POST the sandbox holds; `giveUp` aborts it and checks no answer ever came. */
function hangingCall(ref: string): { giveUp(): Promise<void> } {
  const ac = new AbortController();
  let answered = false;
  const settled = call(sb, 'POST', `/v2/nfce?ref=${ref}`, { body: note(sb), signal: ac.signal }).then(() => {
    answered = true;
  });
  return {
    async giveUp() {
      expect(answered).toBe(false);
      ac.abort();
      await expect(settled).rejects.toThrow();
    },
  };
}

describe('connection faults', () => {
  it('hang: never answers until the client gives up, stores nothing, and keeps serving others', async () => {
    sb.controls.set({ hang: { count: 1 } });
    const posted = hangingCall('h1');
    // The client gives up once the server holds the request (a timer could fire before the server
    // read it, under load, and the hang would then catch the next request instead).
    await vi.waitFor(() => expect(sb.controls.get().hang).toBeUndefined(), { timeout: 30_000, interval: 10 });
    await posted.giveUp();
    expect(stored('h1')).toBeUndefined();
    expect((await call(sb, 'GET', '/v2/nfce/h1')).status).toBe(404);
    expect((await emit(sb, 'h1', note(sb))).json.status).toBe('autorizado');
  });

  it('hang after commit: the note is authorized although the client never hears it', async () => {
    sb.controls.set({ hang: { count: 1, afterCommit: true } });
    const posted = hangingCall('h2');
    await vi.waitFor(() => expect(stored('h2')?.status).toBe('autorizado'), { timeout: 30_000, interval: 10 });
    await posted.giveUp();
    expect((await call(sb, 'GET', '/v2/nfce/h2')).json.status).toBe('autorizado');
  });

  it('resetAfterCommit: the socket dies without an answer but GET finds the authorized note', async () => {
    await admin(sb, 'POST', 'faults', { resetAfterCommit: { count: 1 } });
    await expect(emit(sb, 'r1', note(sb))).rejects.toThrow();
    const g = await call(sb, 'GET', '/v2/nfce/r1');
    expect(g.json.status).toBe('autorizado');
    expect(stored('r1')!.posts).toBe(1);
    // Re-POST of the same ref does not create a second note.
    expect((await emit(sb, 'r1', note(sb))).json.codigo).toBe('nfe_autorizada');
    expect(sb.notes().filter((n) => n.status === 'autorizado')).toHaveLength(1);
  });

  it('serverError: 500 before processing for the next N requests; match narrows them', async () => {
    sb.controls.set({ serverError: { count: 2 } });
    expect((await emit(sb, 's1', note(sb))).status).toBe(500);
    expect((await call(sb, 'GET', '/v2/nfce/s1')).status).toBe(500);
    expect((await call(sb, 'GET', '/v2/nfce/s1')).status).toBe(404);
    sb.controls.set({ serverError: { count: 1, status: 503, match: { method: 'GET' } } });
    expect((await emit(sb, 's1', note(sb))).status).toBe(201);
    expect((await call(sb, 'GET', '/v2/nfce/s1')).status).toBe(503);
    expect((await call(sb, 'GET', '/v2/nfce/s1')).status).toBe(200);
  });

  it('malformed: processes, then answers a truncated body that is not JSON', async () => {
    sb.controls.set({ malformed: { count: 1 } });
    const r = await emit(sb, 'm1', note(sb));
    expect(r.status).toBe(201);
    expect(r.json).toBeUndefined();
    expect(() => JSON.parse(r.text)).toThrow();
    expect((await call(sb, 'GET', '/v2/nfce/m1')).json.status).toBe('autorizado');
  });

  it('dropConnections: a black hole for the API while the admin API still answers', async () => {
    await admin(sb, 'POST', 'faults', { dropConnections: true });
    await expect(call(sb, 'GET', '/v2/nfce/x', { signal: AbortSignal.timeout(250) })).rejects.toThrow();
    expect((await admin(sb, 'GET', 'notes')).status).toBe(200);
    await admin(sb, 'POST', 'faults', { dropConnections: false });
    expect((await call(sb, 'GET', '/v2/nfce/x')).status).toBe(404);
  });
});

describe('SEFAZ faults', () => {
  it('reject: the next emissions get the forced cStat, then normal service resumes', async () => {
    const f = await admin(sb, 'POST', 'faults', { reject: { count: 1, status_sefaz: '999', mensagem_sefaz: 'Rejeicao: Erro nao catalogado' } });
    expect(f.json.reject.count).toBe(1);
    const r = await emit(sb, 'rej', note(sb));
    expect(r.json).toEqual({
      cnpj_emitente: sb.cnpj,
      ref: 'rej',
      status: 'erro_autorizacao',
      status_sefaz: '999',
      mensagem_sefaz: 'Rejeicao: Erro nao catalogado',
    });
    expect((await emit(sb, 'rej', note(sb))).json.status).toBe('autorizado');
    expect(sb.controls.get().reject).toBeUndefined();
  });

  it('reject applies to emissions only by default, and to cancellations with a DELETE match', async () => {
    sb.controls.set({ reject: { count: 1, status_sefaz: '999', mensagem_sefaz: 'Rejeicao: teste' } });
    const inut = await call(sb, 'POST', '/v2/nfce/inutilizacao', {
      body: { cnpj: sb.cnpj, serie: '1', numero_inicial: '90', numero_final: '90', justificativa: 'Numero pulado pelo sistema' },
    });
    expect(inut.json.status).toBe('autorizado');
    expect(sb.controls.get().reject?.count).toBe(1);
    sb.controls.reset();
    await emit(sb, 'rej_del', note(sb));
    sb.controls.set({ reject: { count: 1, status_sefaz: '220', mensagem_sefaz: 'Rejeicao: Prazo de Cancelamento Superior', match: { method: 'DELETE' } } });
    const c = await call(sb, 'DELETE', '/v2/nfce/rej_del', { body: { justificativa: 'Cliente desistiu da compra' } });
    expect(c.json).toEqual({ status: 'erro_cancelamento', status_sefaz: '220', mensagem_sefaz: 'Rejeicao: Prazo de Cancelamento Superior' });
    expect((await call(sb, 'GET', '/v2/nfce/rej_del')).json.status).toBe('autorizado');
  });

  it('deny: denegado consumes the number and the ref', async () => {
    sb.controls.set({ deny: { count: 1 } });
    const r = await emit(sb, 'den', note(sb));
    expect(r.json).toMatchObject({ status: 'denegado', status_sefaz: '302', numero: '1' });
    expect(r.json.chave_nfe).toMatch(/^NFe\d{44}$/);
    expect((await fetch(sb.url + r.json.caminho_xml_nota_fiscal)).status).toBe(200);
    expect((await emit(sb, 'den', note(sb))).status).toBe(422);
    expect((await emit(sb, 'den2', note(sb))).json.numero).toBe('2');
  });

  it('latencyMs: the POST blocks for the SEFAZ round trip', async () => {
    sb.controls.set({ latencyMs: [200, 250] });
    const t0 = Date.now();
    await emit(sb, 'lat', note(sb));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
  });

  it('rejects an unknown fault key with 400 instead of ignoring it', async () => {
    const r = await admin(sb, 'POST', 'faults', { rejeitar: { count: 1 } });
    expect(r.status).toBe(400);
    expect(() => sb.controls.set({ hang: { count: -1 } })).toThrow();
  });

  it('badTokenStatus can be switched at run time', async () => {
    sb.controls.set({ badTokenStatus: 403 });
    expect((await call(sb, 'GET', '/v2/nfce/x', { token: 'errado' })).status).toBe(403);
  });
});

describe('rate limit (§5)', () => {
  it('counts every request per token, answers 429 when exhausted, and resets with the window', async () => {
    sb.controls.set({ rateLimit: 3 });
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await call(sb, 'GET', `/v2/nfce/rl_${i}`);
      expect(r.headers.get('rate-limit-limit')).toBe('3');
      remaining.push(r.headers.get('rate-limit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const blocked = await call(sb, 'GET', '/v2/nfce/rl_x');
    expect(blocked.status).toBe(429);
    expect(blocked.json.codigo).toBe('limite_requisicoes_excedido');
    const reset = Number(blocked.headers.get('rate-limit-reset'));
    expect(reset).toBeGreaterThan(0);
    expect(reset).toBeLessThanOrEqual(60);
    // Admin calls never count; another token has its own window.
    expect((await admin(sb, 'GET', 'notes')).status).toBe(200);
    expect((await call(sb, 'GET', '/v2/nfce/rl_p', { env: 'producao' })).status).toBe(404);
    // A POST blocked by the limit is not processed.
    expect((await emit(sb, 'rl_post', note(sb))).status).toBe(429);
    expect(stored('rl_post')).toBeUndefined();
    await admin(sb, 'POST', 'clock', { offsetMs: 61_000 });
    const after = await call(sb, 'GET', '/v2/nfce/rl_y');
    expect(after.status).toBe(404);
    expect(after.headers.get('rate-limit-remaining')).toBe('2');
  });

  it('defaults to 100 per minute', async () => {
    let last = await call(sb, 'GET', '/v2/nfce/a');
    for (let i = 0; i < 99; i++) last = await call(sb, 'GET', '/v2/nfce/a');
    expect(last.headers.get('rate-limit-remaining')).toBe('0');
    expect((await call(sb, 'GET', '/v2/nfce/a')).status).toBe(429);
    await admin(sb, 'POST', 'reset');
    expect((await call(sb, 'GET', '/v2/nfce/a')).status).toBe(404);
  });
});

describe('admin HTTP API', () => {
  it('exposes info, notes, heal and clock for tests in other processes', async () => {
    const info = await admin(sb, 'GET', 'info');
    expect(info.json).toMatchObject({ url: sb.url, tokens: sb.tokens, cnpj: sb.cnpj });
    await emit(sb, 'adm', note(sb));
    const notes = await admin(sb, 'GET', 'notes');
    expect(notes.json).toEqual([expect.objectContaining({ ref: 'adm', status: 'autorizado', env: 'homologacao', numero: 1, serie: 1, tpEmis: 1, posts: 1 })]);
    expect(notes.json[0].request.cnpj_emitente).toBe(sb.cnpj);
    const clock = await admin(sb, 'POST', 'clock', { offsetMs: 3_600_000 });
    expect(clock.json.now - Date.now()).toBeGreaterThan(3_500_000);
    expect((await admin(sb, 'POST', 'heal')).json).toEqual({ healed: [] });
    expect((await admin(sb, 'GET', 'nada')).status).toBe(404);
    await sleep(1);
  });
});
